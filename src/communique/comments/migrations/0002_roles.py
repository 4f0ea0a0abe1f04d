from django.db import migrations

from communique.accounts.roles import EDITORS, MODERATORS, grant

MODERATOR_PERMISSIONS = [
    ("comments", "moderate_comments"),
    ("comments", "skip_approval"),
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "view_moderationaction"),
]
EDITOR_PERMISSIONS = [
    ("comments", "skip_approval"),
]


def grant_comment_roles(apps, schema_editor):
    grant(apps, MODERATORS, MODERATOR_PERMISSIONS)
    grant(apps, EDITORS, EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("comments", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_comment_roles, migrations.RunPython.noop)]
