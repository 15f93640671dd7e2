"""BackgroundJob moves from applicants to portal, keeping its table and rows.

State: the model as applicants last had it is created here without touching the database
(SeparateDatabaseAndState; applicants.0006 removes it from applicants' state). Database:
the announcement foreign key becomes a plain id (portal imports no recruitment), `kind`
widens to any registered kind, `queued_at` records when a worker was handed the job.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applicants", "0005_queue_index_with_id"),
        ("recruitment", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BackgroundJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20)),
                        ("status", models.CharField(choices=[("pending", "排队中"), ("running", "进行中"), ("done", "已完成"), ("failed", "失败")], default="pending", max_length=10)),
                        ("params", models.JSONField(blank=True, default=dict)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("done", models.PositiveIntegerField(default=0)),
                        ("result_file", models.FileField(blank=True, upload_to="exports/%Y/%m/")),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                        ("claim_token", models.UUIDField(blank=True, editable=False, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("announcement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="recruitment.announcement")),
                        ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "applicants_backgroundjob",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("done__lte", models.F("total"))), name="job_done_within_total")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The foreign key becomes a plain nullable id in the same column.
        migrations.AlterField(
            model_name="backgroundjob",
            name="announcement",
            field=models.BigIntegerField(blank=True, db_column="announcement_id", db_index=True, null=True),
        ),
        migrations.RenameField(model_name="backgroundjob", old_name="announcement", new_name="announcement_id"),
        migrations.AlterField(
            model_name="backgroundjob",
            name="announcement_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterField(model_name="backgroundjob", name="kind", field=models.CharField(max_length=40)),
        migrations.AddField(
            model_name="backgroundjob", name="queued_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AlterModelOptions(
            name="backgroundjob",
            options={"ordering": ["-created_at"], "verbose_name": "后台任务", "verbose_name_plural": "后台任务"},
        ),
        migrations.AddIndex(
            model_name="backgroundjob",
            index=models.Index(fields=["status", "created_at"], name="job_status_created_idx"),
        ),
    ]
