"""Thin views of the reports: scope from reports.selectors, tables from reports.tables."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache, caches
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from portal.models import BackgroundJob
from portal.pdf import FontMissing
from recruitment import page_cache
from recruitment import selectors as recruitment_selectors
from recruitment.models import Announcement

from . import archive, documents, excel, funnel, selectors, tables

STAFF = (Role.ADMINISTRATOR, Role.REVIEWER)
# The words of the link to the public statistics on the announcement page (a recruitment
# template): kept in this catalogue, where the page they open is.
PUBLIC_LINK_LABEL = gettext_noop("每日报名人数统计")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(response: HttpResponse, ascii_name: str, name: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


def _section(table, xlsx_url: str) -> dict:
    key = table.key
    return {
        "table": table,
        "table_html": tables.table_html(table),
        "chart": tables.chart_of(table),
        "id": f"chart-{key}",
        "data_id": f"chart-{key}-data",
        "xlsx_url": xlsx_url,
        # Beside its chart a table has room for four columns; a wider one goes below it.
        "wide": len(table.columns) > 4,
    }


def _computed_at(data: dict):
    return timezone.localtime(parse_datetime(data["computed_at"]))


@role_required(*STAFF)
@require_GET
def index(request):
    announcements = selectors.announcements_for(request.user).order_by("-registration_opens_at", "-pk")
    return render(request, "reports/index.html", {"announcements": announcements[:100]})


@role_required(*STAFF)
@require_GET
def dashboard(request, pk):
    """The charts and tables are rendered once per version of the figures and language
    (reports.selectors.dashboard_sections); the frame around them per request."""
    announcement = selectors.announcement_for(request.user, pk)
    computed_at, sections_html = dashboard_sections(announcement)
    return render(
        request,
        "reports/dashboard.html",
        {
            "announcement": announcement,
            "sections_html": sections_html,
            "computed_at": timezone.localtime(parse_datetime(computed_at)),
            "is_admin": request.user.has_role(Role.ADMINISTRATOR),
        },
    )


def dashboard_sections(announcement) -> tuple[str, str]:
    key = f"reports:dashboard-html:{announcement.pk}:{selectors.version(announcement.pk)}:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = selectors.dashboard(announcement)
    sections = [
        _section(tables.table_of(chart, data), reverse("reports:chart_xlsx", args=[announcement.pk, chart]))
        for chart in tables.CHARTS
    ]
    html = render_to_string("reports/_sections.html", {"sections": sections})
    cache.set(key, (data["computed_at"], html), selectors.DASHBOARD_SECONDS)
    return data["computed_at"], html


def _table(request, pk, chart):
    if chart not in tables.CHARTS:
        raise Http404
    announcement = selectors.announcement_for(request.user, pk)
    return announcement, tables.table_of(chart, selectors.dashboard(announcement))


@role_required(*STAFF)
@require_GET
def chart_data(request, pk, chart):
    """The chart and the table it is drawn from, as JSON (the page embeds the same)."""
    _announcement, table = _table(request, pk, chart)
    payload = {
        "key": table.key,
        "title": table.title,
        "columns": table.columns,
        "rows": table.rows,
        "chart": tables.chart_of(table),
    }
    return _private(JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "default": str}))


@role_required(*STAFF)
@require_GET
def chart_xlsx(request, pk, chart):
    announcement, table = _table(request, pk, chart)
    response = HttpResponse(excel.workbook(table, caption=announcement.title), content_type=excel.XLSX)
    _attachment(response, f"report-{announcement.pk}-{chart}.xlsx", f"{table.title}-{announcement.pk}.xlsx")
    return _private(response)


@role_required(*STAFF)
@require_GET
def report_pdf(request, pk):
    """The printable final report (funnel, positions, hires)."""
    announcement = selectors.announcement_for(request.user, pk)
    try:
        content = documents.final_report_pdf(announcement, selectors.dashboard(announcement))
    except FontMissing as error:
        return render(request, "reports/font_missing.html", {"error": str(error)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    _attachment(response, f"report-{announcement.pk}.pdf", f"{_('招聘工作统计报告')}-{announcement.pk}.pdf")
    return _private(response)


# --- the recruitment archive (招聘档案), administrators ---------------------------------------


@role_required(Role.ADMINISTRATOR)
@require_POST
def archive_start(request, pk):
    announcement = selectors.announcement_for(request.user, pk)
    job = archive.job_create(actor=request.user, announcement=announcement)
    return redirect("reports:job", pk=job.pk)


def _job(request, pk) -> BackgroundJob:
    """The user's own archive job; anyone else's is not found."""
    return get_object_or_404(BackgroundJob, pk=pk, kind=archive.JOB_KIND, created_by=request.user)


@role_required(Role.ADMINISTRATOR)
@require_GET
def job(request, pk):
    found = _job(request, pk)
    title = (
        Announcement.objects.filter(pk=found.announcement_id).values_list("title", flat=True).first() or ""
    )
    return render(request, "reports/job.html", {"job": found, "announcement_title": title})


@role_required(Role.ADMINISTRATOR)
@require_GET
def job_progress(request, pk):
    return render(request, "reports/_job_progress.html", {"job": _job(request, pk)})


@role_required(Role.ADMINISTRATOR)
@require_GET
def job_download(request, pk):
    found = _job(request, pk)
    if found.status != BackgroundJob.Status.DONE or not found.result_file:
        raise Http404
    try:
        handle = found.result_file.open("rb")
    except FileNotFoundError:  # purged with the other old exports
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.result_file.name.rsplit("/", 1)[-1],
        content_type=archive.ZIP,
    )
    return _private(response)


# --- workforce reports (administrators; unit managers for their units) --------------------


def _workforce_reader(request):
    from . import workforce_stats as workforce  # noqa: PLC0415

    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not workforce.may_read(request.user):
        raise PermissionDenied
    return workforce, None


@require_GET
def workforce_dashboard(request):
    workforce, refused = _workforce_reader(request)
    if refused:
        return refused
    data = workforce.data_for(request.user)
    sections = [
        _section(workforce.table_of(key, data), reverse("reports:workforce_xlsx", args=[key]))
        for key in workforce.CHARTS
    ]
    return render(
        request, "reports/workforce.html", {"sections": sections, "computed_at": _computed_at(data)}
    )


def _workforce_table(request, chart):
    workforce, refused = _workforce_reader(request)
    if refused:
        return None, refused
    if chart not in workforce.CHARTS:
        raise Http404
    return workforce.table_of(chart, workforce.data_for(request.user)), None


@require_GET
def workforce_data(request, chart):
    table, refused = _workforce_table(request, chart)
    if refused:
        return refused
    payload = {"key": table.key, "title": table.title, "columns": table.columns, "rows": table.rows}
    payload["chart"] = tables.chart_of(table)
    return _private(JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "default": str}))


@require_GET
def workforce_xlsx(request, chart):
    table, refused = _workforce_table(request, chart)
    if refused:
        return refused
    response = HttpResponse(excel.workbook(table), content_type=excel.XLSX)
    _attachment(response, f"workforce-{chart}.xlsx", f"{table.title}.xlsx")
    return _private(response)


# --- public registration statistics (报名人数统计) -------------------------------------------


def _public_announcement(pk) -> Announcement:
    return get_object_or_404(Announcement, pk=pk, status__in=recruitment_selectors.PUBLIC_STATUSES)


PUBLIC_VERSION_SECONDS = 2


def _public_version(pk) -> int:
    """The announcement's page version (recruitment.page_cache), remembered in this
    process's memory for PUBLIC_VERSION_SECONDS."""
    memo = caches["process"]
    key = f"reports:public-version:{pk}"
    value = memo.get(key)
    if value is None:
        value = page_cache.version(int(pk))
        memo.set(key, value, PUBLIC_VERSION_SECONDS)
    return value


@require_GET
def public_statistics(request, pk):
    """Counts only, never a name: per position today's applicants and approvals (the
    position table's live counts) and first submissions per day. Anonymous visitors share
    one rendering per path and language for PAGE_SECONDS, kept in the process's memory
    (recruitment.page_cache) under the announcement's version (moved by every audited
    change: a corrected title or position), so a correction shows within
    PUBLIC_VERSION_SECONDS. The version is read from the shared cache at most once per
    PUBLIC_VERSION_SECONDS per process: a Redis read per view cost more than the rest of a
    hit (bench/RESULTS.md)."""
    key = None
    if page_cache._shared(request):
        key = f"reports:public:{pk}:v{_public_version(pk)}:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        if (page := page_cache.get(key)) is not None:
            return page_cache.response(request, page)
    announcement = _public_announcement(pk)
    positions = list(announcement.positions.order_by("code", "pk"))
    counts = recruitment_selectors.position_counts(announcement.pk)
    history = selectors.public_history(announcement)
    chosen = None
    raw = request.GET.get("position", "")
    if raw.isdigit():
        chosen = next((p for p in positions if p.pk == int(raw)), None)
    series = history["by_position"].get(chosen.pk, []) if chosen else history["days"]
    days = [
        {"day": day, "n": n, "total": total}
        for (day, n), total in zip(series, funnel.cumulative([n for _d, n in series]), strict=True)
    ]
    rows = []
    total_quota = total_submitted = total_approved = 0
    for position in positions:
        figures = counts.get(position.pk, recruitment_selectors.ZERO_COUNTS)
        rows.append(
            {
                "position": position,
                "submitted": figures["submitted"],
                "approved": figures["approved"],
                "ratio": funnel.ratio(figures["submitted"], position.quota),
            }
        )
        total_quota += position.quota
        total_submitted += figures["submitted"]
        total_approved += figures["approved"]
    chart = {
        "type": "bar",
        "labels": [d["day"] for d in days],
        "datasets": [
            {"label": _("当日首次提交"), "data": [d["n"] for d in days], "type": "bar", "yAxisID": "y"},
            {"label": _("累计"), "data": [d["total"] for d in days], "type": "line", "yAxisID": "y1"},
        ],
        "horizontal": False,
        "stacked": False,
        "secondAxis": True,
    }
    html = render_to_string(
        "reports/public.html",
        {
            "announcement": announcement,
            "rows": rows,
            "days": days,
            "chosen": chosen,
            "positions": positions,
            "chart": chart,
            "totals": {"quota": total_quota, "submitted": total_submitted, "approved": total_approved},
            "as_of": timezone.localtime(parse_datetime(history["computed_at"])),
        },
        request=request,
    )
    if key:
        page_cache.store(key, html)
    return HttpResponse(html)
