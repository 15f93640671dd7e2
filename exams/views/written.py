"""Pages of written results: staff (reviewers assigned to the announcement, administrators)
import, enter, resolve, correct, set pass lines, decide bonus claims, answer score reviews
and publish; the applicant reads their own score (成绩查询), claims bonus points and asks
for a review; the public reads the results list (成绩公示) and the bonus list (加分公示)
once published. Thin: reads in exams.selectors.written, writes in exams.services."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.models import NOT_SUBMITTED_STAGES, Application, Document
from notifications.selectors import unread_cache_key, unread_count
from portal import user_page_cache
from portal.models import BackgroundJob
from recruitment.models import Announcement, BonusCategory, Position
from review.selectors import submitted_document_uuids

from ..forms_written import (
    BonusClaimForm,
    BonusDecisionForm,
    ImportForm,
    OneScoreForm,
    PassLineForm,
    PublishForm,
    ReviewAnswerForm,
    ReviewRequestForm,
    RoomEntryForm,
)
from ..models import ExamPlan, Room, Ticket
from ..models_written import (
    BonusClaim,
    PositionPassLine,
    PositionResult,
    ScoreReviewRequest,
    ScoreStatus,
    WrittenScore,
)
from ..selectors import written as selectors
from ..services import bonus as bonus_services
from ..services import written as services
from ..services import written_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _posted_id(request, name: str) -> int:
    """A posted object id; anything but digits is 404, never a server error."""
    value = (request.POST.get(name) or "").strip()
    if not value.isdigit():
        raise Http404
    return int(value)


def _staff_announcement(request, pk) -> Announcement:
    return selectors.announcement_for_staff(request.user, pk)


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(error) or _("没有权限执行此操作。")


# ------------------------------------------------------------------ staff


@login_required
def index(request):
    if not (request.user.has_role(Role.ADMINISTRATOR) or request.user.has_role(Role.REVIEWER)):
        raise PermissionDenied
    announcements = selectors.announcements_for_staff(request.user).order_by("-registration_opens_at")[:50]
    return render(request, "exams/written/index.html", {"announcements": announcements})


@login_required
def results(request, pk):
    announcement = _staff_announcement(request, pk)
    plan = get_object_or_404(ExamPlan, announcement=announcement)
    written_results = selectors.results_of(announcement.pk)
    counts = dict(
        WrittenScore.objects.filter(announcement=announcement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    tickets = Ticket.objects.filter(announcement=announcement).count()
    positions = list(Position.objects.filter(announcement=announcement).order_by("code"))
    overrides = {
        o.position_id: o for o in PositionPassLine.objects.filter(position__announcement=announcement)
    }
    computed = {r.position_id: r for r in PositionResult.objects.filter(announcement=announcement)}
    rows = [
        {
            "position": p,
            "override": overrides.get(p.pk),
            "result": computed.get(p.pk),
            "form": PassLineForm(
                prefix=f"p{p.pk}",
                initial={
                    "mode": getattr(overrides.get(p.pk), "mode", ""),
                    "value": getattr(overrides.get(p.pk), "value", None),
                },
            ),
        }
        for p in positions
    ]
    rooms = Room.objects.filter(venue__plan=plan).select_related("venue").order_by("venue__code", "number")
    return render(
        request,
        "exams/written/results.html",
        {
            "announcement": announcement,
            "plan": plan,
            "results": written_results,
            "published": selectors.is_published(written_results),
            "counts": counts,
            "scored_total": sum(counts.values()),
            "tickets": tickets,
            "rows": rows,
            "rooms": rooms,
            "mismatches": selectors.mismatches(announcement.pk),
            "import_form": ImportForm(),
            "publish_form": PublishForm(),
            "pending_reviews": ScoreReviewRequest.objects.filter(
                score__announcement=announcement, outcome=""
            ).count(),
            "pending_claims": BonusClaim.objects.filter(
                application__announcement=announcement, status=BonusClaim.Status.CLAIMED
            )
            .exclude(application__stage__in=NOT_SUBMITTED_STAGES)  # drafts' claims wait for the submission
            .count(),
        },
    )


@login_required
def template(request, pk):
    announcement = _staff_announcement(request, pk)
    content = written_import.template_workbook(announcement)
    response = HttpResponse(content, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"  # every candidate's ticket number and name
    response["Content-Disposition"] = f'attachment; filename="scores-template-{announcement.pk}.xlsx"'
    return response


@login_required
@require_POST
def import_start(request, pk):
    announcement = _staff_announcement(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的成绩表。"))
        return redirect("exams:written_results", pk=pk)
    try:
        job = written_import.import_job_create(
            announcement=announcement, actor=request.user, upload=form.cleaned_data["file"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect("exams:written_results", pk=pk)
    return redirect("exams:written_job", pk=job.pk)


@login_required
def job(request, pk):
    found = get_object_or_404(BackgroundJob, pk=pk, kind=services.JOB_KIND)
    announcement = _staff_announcement(request, found.announcement_id)
    template_name = (
        "exams/written/_job.html" if request.headers.get("HX-Request") else "exams/written/job.html"
    )
    return render(
        request,
        template_name,
        {"job": found, "announcement": announcement, "report": found.params.get("report")},
    )


def _papers(announcement):
    plan = get_object_or_404(ExamPlan, announcement=announcement)
    papers, _names = selectors.papers_of(plan)
    return plan, papers


@login_required
def room_entry(request, pk, room_pk):
    announcement = _staff_announcement(request, pk)
    plan, papers = _papers(announcement)
    room = get_object_or_404(Room.objects.select_related("venue"), pk=room_pk, venue__plan=plan)
    done = set(WrittenScore.objects.filter(ticket__room=room).values_list("ticket_id", flat=True))
    mine = set(
        Ticket.objects.filter(room=room, score_entries__entered_by=request.user).values_list("pk", flat=True)
    )
    tickets = [t for t in selectors.tickets_of_room(room.pk) if t.pk not in done and t.pk not in mine]
    form = RoomEntryForm(
        request.POST or None,
        tickets=tickets,
        papers_for=lambda t: selectors.paper_for(papers, t.application.position_id),
    )
    if request.method == "POST" and form.is_valid():
        saved, refused = 0, []
        for ticket, status, raw, parts in form.entries():
            try:
                services.entry_record(ticket=ticket, actor=request.user, status=status, raw=raw, parts=parts)
                saved += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{ticket.number}：{_error_text(error)}")
        messages.success(request, _("已保存 %(n)s 名考生的录入。") % {"n": saved})
        for text in refused:
            messages.error(request, text)
        return redirect("exams:written_room_entry", pk=pk, room_pk=room_pk)
    return render(
        request,
        "exams/written/room_entry.html",
        {"announcement": announcement, "room": room, "form": form, "done": len(done), "mine": len(mine)},
    )


@login_required
def resolve(request, pk, ticket_pk):
    announcement = _staff_announcement(request, pk)
    _plan, papers = _papers(announcement)
    ticket = get_object_or_404(
        Ticket.objects.select_related("application"), pk=ticket_pk, announcement=announcement
    )
    entries = list(ticket.score_entries.select_related("entered_by").order_by("entry_no"))
    form = OneScoreForm(
        request.POST or None, paper=selectors.paper_for(papers, ticket.application.position_id)
    )
    if request.method == "POST" and form.is_valid():
        status, raw, parts = form.value
        try:
            services.entry_resolve(ticket=ticket, actor=request.user, status=status, raw=raw, parts=parts)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已核定准考证号 %(n)s 的成绩。") % {"n": ticket.number})
            return redirect("exams:written_results", pk=pk)
    return render(
        request,
        "exams/written/resolve.html",
        {"announcement": announcement, "ticket": ticket, "entries": entries, "form": form},
    )


@login_required
def correct(request, pk, score_pk):
    announcement = _staff_announcement(request, pk)
    _plan, papers = _papers(announcement)
    score = get_object_or_404(
        WrittenScore.objects.select_related("ticket__application"), pk=score_pk, announcement=announcement
    )
    paper = selectors.paper_for(papers, score.position_id)
    initial = {"status": score.status, "version": score.version}
    parts = list(score.parts.all())
    if len(paper.parts) > 1:
        initial.update({f"p{i}": p.points for i, p in enumerate(parts)})
    else:
        initial["total"] = score.raw
    form = OneScoreForm(request.POST or None, paper=paper, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        status, raw, values = form.value
        named = [
            (part.name, value, part.full_marks) for part, value in zip(paper.parts, values, strict=False)
        ]
        if status == ScoreStatus.SCORED and len(paper.parts) == 1:
            named = [(paper.parts[0].name, raw, paper.parts[0].full_marks)]
        try:
            services.written_score_correct(
                score=score,
                actor=request.user,
                status=status,
                raw=raw,
                parts=named,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("成绩已更正，已通知考生；据此计算的合格线和排名需重新计算。"))
            return redirect("exams:written_results", pk=pk)
    return render(
        request,
        "exams/written/correct.html",
        {"announcement": announcement, "score": score, "form": form, "corrections": score.corrections.all()},
    )


@login_required
def lookup(request, pk):
    """Find a score by ticket number (for a correction)."""
    announcement = _staff_announcement(request, pk)
    number = (request.GET.get("number") or "").strip()
    score = WrittenScore.objects.filter(announcement=announcement, ticket__number=number).first()
    if score is None:
        messages.error(request, _("没有找到准考证号 %(n)s 的成绩。") % {"n": number})
        return redirect("exams:written_results", pk=pk)
    return redirect("exams:written_correct", pk=pk, score_pk=score.pk)


@login_required
@require_POST
def pass_line(request, pk, position_pk):
    announcement = _staff_announcement(request, pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=announcement)
    form = PassLineForm(request.POST, prefix=f"p{position.pk}")
    if form.is_valid():
        try:
            services.position_pass_line_set(
                position=position,
                actor=request.user,
                mode=form.cleaned_data["mode"],
                value=form.cleaned_data["value"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("岗位合格线已保存，请重新计算成绩。"))
    else:
        messages.error(request, _("合格线填写有误。"))
    return redirect("exams:written_results", pk=pk)


@login_required
@require_POST
def compute(request, pk):
    announcement = _staff_announcement(request, pk)
    services.results_compute(announcement=announcement, actor=request.user)
    messages.success(request, _("合格线、总成绩和排名已重新计算。"))
    return redirect("exams:written_results", pk=pk)


@login_required
@require_POST
def publish(request, pk):
    announcement = _staff_announcement(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("发布时间填写有误。"))
        return redirect("exams:written_results", pk=pk)
    try:
        result = services.results_publish(
            announcement=announcement, actor=request.user, at=form.cleaned_data["at"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        if result.published_at:
            messages.success(request, _("成绩已发布，已通知考生。"))
        else:
            messages.success(
                request,
                _("成绩将于 %(at)s 自动发布。")
                % {"at": timezone.localtime(result.scheduled_for).strftime("%Y-%m-%d %H:%M")},
            )
    return redirect("exams:written_results", pk=pk)


@login_required
def bonus_review(request, pk):
    announcement = _staff_announcement(request, pk)
    # A draft's (or withdrawn application's) claims are not for review until submitted.
    submitted_claims = BonusClaim.objects.filter(application__announcement=announcement).exclude(
        application__stage__in=NOT_SUBMITTED_STAGES
    )
    claims = list(
        submitted_claims.select_related("application__position", "category", "proof", "reviewed_by").order_by(
            "status", "application_id", "pk"
        )[:500]
    )
    if request.method == "POST":
        claim = get_object_or_404(submitted_claims, pk=_posted_id(request, "claim"))
        form = BonusDecisionForm(request.POST, prefix=f"c{claim.pk}")
        if form.is_valid():
            try:
                bonus_services.bonus_claim_decide(
                    claim=claim,
                    actor=request.user,
                    confirm=form.cleaned_data["decision"] == "confirm",
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("加分认定已保存。"))
        else:
            messages.error(request, _("请选择认定结果。"))
        return redirect("exams:written_bonus_review", pk=pk)
    rows = [(c, BonusDecisionForm(prefix=f"c{c.pk}")) for c in claims]
    return render(request, "exams/written/bonus_review.html", {"announcement": announcement, "rows": rows})


@login_required
def reviews(request, pk):
    announcement = _staff_announcement(request, pk)
    requests_ = list(
        ScoreReviewRequest.objects.filter(score__announcement=announcement)
        .select_related("score__ticket", "answered_by")
        .order_by("outcome", "requested_at")[:500]
    )
    if request.method == "POST":
        found = get_object_or_404(
            ScoreReviewRequest, pk=_posted_id(request, "request"), score__announcement=announcement
        )
        form = ReviewAnswerForm(request.POST, prefix=f"r{found.pk}")
        if form.is_valid():
            try:
                services.review_answer(
                    request=found,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    rechecked_raw=form.cleaned_data["rechecked_raw"],
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("复核结果已登记，已通知考生。"))
        else:
            messages.error(request, _("请选择复核结果。"))
        return redirect("exams:written_reviews", pk=pk)
    rows = [(r, ReviewAnswerForm(prefix=f"r{r.pk}")) for r in requests_]
    return render(request, "exams/written/reviews.html", {"announcement": announcement, "rows": rows})


# ------------------------------------------------------------------ applicant


@role_required(Role.APPLICANT)
def my_scores(request):
    """The phone-first score query: every application of the user with a published score.
    Results day sends every candidate here within the hour: the rendered page is kept per
    user (portal.user_page_cache) while what it shows is unchanged (selectors.my_scores_stamp)."""

    def render_page():
        applications = list(
            Application.objects.filter(applicant=request.user, exam_ticket__isnull=False)
            .select_related("announcement", "position")
            .defer("snapshot", "eligibility", "announcement__body", "position__other_conditions")
            .order_by("-pk")[: selectors.MY_SCORES_LIMIT]
        )
        views = [(a, selectors.own_score(request.user, a)) for a in applications]
        return render(request, "exams/written/my_scores.html", {"views": views})

    user = request.user
    return user_page_cache.cached_page(
        request,
        "exams:my_scores",
        selectors.my_scores_stamp(user),
        render_page,
        live={unread_cache_key(user.pk): lambda: unread_count(user=user)},
    )


@login_required
def my_score(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("announcement", "position"),
        pk=application_pk,
        applicant=request.user,
    )
    figures = selectors.published_figures(application.announcement_id)
    view = selectors.own_score(request.user, application, figures)
    deadline = services.review_deadline(figures.results) if view else None
    review = ScoreReviewRequest.objects.filter(score=view.score).first() if view else None
    form = ReviewRequestForm(request.POST or None)
    if request.method == "POST" and view and form.is_valid():
        try:
            services.review_request_create(
                score=view.score, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("复核申请已提交，结果将另行通知。"))
        return redirect("exams:written_my_score", application_pk=application.pk)
    return render(
        request,
        "exams/written/my_score.html",
        {
            "application": application,
            "view": view,
            "deadline": deadline,
            "can_ask": view is not None
            and review is None
            and view.score.status == ScoreStatus.SCORED
            and deadline is not None
            and timezone.localtime().date() <= deadline.day,
            "review": review,
            "form": form,
        },
    )


@login_required
def bonus_claim(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("announcement"), pk=application_pk, applicant=request.user
    )
    categories = BonusCategory.objects.filter(announcement=application.announcement)
    documents = Document.objects.filter(profile__user=request.user)
    if application.stage != "draft":  # a reviewer opens only the documents submitted with it
        documents = documents.filter(uuid__in=submitted_document_uuids(application))
    claims = list(application.bonus_claims.select_related("category", "proof"))
    open_ = bonus_services.can_claim(application)
    form = BonusClaimForm(request.POST or None, categories=categories, documents=documents)
    if request.method == "POST":
        if request.POST.get("withdraw"):
            claim = get_object_or_404(BonusClaim, pk=_posted_id(request, "withdraw"), application=application)
            try:
                bonus_services.bonus_claim_withdraw(claim=claim, actor=request.user)
            except PermissionDenied as error:
                messages.error(request, _error_text(error))
            return redirect("exams:written_bonus_claim", application_pk=application.pk)
        if form.is_valid():
            try:
                bonus_services.bonus_claim_create(
                    application=application,
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    proof=form.cleaned_data["proof"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for text in errors:
                        form.add_error(field if field in form.fields else None, text)
            except PermissionDenied as error:
                messages.error(request, _error_text(error))
                return redirect("exams:written_bonus_claim", application_pk=application.pk)
            else:
                messages.success(request, _("加分申请已提交，将在资格审核时认定。"))
                return redirect("exams:written_bonus_claim", application_pk=application.pk)
    return render(
        request,
        "exams/written/bonus_claim.html",
        {
            "application": application,
            "claims": claims,
            "form": form,
            "open": open_,
            "has_categories": categories.exists(),
        },
    )


# ------------------------------------------------------------------ public


def _published_announcement(pk) -> Announcement:
    if not selectors.is_published(selectors.published_figures(pk).results):
        raise Http404
    return get_object_or_404(Announcement, pk=pk)


def _public_rows(announcement, position):
    rows = []
    for row in selectors.public_rows(announcement.pk, position.pk):
        rows.append(
            {
                "number": row["ticket__number"],
                "name": selectors.mask_name(row["ticket__application__snapshot__real_name"] or ""),
                "status": row["status"],
                "status_label": ScoreStatus(row["status"]).label,
                "raw": row["raw"],
                "bonus": row["bonus"],
                "total": row["total"],
                "rank": row["rank"],
                "passed": row["passed"],
            }
        )
    return rows


def public_results(request, pk):
    announcement = _published_announcement(pk)
    positions = list(
        Position.objects.filter(announcement=announcement).order_by("code").only("pk", "code", "name")
    )
    chosen = None
    if request.GET.get("position"):
        chosen = next((p for p in positions if str(p.pk) == request.GET["position"]), None)
        if chosen is None:
            raise Http404
    elif positions:
        chosen = positions[0]
    rows = _public_rows(announcement, chosen) if chosen else []
    result = selectors.published_figures(pk).positions.get(chosen.pk) if chosen else None
    return render(
        request,
        "exams/written/public.html",
        {
            "announcement": announcement,
            "positions": positions,
            "chosen": chosen,
            "rows": rows,
            "result": result,
        },
    )


def public_results_xlsx(request, pk, position_pk):
    from openpyxl import Workbook

    announcement = _published_announcement(pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=announcement)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("成绩公示"))
    sheet.append([_("准考证号"), _("姓名"), _("笔试成绩"), _("加分"), _("总成绩"), _("岗位排名")])
    for row in _public_rows(announcement, position):
        scored = row["status"] == ScoreStatus.SCORED
        sheet.append(
            [
                row["number"],
                row["name"],
                str(row["raw"]) if scored else str(row["status_label"]),
                str(row["bonus"] or "") if scored else "",
                str(row["total"] or "") if scored else "",
                row["rank"] or "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="results-{announcement.pk}-{position.code}.xlsx"'
    return response


def public_bonus(request, pk):
    announcement = _published_announcement(pk)
    claims = (
        BonusClaim.objects.filter(application__announcement=announcement, status=BonusClaim.Status.CONFIRMED)
        .select_related("category")
        .values(
            "application_id",
            "application__exam_ticket__number",
            "application__snapshot__real_name",
            "category__name",
            "category__points",
        )
        .order_by("application__exam_ticket__number", "-category__points")
    )
    by_application: dict[int, dict] = {}
    for claim in claims:
        row = by_application.setdefault(
            claim["application_id"],
            {
                "number": claim["application__exam_ticket__number"] or "",
                "name": selectors.mask_name(claim["application__snapshot__real_name"] or ""),
                "items": [],
            },
        )
        row["items"].append((claim["category__name"], claim["category__points"]))
    scores = dict(
        WrittenScore.objects.filter(ticket__application_id__in=list(by_application)).values_list(
            "ticket__application_id", "bonus"
        )
    )
    rows = []
    for application_id, row in by_application.items():
        row["points"] = scores.get(application_id)
        rows.append(row)
    return render(request, "exams/written/public_bonus.html", {"announcement": announcement, "rows": rows})


def staff_link(announcement_id) -> str:
    return reverse("exams:written_results", args=[announcement_id])
