"""Phone numbers in one spelling (ASCII digits, no +86, no separators), then a check
constraint so that the unique index means one phone, one account.

Rows saved before normalisation may hold "１３８…" (full-width) beside the real "138…" of
another account. Each is normalised; where that collides with another account's number, or
is not a mainland mobile number, the phone is cleared (the account keeps its e-mail login
and can add the number again after verification) and the row is logged."""

import logging

from django.db import migrations, models

logger = logging.getLogger(__name__)


def forwards(apps, schema_editor):
    from accounts.validators import MAINLAND_MOBILE, normalize_phone

    User = apps.get_model("accounts", "User")  # noqa: N806
    taken = set(User.objects.exclude(phone__isnull=True).values_list("phone", flat=True))
    for user in User.objects.exclude(phone__isnull=True).order_by("pk"):
        normal = normalize_phone(user.phone)
        if normal == user.phone and MAINLAND_MOBILE.match(normal):
            continue
        if not MAINLAND_MOBILE.match(normal) or normal in taken:
            logger.warning(
                "accounts: user %s phone %r cleared (invalid or another account's)", user.pk, user.phone
            )
            user.phone, user.phone_verified = None, False
        else:
            taken.add(normal)
            user.phone = normal
        User.objects.filter(pk=user.pk).update(phone=user.phone, phone_verified=user.phone_verified)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_staff_accounts")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("phone__isnull", True), ("phone__regex", "^1[3-9][0-9]{9}$"), _connector="OR"
                ),
                name="accounts_user_phone_ascii_mainland",
            ),
        ),
    ]
