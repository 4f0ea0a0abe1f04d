import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from communique import textformats
from communique.comments.models import subject_from
from communique.search import backends

BATCH = 500


def index_existing(apps, schema_editor):
    """Index the statements and comments already there, with this
    migration's models (``index.rebuild`` does the same with today's)."""
    alias = schema_editor.connection.alias
    fold = textformats.fold_for_matching
    Statement = apps.get_model("publishing", "Statement")
    Comment = apps.get_model("comments", "Comment")
    StatementText = apps.get_model("search", "StatementText")
    CommentText = apps.get_model("search", "CommentText")
    for statement in Statement.objects.using(alias).iterator(chunk_size=BATCH):
        StatementText.objects.using(alias).create(
            statement_id=statement.pk,
            language=statement.language,
            title=fold(statement.title),
            body=fold(textformats.plain_text_of(statement.body_html)),
            signature=fold(statement.signature),
        )
    comments = Comment.objects.using(alias).select_related("statement")
    for comment in comments.iterator(chunk_size=BATCH):
        body = textformats.plain_text_of(comment.body_html)
        if comment.subject and comment.subject != subject_from(comment.body_source):
            body = f"{comment.subject}\n{body}"
        CommentText.objects.using(alias).create(
            comment_id=comment.pk,
            language=comment.statement.language,
            body=fold(body),
        )
    backends.refresh_vectors(
        StatementText.objects.using(alias),
        {"title": "A", "signature": "B", "body": "D"},
    )
    backends.refresh_vectors(CommentText.objects.using(alias), {"body": "D"})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("comments", "0005_pending_edit"),
        ("publishing", "0006_slug_keeps_half_spaces"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatementText",
            fields=[
                (
                    "statement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="publishing.statement",
                        verbose_name="statement",
                    ),
                ),
                ("language", models.CharField(max_length=12, verbose_name="language")),
                ("title", models.TextField(verbose_name="title")),
                ("body", models.TextField(verbose_name="body")),
                ("signature", models.TextField(verbose_name="signature")),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(
                        editable=False, null=True
                    ),
                ),
            ],
            options={
                "verbose_name": "statement's search text",
                "verbose_name_plural": "statements' search texts",
            },
        ),
        migrations.CreateModel(
            name="CommentText",
            fields=[
                (
                    "comment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="comments.comment",
                        verbose_name="comment",
                    ),
                ),
                ("language", models.CharField(max_length=12, verbose_name="language")),
                ("body", models.TextField(verbose_name="comment")),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(
                        editable=False, null=True
                    ),
                ),
            ],
            options={
                "verbose_name": "comment's search text",
                "verbose_name_plural": "comments' search texts",
            },
        ),
        *backends.migration_operations(),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
