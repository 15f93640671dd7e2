"""The hiring panel of the applicant's application page (registered with applicants.panels
in HiringConfig.ready): where they stand, what to bring and when to report."""

from django.template.loader import render_to_string

from applicants.models import Stage

from . import selectors

STAGES = {
    Stage.PROPOSED,
    Stage.PUBLIC_NOTICE,
    Stage.HIRED,
    Stage.FAILED_CHECK,
    Stage.DECLINED,
    Stage.DISQUALIFIED,
    Stage.RANKED,
}


def hiring_panel(request, application) -> str:
    if application.stage not in STAGES:
        return ""
    standing = selectors.standing(request.user, application)
    if standing is None:
        return ""
    return render_to_string("hiring/_panel.html", {"s": standing}, request=request)
