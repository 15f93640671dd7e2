"""The written score's panel on the applicant's application page (registered with
applicants.panels by exams.services.written.register): the published score, or a link to
claim bonus points while that is still open. Nothing before publication."""

from django.template.loader import render_to_string

from applicants.models import Stage

from .selectors import written as selectors
from .services.bonus import can_claim

SCORE_STAGES = {
    Stage.WRITTEN_SCORED,
    Stage.ABSENT,
    Stage.DISQUALIFIED,
    Stage.SHORTLISTED,
    Stage.NOT_SHORTLISTED,
}


def score_panel(request, application) -> str:
    if application.stage in SCORE_STAGES:
        view = selectors.own_score(request.user, application)
        if view is None:
            return ""
        return render_to_string(
            "exams/written/_panel.html", {"application": application, "view": view}, request=request
        )
    if can_claim(application) and selectors.bonus_categories(application.announcement_id):
        return render_to_string(
            "exams/written/_bonus_panel.html", {"application": application}, request=request
        )
    return ""
