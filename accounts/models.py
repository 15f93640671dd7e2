from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import role_cache
from .roles import Role
from .validators import normalize_phone, validate_mainland_mobile


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """QuerySet.get, with one lookup made cheap: `get(pk=…)` on the default database, which
        Django's ModelBackend.get_user makes on every signed-in request. Building that query
        cost more than running it (0.18 of the user's 0.21 ms, the largest part of a cached
        page's own work on results day, issue 16): its SQL and converters are compiled once
        per database and reused; the row becomes a User as the ORM makes it (Model.from_db),
        so the backend's checks and the session hash verification see the same object.
        Anything else, and any pk that is not a clean value, goes to QuerySet.get."""
        if args or self._db is not None or self._hints or kwargs.keys() != {"pk"}:
            return super().get(*args, **kwargs)
        try:
            value = self.model._meta.pk.to_python(kwargs["pk"])
        except ValidationError:
            value = None
        if value is None:
            return super().get(*args, **kwargs)  # its own error, exactly
        db = router.db_for_read(self.model)
        compiled = self._pk_lookups.get(db) or self._compile_pk_lookup(db)
        if compiled is None:
            return super().get(*args, **kwargs)
        sql, names, converters, compiler = compiled
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [value])
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        if not rows:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return self.model.from_db(db, names, rows[0])

    @cached_property
    def _pk_lookups(self) -> dict:
        return {}

    def _compile_pk_lookup(self, db):
        """(sql, field names, converters, compiler) of `get(pk=…)` on `db`, or None when the
        query does not have the one parameter it should (then QuerySet.get answers)."""
        compiler = self.get_queryset().filter(pk=0).query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if list(params) != [0]:
            return None
        expressions = [column for column, _sql, _alias in compiler.select]
        names = [getattr(expression, "target", None) for expression in expressions]
        if any(target is None for target in names):
            return None
        compiled = (sql, [t.attname for t in names], compiler.get_converters(expressions), compiler)
        self._pk_lookups[db] = compiled
        return compiled

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: applicant or staff. Logs in with phone number or e-mail."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("电子邮箱"), unique=True)
    phone = models.CharField(
        _("手机号码"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mainland_mobile],
    )
    phone_verified = models.BooleanField(_("手机号已验证"), default=False)
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    # 《个人信息保护法》: which version of the personal-information notice the person agreed
    # to at sign-up, and when (accounts.privacy). Empty for staff created by administrators.
    privacy_notice_version = models.CharField(_("个人信息处理告知书版本"), max_length=20, blank=True)
    privacy_consented_at = models.DateTimeField(_("同意告知书的时间"), null=True, blank=True)
    # Set when applicants.retention removed the person's personal data (the account is kept
    # as an empty, inactive row so that counts and application history stay).
    personal_data_removed_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)
    language = models.CharField(
        _("通知语言"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    # Temporary staff (exam-day proctors, external examiners): usable up to and including
    # this day (Asia/Shanghai); refused at login and on every request after it
    # (accounts.staff_expiry). Empty: no end.
    expires_on = models.DateField(_("账号有效期至"), null=True, blank=True)
    # An account an administrator created with an initial password: the person must choose
    # their own before anything else (accounts.password_change); cleared when they do.
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            # One spelling per number (ASCII digits, no +86, no spaces): the unique index
            # above then means one phone, one account, whatever was typed ("１３８…").
            models.CheckConstraint(
                condition=models.Q(phone__isnull=True) | models.Q(phone__regex=r"^1[3-9][0-9]{9}$"),
                name="accounts_user_phone_ascii_mainland",
            ),
        ]
        permissions = [
            ("apply_to_positions", "Can apply to positions"),
            ("review_applications", "Can review applications of assigned announcements"),
            ("score_interviews", "Can score interviews of own panels"),
            ("manage_recruitment", "Can publish announcements and manage recruitment"),
            ("manage_staff", "Can manage staff accounts"),
            ("export_full_id_numbers", "Can export unmasked ID numbers"),
        ]

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.phone = normalize_phone(self.phone) or None
        super().save(*args, **kwargs)

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Names of the user's role groups, read once per request (from the cache)."""
        if not self.is_active or self.is_expired:
            return frozenset()
        names = set(role_cache.group_names(self))
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names)

    @property
    def is_expired(self) -> bool:
        """True from the day after `expires_on` (the portal's local date)."""
        if self.expires_on is None:
            return False
        from django.utils import timezone

        return timezone.localdate() > self.expires_on

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_applicant(self) -> bool:
        return self.has_role(Role.APPLICANT)

    @property
    def is_reviewer(self) -> bool:
        return self.has_role(Role.REVIEWER)

    @property
    def is_examiner(self) -> bool:
        return self.has_role(Role.EXAMINER)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)


class StaffAccountEvent(models.Model):
    """One change to a staff account made on the portal's staff pages
    (accounts.staff_services): who, when, what, from → to, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建账号")
        DEACTIVATED = "deactivated", _("停用账号")
        REACTIVATED = "reactivated", _("启用账号")
        ROLE_GRANTED = "role_granted", _("授予角色")
        ROLE_REVOKED = "role_revoked", _("撤销角色")
        EXPIRY_CHANGED = "expiry_changed", _("修改有效期")

    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_events", verbose_name=_("账号")
    )
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_value = models.CharField(_("原值"), max_length=100, blank=True)
    to_value = models.CharField(_("新值"), max_length=100, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作人员账号变更记录")
        verbose_name_plural = _("工作人员账号变更记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account", "-at"])]

    def __str__(self):
        return f"{self.account_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
