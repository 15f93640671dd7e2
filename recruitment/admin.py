"""Django admin for the superuser. Everyday work happens in the portal's own pages."""

from django.contrib import admin

from .models import (
    Announcement,
    AnnouncementAttachment,
    BonusCategory,
    Correction,
    Position,
    RecruitmentEvent,
    ReviewerAssignment,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["code", "name", "district", "street", "community", "quota", "original_quota", "status"]


class BonusCategoryInline(admin.TabularInline):
    model = BonusCategory
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = AnnouncementAttachment
    extra = 0


class ReviewerAssignmentInline(admin.TabularInline):
    model = ReviewerAssignment
    extra = 0
    fk_name = "announcement"
    raw_id_fields = ["reviewer", "assigned_by"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "status", "registration_opens_at", "registration_closes_at"]
    list_filter = ["status"]
    search_fields = ["title", "organiser"]
    date_hierarchy = "registration_opens_at"
    raw_id_fields = ["created_by"]
    inlines = [PositionInline, BonusCategoryInline, AttachmentInline, ReviewerAssignmentInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "announcement", "district", "quota", "status"]
    list_filter = ["status", "district"]
    search_fields = ["code", "name", "announcement__title"]
    list_select_related = ["announcement"]


@admin.register(RecruitmentEvent)
class RecruitmentEventAdmin(admin.ModelAdmin):
    list_display = ["at", "announcement", "position", "actor", "action", "from_value", "to_value"]
    list_filter = ["action"]
    list_select_related = ["announcement", "position", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["announcement", "reviewer", "assigned_by", "assigned_at"]
    raw_id_fields = ["reviewer", "assigned_by"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Read only: a correction is published once, through the portal's correction form."""

    list_display = ["published_at", "announcement", "kind", "title", "published_by", "notified_count"]
    list_filter = ["kind"]
    list_select_related = ["announcement", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
