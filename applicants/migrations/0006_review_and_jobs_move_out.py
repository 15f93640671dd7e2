"""The review console moved to its own app and the background-job record down to portal:
their models leave applicants' state (tables and rows stay, now owned by review.0001 and
portal.0001); Application.rejection_reason points to review.RejectionReason, the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0005_queue_index_with_id"),
        ("review", "0001_rejection_reason_moves_from_applicants"),
        ("portal", "0001_background_job_moves_from_applicants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="application",
                    name="rejection_reason",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="review.rejectionreason",
                        verbose_name="不通过原因",
                    ),
                ),
                migrations.DeleteModel(name="RejectionReason"),
                migrations.DeleteModel(name="BackgroundJob"),
            ],
            database_operations=[],
        ),
    ]
