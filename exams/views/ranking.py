"""Pages of the ranking (综合成绩排名, issue 17): staff see the versions of an announcement,
each position's table with its ties and 加试 explained and the differences from the previous
version; administrators run the ranking, confirm a version, enter 加试 scores and publish;
the public reads the published composite list (masked names); the applicant reads their own
result. Thin: reads in exams.selectors.ranking, writes in exams.services.ranking."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.models import Application
from portal.models import BackgroundJob
from recruitment.models import Announcement, Position

from ..forms_ranking import ExtraTestForm, ExtraTestNoticeForm
from ..models_ranking import RankingRow, RankingVersion
from ..models_rules import RankingSettings
from ..selectors import ranking as selectors
from ..selectors import written as written_selectors
from ..services import extra_test as extra_tests
from ..services import extra_test_notice as extra_test_notices
from ..services import ranking as services
from ..services import ranking_publish as publication

FIELD_LABELS = {
    "written_total": gettext_lazy("笔试成绩"),
    "interview": gettext_lazy("面试成绩"),
    "composite": gettext_lazy("综合成绩"),
    "rank": gettext_lazy("名次"),
    "eligible": gettext_lazy("合格"),
    "proposed": gettext_lazy("进入体检考察"),
    "extra_test": gettext_lazy("需加试"),
    "absent": gettext_lazy("缺考"),
}


def _staff_announcement(request, pk) -> Announcement:
    """Administrators, and reviewers assigned to the announcement (read only); else 404."""
    return written_selectors.announcement_for_staff(request.user, pk)


def _version(announcement, number) -> RankingVersion:
    return get_object_or_404(
        RankingVersion.objects.select_related("created_by", "confirmed_by", "previous"),
        announcement=announcement,
        number=number,
    )


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(error) or _("没有权限执行此操作。")


def _admin_only(request) -> None:
    if not services.is_ranking_admin(request.user):
        raise PermissionDenied(_("只有管理员可以进行此操作。"))


def _breaker_label(name: str) -> str:
    labels = {
        "written": pgettext("tie-breaker", "笔试成绩"),
        "interview": pgettext("tie-breaker", "面试成绩"),
        "education": pgettext("tie-breaker", "学历"),
        "younger": pgettext("tie-breaker", "年龄（年轻者优先）"),
        "subscore:extra_test": pgettext("tie-breaker", "加试成绩"),
    }
    if name in labels:
        return labels[name]
    kind, _sep, rest = name.partition(":")
    if kind == "flag":
        return _("“%(name)s”身份（具备者优先）") % {"name": rest}
    number = rest.removeprefix("extra_test_")
    if kind == "subscore" and number != rest and number.isdigit():  # a later 加试 round
        return pgettext("tie-breaker", "第 %(round)s 轮加试成绩") % {"round": number}
    return _("“%(name)s”得分") % {"name": rest}


def breakers_text(rules: dict) -> str:
    names = [_breaker_label(name) for name in rules.get("tie_breakers") or ()]
    return pgettext("list separator", "、").join(names) if names else _("（未设比较条件）")


def _places(value) -> str:
    return "-6" if value is None else str(value)


def rules_text(rules: dict) -> list[str]:
    """The version's rules in plain Chinese, one sentence each."""
    w, i = rules.get("written_weight"), rules.get("interview_weight")
    lines = [
        _("综合成绩 = 笔试成绩 × %(w)s + 面试成绩 × %(i)s，四舍五入保留两位小数（%(how)s）。")
        % {
            "w": w,
            "i": i,
            "how": _("各部分折算后分别四舍五入再相加")
            if rules.get("composite_rounding") == "each_part"
            else _("合计后四舍五入"),
        },
        _("面试成绩：考官 5 人及以上时去掉一个最高分和一个最低分后取平均。")
        if rules.get("drop_extremes")
        else _("面试成绩：取全部考官评分的平均分。"),
    ]
    correction = rules.get("room_correction")
    if correction and correction != "none":
        lines.append(
            _(
                "不同面试组之间按修正系数修正：修正系数 = 总平均分 ÷ 本组平均分（%(how)s），保留 %(c)s 位小数。"
            )
            % {
                "how": _("总平均分为全部考生的平均分")
                if correction == "pooled_mean"
                else _("总平均分为各组平均分的平均数"),
                "c": rules.get("coefficient_places"),
            }
        )
        scope = rules.get("room_scope") or services.DEFAULT_ROOM_SCOPE
        if scope in RankingSettings.RoomScope.values:
            lines.append(
                _("修正系数的计算范围：%(scope)s。") % {"scope": RankingSettings.RoomScope(scope).label}
            )
    if rules.get("interview_pass_line") is not None:
        lines.append(
            _("面试成绩低于 %(line)s 分的，不能进入体检考察。") % {"line": rules["interview_pass_line"]}
        )
    if rules.get("composite_pass_line") is not None:
        lines.append(
            _("综合成绩低于 %(line)s 分的，不能进入体检考察。") % {"line": rules["composite_pass_line"]}
        )
    if rules.get("bonus_to") == "composite":
        lines.append(_("加分计入综合成绩。"))
    lines.append(_("综合成绩相同时，依次比较：%(list)s。") % {"list": breakers_text(rules)})
    lines.append(
        _("仍完全相同且跨越最后一个名额的，组织加试决定。")
        if rules.get("unresolved_tie") == "extra_test"
        else _("仍完全相同且跨越最后一个名额的，全部进入体检考察。")
    )
    return lines


# ------------------------------------------------------------------ staff


@login_required
def index(request):
    if not (request.user.has_role(Role.ADMINISTRATOR) or request.user.has_role(Role.REVIEWER)):
        raise PermissionDenied
    announcements = written_selectors.announcements_for_staff(request.user).order_by("-pk")
    return render(request, "exams/ranking/index.html", {"announcements": announcements})


@login_required
def versions(request, pk):
    announcement = _staff_announcement(request, pk)
    all_versions = list(selectors.versions_of(announcement)[:50])
    confirmed = next((v for v in all_versions if v.status == RankingVersion.Status.CONFIRMED), None)
    job = (
        BackgroundJob.objects.filter(kind=services.JOB_KIND, announcement_id=announcement.pk)
        .order_by("-pk")
        .first()
    )
    outdated = confirmed is not None and services.is_outdated(confirmed)
    return render(
        request,
        "exams/ranking/versions.html",
        {
            "announcement": announcement,
            "versions": all_versions,
            "confirmed": confirmed,
            "outdated": outdated,
            "job": job,
            "can_act": services.is_ranking_admin(request.user),
        },
    )


@login_required
@require_POST
def run(request, pk):
    announcement = _staff_announcement(request, pk)
    _admin_only(request)
    job = services.ranking_job_create(announcement=announcement, actor=request.user)
    return redirect("exams:ranking_job", job.pk)


@login_required
def job(request, pk):
    """The progress of a ranking run or of a publication (polled by htmx while it works)."""
    found = get_object_or_404(BackgroundJob, pk=pk, kind__in=[services.JOB_KIND, publication.PUBLISH_KIND])
    announcement = _staff_announcement(request, found.announcement_id)
    version = None
    if found.params.get("version"):
        version = RankingVersion.objects.filter(pk=found.params["version"], announcement=announcement).first()
    template = "exams/ranking/_job.html" if request.headers.get("HX-Request") else "exams/ranking/job.html"
    return render(
        request,
        template,
        {
            "job": found,
            "announcement": announcement,
            "version": version,
            "publishing": found.kind == publication.PUBLISH_KIND,
        },
    )


@login_required
def version(request, pk, number):
    announcement = _staff_announcement(request, pk)
    found = _version(announcement, number)
    summaries = selectors.position_summaries(found)
    changes = selectors.differences(found, found.previous)
    confirmed = selectors.confirmed_version(announcement)
    outdated = services.is_outdated(found)
    publish_job = (
        publication.publish_job_of(found) if found.status == RankingVersion.Status.CONFIRMED else None
    )
    return render(
        request,
        "exams/ranking/version.html",
        {
            "publish_job": publish_job,
            "announcement": announcement,
            "version": found,
            "summaries": summaries,
            "changes": _changes(changes[:200]),
            "change_count": len(changes),
            "confirmed": confirmed,
            "outdated": outdated,
            "can_act": services.is_ranking_admin(request.user),
            "rules_text": rules_text(found.rules),
            "extra_count": sum(summary.extra_test for summary in summaries),
        },
    )


def _shown(value):
    """A stored score as published: at least two decimals, no trailing zeros beyond them
    (76 → 76.00, 88.280000 → 88.28, 1.012000 → 1.012); other values unchanged."""
    if not isinstance(value, Decimal) or isinstance(value, bool):
        return value
    value = value.normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def _changes(changes):
    return [
        {
            "change": change,
            "fields": [
                (FIELD_LABELS.get(name, name), _shown(before), _shown(after))
                for name, before, after in change.fields
            ],
        }
        for change in changes
    ]


@login_required
def position(request, pk, number, position_pk):
    announcement = _staff_announcement(request, pk)
    found = _version(announcement, number)
    chosen = get_object_or_404(Position, pk=position_pk, announcement=announcement)
    if str(chosen.pk) not in found.quotas:
        raise Http404
    rows = list(selectors.rows_for(found, chosen))
    changes = selectors.differences(found, found.previous, chosen)
    return render(
        request,
        "exams/ranking/position.html",
        {
            "announcement": announcement,
            "version": found,
            "position": chosen,
            "quota": selectors.quota_of(found, chosen),
            "rows": rows,
            "groups": _tie_groups(rows),
            "changes": _changes(changes),
            "breakers": breakers_text(found.rules),
            "corrected": found.rules.get("room_correction", "none") != "none",
            "all_advance": found.rules.get("unresolved_tie") == "all_advance",
            "places": {
                "raw": _places(found.rules.get("interview_places")),
                "coefficient": _places(found.rules.get("coefficient_places")),
                "interview": _places(found.rules.get("corrected_places"))
                if found.rules.get("room_correction", "none") != "none"
                else _places(found.rules.get("interview_places")),
            },
        },
    )


def _tie_groups(rows: list[RankingRow]) -> list[dict]:
    groups: dict[int, dict] = {}
    for row in rows:
        if row.tie_group is not None:
            group = groups.setdefault(row.tie_group, {"rank": row.rank, "rows": [], "extra_test": False})
            group["rows"].append(row)
            group["extra_test"] = group["extra_test"] or row.extra_test
    return list(groups.values())


@login_required
@require_POST
def confirm(request, pk, number):
    announcement = _staff_announcement(request, pk)
    _admin_only(request)
    found = _version(announcement, number)
    seen = (request.POST.get("seen_confirmed") or "").strip()
    if seen and not seen.isdigit():
        raise Http404
    try:
        services.ranking_confirm(
            version=found, actor=request.user, seen_confirmed=int(seen) if seen else None
        )
    except services.RankingConflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("第 %(n)s 版排名已确认，将据此进入体检和考察环节。") % {"n": found.number}
        )
    return redirect("exams:ranking_version", announcement.pk, found.number)


@login_required
@require_POST
def publish(request, pk, number):
    announcement = _staff_announcement(request, pk)
    _admin_only(request)
    found = _version(announcement, number)
    try:
        started = publication.ranking_publish_job_create(version=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("exams:ranking_version", announcement.pk, found.number)
    return redirect("exams:ranking_job", started.pk)


@login_required
def extra_test(request, pk, number):
    announcement = _staff_announcement(request, pk)
    _admin_only(request)
    found = _version(announcement, number)
    rows = list(
        RankingRow.objects.filter(version=found, extra_test=True)
        .select_related("position")
        .order_by("position__code", "order")
    )
    if not rows:
        raise Http404
    # The scores of the round an entry records (a new round after a tied one starts empty).
    scores = {
        app_id: score
        for app_id, (_round, score) in extra_tests.extra_test_entry(found).items()
        if score is not None
    }
    sending = request.method == "POST" and request.POST.get("form") == "notice"
    scoring_post = request.method == "POST" and not sending
    form = ExtraTestForm(request.POST if scoring_post else None, rows=rows, initial_scores=scores)
    notice_form = ExtraTestNoticeForm(request.POST if sending else None)
    if scoring_post and form.is_valid():
        try:
            extra_tests.extra_test_record(version=found, actor=request.user, scores=form.scores())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("加试成绩已保存。请重新排名，生成新的排名版本后再确认。"))
            return redirect("exams:ranking_versions", announcement.pk)
    if sending and notice_form.is_valid():
        try:
            told = extra_test_notices.extra_test_notice_send(
                version=found, actor=request.user, **notice_form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(notice_form, error)
        else:
            if told:
                messages.success(request, _("加试通知已发送给 %(n)s 名考生。") % {"n": told})
            else:
                messages.info(
                    request,
                    _("这些考生已收到本版排名的加试通知，未重复发送。如时间地点有变，请另行发布通知。"),
                )
            return redirect("exams:ranking_extra_test", announcement.pk, found.number)
    confirmed = found.status == RankingVersion.Status.CONFIRMED
    return render(
        request,
        "exams/ranking/extra_test.html",
        {
            "announcement": announcement,
            "version": found,
            "form": form,
            "rows": rows,
            "notice_form": notice_form,
            "can_notify": confirmed,
            "notice_sent": confirmed and extra_test_notices.notice_sent(found),
        },
    )


def _form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError at the form's fields (a dict) or above them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ------------------------------------------------------------------ public and applicant


def public(request, pk):
    """The published composite list (综合成绩公示) of one position: ticket number, masked name,
    written, interview, composite, rank. 404 before publication."""
    announcement = get_object_or_404(Announcement, pk=pk)
    found = selectors.published_version(announcement)
    if found is None:
        raise Http404
    positions = list(
        Position.objects.filter(pk__in=[int(k) for k in found.quotas])
        .order_by("code")
        .only("pk", "code", "name")
    )
    chosen = positions[0] if positions else None
    if request.GET.get("position"):
        chosen = next((p for p in positions if str(p.pk) == request.GET["position"]), None)
        if chosen is None:
            raise Http404
    rows = list(selectors.rows_for(found, chosen).filter(absent=False)) if chosen else []
    return render(
        request,
        "exams/ranking/public.html",
        {
            "announcement": announcement,
            "version": found,
            "positions": positions,
            "chosen": chosen,
            "rows": rows,
        },
    )


@role_required(Role.APPLICANT)
def mine(request):
    """The applicant's results (phone first): interview score, composite, rank, what next."""
    from ..panels_ranking import next_step

    applications = list(
        Application.objects.filter(applicant=request.user)
        .select_related("announcement", "position")
        .order_by("-pk")[:10]
    )
    results = []
    for application in applications:
        found = selectors.own_row(request.user, application)
        if found is not None:
            results.append((application, found[1], next_step(found[1], application)))
    return render(request, "exams/ranking/mine.html", {"results": results})
