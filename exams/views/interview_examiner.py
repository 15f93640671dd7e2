"""The examiner's pages, on a tablet or a phone: their groups (and the conflict-of-interest
declaration), the blind scoring page, and the chief's live board.

Blind: the scoring page shows the candidate's draw number and position only — never a
name, ID number, photo, ticket number or written score; its context holds nothing else.
An examiner sees only the groups they sit on (any other: 404) and works only on the
group's day (another day: a message, no candidate).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role

from ..forms_interview import ReasonForm, ScoreForm
from ..models_interview import InterviewCandidate, InterviewScore
from ..selectors import interview as selectors
from ..services import interview as services
from ..services import interview_day as day_services
from ..services import interview_scoring as scoring_services

examiner_required = role_required(Role.EXAMINER)


@examiner_required
def mine(request):
    today = timezone.localdate()
    seats = list(selectors.seats_of(request.user))
    return render(
        request,
        "exams/interview/mine.html",
        {
            "today_seats": [s for s in seats if s.active and s.group.date == today],
            "upcoming": [s for s in seats if s.active and s.group.date > today],
            "past": [s for s in seats if s.group.date < today or not s.active],
        },
    )


@examiner_required
@require_POST
def conflict(request, group_pk):
    seat = selectors.seat_of(request.user, group_pk)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.conflict_declare(examiner=seat, reason=reason)
    except (ValidationError, services.InterviewRefused) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else error.message
        )
    else:
        messages.success(request, _("已提交回避申请，管理员将在面试开始前另行安排考官。"))
    return redirect("exams:interview_mine")


def _score_context(seat, form=None):
    group = seat.group
    context = {"seat": seat, "group": group, "today": selectors.is_group_day(group)}
    if not context["today"]:
        return context
    config = selectors.settings_of(group.announcement)
    current = selectors.current_candidate(group)
    mine = InterviewScore.objects.filter(candidate=current, examiner=seat).first() if current else None
    context.update(
        {
            "current": current,
            # What the page may show of the candidate: the draw number and the position.
            "order": current.order if current else None,
            "position": current.application.position.name if current else "",
            "mine": mine,
            "form": form or (ScoreForm(config=config) if current and not (mine and mine.locked) else None),
            "config": config,
        }
    )
    return context


@examiner_required
def score(request, group_pk):
    seat = selectors.seat_of(request.user, group_pk)
    form = None
    if request.method == "POST":
        candidate = (
            get_object_or_404(
                InterviewCandidate, pk=request.POST.get("candidate") or 0, group_id=seat.group_id
            )
            if (request.POST.get("candidate") or "").isdigit()
            else None
        )
        if candidate is None:
            raise Http404
        config = selectors.settings_of(seat.group.announcement)
        form = ScoreForm(request.POST, config=config)
        total, parts = form.values()
        try:
            scoring_services.score_submit(seat=seat, candidate=candidate, total=total, parts=parts)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.InterviewRefused as error:
            messages.error(request, error.message)
            return redirect("exams:interview_score", group_pk=seat.group_id)
        else:
            messages.success(request, _("评分已提交。"))
            return redirect("exams:interview_score", group_pk=seat.group_id)
    return render(request, "exams/interview/score.html", _score_context(seat, form))


@examiner_required
def score_state(request, group_pk):
    """htmx: the blind card while the examiner waits (submitted, or no one in the room)."""
    seat = selectors.seat_of(request.user, group_pk)
    return render(request, "exams/interview/_score_card.html", _score_context(seat))


def _chief_seat(request, group_pk):
    seat = selectors.seat_of(request.user, group_pk)
    if not seat.chief:
        raise Http404
    return seat


def _board_context(seat):
    group = seat.group
    context = {"seat": seat, "group": group, "today": selectors.is_group_day(group)}
    if context["today"]:
        examiners = selectors.active_examiners(group)
        context.update(
            {
                "examiners": examiners,
                "rows": selectors.board(group, examiners),
                "late": list(selectors.late_waiting(group)),
                "current": selectors.current_candidate(group),
            }
        )
    return context


@examiner_required
def chief(request, group_pk):
    seat = _chief_seat(request, group_pk)
    return render(request, "exams/interview/chief.html", _board_context(seat))


@examiner_required
def chief_board(request, group_pk):
    seat = _chief_seat(request, group_pk)
    return render(request, "exams/interview/_board.html", _board_context(seat))


@examiner_required
@require_POST
def reopen(request, group_pk):
    """The chief reopens one examiner's score of a candidate (POST candidate, examiner, reason)."""
    seat = selectors.seat_of(request.user, group_pk)
    candidate_pk, examiner_pk = request.POST.get("candidate", ""), request.POST.get("examiner", "")
    if not (candidate_pk.isdigit() and examiner_pk.isdigit()):
        raise Http404
    score = (
        InterviewScore.objects.filter(
            candidate_id=int(candidate_pk), examiner_id=int(examiner_pk), candidate__group_id=seat.group_id
        )
        .select_related("candidate")
        .first()
    )
    if score is None:
        messages.error(request, _("该考官尚未提交对该考生的评分。"))
        return redirect(
            "exams:interview_chief" if seat.chief else "exams:interview_score", group_pk=seat.group_id
        )
    try:
        scoring_services.score_reopen(score=score, seat=seat, reason=request.POST.get("reason", ""))
    except (ValidationError, services.InterviewRefused) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else error.message
        )
    else:
        messages.success(request, _("已重新开放该评分，请该考官重新提交。"))
    return redirect(
        "exams:interview_chief" if seat.chief else "exams:interview_score", group_pk=seat.group_id
    )


@examiner_required
@require_POST
def sign_off(request, group_pk, candidate_pk):
    seat = selectors.seat_of(request.user, group_pk)
    candidate = get_object_or_404(InterviewCandidate, pk=candidate_pk, group_id=seat.group_id)
    try:
        candidate = scoring_services.candidate_sign_off(candidate=candidate, seat=seat)
    except services.InterviewRefused as error:
        messages.error(request, error.message)
        if not seat.chief:
            return redirect("exams:interview_score", group_pk=seat.group_id)
    else:
        messages.success(
            request,
            _("%(order)s 号考生的面试成绩已确认：%(score)s 分。")
            % {"order": candidate.order, "score": candidate.score},
        )
    return redirect("exams:interview_chief", group_pk=seat.group_id)


@examiner_required
@require_POST
def late(request, group_pk, candidate_pk):
    seat = selectors.seat_of(request.user, group_pk)
    candidate = get_object_or_404(InterviewCandidate, pk=candidate_pk, group_id=seat.group_id)
    admit = request.POST.get("action") == "admit"
    try:
        day_services.late_decide(
            candidate=candidate, seat=seat, admit=admit, reason=request.POST.get("reason", "")
        )
    except (ValidationError, services.InterviewRefused) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else error.message
        )
    else:
        messages.success(request, _("已准许入场。") if admit else _("已登记为缺考。"))
    if not seat.chief:
        return redirect("exams:interview_score", group_pk=seat.group_id)
    return redirect("exams:interview_chief", group_pk=seat.group_id)
