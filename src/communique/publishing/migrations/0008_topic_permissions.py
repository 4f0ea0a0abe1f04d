from django.db import migrations

from communique.accounts.roles import EDITORS, grant


def editors_manage_topics(apps, schema_editor):
    grant(
        apps,
        EDITORS,
        [
            ("publishing", "add_topic"),
            ("publishing", "change_topic"),
            ("publishing", "delete_topic"),
            ("publishing", "view_topic"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("publishing", "0007_topics"),
    ]

    operations = [
        migrations.RunPython(editors_manage_topics, migrations.RunPython.noop)
    ]
