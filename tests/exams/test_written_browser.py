"""Every written-results page at 390 and 1280 px in both languages: no sideways scroll,
nothing clipped (the measurement of tests/browser/test_frame.py), screenshots in
var/screenshots/written/."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applicants.models import Document
from exams.models import BonusClaim, ScoreEntry, WrittenScore
from exams.services import tickets as ticket_services
from exams.services import written
from recruitment.models import BonusCategory
from tests.browser.test_frame import MEASURE
from tests.exams.factories import make_exam
from tests.exams.test_written_results import record
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "written"

# URL names of issue 16 with no page of their own (tests/browser/test_frame.py excuses them).
NOT_PAGES = {
    "exams:written_template": "a spreadsheet download",
    "exams:written_import": "POST only (the form is on written_results)",
    "exams:written_lookup": "a redirect to written_correct",
    "exams:written_pass_line": "POST only",
    "exams:written_compute": "POST only",
    "exams:written_publish": "POST only",
    "exams:written_public_xlsx": "a spreadsheet download",
}


def _world():
    admin = UserFactory(role="administrator")
    plan, _apps = make_exam(candidates=4, positions=1, rooms=(("01", 1, 30),))
    ticket_services.issue_run(ticket_services.issue_job_create(plan=plan, actor=admin))
    announcement = plan.announcement
    tickets = list(
        announcement.exam_plan.venues.get()
        .rooms.get()
        .tickets.select_related("application")
        .order_by("number")
    )
    record(tickets[:3], ["82.5", "75", "absent"], admin)
    other = [UserFactory(role="reviewer") for _ in range(2)]
    for user in other:
        announcement.reviewer_assignments.create(reviewer=user, assigned_by=admin)
    for user, value in zip(other, ["70", "71"], strict=True):
        written.entry_record(ticket=tickets[3], actor=user, status="scored", raw=Decimal(value))
    category = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=Decimal("5"))
    application = tickets[0].application
    document = Document.objects.create(
        profile=application.applicant.profile,
        kind="certificate",
        file="documents/x.pdf",
        original_name="社会工作师证书.pdf",
        content_type="application/pdf",
        size=10,
    )
    BonusClaim.objects.create(
        application=application, category=category, proof=document, status="confirmed", reviewed_by=admin
    )
    written.results_publish(announcement=announcement, actor=admin)
    score = WrittenScore.objects.get(ticket=tickets[1])
    written.review_request_create(
        score=score, actor=tickets[1].application.applicant, reason="第二部分可能漏计分"
    )
    from portal.models import BackgroundJob

    job = BackgroundJob.objects.create(
        kind="score_import",
        created_by=admin,
        announcement_id=announcement.pk,
        total=2,
        done=2,
        status="done",
        finished_at=timezone.now() - timedelta(seconds=1),
        params={
            "report": {
                "rows": 2,
                "created": 0,
                "unchanged": 0,
                "saved": False,
                "error_count": 1,
                "errors": [
                    {
                        "row": 3,
                        "ticket": tickets[0].number,
                        "code": "value",
                        "message": "总分101 超过满分100分",
                    }
                ],
            }
        },
    )
    a, room = announcement.pk, tickets[0].room_id
    pages = [
        ("exams:written_index", admin, ()),
        ("exams:written_results", admin, (a,)),
        ("exams:written_job", admin, (job.pk,)),
        ("exams:written_room_entry", admin, (a, room)),
        ("exams:written_resolve", admin, (a, tickets[3].pk)),
        ("exams:written_correct", admin, (a, score.pk)),
        ("exams:written_bonus_review", admin, (a,)),
        ("exams:written_reviews", admin, (a,)),
        ("exams:written_my_scores", application.applicant, ()),
        ("exams:written_my_score", application.applicant, (application.pk,)),
        ("exams:written_bonus_claim", application.applicant, (application.pk,)),
        ("exams:written_public", None, (a,)),
        ("exams:written_public_bonus", None, (a,)),
    ]
    assert ScoreEntry.objects.count() == 2
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_written_pages_fit_at_390_and_1280(needs_chromium, live_server, page, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, user, args in _world():
        page.context.clear_cookies()
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append(
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            )
        page.context.add_cookies(cookies)
        response = page.goto(live_server.url + reverse(name, args=args))
        if response is None or response.status != 200:
            problems.append(f"{name}: HTTP {response.status if response else '—'}")
            continue
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            result = page.evaluate(MEASURE)
            if result["overflow"] > 0:
                problems.append(f"{name} at {width}px scrolls sideways by {result['overflow']}px")
            problems += [f"{name} at {width}px clips {element}" for element in result["clipped"]]
            page.screenshot(
                path=str(SCREENSHOTS / f"{language}-{width}-{name.split(':')[1]}.png"), full_page=True
            )
    assert not problems, "\n".join(problems)
