from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exams"
    verbose_name = _("笔试")

    def ready(self):
        from applicants.panels import register_panel
        from applicants.transitions import stage_changed
        from portal.jobs import register_kind

        from .panels import ticket_panel
        from .services.tickets import JOB_KIND, JOB_LABEL, NOTICE_KIND, NOTICE_LABEL, on_stage_changed
        from .tasks import issue_tickets, ticket_notices

        register_kind(JOB_KIND, label=JOB_LABEL, task=issue_tickets)
        register_kind(NOTICE_KIND, label=NOTICE_LABEL, task=ticket_notices)
        from .services.tickets import RENDER_KIND, RENDER_LABEL
        from .tasks import ticket_pdfs

        register_kind(RENDER_KIND, label=RENDER_LABEL, task=ticket_pdfs)
        stage_changed.connect(on_stage_changed, dispatch_uid="exams.seat_late_approvals")
        register_panel("exams.ticket", render=ticket_panel, order=10)
        from .services.written import register as register_written_scores  # issue 16

        register_written_scores()
        from .services.ranking import register as register_ranking  # issue 17 (H17c)

        register_ranking()
        from .schedule import register as register_schedule  # the plan's times for recruitment

        register_schedule()
        from .panels_interview import interview_panel  # issue 17 (H17b): the interview notice

        register_panel("exams.interview", render=interview_panel, order=25)
        from recruitment.hooks import register_ranking_lock

        from .services.settings import settings_locked
        from .services.shortlist import register as register_shortlist  # issue 17 (H17a)

        register_shortlist()
        register_ranking_lock(settings_locked)
        from .phase import register as register_phase  # the workbench's announcement phase

        register_phase()
