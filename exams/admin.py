from django.contrib import admin

from .models import Attendance, ExamPlan, ExamSession, PlanCorrection, ProctorAssignment, Room, Ticket, Venue
from .models_written import (
    BonusClaim,
    PositionPassLine,
    PositionResult,
    ScoreCorrection,
    ScoreEntry,
    ScoreReviewRequest,
    WrittenPartScore,
    WrittenResults,
    WrittenScore,
)


class SessionInline(admin.TabularInline):
    model = ExamSession
    extra = 0
    fields = ("subject", "starts_at", "ends_at", "full_marks")


class VenueInline(admin.TabularInline):
    model = Venue
    extra = 0


@admin.register(ExamPlan)
class ExamPlanAdmin(admin.ModelAdmin):
    list_display = ("announcement", "print_starts_at", "print_ends_at", "tickets_issued_at", "seating_seed")
    readonly_fields = ("seating_seed", "seated_count", "tickets_issued_at", "issued_by")
    inlines = [SessionInline, VenueInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("venue", "number", "capacity", "location", "ticket_venue_code", "ticket_room_code")
    list_select_related = ("venue",)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "announcement", "room", "seat", "first_printed_at", "print_count")
    search_fields = ("number",)
    list_select_related = ("announcement", "room__venue")
    raw_id_fields = ("application", "room")
    readonly_fields = ("issued_at",)


@admin.register(ProctorAssignment)
class ProctorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("venue", "proctor", "chief", "assigned_at")
    raw_id_fields = ("proctor", "assigned_by")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("ticket", "session", "status", "via", "late", "marked_at")
    list_filter = ("status", "via")
    raw_id_fields = ("ticket", "marked_by")


@admin.register(PlanCorrection)
class PlanCorrectionAdmin(admin.ModelAdmin):
    list_display = ("plan", "kind", "at", "actor", "notified")
    readonly_fields = ("plan", "actor", "kind", "target_id", "changes", "reason", "notified", "at")


# --- Written results (issue 16): read-mostly. Scores change only through
# exams.services.written (a correction with a reason, audited, the candidate told); the admin
# shows them and never adds, changes or deletes a final score, an entry or an audit row.


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete (the superuser inspects; services write)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartInline(admin.TabularInline):
    model = WrittenPartScore
    extra = 0
    fields = ("index", "name", "points", "full_marks")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WrittenScore)
class WrittenScoreAdmin(ReadOnlyAdmin):
    list_display = (
        "ticket",
        "position",
        "status",
        "raw",
        "bonus",
        "total",
        "passed",
        "rank",
        "version",
        "source",
    )
    list_filter = ("status", "source", "passed")
    search_fields = ("ticket__number",)
    list_select_related = ("ticket", "position")
    raw_id_fields = ("ticket", "announcement", "position", "entered_by")
    inlines = [PartInline]
    show_full_result_count = False


@admin.register(ScoreEntry)
class ScoreEntryAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "entry_no", "status", "raw", "entered_by", "entered_at")
    search_fields = ("ticket__number",)
    list_select_related = ("ticket", "entered_by")


@admin.register(ScoreCorrection)
class ScoreCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("score", "old_status", "old_raw", "new_status", "new_raw", "corrected_by", "corrected_at")
    search_fields = ("score__ticket__number", "reason")
    list_select_related = ("score__ticket", "corrected_by")


@admin.register(ScoreReviewRequest)
class ScoreReviewRequestAdmin(ReadOnlyAdmin):
    list_display = ("score", "requested_at", "outcome", "rechecked_raw", "answered_by", "answered_at")
    list_filter = ("outcome",)
    search_fields = ("score__ticket__number",)
    list_select_related = ("score__ticket", "answered_by")


@admin.register(WrittenResults)
class WrittenResultsAdmin(ReadOnlyAdmin):
    list_display = (
        "announcement",
        "version",
        "computed_version",
        "scheduled_for",
        "published_at",
        "notified_at",
    )
    list_select_related = ("announcement",)


@admin.register(PositionPassLine)
class PositionPassLineAdmin(ReadOnlyAdmin):
    list_display = ("position", "mode", "value", "set_by", "set_at")
    list_select_related = ("position", "set_by")


@admin.register(PositionResult)
class PositionResultAdmin(ReadOnlyAdmin):
    list_display = ("position", "announcement", "line", "sat", "computed_version")
    list_select_related = ("position", "announcement")


@admin.register(BonusClaim)
class BonusClaimAdmin(ReadOnlyAdmin):
    list_display = ("application", "category", "status", "reason", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
    list_select_related = ("application", "category", "reviewed_by")
    raw_id_fields = ("application", "proof")
