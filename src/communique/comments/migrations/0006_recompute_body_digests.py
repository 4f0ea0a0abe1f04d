"""Recompute the body digests stored before the matching key took in the
default-ignorable characters, hosts (UTS 46) and look-alike letters (UTS 39).

A digest made with the older folding would not equal the new digest of the
same text, so a duplicate posted just after the upgrade would pass. The
comments are read and written in batches of ``BATCH``, by primary key, each
batch committed on its own (the migration is not atomic), so that neither
memory nor a transaction grows with the table; run again after an
interruption, it starts over and rewrites only the digests still old.
"""

from django.db import migrations

from communique.textformats import digest_for_matching

BATCH = 500


def recompute_body_digests(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    comments = Comment.objects.using(schema_editor.connection.alias)
    last_pk = 0
    while True:
        batch = list(
            comments.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "body_source", "body_digest")[:BATCH]
        )
        if not batch:
            return
        last_pk = batch[-1].pk
        changed = []
        for comment in batch:
            digest = digest_for_matching(comment.body_source)
            if digest != comment.body_digest:
                comment.body_digest = digest
                changed.append(comment)
        comments.bulk_update(changed, ["body_digest"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0005_pending_edit"),
    ]

    operations = [
        migrations.RunPython(recompute_body_digests, migrations.RunPython.noop),
    ]
