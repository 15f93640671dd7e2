from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = _("资格审核")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from applicants.transitions import stage_changed
        from portal.jobs import register_kind

        from .audiences import register
        from .models import RejectionReason, ReviewJob
        from .selectors import on_stage_changed, rejection_reasons_changed
        from .tasks import bulk_approve, export_applications

        stage_changed.connect(on_stage_changed, dispatch_uid="review.stage_counters")
        for signal in (post_save, post_delete):
            signal.connect(rejection_reasons_changed, sender=RejectionReason, dispatch_uid="review.reasons")
        register_kind(ReviewJob.BULK_APPROVE, label=ReviewJob.BULK_APPROVE.label, task=bulk_approve)
        register_kind(ReviewJob.EXPORT, label=ReviewJob.EXPORT.label, task=export_applications)
        register()
