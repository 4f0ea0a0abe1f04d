from django.db import migrations

from communique.accounts.roles import EDITORS, MODERATORS, grant

EDITOR_PERMISSIONS = [
    ("publishing", "add_statement"),
    ("publishing", "change_statement"),
    ("publishing", "delete_statement"),
    ("publishing", "view_statement"),
    ("publishing", "view_statementrevision"),
]
MODERATOR_PERMISSIONS = [
    ("publishing", "view_statement"),
]


def create_roles(apps, schema_editor):
    grant(apps, EDITORS, EDITOR_PERMISSIONS)
    grant(apps, MODERATORS, MODERATOR_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[EDITORS, MODERATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("publishing", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
