"""The outbox (Notification + one Delivery per external channel), editable message
templates and mass notices. Nothing here refers to another app except the user model."""

from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]


class EventField(models.CharField):
    """The event's CharField with Event's choices for forms and the admin, kept out of
    migrations: a new event (every later stage adds some) needs no schema migration."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("choices", Event.choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, "django.db.models.CharField", args, kwargs


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Notification(models.Model):
    """One message to one person. It *is* the in-site inbox entry, so it is delivered to
    the inbox the moment the caller's transaction commits."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("收件人"),
    )
    event = EventField(_("事件"))
    context = models.JSONField(_("内容数据"), default=dict, encoder=DjangoJSONEncoder)
    language = models.CharField(_("语言"), max_length=10, choices=LANGUAGES, default="zh-hans")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    # Unique: a caller that runs twice (a retried task, a double click) notifies once.
    dedupe_key = models.CharField(_("去重键"), max_length=150, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox list and the unread badge.
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notif_unread_idx"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("无联系方式")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通知")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # When the next attempt is due: the sweeper leaves alone what a retry will pick up.
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notif_delivery_once_per_channel"
            ),
        ]
        indexes = [
            # The sweeper: small, only unfinished rows.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notif_delivery_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.notification_id}/{self.channel}: {self.status}"


class MessageTemplate(models.Model):
    """The administrators' wording of one event in one language (wins over the defaults)."""

    event = EventField(_("事件"))
    language = models.CharField(_("语言"), max_length=10, choices=LANGUAGES)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="notif_template_per_language"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} ({self.language})"


# A mass notice still queued this long after it was sent off waits for the broker.
QUEUED_WAIT = timedelta(seconds=30)


class MassNotice(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("发送中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发送人")
    )
    audience = models.CharField(_("接收对象"), max_length=60)
    params = models.JSONField(_("接收对象参数"), default=dict, blank=True)
    # Who receives it, in words, as the sender confirmed it ("「…公告」审核通过的报考人员"):
    # kept with the notice, so lists and details read the same after the announcement changes.
    audience_text = models.CharField(_("接收对象说明"), max_length=300, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    channels = models.JSONField(_("渠道"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总人数"), default=0)
    sent = models.PositiveIntegerField(_("已处理"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群发通知")
        verbose_name_plural = _("群发通知")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(self.sent * 100 / self.total))

    @property
    def audience_words(self) -> str:
        """Who receives it, in words: as confirmed when sent, else the audience's label."""
        if self.audience_text:
            return self.audience_text
        from .audiences import UnknownAudience, get_audience

        try:
            return get_audience(self.audience).words(self.params or {})
        except UnknownAudience:
            return self.audience

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waiting_for_broker(self) -> bool:
        """Still queued well after it was sent off: no worker has it (the broker was down).
        The sweeper hands it over again once the broker is back (services.mass_notices_resume_stale)."""
        return self.status == self.Status.QUEUED and self.created_at < timezone.now() - QUEUED_WAIT
