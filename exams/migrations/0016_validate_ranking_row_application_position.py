"""Check the existing ranking rows against 0015's composite foreign key (PostgreSQL).

Outside a transaction (VALIDATE CONSTRAINT takes a lock that lets the applications and the
rows be written meanwhile). A row whose position is not its application's stops the
migration and is named; validating a valid constraint again does nothing, so after fixing
the row, migrate simply runs again.
"""

from django.db import migrations

CONSTRAINT = "exam_rankrow_application_position_fk"


def validate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE exams_rankingrow VALIDATE CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("exams", "0015_ranking_row_application_position")]

    operations = [migrations.RunPython(validate, migrations.RunPython.noop)]
