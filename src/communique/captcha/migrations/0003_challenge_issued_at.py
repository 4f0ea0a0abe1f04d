import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("captcha", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="issued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
