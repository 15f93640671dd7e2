"""Proposed hires (拟录用) and the backfill chain (递补): one service per change, each in a
transaction under the position's lock, with the stage moved through applicants.transitions,
an audit record and the applicant notified in the same transaction.

Who is proposed comes from the confirmed ranking (exams.selectors.ranking) and, for a
backfill, from exams.scoring.backfill through hiring.chain; nothing here ranks anybody.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application, Stage
from applicants.transitions import StaleApplication, transition, transition_many
from exams import scoring
from exams.selectors import ranking as ranking_selectors
from exams.services import extra_test as extra_tests
from notifications.events import Event
from notifications.services import notify
from portal import audit

from .. import chain
from ..models import Proposal
from .common import Conflict, lock_position, ranking_settings, tell, today

RANKED_STAGES = (Stage.RANKED, Stage.INTERVIEWED)  # RANKED once exams confirms; INTERVIEWED tolerated
IN_PLAY = (Proposal.Status.ACTIVE, Proposal.Status.PENDING_TIE)
HOLDING = (Proposal.Status.ACTIVE, Proposal.Status.HIRED)

STAGE_AFTER = {
    Proposal.Event.MEDICAL_FAIL: Stage.FAILED_CHECK,
    Proposal.Event.BACKGROUND_FAIL: Stage.FAILED_CHECK,
    Proposal.Event.OBJECTION_UPHELD: Stage.FAILED_CHECK,
    Proposal.Event.GAVE_UP: Stage.DECLINED,
    Proposal.Event.WITHDREW_AFTER_NOTICE: Stage.DECLINED,
    Proposal.Event.DISQUALIFIED: Stage.DISQUALIFIED,
}
PROPOSAL_STAGES = (Stage.PROPOSED, Stage.PUBLIC_NOTICE)


def confirmed_ranking(announcement, position):
    """(version, exams.scoring.Ranking, {key: Row}) of the position in the confirmed ranking.
    Raises ValidationError when no ranking is confirmed."""
    version = ranking_selectors.confirmed_version(announcement)
    if version is None:
        raise ValidationError(_("该公告的综合成绩排名尚未确认，不能确定拟录用人员。"))
    ranking = ranking_selectors.position_ranking(version, position)
    return version, ranking, {row.key: row for row in ranking.rows}


def rules_of(version) -> scoring.Rules:
    return ranking_selectors.rules_of(version)


def _next_steps() -> str:
    return _("请保持电话畅通，留意体检和考察的时间、地点通知。")


def _notify_proposed(application: Application, proposal: Proposal) -> None:
    notify(
        recipient=application.applicant,
        event=Event.PROPOSED,
        context={
            "announcement_title": application.announcement.title,
            "position_name": application.position.name,
            "url": reverse("applicants:application", args=[application.pk]),
            "next_steps": _next_steps(),
        },
        dedupe_key=f"hiring_proposed:{proposal.pk}",
    )


def _create(*, announcement, position, version, row, status, actor, tie_places=0, replaces=None) -> Proposal:
    if not row.eligible:  # scoring never offers one; the database row must not exist either
        raise ValidationError(_("面试成绩未达合格线的考生不能被确定为拟录用人员。"))
    existing = Proposal.objects.filter(application_id=int(row.key)).first()
    source = Proposal.Source.BACKFILL if replaces else Proposal.Source.RANKING
    if existing is not None:
        if existing.status != Proposal.Status.LOST_TIE:  # removed or already in: never again
            raise Conflict()
        Proposal.objects.filter(pk=existing.pk).update(
            status=status,
            tie_places=tie_places,
            source=source,
            replaces=replaces,
            version=existing.version + 1,
        )
        existing.refresh_from_db()
        return existing
    return Proposal.objects.create(
        announcement=announcement,
        position=position,
        application_id=int(row.key),
        ranking_version_pk=version.pk,
        rank=row.rank,
        composite=row.composite,
        status=status,
        source=source,
        replaces=replaces,
        tie_places=tie_places,
        proposed_by=actor,
    )


def _move_to_proposed(proposals: list[Proposal], actor, reason: str) -> None:
    ids = [p.application_id for p in proposals if p.status == Proposal.Status.ACTIVE]
    if not ids:
        return
    moved = transition_many(
        ids, to_stage=Stage.PROPOSED, actor=actor, from_stages=RANKED_STAGES, reason=reason
    )
    if len(moved) != len(ids):
        raise Conflict(_("有考生的状态已变化（不在“已排名”），请刷新后核对。"))
    applications = Application.objects.select_related("applicant", "announcement", "position").in_bulk(ids)
    for proposal in proposals:
        if proposal.status == Proposal.Status.ACTIVE:
            _notify_proposed(applications[proposal.application_id], proposal)


def propose_position(*, announcement, position, actor) -> list[Proposal]:
    """The proposed hires of one position from the confirmed ranking (Ranking.proposed); a
    group of equals straddling the last post (Ranking.extra_test) waits for a 加试 holding the
    posts left. Refused without a confirmed ranking, or when the position already has them."""
    if position.announcement_id != announcement.pk:
        raise ValidationError(_("岗位不属于该公告。"))
    version, ranking, rows = confirmed_ranking(announcement, position)
    with transaction.atomic():
        lock_position(position.pk)
        if Proposal.objects.filter(position=position).exists():
            raise Conflict(_("该岗位的拟录用人员已经确定，不能重复确定。"))
        if not ranking.proposed and not ranking.extra_test:
            raise ValidationError(_("该岗位没有达到面试合格线的考生，无人可确定为拟录用人员。"))
        places = ranking.quota - len(ranking.proposed)
        made = []
        try:
            with transaction.atomic():
                for key in ranking.proposed:
                    made.append(
                        _create(
                            announcement=announcement,
                            position=position,
                            version=version,
                            row=rows[key],
                            status=Proposal.Status.ACTIVE,
                            actor=actor,
                        )
                    )
                for key in ranking.extra_test:
                    made.append(
                        _create(
                            announcement=announcement,
                            position=position,
                            version=version,
                            row=rows[key],
                            status=Proposal.Status.PENDING_TIE,
                            tie_places=places,
                            actor=actor,
                        )
                    )
        except IntegrityError:
            raise Conflict()
        _move_to_proposed(made, actor, _("按确认的综合成绩排名确定为拟录用人员"))
        for proposal in made:
            audit.record(actor, proposal, audit.ADDITION, note=proposal.get_status_display())
    return made


def propose_announcement(*, announcement, actor) -> tuple[int, list[str]]:
    """propose_position for every position of the announcement that has none yet. Returns
    (candidates proposed, messages of the positions skipped)."""
    version = ranking_selectors.confirmed_version(announcement)
    if version is None:
        raise ValidationError(_("该公告的综合成绩排名尚未确认，不能确定拟录用人员。"))
    done = set(Proposal.objects.filter(announcement=announcement).values_list("position_id", flat=True))
    count, skipped = 0, []
    for position in announcement.positions.filter(pk__in=[int(k) for k in version.quotas]).order_by(
        "code", "pk"
    ):
        if position.pk in done:
            continue
        try:
            count += len(propose_position(announcement=announcement, position=position, actor=actor))
        except ValidationError as error:
            skipped.append(f"{position.name}：{'；'.join(error.messages)}")
    return count, skipped


def record_extra_test(
    *, position, scores: dict[int, Decimal], actor
) -> tuple[list[Proposal], list[Proposal], list[Proposal]]:
    """The 加试 of the equals waiting at the last post(s) of `position` (after the proposal of
    the position or a backfill, 递补): `scores` maps each waiting proposal's id to its score
    (0–100, at most 2 decimals). The scores are kept where every 加试 score is, in
    exams.ExtraTestResult (exams.services.extra_test.extra_test_record_group, so a later ranking
    run reads the same score), and exams.scoring.extra_test_decide decides: the highest take
    the places the group holds and are proposed; those below stay ranked (LOST_TIE, first in
    line for a backfill); those still equal across the last place stay waiting, holding the
    places left, for another 加试. Each told of the outcome. Returns (won, lost, still tied).
    Raises PermissionDenied for a non-administrator, ValidationError for a missing or bad
    score, Conflict when nobody waits."""
    with transaction.atomic():
        lock_position(position.pk)
        waiting = list(
            Proposal.objects.select_for_update()
            .filter(position=position, status=Proposal.Status.PENDING_TIE)
            .order_by("pk")
        )
        if not waiting:
            raise Conflict(_("该岗位没有等待加试的考生。"))
        if set(scores) != {p.pk for p in waiting}:
            raise ValidationError(_("请为每一位并列考生填写加试成绩。"))
        version = ranking_selectors.confirmed_version(position.announcement_id)
        if version is None:
            raise ValidationError(_("该公告的综合成绩排名尚未确认，不能确定拟录用人员。"))
        places = max(p.tie_places for p in waiting)
        recorded, decision = extra_tests.extra_test_record_group(
            version=version,
            actor=actor,
            scores={p.application_id: scores[p.pk] for p in waiting},
            places=places,
            why=_("录用阶段并列考生加试（%(position)s）") % {"position": position.name},
        )
        outcome = dict.fromkeys(decision.winners, Proposal.Status.ACTIVE)
        outcome.update(dict.fromkeys(decision.others, Proposal.Status.LOST_TIE))
        won, lost, tied = [], [], []
        for proposal in waiting:
            status = outcome.get(str(proposal.application_id), Proposal.Status.PENDING_TIE)
            proposal.status = status
            proposal.tie_places = decision.places_left if status == Proposal.Status.PENDING_TIE else 0
            proposal.version += 1
            proposal.save(update_fields=["status", "tie_places", "version"])
            audit.record(
                actor,
                proposal,
                audit.CHANGE,
                fields=["status", "tie_places"],
                note=_("加试成绩 %(score)s：%(outcome)s")
                % {"score": recorded[proposal.application_id], "outcome": proposal.get_status_display()},
            )
            {Proposal.Status.ACTIVE: won, Proposal.Status.LOST_TIE: lost}.get(status, tied).append(proposal)
        _move_to_proposed(won, actor, _("加试胜出，确定为拟录用人员"))
        applications = Application.objects.select_related("applicant", "announcement", "position").in_bulk(
            [p.application_id for p in lost + tied]
        )
        for proposal in lost:
            application = applications[proposal.application_id]
            tell(
                application,
                subject=_("加试结果：%(position)s") % {"position": application.position.name},
                body=_("您的加试成绩为%(score)s分，未进入拟录用人员名单；如有递补，将按排名通知您。")
                % {"score": recorded[proposal.application_id]},
                key=f"hiring_lost_tie:{proposal.pk}",
            )
        for proposal in tied:
            application = applications[proposal.application_id]
            tell(
                application,
                subject=_("加试结果：%(position)s") % {"position": application.position.name},
                body=_("您的加试成绩为%(score)s分，与其他考生成绩相同，需再次加试，时间地点另行通知。")
                % {"score": recorded[proposal.application_id]},
                key=f"hiring_tied_again:{proposal.pk}:{proposal.version}",
            )
    return won, lost, tied


def backfill_decision(announcement, event: str, *, on=None) -> str:
    """Whether a removal is backfilled under the announcement's settings (exams.RankingSettings:
    the events backfilled, the deadline; "withdrew_after_notice" among the events is the
    after-notice switch): chain.FILLED (to be tried), Proposal.Backfill.NOT_BACKFILLED or
    PAST_DEADLINE. A disqualification (fraud) never is."""
    if event == Proposal.Event.DISQUALIFIED:
        return Proposal.Backfill.NOT_BACKFILLED
    settings = ranking_settings(announcement)
    events = (
        set(settings.backfill_events or ()) if settings is not None else set(scoring.Rules().backfill_events)
    )
    if event not in events:
        return Proposal.Backfill.NOT_BACKFILLED
    deadline = getattr(settings, "backfill_until", None)
    if deadline is not None and (on or today()) > deadline:
        return Proposal.Backfill.PAST_DEADLINE
    return chain.FILLED


def position_state(position_id: int) -> tuple[chain.State, dict[str, Proposal]]:
    """The position's chain.State from its stored proposals, and the proposals by key."""
    proposals = {str(p.application_id): p for p in Proposal.objects.filter(position_id=position_id)}
    proposed = tuple(k for k, p in proposals.items() if p.status in HOLDING)
    pending = tuple(k for k, p in proposals.items() if p.status == Proposal.Status.PENDING_TIE)
    removed = frozenset(k for k, p in proposals.items() if p.status == Proposal.Status.REMOVED)
    return (
        chain.State(
            proposed=proposed,
            pending=pending,
            pending_places=max((proposals[k].tie_places for k in pending), default=0),
            removed=removed,
        ),
        proposals,
    )


def posts_left(quota: int, proposals) -> int:
    """The ranking's posts less those lost by removals that were not backfilled."""
    lost = sum(
        1
        for p in proposals
        if p.status == Proposal.Status.REMOVED
        and p.backfill
        in (Proposal.Backfill.NOT_BACKFILLED, Proposal.Backfill.PAST_DEADLINE, Proposal.Backfill.DECLINED)
    )
    return quota - lost


def remove(
    *, proposal: Proposal, event: str, actor, note: str = "", expected_version: int | None = None
) -> Proposal:
    """Take a proposed candidate out (failed check, gave up, objection upheld, withdrawal
    after the notice, disqualification) and, where the settings backfill that event and the
    deadline has not passed, propose the next eligible candidate(s) of the same position
    from the confirmed ranking. Returns the proposal, refreshed, `backfill` saying what
    happened. Raises Conflict when another administrator changed it first."""
    if event not in Proposal.Event.values:
        raise ValidationError(_("取消原因无效。"))
    announcement = proposal.announcement
    with transaction.atomic():
        position = lock_position(proposal.position_id)
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status not in IN_PLAY or (
            expected_version is not None and current.version != expected_version
        ):
            raise Conflict()
        version, ranking, rows = confirmed_ranking(announcement, position)
        state, by_key = position_state(position.pk)
        state = chain.State(
            proposed=state.proposed,
            pending=state.pending,
            pending_places=state.pending_places,
            removed=state.removed,
            posts=posts_left(ranking.quota, by_key.values()),
        )
        decision = backfill_decision(announcement, event)
        step = chain.step(
            ranking,
            state,
            str(current.application_id),
            event,
            rules_of(version),
            backfill=decision == chain.FILLED,
        )
        outcome = decision if decision != chain.FILLED else step.outcome
        if outcome == chain.ABSORBED:
            outcome = Proposal.Backfill.NOT_BACKFILLED
        application = Application.objects.select_related("applicant", "announcement", "position").get(
            pk=current.application_id
        )
        to_stage = STAGE_AFTER[event]
        from_stages = PROPOSAL_STAGES if current.status == Proposal.Status.ACTIVE else RANKED_STAGES
        reason = Proposal.Event(event).label + (f"：{note}" if note else "")
        try:
            transition(
                application, to_stage=to_stage, actor=actor, from_stages=from_stages, reason=str(reason)
            )
        except StaleApplication:
            raise Conflict()
        Proposal.objects.filter(pk=current.pk).update(
            status=Proposal.Status.REMOVED,
            removal_event=event,
            removal_note=note,
            removed_at=timezone.now(),
            removed_by=actor,
            backfill=outcome,
            tie_places=0,
            version=current.version + 1,
        )
        current.refresh_from_db()
        audit.record(
            actor, current, audit.CHANGE, fields=["status", "removal_event", "backfill"], note=str(reason)
        )
        tell(
            application,
            subject=_("拟录用资格取消：%(position)s") % {"position": application.position.name},
            body=_("您在“%(position)s”岗位的拟录用资格已取消，原因：%(reason)s。如有疑问，请联系招聘单位。")
            % {"position": application.position.name, "reason": reason},
            key=f"hiring_removed:{current.pk}",
        )
        _apply_step(
            step,
            current=current,
            announcement=announcement,
            position=position,
            version=version,
            rows=rows,
            by_key=by_key,
            actor=actor,
        )
    return current


def _apply_step(step, *, current, announcement, position, version, rows, by_key, actor) -> None:
    activated = []
    for placement in step.placements:
        existing = by_key.get(placement.key)
        if existing is not None and existing.status == Proposal.Status.PENDING_TIE:
            Proposal.objects.filter(pk=existing.pk).update(
                status=placement.status,
                tie_places=placement.tie_places,
                version=existing.version + 1,
            )
            existing.refresh_from_db()
            made = existing
        else:
            made = _create(
                announcement=announcement,
                position=position,
                version=version,
                row=rows[placement.key],
                status=placement.status,
                tie_places=placement.tie_places,
                replaces=current,
                actor=actor,
            )
        audit.record(
            actor, made, audit.ADDITION, note=_("递补（接替 %(who)s）") % {"who": current.application_id}
        )
        if made.status == Proposal.Status.ACTIVE:
            activated.append(made)
    _move_to_proposed(activated, actor, _("递补为拟录用人员"))


def give_up_event(proposal: Proposal, *, on=None) -> str:
    """The event of a candidate giving up: after their notice has ended it is a withdrawal
    after the notice (backfilled only where the setting says so), before it giving up."""
    notice = proposal.notice
    if notice is not None and (on or today()) > notice.ends_on:
        return Proposal.Event.WITHDREW_AFTER_NOTICE
    return Proposal.Event.GAVE_UP


DECLARATION_PURPOSE = "hire_decline"


def declaration_text(proposal: Proposal) -> str:
    return _("本人自愿放弃“%(announcement)s”中“%(position)s”岗位的拟录用（录用）资格。") % {
        "announcement": proposal.announcement.title,
        "position": proposal.position.name,
    }


def start_give_up(*, proposal: Proposal, actor, reason: str = ""):
    """The applicant starts giving up: an SMS code goes to their phone (exams.declarations)."""
    from exams import declarations

    if proposal.status not in IN_PLAY or proposal.application.applicant_id != actor.pk:
        raise ValidationError(_("您当前没有可以放弃的拟录用资格。"))
    return declarations.start(
        application=proposal.application,
        actor=actor,
        purpose=DECLARATION_PURPOSE,
        text=declaration_text(proposal),
        reason=reason,
    )


def confirm_give_up(*, proposal: Proposal, declaration, code: str, actor) -> Proposal:
    """The applicant's code confirms the declaration and, in the same transaction, removes
    them (gave up, or a withdrawal after their notice ended) and backfills as set."""
    from exams import declarations

    event = give_up_event(proposal)
    return declarations.confirm(
        declaration=declaration,
        actor=actor,
        code=code,
        then=lambda confirmed: remove(
            proposal=proposal, event=event, actor=actor, note=_("本人在线声明放弃")
        ),
    )


def give_up_signed(*, proposal: Proposal, actor, reason: str, upload) -> Proposal:
    """Staff upload the candidate's signed declaration of giving up: recorded and acted on
    in one transaction."""
    from exams import declarations

    with transaction.atomic():
        declarations.record_signed(
            application=proposal.application,
            actor=actor,
            purpose=DECLARATION_PURPOSE,
            text=declaration_text(proposal),
            reason=reason,
            upload=upload,
        )
        return remove(
            proposal=proposal,
            event=give_up_event(proposal),
            actor=actor,
            note=_("本人签字的书面声明：%(reason)s") % {"reason": reason.strip()},
        )
