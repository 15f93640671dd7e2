"""Demo accounts: one per role. Idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from .models import User
from .roles import Role

DEMO_PASSWORD = "Demo@2026pass"

DEMO_ACCOUNTS = [
    # email, phone, name, role, is_superuser
    ("admin@demo.cn", "13800000001", "王管理", Role.ADMINISTRATOR, False),
    ("reviewer@demo.cn", "13800000002", "李审核", Role.REVIEWER, False),
    ("examiner@demo.cn", "13800000003", "赵考官", Role.EXAMINER, False),
    ("applicant@demo.cn", "13800000004", "张报考", Role.APPLICANT, False),
    ("root@demo.cn", "13800000000", "系统超级用户", Role.ADMINISTRATOR, True),
]


def ensure_user(email, *, phone=None, name="", role=None, password=DEMO_PASSWORD, is_superuser=False):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "phone": phone,
            "phone_verified": bool(phone),
            "name": name,
            "is_superuser": is_superuser,
            "is_staff": is_superuser,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(stdout):
    for email, phone, name, role, is_superuser in DEMO_ACCOUNTS:
        ensure_user(email, phone=phone, name=name, role=role, is_superuser=is_superuser)
    stdout.write(f"accounts: {len(DEMO_ACCOUNTS)} demo accounts (password {DEMO_PASSWORD})")
