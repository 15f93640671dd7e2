"""Permission probe: every named URL of the portal, requested as every role, against one
table of expected outcomes (EXPECTED). The URL list comes from the URL registry (as in
tests/browser/test_frame.py): a URL that is neither in EXPECTED nor excused in NOT_PROBED
fails `test_every_url_is_classified`, so a new page must be classified here.

Outcomes (OK: 200, 204, or a redirect that is not the login page; LOGIN: the redirect to
sign in; 403; 404; NO: 403 or 404 for a role that has no business on the page at all).
An object-level refusal (someone else's application, an announcement the reviewer is not
assigned to, another venue's room) must be 404, so that existence does not leak.

Each request runs in a savepoint that is rolled back: an empty POST that would change
state (publish, close, issue) leaves the world as it was for the next cell. One client,
one world, one pass; the whole table is asserted at once and every wrong cell printed.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

pytestmark = [pytest.mark.django_db]

ROLES = (
    "anonymous",
    "applicant",  # an applicant with a profile and an application elsewhere, not the owner
    "owner",  # the applicant whose application, ticket, photo, document, message are probed
    "reviewer_other",  # a reviewer NOT assigned to the probed announcement
    "reviewer",  # a reviewer assigned to it
    "examiner",
    "unit_manager",
    "proctor_other",  # a proctor of the plan's other venue
    "proctor",  # the proctor of the owner's venue
    "administrator",
)

OK, LOGIN, E403, E404, NO = "ok", "login", "403", "404", "no"

# Namespaces and root names the probe covers; everything else in the registry is listed
# in NOT_PROBED with the reason.
NAMESPACES = (
    "accounts",
    "recruitment",
    "review",
    "notifications",
    "exams",
    "applicants",
    "hiring",
    "workforce",
)
ROOT_NAMES = ("home", "workbench", "site_settings", "site_logo", "healthz", "switch_language")
NOT_PROBED_PREFIXES = {
    "admin:": "Django admin: is_staff superusers only (Django's own checks)",
    "account_": "allauth's public sign-in, sign-up and reset pages",
    "socialaccount_": "allauth",
    "set_language": "Django's language switch (POST, no data)",
    "javascript-catalog": "public translation catalogue",
    "bench-trivial": "bench settings only",
    "favicon": "public redirect to the static icon (tests/portal/test_titles.py)",
}


def row(default=NO, anonymous=LOGIN, **cells):
    """Expected outcome per role: `default` for every signed-in role not named."""
    out = dict.fromkeys(ROLES, default)
    out["anonymous"] = anonymous
    out.update(cells)
    return out


PUBLIC = row(OK, anonymous=OK)
ANY_SIGNED_IN = row(OK)
ADMIN = row(administrator=OK)
# Recruitment's staff pages: administrators change, reviewers read (every announcement).
ADMIN_REVIEWERS = row(administrator=OK, reviewer=OK, reviewer_other=OK)
# The review console: reviewers of the announcement and administrators; other reviewers 404.
REVIEW_OBJECT = row(administrator=OK, reviewer=OK, reviewer_other=E404)
REVIEW_PAGE = row(administrator=OK, reviewer=OK, reviewer_other=OK)
# The owner's own things: other applicants 404; staff roles 403 or 404.
OWNER = row(owner=OK, applicant=E404)
APPLICANT_PAGE = row(owner=OK, applicant=OK)
# Check-in: the proctor of the venue and administrators; a proctor of another venue of the
# same exam sees the session (their own venue only) but not the owner's room or photo.
CHECKIN_SESSION = row(administrator=OK, proctor=OK, proctor_other=OK)
CHECKIN_OBJECT = row(administrator=OK, proctor=OK, proctor_other=E404)
# Written scores: administrators and the announcement's reviewers (others 404).
WRITTEN = row(administrator=OK, reviewer=OK, reviewer_other=E404, applicant=E404, owner=E404)
UNPUBLISHED = row(E404, anonymous=E404)
WRITTEN_INDEX = row(administrator=OK, reviewer=OK, reviewer_other=OK)
# Ranking actions: administrators only; the announcement's reviewers read (403 on an action).
RANKING_ADMIN = row(administrator=OK, reviewer=E403, reviewer_other=E404, applicant=E404, owner=E404)

# Workforce (issue 19): administrators and the unit manager of the worker's street office;
# a worker's own pages: the owner (the probe's worker) only, 404 for everyone else.
WORKFORCE_STAFF = row(administrator=OK, unit_manager=OK)
WORKER_OWN = row(E404, owner=OK)

# name: (methods, expected) or (methods, {method: expected}). GET pages and forms are probed
# with GET (and forms also with an empty POST); POST-only endpoints with an empty POST.
G, P, GP = ("GET",), ("POST",), ("GET", "POST")
EXPECTED: dict[str, tuple[tuple[str, ...], dict]] = {
    # workforce (issue 19): administrators and the unit manager of the owner's street office
    # (another street's manager gets 404: tests/workforce); the owner is the worker.
    "workforce:index": (G, WORKFORCE_STAFF),
    "workforce:worker": (G, WORKFORCE_STAFF),
    "workforce:probation_review": (P, WORKFORCE_STAFF),
    "workforce:probation_set": (P, ADMIN),
    "workforce:import": (GP, ADMIN),
    "workforce:import_job": (G, ADMIN),
    "workforce:import_template": (G, ADMIN),
    "workforce:units": (GP, ADMIN),
    "workforce:settings": (GP, ADMIN),
    "workforce:pay_settings": (GP, ADMIN),
    "workforce:assessments": (GP, WORKFORCE_STAFF),
    "workforce:assessment": (GP, WORKFORCE_STAFF),
    "workforce:assessment_confirm": (P, ADMIN),
    "workforce:grades_apply": (P, ADMIN),
    "workforce:side_jobs": (G, WORKFORCE_STAFF),
    "workforce:side_job": (GP, WORKFORCE_STAFF),
    "workforce:programmes": (GP, ADMIN),
    "workforce:programme": (GP, ADMIN),
    "workforce:training_checkin": (GP, WORKFORCE_STAFF),
    "workforce:training_reminders": (P, ADMIN),
    # The worker's own pages: anyone signed in without a worker record gets 404.
    "workforce:me": (G, WORKER_OWN),
    "workforce:me_training": (G, WORKER_OWN),
    "workforce:me_certificate": (G, WORKER_OWN),
    "workforce:me_side_jobs": (G, WORKER_OWN),
    "workforce:me_side_job_new": (GP, WORKER_OWN),
    "workforce:me_side_job": (G, WORKER_OWN),
    "workforce:me_side_job_withdraw": (P, WORKER_OWN),
    # portal
    "home": (G, PUBLIC),
    "workbench": (G, ANY_SIGNED_IN),
    "site_settings": (GP, ADMIN),
    "site_logo": (G, PUBLIC),
    "healthz": (G, PUBLIC),
    "switch_language": (G, PUBLIC),
    # accounts
    "accounts:me": (G, ANY_SIGNED_IN),
    "accounts:privacy": (G, PUBLIC),
    "accounts:staff_list": (G, ADMIN),
    "accounts:staff_create": (GP, ADMIN),
    "accounts:staff_detail": (G, ADMIN),
    "accounts:staff_role": (P, ADMIN),
    "accounts:staff_status": (P, ADMIN),
    "accounts:staff_expiry": (P, ADMIN),
    # notifications
    "notifications:inbox": (G, ANY_SIGNED_IN),
    "notifications:detail": (G, row(owner=OK, default=E404)),
    "notifications:mark_read": (P, row(owner=OK, default=E404)),
    "notifications:mark_all_read": (P, ANY_SIGNED_IN),
    "notifications:templates": (G, ADMIN),
    "notifications:template_edit": (GP, ADMIN),
    "notifications:template_preview": (P, ADMIN),
    "notifications:mass_list": (G, ADMIN),
    "notifications:mass_new": (GP, ADMIN),
    "notifications:mass_detail": (G, ADMIN),
    "notifications:mass_progress": (G, ADMIN),
    # reports (issue 20): the announcement's reviewers and administrators; the archive
    # (招聘档案) and its job: administrators, their own job only; the public statistics: counts.
    "reports:index": (G, REVIEW_PAGE),
    "reports:dashboard": (G, REVIEW_OBJECT),
    "reports:chart_data": (G, REVIEW_OBJECT),
    "reports:chart_xlsx": (G, REVIEW_OBJECT),
    "reports:report_pdf": (G, REVIEW_OBJECT),
    "reports:archive_start": (P, ADMIN),
    "reports:job": (G, ADMIN),
    "reports:job_progress": (G, ADMIN),
    "reports:job_download": (G, ADMIN),
    "reports:public": (G, PUBLIC),
    "reports:workforce": (G, row(administrator=OK, unit_manager=OK)),
    "reports:workforce_data": (G, row(administrator=OK, unit_manager=OK)),
    "reports:workforce_xlsx": (G, row(administrator=OK, unit_manager=OK)),
    # hiring (issue 18): administrators only (reviewers and examiners cannot hire); the
    # public reads a notice from its first day; the applicant gives up their own proposal.
    "hiring:index": (G, ADMIN),
    "hiring:announcement": (G, ADMIN),
    "hiring:propose": (P, ADMIN),
    "hiring:settings": (GP, ADMIN),
    "hiring:notice_new": (GP, ADMIN),
    "hiring:notice_export": (G, ADMIN),
    "hiring:export": (G, ADMIN),
    "hiring:proposal": (G, ADMIN),
    "hiring:proposal_action": (P, ADMIN),
    "hiring:extra_test": (GP, ADMIN),
    "hiring:chain": (G, ADMIN),
    "hiring:chain_xlsx": (G, ADMIN),
    "hiring:public_notices": (G, PUBLIC),
    "hiring:public_notice": (G, PUBLIC),
    "hiring:give_up": (GP, OWNER),
    # recruitment: public
    "recruitment:list": (G, PUBLIC),
    "recruitment:detail": (G, PUBLIC),
    "recruitment:attachment": (G, PUBLIC),
    "recruitment:positions_xlsx": (G, PUBLIC),
    # recruitment: staff
    "recruitment:manage_list": (G, ADMIN_REVIEWERS),
    "recruitment:manage_detail": (G, ADMIN_REVIEWERS),
    "recruitment:create": (GP, ADMIN),
    "recruitment:import_template": (G, ADMIN),
    "recruitment:edit": (GP, ADMIN),
    "recruitment:publish": (P, ADMIN),
    "recruitment:correction_create": (GP, ADMIN),
    "recruitment:close": (P, ADMIN),
    "recruitment:archive": (P, ADMIN),
    "recruitment:position_create": (GP, ADMIN),
    "recruitment:position_import": (GP, ADMIN),
    "recruitment:position_edit": (GP, ADMIN),
    "recruitment:position_delete": (P, ADMIN),
    "recruitment:position_reduce": (GP, ADMIN),
    "recruitment:position_cancel": (GP, ADMIN),
    "recruitment:attachment_upload": (P, ADMIN),
    "recruitment:attachment_delete": (P, ADMIN),
    "recruitment:reviewers": (GP, ADMIN),
    # review
    "review:queue": (G, REVIEW_PAGE),
    "review:application": (GP, REVIEW_OBJECT),
    "review:reopen": (P, row(administrator=OK)),
    "review:photo": (G, REVIEW_OBJECT),
    "review:registration_form": (G, REVIEW_OBJECT),
    "review:document": (G, REVIEW_OBJECT),
    "review:bulk_approve": (GP, REVIEW_OBJECT),
    "review:export": (G, REVIEW_OBJECT),
    # The administrator's own job: another user's job is 404 for everybody.
    "review:job": (G, row(administrator=OK, reviewer=E404, reviewer_other=E404)),
    "review:job_progress": (G, row(administrator=OK, reviewer=E404, reviewer_other=E404)),
    "review:job_download": (G, row(administrator=OK, reviewer=E404, reviewer_other=E404)),
    "review:opening_ratio": (G, REVIEW_OBJECT),
    "review:position_adjust": (P, row(administrator=OK)),
    "review:reasons": (GP, ADMIN),
    "review:reason_edit": (GP, ADMIN),
    # applicants
    "applicants:profile": (G, APPLICANT_PAGE),
    "applicants:files": (G, APPLICANT_PAGE),
    "applicants:document_delete": (GP, OWNER),
    # Documented (applicants.selectors.profile_files_visible_to): owner, administrators and
    # reviewers of an announcement the owner applied to.
    "applicants:document_file": (G, row(owner=OK, default=E404, administrator=OK, reviewer=OK)),
    "applicants:photo_file": (G, row(owner=OK, default=E404, administrator=OK, reviewer=OK)),
    "applicants:applications": (G, APPLICANT_PAGE),
    "applicants:apply": (G, APPLICANT_PAGE),
    "applicants:save_draft": (P, APPLICANT_PAGE),
    "applicants:application": (G, OWNER),
    "applicants:withdraw": (P, OWNER),
    "applicants:resubmit": (GP, OWNER),
    "applicants:registration_form": (G, OWNER),
    # exams: plan (administrators)
    "exams:index": (G, ADMIN),
    "exams:plan_create": (P, ADMIN),
    "exams:plan": (G, ADMIN),
    "exams:plan_edit": (GP, ADMIN),
    "exams:window_correct": (GP, ADMIN),
    "exams:session_add": (GP, ADMIN),
    "exams:session_edit": (GP, ADMIN),
    "exams:session_delete": (P, ADMIN),
    "exams:session_correct": (GP, ADMIN),
    "exams:venue_add": (GP, ADMIN),
    "exams:venue_edit": (GP, ADMIN),
    "exams:venue_delete": (P, ADMIN),
    "exams:venue_correct": (GP, ADMIN),
    "exams:rooms_add": (GP, ADMIN),
    "exams:proctor_add": (GP, ADMIN),
    "exams:proctor_remove": (P, ADMIN),
    "exams:room_edit": (GP, ADMIN),
    "exams:room_delete": (P, ADMIN),
    "exams:room_correct": (GP, ADMIN),
    "exams:issue": (P, ADMIN),
    "exams:job": (G, ADMIN),
    # exams: the applicant's ticket
    "exams:ticket_pdf": (G, OWNER),
    # exams: check-in
    "exams:checkin_index": (G, row(administrator=OK, proctor=OK, proctor_other=OK)),
    "exams:checkin": (G, CHECKIN_SESSION),
    "exams:checkin_admit": (P, CHECKIN_SESSION),
    "exams:checkin_disqualify": (P, CHECKIN_SESSION),
    "exams:checkin_close": (P, row(administrator=OK)),
    "exams:checkin_photo": (G, CHECKIN_OBJECT),
    "exams:room_marks": (GP, CHECKIN_OBJECT),
    "exams:room_sheet": (G, CHECKIN_OBJECT),
    # exams: written scores (staff)
    "exams:written_index": (G, WRITTEN_INDEX),
    "exams:written_results": (G, WRITTEN),
    "exams:written_template": (G, WRITTEN),
    "exams:written_import": (P, WRITTEN),
    # An import job is the announcement's: its reviewers follow it too.
    "exams:written_job": (G, WRITTEN),
    "exams:written_room_entry": (GP, WRITTEN),
    "exams:written_resolve": (GP, WRITTEN),
    "exams:written_correct": (GP, WRITTEN),
    "exams:written_lookup": (G, WRITTEN),
    "exams:written_pass_line": (P, WRITTEN),
    "exams:written_compute": (P, WRITTEN),
    "exams:written_publish": (P, WRITTEN),
    "exams:written_bonus_review": (GP, WRITTEN),
    "exams:written_reviews": (GP, WRITTEN),
    # exams: written scores (the applicant's own, and the public results)
    "exams:written_my_scores": (G, APPLICANT_PAGE),
    "exams:written_my_score": (GP, OWNER),
    "exams:written_bonus_claim": (GP, OWNER),
    # The probe's results are not published: 404 for everybody until they are.
    "exams:written_public": (G, UNPUBLISHED),
    "exams:written_public_xlsx": (G, UNPUBLISHED),
    "exams:written_public_bonus": (G, UNPUBLISHED),
    # exams: interviews (issue 17, H17b): groups for administrators, check-in for the
    # announcement's staff, the blind scoring and the chief's board for the group's examiners
    "exams:interview_index": (G, ADMIN),
    "exams:interview_groups": (G, ADMIN),
    "exams:interview_group_add": (GP, ADMIN),
    "exams:interview_group": (G, ADMIN),
    "exams:interview_group_edit": (GP, ADMIN),
    "exams:interview_examiner_add": (P, ADMIN),
    "exams:interview_examiner_action": (P, ADMIN),
    "exams:interview_examiner_replace": (GP, ADMIN),
    "exams:interview_candidates_assign": (P, ADMIN),
    "exams:interview_candidate_remove": (P, ADMIN),
    "exams:interview_publish": (P, ADMIN),
    "exams:interview_group_delete": (GP, ADMIN),
    "exams:interview_checkin": (G, REVIEW_OBJECT),
    "exams:interview_checkin_mark": (P, REVIEW_OBJECT),
    "exams:interview_draw": (P, REVIEW_OBJECT),
    "exams:interview_draw_redo": (P, REVIEW_OBJECT),
    "exams:interview_mine": (G, row(examiner=OK)),
    "exams:interview_conflict": (P, row(examiner=OK)),
    "exams:interview_score": (GP, row(examiner=OK)),
    "exams:interview_score_state": (G, row(examiner=OK)),
    "exams:interview_chief": (G, row(examiner=OK)),
    "exams:interview_chief_board": (G, row(examiner=OK)),
    "exams:interview_reopen": (P, row(examiner=OK)),
    "exams:interview_sign_off": (P, row(examiner=OK)),
    "exams:interview_late": (P, row(examiner=OK)),
    # exams: ranking (issue 17, H17c): staff read, administrators act; the public list and
    # the applicant's own result once published.
    "exams:ranking_index": (G, WRITTEN_INDEX),
    "exams:ranking_versions": (G, WRITTEN),
    "exams:ranking_run": (P, RANKING_ADMIN),
    "exams:ranking_job": (G, WRITTEN),
    "exams:ranking_version": (G, WRITTEN),
    "exams:ranking_position": (G, WRITTEN),
    "exams:ranking_confirm": (P, RANKING_ADMIN),
    "exams:ranking_publish": (P, RANKING_ADMIN),
    "exams:ranking_extra_test": (GP, RANKING_ADMIN),
    "exams:ranking_public": (G, PUBLIC),
    "exams:ranking_mine": (G, APPLICANT_PAGE),
    # Shortlist and interview settings (issue 17, H17a): settings administrators only; the
    # shortlist staff pages as written scores; disqualification administrators only (the
    # announcement's reviewers 403); the applicant's own entry; the public list once published.
    "exams:settings_edit": (GP, ADMIN),
    "exams:shortlist_index": (G, WRITTEN_INDEX),
    "exams:shortlist": (G, WRITTEN),
    "exams:shortlist_compute": (P, WRITTEN),
    "exams:shortlist_publish": (P, WRITTEN),
    "exams:shortlist_entry": (GP, WRITTEN),
    "exams:shortlist_disqualify": (GP, RANKING_ADMIN),
    "exams:shortlist_job": (G, WRITTEN),
    "exams:shortlist_declaration_file": (G, WRITTEN),
    "exams:shortlist_public": (G, PUBLIC),
    "exams:shortlist_my": (G, APPLICANT_PAGE),
    "exams:shortlist_mine": (G, OWNER),
    "exams:shortlist_confirm": (P, OWNER),
    "exams:shortlist_give_up": (P, OWNER),
    "exams:shortlist_give_up_confirm": (P, OWNER),
}

# Cells known wrong, each with the report entry that names the fix (owner still editing the
# file). They are printed, not failed; one that turns right must be removed from here.
KNOWN_WRONG: dict[tuple[str, str, str], str] = {}

# Writes a GET may make, and why (anything else written during a GET is reported).
GET_WRITES_ALLOWED = {
    "notifications:detail": "opening a message marks it read",
    "exams:ticket_pdf": "the print is recorded (not printing may count as withdrawal)",
}
BOOKKEEPING_TABLES = ("django_session", "axes_", "accounts_user")  # sessions, lockout, last_login


def registered_names() -> dict[str, URLPattern]:
    names: dict[str, URLPattern] = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns)
    return names


def _excused(name: str) -> bool:
    return any(name.startswith(prefix) for prefix in NOT_PROBED_PREFIXES)


def test_every_url_is_classified():
    names = registered_names()
    unclassified = sorted(n for n in names if n not in EXPECTED and not _excused(n))
    stale = sorted(n for n in EXPECTED if n not in names)
    assert not unclassified, f"URLs not in the permission table: {unclassified}"
    assert not stale, f"table rows for URLs that no longer exist: {stale}"


def test_no_state_changing_view_is_csrf_exempt():
    exempt = sorted(
        name
        for name, pattern in registered_names().items()
        if getattr(pattern.callback, "csrf_exempt", False) and not _excused(name)
    )
    assert exempt == [], f"csrf_exempt views: {exempt}"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_no_open_redirect(client, target):
    response = client.get(reverse("switch_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    from tests.factories import UserFactory

    UserFactory(email="next@example.cn", role="applicant")
    response = client.post(
        reverse("account_login") + "?next=" + target, {"login": "next@example.cn", "password": "Secret#2026"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and not response["Location"].startswith("javascript")


def test_a_draft_announcement_is_hidden_from_the_public(client):
    """A draft's page, position table and attachments: 404 for visitors and applicants,
    readable for staff (reviewers read every announcement in the console)."""
    from recruitment.models import Announcement, AnnouncementAttachment
    from tests.factories import UserFactory
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None)
    PositionFactory(announcement=draft)
    attachment = AnnouncementAttachment.objects.create(
        announcement=draft, title="附件", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="d.pdf")
    )
    urls = [
        reverse("recruitment:detail", args=[draft.pk]),
        reverse("recruitment:positions_xlsx", args=[draft.pk]),
        reverse("recruitment:attachment", args=[draft.pk, attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(UserFactory(role="applicant"))
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(UserFactory(role="reviewer"))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_proctor_cannot_admit_a_candidate_of_another_venue(django_capture_on_commit_callbacks):
    """The admit endpoint takes a ticket id: a proctor of venue 02 posting the id of a
    candidate seated in venue 01 is refused and nothing is recorded."""
    from exams.models import Attendance, ProctorAssignment, Ticket
    from exams.services import tickets as ticket_services
    from tests.exams.factories import make_exam
    from tests.factories import UserFactory

    admin = UserFactory(role="administrator")
    plan, _apps = make_exam(candidates=1, positions=1, rooms=(("01", 1, 30), ("02", 1, 30)))
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=admin)
    ticket = Ticket.objects.select_related("room__venue").get()
    other_venue = plan.venues.exclude(pk=ticket.room.venue_id).get()
    proctor = UserFactory(role="proctor")
    ProctorAssignment.objects.create(venue=other_venue, proctor=proctor, chief=True, assigned_by=admin)
    session = plan.sessions.get()
    start = timezone.now() - timedelta(minutes=10)
    type(session).objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    client = Client()
    client.force_login(proctor)
    client.post(reverse("exams:checkin_admit", args=[session.pk]), {"ticket": ticket.pk, "via": "typed"})
    client.post(
        reverse("exams:checkin_disqualify", args=[session.pk]), {"ticket": ticket.pk, "reason": "夹带"}
    )
    assert not Attendance.objects.filter(ticket=ticket).exists()
    assert client.get(reverse("exams:checkin_photo", args=[session.pk, ticket.pk])).status_code == 404
    room = ticket.room
    assert client.get(reverse("exams:room_marks", args=[session.pk, room.pk])).status_code == 404


@pytest.mark.parametrize("days", [3, -30])
def test_a_proctor_reads_candidates_only_on_exam_day(django_capture_on_commit_callbacks, days):
    """Three days before the exam, or a month after it, the proctor of the venue gets 404
    for the room's candidate list (names) and the room's seating chart (names, masked IDs)."""
    from exams.models import Ticket
    from exams.services import tickets as ticket_services
    from tests.exams.factories import make_exam, proctor_of
    from tests.factories import UserFactory

    admin = UserFactory(role="administrator")
    plan, _apps = make_exam(candidates=1, positions=1)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=admin)
    ticket = Ticket.objects.select_related("room__venue").get()
    proctor = UserFactory(role="proctor")
    proctor_of(ticket.room.venue, proctor)
    session = plan.sessions.get()
    start = timezone.now() + timedelta(days=days)
    type(session).objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    client = Client()
    client.force_login(proctor)
    refused = [
        url
        for url in (
            reverse("exams:room_marks", args=[session.pk, ticket.room_id]),
            reverse("exams:room_sheet", args=[session.pk, ticket.room_id, "seating"]),
        )
        if client.get(url).status_code == 404
    ]
    assert len(refused) == 2


def test_staff_pages_refuse_applicant_and_superuser_accounts(client, administrator):
    """The staff-account pages manage staff only: an applicant's or a superuser's id is 404."""
    from accounts.models import User
    from tests.factories import UserFactory

    applicant = UserFactory(role="applicant")
    root = User.objects.create_superuser(email="root-probe@example.cn", password="Root#2026probe")
    client.force_login(administrator)
    for account in (applicant, root):
        assert client.get(reverse("accounts:staff_detail", args=[account.pk])).status_code == 404
        response = client.post(
            reverse("accounts:staff_role", args=[account.pk]), {"role": "administrator", "action": "grant"}
        )
        assert response.status_code == 404
    assert not applicant.groups.filter(name="administrator").exists()


def test_a_post_without_the_csrf_token_is_refused(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    assert client.post(reverse("notifications:mark_all_read")).status_code == 403
    assert client.post(reverse("site_settings"), {"authority_name": "x"}).status_code == 403


# --- the world ------------------------------------------------------------------------------


def build_world(capture):
    from accounts import staff_services
    from accounts.roles import Role
    from applicants.models import Stage
    from exams.models import ExamSession, ProctorAssignment, Ticket
    from exams.models_written import BonusClaim, ScoreReviewRequest, ScoreStatus, WrittenScore
    from exams.services import tickets as ticket_services
    from exams.services import written as written_services
    from notifications.models import MassNotice
    from notifications.services import notify
    from portal.models import BackgroundJob
    from recruitment.models import Announcement, AnnouncementAttachment, BonusCategory
    from review.models import ReviewJob
    from tests.applicants.factories import (
        ApplicationFactory,
        ReasonFactory,
        assign,
        jpeg_bytes,
        submitted_document,
    )
    from tests.exams.factories import make_exam
    from tests.factories import UserFactory
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
        "reviewer": UserFactory(role=Role.REVIEWER),
        "reviewer_other": UserFactory(role=Role.REVIEWER),
        "examiner": UserFactory(role=Role.EXAMINER),
        "unit_manager": UserFactory(role=Role.UNIT_MANAGER),
        "proctor": UserFactory(role=Role.PROCTOR),
        "proctor_other": UserFactory(role=Role.PROCTOR),
    }
    admin = users["administrator"]
    plan, apps = make_exam(candidates=2, positions=1, rooms=(("01", 1, 30), ("02", 1, 30)))
    announcement = plan.announcement
    position = announcement.positions.first()
    assign(users["reviewer"], announcement)
    owner_app = apps[0]
    owner = owner_app.applicant
    users["owner"] = owner
    document = submitted_document(owner_app)
    profile = owner.profile
    profile.photo.save("photo.jpg", ContentFile(jpeg_bytes()), save=False)
    profile.real_name = "司马探针"  # a name no other page of the world contains by chance
    profile.save(update_fields=["photo", "real_name"])
    owner_app.snapshot = {**owner_app.snapshot, "photo": profile.photo.name, "real_name": profile.real_name}
    owner_app.save(update_fields=["snapshot"])
    # The other applicant: a profile and an application of another announcement.
    other_app = ApplicationFactory()
    users["applicant"] = other_app.applicant

    with capture(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=admin)
    ticket_job = BackgroundJob.objects.filter(kind=ticket_services.JOB_KIND).latest("pk")
    ticket = Ticket.objects.select_related("room__venue").get(application=owner_app)
    owner_app.refresh_from_db()
    assert owner_app.stage == Stage.TICKET_ISSUED
    venue = ticket.room.venue
    other_venue = plan.venues.exclude(pk=venue.pk).first()
    assignment = ProctorAssignment.objects.create(
        venue=venue, proctor=users["proctor"], chief=True, assigned_by=admin
    )
    ProctorAssignment.objects.create(
        venue=other_venue, proctor=users["proctor_other"], chief=True, assigned_by=admin
    )
    session = plan.sessions.first()
    # Exam day: the session started an hour ago.
    start = timezone.now() - timedelta(hours=1)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))

    score = WrittenScore.objects.create(
        ticket=ticket,
        announcement=announcement,
        position=position,
        status=ScoreStatus.SCORED,
        raw=80,
        full_marks=100,
        source=WrittenScore.Source.IMPORT,
        entered_by=admin,
    )
    review_request = ScoreReviewRequest.objects.create(score=score, reason="对成绩有疑问", requested_by=owner)
    category = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=2)
    BonusClaim.objects.create(application=owner_app, category=category, proof=document)
    written_job = BackgroundJob.objects.create(
        kind=written_services.JOB_KIND, created_by=admin, announcement_id=announcement.pk, total=1
    )
    review_job = BackgroundJob.objects.create(
        kind=ReviewJob.EXPORT,
        created_by=admin,
        announcement_id=announcement.pk,
        total=1,
        done=1,
        status=BackgroundJob.Status.DONE,
    )
    review_job.result_file.save("probe.xlsx", ContentFile(b"PK"), save=True)
    from portal.models import SiteSettings

    SiteSettings.objects.update_or_create(
        pk=SiteSettings.SINGLETON_PK, defaults={"logo": b"\x89PNG\r\n", "logo_type": "image/png"}
    )

    draft = AnnouncementFactory(status=Announcement.Status.DRAFT)
    draft_position = PositionFactory(announcement=draft)
    open_position = PositionFactory(announcement=AnnouncementFactory())
    attachment = AnnouncementAttachment.objects.create(
        announcement=announcement, title="岗位表", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="a.pdf")
    )
    reason = ReasonFactory(code="probe-reason")
    target = staff_services.staff_account_create(
        actor=admin,
        email="probe-target@example.cn",
        name="临时监考人员",
        password="Kaowu#2026x",
        roles=[Role.PROCTOR],
        reason="笔试当天监考",
    )
    notice = MassNotice.objects.create(author=admin, audience="all", subject="通知", body="正文", total=0)
    message = notify(
        recipient=owner, event="application_approved", context={"announcement": announcement.title}
    )
    for user in users.values():
        if user.has_role(Role.APPLICANT) and not user.groups.filter(name=Role.APPLICANT).exists():
            user.groups.add(Group.objects.get(name=Role.APPLICANT))

    a = announcement.pk
    kwargs = {
        "accounts:staff_detail": {"pk": target.pk},
        "accounts:staff_role": {"pk": target.pk},
        "accounts:staff_status": {"pk": target.pk},
        "accounts:staff_expiry": {"pk": target.pk},
        "notifications:detail": {"pk": message.pk},
        "notifications:mark_read": {"pk": message.pk},
        "notifications:template_edit": {"event": "application_approved", "language": "zh-hans"},
        "notifications:template_preview": {"event": "application_approved", "language": "zh-hans"},
        "notifications:mass_detail": {"pk": notice.pk},
        "notifications:mass_progress": {"pk": notice.pk},
        "recruitment:detail": {"pk": a},
        "recruitment:attachment": {"pk": a, "attachment_pk": attachment.pk},
        "recruitment:positions_xlsx": {"pk": a},
        "recruitment:manage_detail": {"pk": a},
        "recruitment:edit": {"pk": draft.pk},
        "recruitment:publish": {"pk": draft.pk},
        "recruitment:correction_create": {"pk": a},
        "recruitment:close": {"pk": a},
        "recruitment:archive": {"pk": a},
        "recruitment:position_create": {"pk": draft.pk},
        "recruitment:position_import": {"pk": draft.pk},
        "recruitment:position_edit": {"pk": draft.pk, "position_pk": draft_position.pk},
        "recruitment:position_delete": {"pk": draft.pk, "position_pk": draft_position.pk},
        "recruitment:position_reduce": {"pk": a, "position_pk": position.pk},
        "recruitment:position_cancel": {"pk": a, "position_pk": position.pk},
        "recruitment:attachment_upload": {"pk": a},
        "recruitment:attachment_delete": {"pk": a, "attachment_pk": attachment.pk},
        "recruitment:reviewers": {"pk": a},
        "review:application": {"pk": owner_app.pk},
        "review:reopen": {"pk": owner_app.pk},
        "review:photo": {"pk": owner_app.pk},
        "review:registration_form": {"pk": owner_app.pk},
        "review:document": {"pk": owner_app.pk, "uuid": document.uuid},
        "review:job": {"pk": review_job.pk},
        "review:job_progress": {"pk": review_job.pk},
        "review:job_download": {"pk": review_job.pk},
        "review:opening_ratio": {"pk": a},
        "review:position_adjust": {"pk": a, "position_pk": position.pk},
        "review:reason_edit": {"pk": reason.pk},
        "applicants:document_file": {"uuid": document.uuid},
        "applicants:document_delete": {"uuid": document.uuid},
        "applicants:photo_file": {"profile_id": profile.pk},
        "applicants:apply": {"position_id": open_position.pk},
        "applicants:save_draft": {"position_id": open_position.pk},
        "applicants:application": {"pk": owner_app.pk},
        "applicants:withdraw": {"pk": owner_app.pk},
        "applicants:resubmit": {"pk": owner_app.pk},
        "applicants:registration_form": {"pk": owner_app.pk},
        "exams:job": {"pk": ticket_job.pk},
        "exams:ticket_pdf": {"pk": owner_app.pk},
        "exams:checkin": {"pk": session.pk},
        "exams:checkin_admit": {"pk": session.pk},
        "exams:checkin_disqualify": {"pk": session.pk},
        "exams:checkin_close": {"pk": session.pk},
        "exams:checkin_photo": {"pk": session.pk, "ticket_pk": ticket.pk},
        "exams:room_marks": {"pk": session.pk, "room_pk": ticket.room_id},
        "exams:room_sheet": {"pk": session.pk, "room_pk": ticket.room_id, "kind": "seating"},
        "exams:written_job": {"pk": written_job.pk},
        "exams:written_room_entry": {"pk": a, "room_pk": ticket.room_id},
        "exams:written_resolve": {"pk": a, "ticket_pk": ticket.pk},
        "exams:written_correct": {"pk": a, "score_pk": score.pk},
        "exams:written_pass_line": {"pk": a, "position_pk": position.pk},
        "exams:written_my_score": {"application_pk": owner_app.pk},
        "exams:written_bonus_claim": {"application_pk": owner_app.pk},
        "exams:written_public_xlsx": {"pk": a, "position_pk": position.pk},
    }
    for name in (
        "exams:plan_create",
        "exams:plan",
        "exams:plan_edit",
        "exams:window_correct",
        "exams:session_add",
        "exams:venue_add",
        "exams:issue",
        "exams:written_results",
        "exams:written_template",
        "exams:written_import",
        "exams:written_lookup",
        "exams:written_compute",
        "exams:written_publish",
        "exams:written_bonus_review",
        "exams:written_reviews",
        "exams:written_public",
        "exams:written_public_bonus",
    ):
        kwargs[name] = {"pk": a}
    for name, extra in (
        ("exams:session_edit", {"session_pk": session.pk}),
        ("exams:session_delete", {"session_pk": session.pk}),
        ("exams:session_correct", {"session_pk": session.pk}),
        ("exams:venue_edit", {"venue_pk": venue.pk}),
        ("exams:venue_delete", {"venue_pk": venue.pk}),
        ("exams:venue_correct", {"venue_pk": venue.pk}),
        ("exams:rooms_add", {"venue_pk": venue.pk}),
        ("exams:proctor_add", {"venue_pk": venue.pk}),
        ("exams:proctor_remove", {"assignment_pk": assignment.pk}),
        ("exams:room_edit", {"room_pk": ticket.room_id}),
        ("exams:room_delete", {"room_pk": ticket.room_id}),
        ("exams:room_correct", {"room_pk": ticket.room_id}),
    ):
        kwargs[name] = {"pk": a, **extra}
    queries = {
        "review:bulk_approve": f"?announcement={a}",
        "review:export": f"?announcement={a}",
        "switch_language": "?language=en&next=/announcements/",
    }
    # POST bodies that name the probed object (an empty body would stop at a 404 for all).
    bodies = {
        "review:bulk_approve": {"announcement": a},
        "exams:checkin_admit": {"ticket": ticket.pk, "via": "typed"},
        "exams:checkin_disqualify": {"ticket": ticket.pk, "reason": ""},
        "exams:written_bonus_review": {"claim": BonusClaim.objects.get(application=owner_app).pk},
        "exams:written_reviews": {"request": review_request.pk},
    }
    # Ranking (H17c): a confirmed, published version whose two candidates tie for the one post.
    from tests.exams.ranking_helpers import probe_version

    ranking_version, ranking_job = probe_version(announcement, position, apps, admin)
    for name in ("exams:ranking_versions", "exams:ranking_run", "exams:ranking_public"):
        kwargs[name] = {"pk": a}
    for name in (
        "exams:ranking_version",
        "exams:ranking_confirm",
        "exams:ranking_publish",
        "exams:ranking_extra_test",
    ):
        kwargs[name] = {"pk": a, "number": ranking_version.number}
    kwargs["exams:ranking_position"] = {"pk": a, "number": ranking_version.number, "position_pk": position.pk}
    kwargs["exams:ranking_job"] = {"pk": ranking_job.pk}
    # Reports (issue 20): a finished archive job of the administrator.
    reports_job = BackgroundJob.objects.create(
        kind="reports_archive",
        created_by=admin,
        announcement_id=a,
        total=7,
        done=7,
        status=BackgroundJob.Status.DONE,
    )
    reports_job.result_file.save("probe-archive.zip", ContentFile(b"PK"), save=True)
    for name in ("reports:dashboard", "reports:report_pdf", "reports:archive_start", "reports:public"):
        kwargs[name] = {"pk": a}
    kwargs["reports:chart_data"] = {"pk": a, "chart": "funnel"}
    kwargs["reports:chart_xlsx"] = {"pk": a, "chart": "positions"}
    kwargs["reports:workforce_data"] = {"chart": "units"}
    kwargs["reports:workforce_xlsx"] = {"chart": "units"}
    for name in ("reports:job", "reports:job_progress", "reports:job_download"):
        kwargs[name] = {"pk": reports_job.pk}
    from tests.exams.interview_factories import probe_world  # interviews (issue 17, H17b)

    interview_kwargs, interview_bodies = probe_world(announcement, owner_app, users)
    kwargs.update(interview_kwargs)
    bodies.update(interview_bodies)
    from tests.exams.shortlist_factories import probe_world as shortlist_probe  # shortlist (H17a)

    shortlist_kwargs, _bodies = shortlist_probe(announcement, owner_app, admin)
    kwargs.update(shortlist_kwargs)
    from tests.hiring.factories import hiring_world  # hiring (issue 18)

    hiring = hiring_world(admin, applicant=owner)
    ha, hp, proposal = hiring["announcement"].pk, hiring["position"].pk, hiring["proposal"].pk
    for name in ("hiring:announcement", "hiring:propose", "hiring:settings", "hiring:notice_new"):
        kwargs[name] = {"pk": ha}
    kwargs["hiring:notice_export"] = {"pk": ha, "notice_pk": hiring["notice"].pk, "fmt": "xlsx"}
    kwargs["hiring:export"] = {"pk": ha, "kind": "proposed", "fmt": "xlsx"}
    kwargs["hiring:proposal"] = {"pk": ha, "proposal_pk": proposal}
    kwargs["hiring:proposal_action"] = {"pk": ha, "proposal_pk": proposal, "action": "medical"}
    for name in ("hiring:extra_test", "hiring:chain", "hiring:chain_xlsx"):
        kwargs[name] = {"pk": ha, "position_pk": hp}
    kwargs["hiring:public_notice"] = {"pk": hiring["notice"].pk}
    kwargs["hiring:give_up"] = {"application_pk": hiring["application"].pk}
    from tests.workforce.factories import probe_world as workforce_probe  # workforce (issue 19)

    workforce_kwargs, workforce_bodies = workforce_probe(owner, users["unit_manager"], admin)
    kwargs.update(workforce_kwargs)
    bodies.update(workforce_bodies)
    secrets = {"id_number": profile.id_number, "real_name": profile.real_name}
    return users, kwargs, queries, bodies, secrets


LOGIN_PATH = "/accounts/login/"
WRITE_SQL = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.I)


def classify(response) -> str:
    if response.status_code in (301, 302, 303):
        return LOGIN if response["Location"].startswith(LOGIN_PATH) else OK
    if response.status_code in (200, 204):
        return OK
    return str(response.status_code)


def matches(expected: str, got: str) -> bool:
    # An allowed role sending an empty (invalid) body may be told 400.
    return got == expected or (expected == NO and got in (E403, E404)) or (expected == OK and got == "400")


def _plain_error_pages(monkeypatch):
    """Refusals answer a bare status instead of the framed 403/404 page: most cells are
    refusals, and only their status is asserted (the pages are tested in tests/portal)."""
    from django.http import HttpResponseForbidden, HttpResponseNotFound
    from django.urls.resolvers import URLResolver as Resolver

    plain = {
        403: lambda request, exception=None: HttpResponseForbidden(),
        404: lambda request, exception=None: HttpResponseNotFound(),
    }
    real = Resolver.resolve_error_handler
    monkeypatch.setattr(
        Resolver, "resolve_error_handler", lambda self, code: plain.get(code) or real(self, code)
    )


def test_permission_table(django_capture_on_commit_callbacks, settings, monkeypatch):
    """Every URL × method × role against EXPECTED, asserted at once; also: no write on a
    GET beyond bookkeeping, and private files never cacheable by a shared cache."""
    settings.AXES_ENABLED = False
    _plain_error_pages(monkeypatch)
    users, kwargs, queries, bodies, secrets = build_world(django_capture_on_commit_callbacks)
    client = Client()
    wrong, get_writes, cacheable, exposures, known = [], [], [], [], []
    cells = 0
    spent: dict[str, float] = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        for name, (methods, expected) in EXPECTED.items():
            url = reverse(name, kwargs=kwargs.get(name)) + queries.get(name, "")
            for method in methods:
                cells += 1
                want = expected[role]
                started = time.perf_counter()
                with transaction.atomic():
                    with CaptureQueriesContext(connection) as ctx:
                        if method == "GET":
                            response = client.get(url)
                        else:
                            response = client.post(url, bodies.get(name, {}))
                    transaction.set_rollback(True)
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
                got = classify(response)
                cell = (name, method, role)
                if not matches(want, got):
                    where = response.get("Location", "")
                    line = f"{name:34} {method:4} {role:15} expected {want:5} got {got} {where}"
                    if cell in KNOWN_WRONG:
                        known.append(f"{line}  [known: {KNOWN_WRONG[cell]}]")
                    else:
                        wrong.append(line)
                elif cell in KNOWN_WRONG:
                    wrong.append(f"{line_of(cell)} is right now: remove it from KNOWN_WRONG")
                if response.status_code == 200:
                    exposures += exposed(name, role, response, secrets)
                if method == "GET" and name not in GET_WRITES_ALLOWED:
                    tables = {
                        m.group(2)
                        for q in ctx.captured_queries
                        if (m := WRITE_SQL.match(q["sql"])) and not m.group(2).startswith(BOOKKEEPING_TABLES)
                    }
                    if tables:
                        get_writes.append(f"{name} GET as {role} writes {sorted(tables)}")
                content_type = response.get("Content-Type", "")
                if (
                    got == OK
                    and response.status_code == 200
                    and not content_type.startswith(("text/html", "application/json"))
                ):
                    control = response.get("Cache-Control", "")
                    if name not in PUBLIC_FILES and not ("private" in control and "no-store" in control):
                        (known if name in KNOWN_CACHEABLE else cacheable).append(
                            f"{name} as {role}: {content_type}, Cache-Control: {control!r}"
                        )
    slowest = sorted(spent.items(), key=lambda item: -item[1])[:8]
    print(f"\nslowest URLs (s, all roles): {[(n, round(t, 2)) for n, t in slowest]}")
    print(f"{cells} cells probed; known wrong, left to their owners:\n" + "\n".join(known))
    problems = wrong + get_writes + cacheable + exposures
    assert not problems, f"{len(problems)} wrong cells of {cells}:\n" + "\n".join(problems)


def line_of(cell) -> str:
    return " ".join(cell)


# Where the owner's full ID number may appear: their own pages and files, and the detail
# page and registration form of someone the viewer reviews. Lists and exports mask it.
FULL_ID_ALLOWED = {
    ("applicants:profile", "owner"),
    ("applicants:application", "owner"),
    ("applicants:registration_form", "owner"),
    ("exams:ticket_pdf", "owner"),
    ("review:application", "reviewer"),
    ("review:application", "administrator"),
    ("review:registration_form", "reviewer"),
    ("review:registration_form", "administrator"),
    # By permission accounts.export_full_id_numbers, which only administrators hold
    # (review/exports.py; reviewers' exports are masked, checked by this probe).
    ("review:export", "administrator"),
}
# Roles that must never see the owner's name (examiners score blind; the public sees
# masked names; other applicants and unassigned staff see nothing of them).
NAME_FORBIDDEN_ROLES = ("anonymous", "applicant", "examiner", "unit_manager", "reviewer_other")


def _text_of(response) -> str:
    """The response as searchable text: HTML and JSON as is, .xlsx by its XML parts."""
    import io
    import zipfile

    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
    return content.decode("utf-8", "replace")


def exposed(name: str, role: str, response, secrets: dict) -> list[str]:
    if response.get("Content-Type", "").startswith(("application/pdf", "image/")):
        return []  # PDF text is compressed; PDFs are checked by who may fetch them
    text = _text_of(response)
    out = []
    if secrets["id_number"] in text and (name, role) not in FULL_ID_ALLOWED:
        out.append(f"{name} as {role}: the owner's full ID number")
    if role in NAME_FORBIDDEN_ROLES and secrets["real_name"] in text:
        out.append(f"{name} as {role}: the owner's name {secrets['real_name']}")
    return out


# Private files known to lack `Cache-Control: private, no-store` (owner still editing).
KNOWN_CACHEABLE: dict[str, str] = {}


# Files anyone may download: public, no personal data.
PUBLIC_FILES = {
    "site_logo",
    "recruitment:attachment",
    "recruitment:positions_xlsx",
    "recruitment:import_template",
    "exams:written_public_xlsx",
}
