from django.db import migrations

from communique.accounts.roles import EDITORS, MODERATORS, grant


def let_staff_skip_the_captcha(apps, schema_editor):
    for group in (EDITORS, MODERATORS):
        grant(apps, group, [("captcha", "skip_captcha")])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("captcha", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(let_staff_skip_the_captcha, migrations.RunPython.noop)
    ]
