"""The catalogue of rejection reasons (不通过原因), so every database and test has it."""

from django.db import migrations

REASONS = [
    ("age", "年龄不符合", "Age does not meet the requirement", 10),
    ("education", "学历不符合", "Education does not meet the requirement", 20),
    ("major", "专业不符合", "Major does not meet the requirement", 30),
    ("household", "户籍不符合", "Household registration does not meet the requirement", 40),
    ("political", "政治面貌不符合", "Political status does not meet the requirement", 50),
    ("experience", "工作经历不符合", "Work experience does not meet the requirement", 60),
    ("documents", "材料不全或不清晰", "Documents incomplete or illegible", 70),
    ("other", "其他", "Other", 900),
]


def add_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("applicants", "RejectionReason")
    for code, label, label_en, order in REASONS:
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label": label, "label_en": label_en, "order": order}
        )


def remove_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("applicants", "RejectionReason")
    RejectionReason.objects.filter(code__in=[code for code, *_ in REASONS], application__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("applicants", "0001_initial")]

    operations = [migrations.RunPython(add_reasons, remove_reasons)]
