"""The interview's panel on the applicant's application page (registered with
applicants.panels by exams.apps): the published group's date, time, report-by time, place
and what to bring; afterwards present or absent."""

from django.template.loader import render_to_string

from applicants.models import Stage

from .selectors import interview as selectors

SHOWN_STAGES = {Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.ABSENT}


def interview_panel(request, application) -> str:
    if application.stage not in SHOWN_STAGES:
        return ""
    slot = selectors.notice_of(application)
    if slot is None:
        return ""
    return render_to_string(
        "exams/interview/_application_panel.html",
        {"application": application, "slot": slot, "group": slot.group},
        request=request,
    )
