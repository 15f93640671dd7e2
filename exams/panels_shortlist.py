"""The shortlist's panel on the applicant's application page (registered with
applicants.panels by exams.services.shortlist.register): whether they are shortlisted,
the confirmation button and its deadline, the document re-check, and what to bring.
Nothing before the list is published."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Stage

from .rules import ranking_settings_of
from .selectors import shortlist as selectors

SHOWN_STAGES = {
    Stage.SHORTLISTED,
    Stage.NOT_SHORTLISTED,
    Stage.DECLINED,
    Stage.FAILED_CHECK,
    Stage.DISQUALIFIED,
}

# 资格复审须携带的材料 (the usual list of 社区工作者 announcements).
WHAT_TO_BRING = (
    _("本人有效居民身份证原件"),
    _("笔试准考证"),
    _("学历（学位）证书原件；国（境）外学历须提供教育部留学服务中心认证材料"),
    _("报名时上传的各项证明材料原件（工作经历、职业资格证书、加分证明等）"),
    _("近期一寸免冠照片两张"),
)


def panel_context(user, application) -> dict | None:
    entry = selectors.own_entry(user, application)
    if entry is None:
        return None
    settings_row = ranking_settings_of(application.announcement)
    deadline = settings_row.confirm_deadline if settings_row else None
    return {
        "application": application,
        "entry": entry,
        "deadline": deadline,
        "deadline_passed": bool(deadline and timezone.now() > deadline),
        "gives_up_if_unconfirmed": bool(settings_row and settings_row.unconfirmed_gives_up),
        "what_to_bring": WHAT_TO_BRING,
    }


def shortlist_panel(request, application) -> str:
    if application.stage not in SHOWN_STAGES:
        return ""
    context = panel_context(request.user, application)
    if context is None:
        return ""
    return render_to_string("exams/shortlist/_panel.html", context, request=request)
