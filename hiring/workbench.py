"""Hiring's part of the administrator's workbench (portal.workbench, recruitment.hooks).

- ``hiring_rows(ids)``: per announcement with proposals, how many are in 公示 now, how many
  hires are ready to confirm (公示 over, medical and background passed, no objection being
  checked), how many checks are still to record, and how many are hired. Four grouped
  queries for all announcements, whatever the number of proposals.
- The phase each such announcement is in (``phases_for``, registered with
  recruitment.hooks.register_phase in HiringConfig.ready()): hiring outranks the exam phases.
- The block ``administrator-hiring``: those counts with links to each announcement's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from portal.workbench import Block, register
from recruitment import hooks

from .models import BackgroundCheck, CheckResult, MedicalCheck, Objection, Proposal
from .services.common import today


@dataclass
class HiringRow:
    pk: int
    title: str
    active: int = 0  # proposals still proposed (拟录用)
    in_notice: int = 0  # in a 公示 running today
    awaiting_notice: int = 0  # not in a 公示 yet
    ready: int = 0  # may be hired now
    checks_to_record: int = 0  # a medical or background check without a passing result
    objections: int = 0  # objections being checked
    hired: int = 0

    @property
    def url(self) -> str:
        return reverse("hiring:announcement", args=[self.pk])


def hiring_rows(announcement_ids=None) -> list[HiringRow]:
    """The announcements with proposals (all, or those of `announcement_ids`), newest first."""
    on = today()
    proposals = Proposal.objects.filter(status__in=[Proposal.Status.ACTIVE, Proposal.Status.HIRED])
    if announcement_ids is not None:
        proposals = proposals.filter(announcement_id__in=announcement_ids)
    proposals = list(
        proposals.values_list(
            "pk", "announcement_id", "announcement__title", "status", "notice__starts_on", "notice__ends_on"
        )
    )
    active_ids = [row[0] for row in proposals if row[3] == Proposal.Status.ACTIVE]
    latest_medical: dict[int, tuple[int, str]] = {}
    background: dict[int, str] = {}
    objected: set[int] = set()
    if active_ids:
        for pid, attempt, result in MedicalCheck.objects.filter(proposal_id__in=active_ids).values_list(
            "proposal_id", "attempt", "result"
        ):
            if pid not in latest_medical or attempt > latest_medical[pid][0]:
                latest_medical[pid] = (attempt, result)
        background = dict(
            BackgroundCheck.objects.filter(proposal_id__in=active_ids).values_list("proposal_id", "result")
        )
        objected = set(
            Objection.objects.filter(
                proposal_id__in=active_ids, outcome=Objection.Outcome.PENDING
            ).values_list("proposal_id", flat=True)
        )
    rows: dict[int, HiringRow] = {}
    for pk, announcement_id, title, status, starts_on, ends_on in proposals:
        row = rows.setdefault(announcement_id, HiringRow(pk=announcement_id, title=title))
        if status == Proposal.Status.HIRED:
            row.hired += 1
            continue
        row.active += 1
        medical_ok = latest_medical.get(pk, (0, ""))[1] == CheckResult.PASSED
        background_ok = background.get(pk) == CheckResult.PASSED
        if not medical_ok or not background_ok:
            row.checks_to_record += 1
        if pk in objected:
            row.objections += 1
        if ends_on is None:
            row.awaiting_notice += 1
        elif starts_on <= on <= ends_on:
            row.in_notice += 1
        elif on > ends_on and medical_ok and background_ok and pk not in objected:
            row.ready += 1
    return sorted(rows.values(), key=lambda row: -row.pk)


def phase_of(row: HiringRow) -> hooks.Phase:
    """The announcement's phase from its hiring counts."""
    if not row.active:
        return hooks.Phase(
            hooks.PHASE_DONE,
            _("录用已完成"),
            _("结束公告"),
            reverse("recruitment:manage_detail", args=[row.pk]),
        )
    if row.in_notice:
        stage = _("公示中")
    elif row.awaiting_notice:
        stage = _("拟录用")
    else:
        stage = _("公示期满")
    if row.ready:
        action = _("确认录用")
    elif row.objections:
        action = _("核查公示异议")
    elif row.checks_to_record:
        action = _("录入体检和考察结论")
    elif row.awaiting_notice:
        action = _("发布公示")
    else:
        action = _("查看录用进度")
    return hooks.Phase(hooks.PHASE_HIRING, stage, action, row.url)


def phases_for(announcement_ids: list[int]) -> dict[int, hooks.Phase]:
    return {row.pk: phase_of(row) for row in hiring_rows(announcement_ids)}


def register_phase() -> None:
    hooks.register_phase("hiring", phases_for)


def administrator_hiring(user) -> dict:
    """{"rows": [HiringRow…]}: the announcements with proposals still to finish."""
    return {"rows": [row for row in hiring_rows() if row.active]}


register(
    Block(
        key="administrator-hiring",
        title=gettext_lazy("录用进度"),
        roles=(Role.ADMINISTRATOR,),
        template="hiring/workbench_admin.html",
        context=administrator_hiring,
        order=25,
        icon="person-check",
    )
)
