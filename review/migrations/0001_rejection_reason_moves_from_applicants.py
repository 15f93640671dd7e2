"""RejectionReason moves from applicants to review, keeping its table and rows (state only;
applicants.0006 points Application.rejection_reason here and drops its own copy)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("applicants", "0005_queue_index_with_id")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RejectionReason",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="代码")),
                        ("label", models.CharField(max_length=100, verbose_name="原因")),
                        ("label_en", models.CharField(max_length=200, verbose_name="原因（英文）")),
                        ("active", models.BooleanField(default=True, verbose_name="启用")),
                        ("order", models.PositiveSmallIntegerField(default=100, verbose_name="排序")),
                    ],
                    options={
                        "db_table": "applicants_rejectionreason",
                        "verbose_name": "不通过原因",
                        "verbose_name_plural": "不通过原因",
                        "ordering": ["order", "pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
