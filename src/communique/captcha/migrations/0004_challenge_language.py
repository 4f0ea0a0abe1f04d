from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("captcha", "0003_challenge_issued_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="language",
            field=models.CharField(default="en", max_length=8),
        ),
    ]
