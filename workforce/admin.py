from django.contrib import admin

from .models import (
    Assessment,
    AssessmentRound,
    GradeChange,
    SideJob,
    TrainingProgramme,
    TrainingSession,
    UnitManagerAssignment,
    Worker,
    WorkerEvent,
    WorkforceSettings,
)


@admin.register(WorkforceSettings)
class WorkforceSettingsAdmin(admin.ModelAdmin):
    """The city's rules after hire (grade ranges, 优秀 share, pay table, training hours,
    side-job limits, duty hours): one row, edited by the superuser."""


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "post", "grade", "status", "start_date")
    list_filter = ("status", "post")
    search_fields = ("name",)
    raw_id_fields = ("user", "application", "unit")


@admin.register(WorkerEvent)
class WorkerEventAdmin(admin.ModelAdmin):
    list_display = ("worker", "action", "actor", "at")
    raw_id_fields = ("worker", "actor")

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([AssessmentRound, Assessment, GradeChange, SideJob, TrainingProgramme, TrainingSession])
admin.site.register(UnitManagerAssignment, raw_id_fields=("manager", "unit", "assigned_by"))
