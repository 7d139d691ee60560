from django.db import migrations, models


class Migration(migrations.Migration):
    """待受理 before 已受理 (the handler receives a 举报), the feedback encrypted like the finding
    (no 举报 existed with feedback yet), and the filing form's one-time token."""

    dependencies = [
        ("tipoffs", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="tipoff", name="feedback"),
        migrations.AddField(
            model_name="tipoff",
            name="feedback_enc",
            field=models.TextField(blank=True, verbose_name="反馈（密文）"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="form_token",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="tipoff",
            name="state",
            field=models.CharField(
                choices=[
                    ("submitted", "待受理"),
                    ("received", "已受理"),
                    ("investigating", "调查中"),
                    ("concluded", "已办结"),
                ],
                default="submitted",
                max_length=16,
                verbose_name="状态",
            ),
        ),
    ]
