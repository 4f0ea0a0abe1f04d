from django.db import migrations, models
from django.db.models import F


def mark_versions_readers_saw(apps, schema_editor):
    """Revisions replaced after their statement's publication were public
    (as far as the stored rows can tell); the statement's text was updated
    when the last of them was replaced."""
    revision_model = apps.get_model("publishing", "StatementRevision")
    statement_model = apps.get_model("publishing", "Statement")
    seen = revision_model.objects.filter(
        statement__status="published",
        statement__published_at__isnull=False,
        replaced_at__gte=F("statement__published_at"),
    )
    seen.update(was_public=True)
    last = {}
    for statement_id, replaced_at in seen.values_list("statement_id", "replaced_at"):
        last[statement_id] = max(replaced_at, last.get(statement_id, replaced_at))
    for statement_id, replaced_at in last.items():
        statement_model.objects.filter(pk=statement_id).update(
            text_updated_at=replaced_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0009_statement_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="text_updated_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="text updated at"
            ),
        ),
        migrations.AddField(
            model_name="statementrevision",
            name="was_public",
            field=models.BooleanField(default=False, verbose_name="seen by readers"),
        ),
        migrations.RunPython(mark_versions_readers_saw, migrations.RunPython.noop),
    ]
