from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .delivery import enqueue
from .forms import MessageTemplateForm
from .models import Delivery, MassNotice, MessageTemplate, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "event", "language", "created_at", "read_at"]
    list_filter = ["event", "language"]
    search_fields = ["subject", "recipient__email", "dedupe_key"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.action(description=_("重新发送"))
def resend(modeladmin, request, queryset):
    ids = list(queryset.exclude(status=Delivery.Status.SENT).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    enqueue(ids)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]
    actions = [resend]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm  # the same syntax check as the portal page
    list_display = ["event", "language", "subject", "updated_at"]
    list_filter = ["language"]


@admin.register(MassNotice)
class MassNoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "audience", "status", "sent", "total", "created_at"]
    raw_id_fields = ["author"]
