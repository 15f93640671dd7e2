from django.contrib import admin

from .models import Attendance, ExamPlan, ExamSession, PlanCorrection, ProctorAssignment, Room, Ticket, Venue


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
