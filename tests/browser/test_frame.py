"""The frame in a real browser (Debian's Chromium): every staff page and the applicant pages,
at 1280 px and 390 px, in Chinese and English. A page never scrolls sideways and nothing
styled not to wrap is clipped (its scrollWidth ≤ clientWidth). The list of pages comes from
the URL registry: `test_every_page_is_covered` fails when a page is neither visited here
nor excused in EXCLUDED. Screenshots go to var/screenshots/ (git-ignored; CI keeps them).

One live server and one browser page for each language; each page is loaded once and
measured at both widths (the layout reflows on resize, no reload needed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (1280, 390)

# Namespaces (and root names) whose pages this test must cover.
NAMESPACES = (
    "accounts",
    "recruitment",
    "review",
    "notifications",
    "exams",
    "applicants",
    "reports",
    "hiring",
    "workforce",
)
ROOT_NAMES = ("home", "workbench", "site_settings")

# Pages not visited, and why: no HTML page of their own (POST actions, files, fragments).
EXCLUDED = {
    "accounts:staff_role": "POST only (grant or revoke), answered by a redirect",
    "accounts:staff_status": "POST only",
    "accounts:staff_expiry": "POST only",
    "accounts:privacy": "the privacy notice is public text on allauth's narrow layout (tests/accounts)",
    "notifications:mark_read": "POST only",
    "notifications:mark_all_read": "POST only",
    "notifications:template_preview": "htmx fragment of template_edit (visited through it)",
    "notifications:mass_progress": "htmx fragment of mass_detail (visited through it)",
    "recruitment:attachment": "a file download",
    "recruitment:positions_xlsx": "a spreadsheet download",
    "recruitment:import_template": "a spreadsheet download",
    "recruitment:publish": "POST only (the confirmation is on manage_detail)",
    "recruitment:close": "POST only",
    "recruitment:archive": "POST only",
    "recruitment:position_delete": "POST only",
    "recruitment:attachment_delete": "POST only",
    "recruitment:attachment_upload": "POST only (the form is on manage_detail)",
    "review:photo": "an image",
    "review:document": "a private file",
    "review:registration_form": "a PDF",
    "review:bulk_approve": "POST only",
    "review:position_adjust": "POST only (the form is on opening_ratio)",
    "exams:plan_create": "POST only (the button is on exams:index)",
    "review:export": "POST only",
    "review:job_progress": "htmx fragment of review:job",
    "review:job_download": "a file download",
    "review:reopen": "POST only (the form is on review:application, for administrators)",
    "exams:session_delete": "POST only",
    "exams:venue_delete": "POST only",
    "exams:room_delete": "POST only",
    "exams:proctor_remove": "POST only",
    "exams:issue": "POST only",
    "exams:ticket_pdf": "a PDF",
    "exams:checkin_admit": "POST only",
    "exams:checkin_disqualify": "POST only",
    "exams:checkin_close": "POST only",
    "exams:checkin_photo": "an image",
    "exams:room_sheet": "a PDF",
    "exams:job": "an htmx progress fragment",
    "exams:written_template": "a spreadsheet download",
    "exams:written_import": "POST only",
    "exams:written_job": "an htmx progress fragment",
    "exams:written_pass_line": "POST only",
    "exams:written_compute": "POST only",
    "exams:written_publish": "POST only",
    "exams:written_public_xlsx": "a spreadsheet download",
    "exams:written_lookup": "a lookup answered inside written_results",
    "exams:written_resolve": "needs a double-entry mismatch (tests/exams/test_written_entry.py)",
    "exams:written_correct": "needs an entered score (tests/exams/test_written_entry.py)",
    "exams:written_my_score": "shown once results are published (tests/exams)",
    "exams:written_bonus_claim": "open only with bonus categories in the window (tests/exams)",
    "exams:written_public": "public only after publication (tests/exams)",
    "exams:written_public_bonus": "public only after publication (tests/exams)",
    "exams:ranking_run": "POST only",
    "exams:interview_examiner_add": "POST only (the form is on interview_group)",
    "exams:interview_examiner_action": "POST only",
    "exams:interview_candidates_assign": "POST only",
    "exams:interview_candidate_remove": "POST only",
    "exams:interview_publish": "POST only",
    "exams:interview_checkin_mark": "POST only",
    "exams:interview_draw": "POST only (the buttons are on interview_checkin)",
    "exams:interview_draw_redo": "POST only (the form is on interview_checkin)",
    "exams:interview_conflict": "POST only (the form is on interview_mine)",
    "exams:interview_reopen": "POST only (the form is on interview_chief)",
    "exams:interview_sign_off": "POST only",
    "exams:interview_late": "POST only",
    "exams:interview_score_state": "htmx fragment of interview_score",
    "exams:interview_chief_board": "htmx fragment of interview_chief",
    "exams:ranking_confirm": "POST only",
    "exams:ranking_publish": "POST only",
    "applicants:document_file": "a private file",
    "applicants:document_delete": "POST only",
    "applicants:photo_file": "an image",
    "applicants:save_draft": "POST only",
    "applicants:withdraw": "POST only",
    "applicants:resubmit": "POST only",
    "applicants:registration_form": "a PDF",
    "reports:chart_data": "JSON of a chart (drawn on reports:dashboard)",
    "reports:chart_xlsx": "a spreadsheet download",
    "reports:report_pdf": "a PDF",
    "reports:archive_start": "POST only (the button is on reports:dashboard)",
    "reports:job_progress": "htmx fragment of reports:job",
    "reports:job_download": "a file download",
    "reports:workforce_data": "JSON of a chart (drawn on reports:workforce)",
    "reports:workforce_xlsx": "a spreadsheet download",
    "hiring:propose": "POST only (the button is on hiring:announcement)",
    "hiring:proposal_action": "POST only (the forms are on hiring:proposal)",
    "hiring:export": "a spreadsheet or PDF download",
    "hiring:notice_export": "a spreadsheet or PDF download",
    "hiring:chain_xlsx": "a spreadsheet download",
    "exams:shortlist_compute": "POST only (the button is on exams:shortlist)",
    "exams:shortlist_publish": "POST only (the button is on exams:shortlist)",
    "exams:shortlist_declaration_file": "a private file",
    "exams:shortlist_confirm": "POST only (the button is on exams:shortlist_mine)",
    "exams:shortlist_give_up": "POST only (the form is on exams:shortlist_mine)",
    "exams:shortlist_give_up_confirm": "POST only (the form is on exams:shortlist_mine)",
    "workforce:probation_review": "POST only (the form is on workforce:worker)",
    "workforce:probation_set": "POST only (the form is on workforce:worker)",
    "workforce:import_template": "a spreadsheet download",
    "workforce:assessment_confirm": "POST only (the buttons are on workforce:assessment)",
    "workforce:grades_apply": "POST only (the button is on workforce:assessments)",
    "workforce:training_reminders": "POST only (the button is on workforce:programmes)",
    "workforce:me_certificate": "a PDF",
    "workforce:me_side_job_withdraw": "POST only (the button is on workforce:me_side_job)",
}


def registered_pages() -> set[str]:
    """Every named URL of NAMESPACES and ROOT_NAMES in the project's URL registry."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                full = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if namespace.split(":")[0] in NAMESPACES or full in ROOT_NAMES:
                    names.add(full)

    walk(get_resolver().url_patterns)
    return names


@dataclass
class Page:
    name: str
    role: str  # which signed-in user opens it
    args: tuple = ()
    query: str = ""


def build_world():
    """The data every page needs, and the list of pages with their path parameters filled
    from it (factories, as in the other tests)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import staff_services
    from accounts.roles import Role
    from notifications.models import MassNotice
    from notifications.services import notify
    from portal.models import BackgroundJob
    from recruitment.models import Announcement
    from tests.applicants.factories import ApplicationFactory, ProfileFactory, ReasonFactory, assign
    from tests.exams.factories import make_exam, proctor_of
    from tests.factories import UserFactory
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR, name="管理员甲", email="admin@example.cn"),
        "reviewer": UserFactory(role=Role.REVIEWER, name="审核员乙"),
        "examiner": UserFactory(role=Role.EXAMINER, name="考官丙"),
        "proctor": UserFactory(role=Role.PROCTOR, name="监考丁"),
        "unit_manager": UserFactory(role=Role.UNIT_MANAGER, name="街道管理员戊"),
    }
    plan, applications = make_exam(candidates=4, positions=2)
    announcement = plan.announcement
    position = announcement.positions.first()
    assign(users["reviewer"], announcement)
    venue = plan.venues.first()
    room = venue.rooms.first()
    session = plan.sessions.first()
    # The exam is today: a proctor sees their venue's candidates only around exam day.
    starts = timezone.now() + timedelta(hours=1)
    type(session).objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    proctor_of(venue, users["proctor"], chief=True)
    # Tickets issued: the check-in pages open (the plan pages then show corrections).
    type(plan).objects.filter(pk=plan.pk).update(tickets_issued_at=timezone.now())
    profile = ProfileFactory()
    users["applicant"] = profile.user
    profile.user.groups.add(Group.objects.get(name=Role.APPLICANT))
    open_position = PositionFactory(announcement=AnnouncementFactory())
    mine = ApplicationFactory(position=position, applicant=profile.user)
    review_application = applications[0]
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, title="草稿：2027年社区工作者招聘公告")
    PositionFactory(announcement=draft)
    reason = ReasonFactory(code="browser-education")
    target = staff_services.staff_account_create(
        actor=users["administrator"],
        email="temp-proctor@example.cn",
        name="临时监考人员",
        password="Kaowu#2026x",
        roles=[Role.PROCTOR],
        reason="笔试当天监考",
    )
    notice = MassNotice.objects.create(
        author=users["administrator"],
        audience="all",
        subject="关于笔试安排的通知",
        body="请按时参加笔试。",
        total=0,
    )
    message = notify(
        recipient=profile.user, event="application_approved", context={"announcement": announcement.title}
    )
    job = BackgroundJob.objects.create(
        kind="export",
        created_by=users["administrator"],
        announcement_id=announcement.pk,
        total=10,
        done=10,
        status=BackgroundJob.Status.DONE,
    )
    reports_job = BackgroundJob.objects.create(
        kind="reports_archive",
        created_by=users["administrator"],
        announcement_id=announcement.pk,
        total=7,
        done=3,
        status=BackgroundJob.Status.RUNNING,
    )
    from tests.exams.ranking_helpers import probe_version  # ranking (H17c)

    ranking_version, ranking_job = probe_version(
        announcement, position, [mine, applications[0]], users["administrator"]
    )
    from tests.exams.interview_factories import probe_world  # interviews (H17b)

    interview, _bodies = probe_world(announcement, applications[1], users)
    group_pk = interview["exams:interview_group"]["group_pk"]
    seat_pk = interview["exams:interview_examiner_replace"]["examiner_pk"]
    from tests.hiring.factories import hiring_world  # hiring (issue 18)

    hiring = hiring_world(users["administrator"], applicant=users["applicant"])
    hiring_a, hiring_p = hiring["announcement"].pk, hiring["position"].pk
    from tests.exams.shortlist_factories import probe_world as shortlist_world  # shortlist (H17a)

    shortlist, _bodies = shortlist_world(announcement, mine, users["administrator"])
    shortlist_entry = shortlist["exams:shortlist_entry"]["entry_pk"]
    from tests.workforce.factories import frame_world  # workforce (issue 19)

    workforce = frame_world(users)
    admin = "administrator"
    pages = [
        Page("home", "anonymous"),
        Page("workbench", admin),
        Page("workbench", "reviewer"),
        Page("workbench", "examiner"),
        Page("workbench", "proctor"),
        Page("workbench", "unit_manager"),
        Page("site_settings", admin),
        Page("accounts:me", "reviewer"),
        Page("accounts:staff_list", admin),
        Page("accounts:staff_create", admin),
        Page("accounts:staff_detail", admin, (target.pk,)),
        Page("notifications:inbox", "applicant"),
        Page("notifications:detail", "applicant", (message.pk,)),
        Page("notifications:templates", admin),
        Page("notifications:template_edit", admin, ("application_approved", "zh-hans")),
        Page("notifications:mass_list", admin),
        Page("notifications:mass_new", admin),
        Page("notifications:mass_detail", admin, (notice.pk,)),
        Page("recruitment:list", "anonymous"),
        Page("recruitment:detail", "anonymous", (open_position.announcement_id,)),
        Page("recruitment:manage_list", admin),
        Page("recruitment:create", admin),
        Page("recruitment:manage_detail", admin, (announcement.pk,)),
        Page("recruitment:edit", admin, (draft.pk,)),
        Page("recruitment:correction_create", admin, (announcement.pk,)),
        Page("recruitment:position_create", admin, (draft.pk,)),
        Page("recruitment:position_import", admin, (draft.pk,)),
        Page("recruitment:position_edit", admin, (draft.pk, draft.positions.first().pk)),
        Page("recruitment:position_reduce", admin, (announcement.pk, position.pk)),
        Page("recruitment:position_cancel", admin, (announcement.pk, position.pk)),
        Page("recruitment:reviewers", admin, (announcement.pk,)),
        Page("review:queue", "reviewer"),
        Page("review:queue", admin, query=f"?announcement={announcement.pk}"),
        Page("review:application", "reviewer", (review_application.pk,)),
        Page("review:job", admin, (job.pk,)),
        Page("review:opening_ratio", admin, (announcement.pk,)),
        Page("review:reasons", admin),
        Page("review:reason_edit", admin, (reason.pk,)),
        Page("exams:index", admin),
        Page("exams:plan", admin, (announcement.pk,)),
        Page("exams:plan_edit", admin, (announcement.pk,)),
        Page("exams:window_correct", admin, (announcement.pk,)),
        Page("exams:session_add", admin, (announcement.pk,)),
        Page("exams:session_edit", admin, (announcement.pk, session.pk)),
        Page("exams:session_correct", admin, (announcement.pk, session.pk)),
        Page("exams:venue_add", admin, (announcement.pk,)),
        Page("exams:venue_edit", admin, (announcement.pk, venue.pk)),
        Page("exams:venue_correct", admin, (announcement.pk, venue.pk)),
        Page("exams:rooms_add", admin, (announcement.pk, venue.pk)),
        Page("exams:proctor_add", admin, (announcement.pk, venue.pk)),
        Page("exams:room_edit", admin, (announcement.pk, room.pk)),
        Page("exams:room_correct", admin, (announcement.pk, room.pk)),
        Page("exams:checkin_index", "proctor"),
        Page("exams:checkin", "proctor", (session.pk,)),
        Page("exams:room_marks", "proctor", (session.pk, room.pk)),
        Page("exams:written_index", admin),
        Page("exams:written_results", admin, (announcement.pk,)),
        Page("exams:written_room_entry", admin, (announcement.pk, room.pk)),
        Page("exams:written_bonus_review", admin, (announcement.pk,)),
        Page("exams:written_reviews", admin, (announcement.pk,)),
        Page("exams:written_my_scores", "applicant"),
        # Ranking (issue 17, H17c): a confirmed, published version with a 加试 pending.
        Page("exams:ranking_index", admin),
        Page("exams:ranking_versions", admin, (announcement.pk,)),
        Page("exams:ranking_job", admin, (ranking_job.pk,)),
        Page("exams:ranking_version", admin, (announcement.pk, ranking_version.number)),
        Page("exams:ranking_position", admin, (announcement.pk, ranking_version.number, position.pk)),
        Page("exams:ranking_extra_test", admin, (announcement.pk, ranking_version.number)),
        Page("exams:ranking_public", "anonymous", (announcement.pk,)),
        Page("exams:ranking_mine", "applicant"),
        # Interviews (issue 17, H17b): a group today, the examiner its chief.
        Page("exams:interview_index", admin),
        Page("exams:interview_groups", admin, (announcement.pk,)),
        Page("exams:interview_group_add", admin, (announcement.pk,)),
        Page("exams:interview_group", admin, (announcement.pk, group_pk)),
        Page("exams:interview_group_edit", admin, (announcement.pk, group_pk)),
        Page("exams:interview_group_delete", admin, (announcement.pk, group_pk)),
        Page("exams:interview_examiner_replace", admin, (announcement.pk, group_pk, seat_pk)),
        Page("exams:interview_checkin", admin, (group_pk,)),
        Page("exams:interview_mine", "examiner"),
        Page("exams:interview_score", "examiner", (group_pk,)),
        Page("exams:interview_chief", "examiner", (group_pk,)),
        # Shortlist and interview settings (issue 17, H17a): the applicant's entry published.
        Page("exams:settings_edit", admin, (draft.pk,)),
        Page("exams:shortlist_index", admin),
        Page("exams:shortlist", admin, (announcement.pk,)),
        Page("exams:shortlist_entry", admin, (announcement.pk, shortlist_entry)),
        Page("exams:shortlist_disqualify", admin, (announcement.pk,)),
        Page("exams:shortlist_job", admin, (shortlist["exams:shortlist_job"]["pk"],)),
        Page("exams:shortlist_public", "anonymous", (announcement.pk,)),
        Page("exams:shortlist_my", "applicant"),
        Page("exams:shortlist_mine", "applicant", (mine.pk,)),
        Page("applicants:profile", "applicant"),
        Page("applicants:files", "applicant"),
        Page("applicants:applications", "applicant"),
        Page("applicants:apply", "applicant", (open_position.pk,)),
        Page("applicants:application", "applicant", (mine.pk,)),
        Page("reports:index", admin),
        Page("reports:dashboard", admin, (announcement.pk,)),
        Page("reports:dashboard", "reviewer", (announcement.pk,)),
        Page("reports:job", admin, (reports_job.pk,)),
        Page("reports:public", "anonymous", (announcement.pk,)),
        Page("reports:workforce", admin),
        Page("reports:workforce", "unit_manager"),
        # Hiring (issue 18): proposed from a confirmed ranking, one backfill, a notice open today.
        Page("hiring:index", admin),
        Page("hiring:announcement", admin, (hiring_a,)),
        Page("hiring:settings", admin, (hiring_a,)),
        Page("hiring:notice_new", admin, (hiring_a,)),
        Page("hiring:proposal", admin, (hiring_a, hiring["proposal"].pk)),
        Page("hiring:extra_test", admin, (hiring_a, hiring_p)),
        Page("hiring:chain", admin, (hiring_a, hiring_p)),
        Page("hiring:public_notices", "anonymous"),
        Page("hiring:public_notice", "anonymous", (hiring["notice"].pk,)),
        Page("hiring:give_up", "applicant", (hiring["application"].pk,)),
        # Workforce (issue 19): the unit manager's street office, the worker's own pages.
        Page("workforce:index", "unit_manager"),
        Page("workforce:worker", "unit_manager", (workforce["workforce:worker"],)),
        Page("workforce:assessments", "unit_manager"),
        Page("workforce:assessment", "unit_manager", (workforce["workforce:assessment"],)),
        Page("workforce:side_jobs", "unit_manager"),
        Page("workforce:side_job", "unit_manager", (workforce["workforce:side_job"],)),
        Page("workforce:import", admin),
        Page("workforce:import_job", admin, (workforce["workforce:import_job"],)),
        Page("workforce:units", admin),
        Page("workforce:settings", admin),
        Page("workforce:pay_settings", admin),
        Page("workforce:programmes", admin),
        Page("workforce:programme", admin, (workforce["workforce:programme"],)),
        Page("workforce:training_checkin", admin, (workforce["workforce:training_checkin"],)),
        Page("workforce:me", "worker"),
        Page("workforce:me_training", "worker"),
        Page("workforce:me_side_jobs", "worker"),
        Page("workforce:me_side_job_new", "worker"),
        Page("workforce:me_side_job", "worker", (workforce["workforce:me_side_job"],)),
    ]
    return users, pages


# The measurement, in the page: sideways scroll of the document, and every rendered
# element whose white-space forbids wrapping but whose content is wider than its box.
MEASURE = """() => {
  const skip = el => el.closest('.visually-hidden, .visually-hidden-focusable:not(:focus), [hidden], .table-responsive');
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['nowrap', 'pre'].includes(style.whiteSpace) || style.display === 'inline') continue;
    if (el.getClientRects().length === 0 || el.clientWidth === 0 || skip(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      clipped.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}" ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  // A box that clips or scrolls its content sideways (other than a table's scroller, which
  // is meant to): its content must fit, or something in it is cut off.
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['hidden', 'auto', 'scroll', 'clip'].includes(style.overflowX) || el.classList.contains('table-responsive')) continue;
    if (el.matches('input, textarea, select')) continue;  // a long value scrolls inside its field
    if (el.getClientRects().length === 0 || el.clientWidth === 0 || skip(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      clipped.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} scrolls or clips ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  const root = document.documentElement;
  return {overflow: root.scrollWidth - root.clientWidth, clipped};
}"""


def _cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_at_1280_and_390_px(needs_chromium, live_server, page, language):
    users, pages = build_world()
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = _cookie(client)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = page.context
    problems = []
    current = None
    for item in pages:
        if item.role != current:
            context.clear_cookies()
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            if item.role != "anonymous":
                cookies.append(
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": sessions[item.role],
                        "url": live_server.url,
                    }
                )
            context.add_cookies(cookies)
            current = item.role
        url = reverse(item.name, args=item.args) + item.query
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        label = f"{item.name} as {item.role}"
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as error:  # e.g. an empty error response
            problems.append(f"{label}: {error.message.splitlines()[0]}")
            page.goto("about:blank")
            continue
        if response is None or response.status != 200:
            problems.append(f"{label}: HTTP {response.status if response else '—'}")
            continue
        assert page.locator("html").get_attribute("lang") == language, label
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            result = page.evaluate(MEASURE)
            if result["overflow"] > 0:
                problems.append(f"{label} at {width}px scrolls sideways by {result['overflow']}px")
            for element in result["clipped"]:
                problems.append(f"{label} at {width}px clips {element}")
            slug = f"{item.name.replace(':', '-')}-{item.role}-{'-'.join(map(str, item.args))}".rstrip("-")
            page.screenshot(path=str(SCREENSHOTS / f"{language}-{width}-{slug}.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_every_page_is_covered():
    """A new page (a named URL of the apps) must be visited above or excused in EXCLUDED."""
    pages = _page_names()
    missing = sorted(registered_pages() - pages - set(EXCLUDED))
    assert not missing, f"pages neither visited nor excused in tests/browser/test_frame.py: {missing}"
    stale = sorted((pages | set(EXCLUDED)) - registered_pages())
    assert not stale, f"listed but no longer in the URL registry: {stale}"


def _page_names() -> set[str]:
    """The names build_world visits, read from its source (no database needed)."""
    import inspect
    import re

    return set(re.findall(r'Page\("([\w:]+)"', inspect.getsource(build_world)))


@pytest.mark.django_db(transaction=True)
def test_the_staff_menu_opens_off_canvas_on_a_phone_and_htmx_polls_under_the_csp(
    needs_chromium, live_server, page
):
    """At 390 px the side navigation is behind the menu button (Bootstrap offcanvas); the
    htmx progress fragment still updates with the Content-Security-Policy on; no CSP
    violation is reported."""
    from accounts.roles import Role
    from portal.models import BackgroundJob
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMINISTRATOR)
    job = BackgroundJob.objects.create(
        kind="export", created_by=admin, total=4, done=1, status=BackgroundJob.Status.RUNNING
    )
    client = Client()
    client.force_login(admin)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": _cookie(client), "url": live_server.url}]
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("workbench"))
    staff_link = page.get_by_role("link", name="工作人员账号")
    assert not staff_link.is_visible()
    page.get_by_role("button", name="展开菜单").click()
    staff_link.wait_for(state="visible")
    # Bootstrap marks it "showing" during the slide, then "show": wait for the end of it.
    expect(page.locator("#staff-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"), timeout=5000)
    staff_link.click()
    page.wait_for_url(f"**{reverse('accounts:staff_list')}")

    page.goto(live_server.url + reverse("review:job", args=[job.pk]))
    with page.expect_response(lambda response: reverse("review:job_progress", args=[job.pk]) in response.url):
        BackgroundJob.objects.filter(pk=job.pk).update(done=4, status=BackgroundJob.Status.DONE)
    page.locator(".progress-bar.bg-success").wait_for()  # htmx swapped the finished fragment in
    # The language box still submits itself (portal.js, not an inline handler).
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert not violations, violations
