"""Where an announcement stands in the exam app's later phases, for the administrator's
workbench (recruitment.hooks.register_phase, registered in ExamsConfig.ready()): a
shortlist (入围面试名单) → interviews (its interview groups) → a ranking (综合成绩), draft or
confirmed. Three grouped queries for all the announcements asked about. The written exam
itself is reported through recruitment.hooks.exam_schedules."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from recruitment import hooks

from .models_interview import InterviewGroup
from .models_ranking import RankingVersion
from .models_shortlist import Shortlist


def _url(name: str, pk: int, fallback: str = "") -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback or reverse("recruitment:manage_detail", args=[pk])


def phases_for(announcement_ids: list[int]) -> dict[int, hooks.Phase]:
    phases: dict[int, hooks.Phase] = {}
    for pk, published_at in Shortlist.objects.filter(announcement_id__in=announcement_ids).values_list(
        "announcement_id", "published_at"
    ):
        if published_at is None:
            phases[pk] = hooks.Phase(
                hooks.PHASE_SHORTLIST,
                _("确定面试入围名单"),
                _("核对并公布入围名单"),
                _url("exams:shortlist", pk),
            )
        else:
            phases[pk] = hooks.Phase(
                hooks.PHASE_SHORTLIST,
                _("面试入围名单已公布"),
                _("安排面试分组"),
                _url("exams:interview_groups", pk),
            )
    grouped = set(
        InterviewGroup.objects.filter(announcement_id__in=announcement_ids).values_list(
            "announcement_id", flat=True
        )
    )
    for pk in grouped:
        phases[pk] = hooks.Phase(
            hooks.PHASE_INTERVIEW, _("面试阶段"), _("跟进面试评分"), _url("exams:interview_groups", pk)
        )
    versions: dict[int, set[str]] = {}
    for pk, status in RankingVersion.objects.filter(announcement_id__in=announcement_ids).values_list(
        "announcement_id", "status"
    ):
        versions.setdefault(pk, set()).add(status)
    for pk, statuses in versions.items():
        ranking = _url("exams:ranking_versions", pk)
        if RankingVersion.Status.CONFIRMED in statuses:
            # The next step is hiring's (reversed by name: exams does not import hiring).
            phases[pk] = hooks.Phase(
                hooks.PHASE_RANKING,
                _("综合成绩已确认"),
                _("提出拟录用人员"),
                _url("hiring:announcement", pk, ranking),
            )
        else:
            phases[pk] = hooks.Phase(hooks.PHASE_RANKING, _("综合成绩排名"), _("核对并确认综合成绩"), ranking)
    return phases


def register() -> None:
    hooks.register_phase("exams", phases_for)
