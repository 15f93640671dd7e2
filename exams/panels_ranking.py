"""The ranking's panel on the applicant's application page (registered with applicants.panels
by exams.services.ranking.register): the applicant's interview score, composite, rank and what
comes next, once the administrator published the confirmed ranking. Nothing before."""

from django.template.loader import render_to_string

from .selectors import ranking as selectors

HIRING_STAGES = {"proposed", "public_notice", "hired", "failed_check", "declined"}


# Stages in which an application can have a row in a published ranking: no query for the
# others (the status page of every applicant renders this panel).
RANKED_STAGES = HIRING_STAGES | {"ranked", "disqualified"}


def ranking_panel(request, application) -> str:
    if application.stage not in RANKED_STAGES:
        return ""
    found = selectors.own_row(request.user, application)
    if found is None:
        return ""
    version, row = found
    return render_to_string(
        "exams/ranking/_panel.html",
        {"application": application, "version": version, "row": row, "next": next_step(row, application)},
        request=request,
    )


def next_step(row, application=None) -> str:
    """What comes next for the applicant, in plain words; nothing once hiring has taken the
    application on (its own panel says what comes next then)."""
    from django.utils.translation import gettext as _

    if application is not None and application.stage in HIRING_STAGES:
        return ""
    if row.proposed:
        return _("您已进入体检和考察环节，请留意后续通知，保持电话畅通。")
    if row.extra_test:
        return _("您与其他考生综合成绩及各项比较条件完全相同，将组织加试决定名次，请留意加试通知。")
    if not row.eligible:
        return _("您的成绩未达到合格线，不能进入体检和考察环节。")
    return _(
        "您暂未进入体检和考察环节。如有拟录用人员放弃或不合格，将按综合成绩从高到低依次递补，届时另行通知。"
    )
