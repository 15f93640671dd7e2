"""ID numbers in one spelling (applicants.id_numbers.normalize: NFKC, separators dropped,
x upper-cased; any other Unicode decimal digit read as its ASCII digit), then check
constraints, so that the unique index means one ID number, one account.

Before this, "2103021996081813５6" (one full-width digit) was saved beside the real
"210302199608181356" of another account. Such a pair cannot be settled by a program (which
account is the person's?): the migration stops and names the profiles, to be resolved by an
administrator (correct or delete the wrong profile in Django admin), then run again. The
copies of the number in submitted applications' snapshots are normalised too (the review
console compares them with the profile before approving)."""

import unicodedata

from django.db import migrations, models
from django.db.models.functions import Length


def _normal(value):
    from applicants.id_numbers import normalize

    text = normalize(value)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def forwards(apps, schema_editor):
    from applicants.id_numbers import is_canonical

    Profile = apps.get_model("applicants", "ApplicantProfile")  # noqa: N806
    Application = apps.get_model("applicants", "Application")  # noqa: N806
    owners = dict(Profile.objects.values_list("id_number", "pk"))
    changes, conflicts = [], []
    for pk, number in Profile.objects.order_by("pk").values_list("pk", "id_number"):
        if is_canonical(number):
            continue
        normal = _normal(number)
        if not is_canonical(normal):
            conflicts.append(f"profile {pk}: {number!r} is not an ID number")
        elif owners.get(normal, pk) != pk:
            conflicts.append(f"profile {pk}: {number!r} is profile {owners[normal]}'s {normal}")
        else:
            owners[normal] = pk
            changes.append((pk, normal))
    if conflicts:
        raise RuntimeError(
            "applicants.0008: resolve these ID numbers by hand, then migrate again:\n  "
            + "\n  ".join(conflicts)
        )
    for pk, normal in changes:
        Profile.objects.filter(pk=pk).update(id_number=normal)
    for application in Application.objects.exclude(snapshot={}).only("pk", "snapshot").iterator():
        snapshot = application.snapshot
        number = snapshot.get("id_number") if isinstance(snapshot, dict) else None
        if isinstance(number, str) and not is_canonical(number):
            snapshot["id_number"] = _normal(number)
            Application.objects.filter(pk=application.pk).update(snapshot=snapshot)


class Migration(migrations.Migration):
    dependencies = [("applicants", "0007_id_number_checked_on_the_field")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="applicantprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(("id_number__regex", "^[0-9]{17}[0-9X]$")),
                name="profile_id_number_canonical",
            ),
        ),
        migrations.AddConstraint(
            model_name="applicantprofile",
            constraint=models.CheckConstraint(
                condition=models.lookups.Exact(Length("id_number"), 18),
                name="profile_id_number_length_18",
            ),
        ),
    ]
