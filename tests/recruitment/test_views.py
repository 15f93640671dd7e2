from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recruitment import services
from recruitment.models import Announcement, AnnouncementAttachment
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def published():
    announcement = AnnouncementFactory(title="鞍山市公开招聘社区工作者公告")
    PositionFactory(announcement=announcement, code="TD001", name="社区党建专干", majors=["社会工作"])
    return announcement


@pytest.fixture
def draft():
    announcement = AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None, title="草稿公告")
    PositionFactory(announcement=announcement, code="D001")
    return announcement


def _login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


ROLES = ["anonymous", "applicant", "examiner", "reviewer", "administrator"]


# --- Public pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_public_list_and_detail_for_everyone(client, request, role, published, draft):
    _login(client, request, role)
    page = client.get(reverse("recruitment:list"))
    assert page.status_code == 200
    assert published.title in page.content.decode()
    assert "草稿公告" not in page.content.decode()
    detail = client.get(reverse("recruitment:detail", args=[published.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "社区党建专干" in body and "社会工作" in body and 'data-label="已报名"' in body


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 404), ("applicant", 404), ("examiner", 404), ("reviewer", 200), ("administrator", 200),
])  # fmt: skip
def test_draft_public_url_is_404_except_for_staff(client, request, role, status, draft):
    _login(client, request, role)
    assert client.get(reverse("recruitment:detail", args=[draft.pk])).status_code == status


def test_list_tabs_and_search(client, published):
    now = timezone.now()
    upcoming = AnnouncementFactory(
        title="千山区即将报名公告",
        organiser="千山区民政局",
        registration_opens_at=now + timedelta(days=2),
        registration_closes_at=now + timedelta(days=7),
        review_deadline=now + timedelta(days=9),
    )
    closed = AnnouncementFactory(title="往年公告", status=Announcement.Status.CLOSED)
    url = reverse("recruitment:list")
    assert published.title in client.get(url).content.decode()
    upcoming_page = client.get(url, {"phase": "upcoming"}).content.decode()
    assert upcoming.title in upcoming_page and published.title not in upcoming_page
    assert closed.title in client.get(url, {"phase": "closed"}).content.decode()
    searched = client.get(url, {"phase": "", "q": "千山区民政局"}).content.decode()
    assert upcoming.title in searched and published.title not in searched
    assert client.get(url, {"phase": "nonsense", "page": "x"}).status_code == 200


def test_home_lists_open_announcements(client, published):
    page = client.get(reverse("home")).content.decode()
    assert published.title in page


def test_xss_in_body_is_inert(client):
    announcement = AnnouncementFactory(
        body=(
            "正文<script>alert(1)</script>\n\n"
            '<img src="x" onerror="alert(2)">\n\n'
            "[点我](javascript:alert(3))\n\n"
            '<a href="javascript:alert(4)" onclick="alert(5)">链接</a>\n\n'
            '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>\n\n'
            "**加粗**"
        )
    )
    page = client.get(reverse("recruitment:detail", args=[announcement.pk])).content.decode()
    body = page.split('aria-label="公告正文">', 1)[1].split("</section>", 1)[0]
    lowered = body.lower()
    assert "<script" not in lowered and "alert(1)" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered and "<style" not in lowered and "<img" not in lowered
    assert "<strong>加粗</strong>" in body


def test_positions_show_counts_and_cancelled_state(client, administrator, published):
    position = published.positions.get()
    services.position_cancel(actor=administrator, position=position, reason="报名人数不足")
    page = client.get(reverse("recruitment:detail", args=[published.pk])).content.decode()
    assert "已取消" in page and "报名人数不足" in page


def _make_positions(announcement, n):
    for i in range(n):
        PositionFactory(
            announcement=announcement, code=f"Q{i:03d}", majors=["社会工作"], household_regions=["辽宁省"]
        )


@pytest.mark.parametrize("role", ["anonymous", "applicant"])
def test_detail_query_count_does_not_grow_with_positions(
    client, request, role, django_assert_max_num_queries
):
    _login(client, request, role)
    small, large = AnnouncementFactory(), AnnouncementFactory()
    _make_positions(small, 3)
    _make_positions(large, 30)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(reverse("recruitment:detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(reverse("recruitment:detail", args=[large.pk]))
    assert response.content.decode().count('data-label="已报名"') == 30
    # 10 as before, plus the corrections list (inside the cached fragment); a signed-in
    # applicant adds one more: their own application to the announcement (报名 column), and
    # one more the exam plan's schedule (recruitment.hooks; cached under the page version
    # once read, the anonymous page is shared whole).
    assert len(small_queries) <= (11 if role == "anonymous" else 13), [q["sql"] for q in small_queries]


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(3):
        _make_positions(AnnouncementFactory(), 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("recruitment:list"))
    for _ in range(7):
        _make_positions(AnnouncementFactory(), 10)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("recruitment:list"))
    assert len(few) <= 4


def test_attachment_download(client, administrator, published, draft):
    for announcement in (published, draft):
        services.attachment_add(
            actor=administrator,
            announcement=announcement,
            title="岗位表",
            upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        )
    public_file = AnnouncementAttachment.objects.get(announcement=published)
    draft_file = AnnouncementAttachment.objects.get(announcement=draft)
    response = client.get(
        reverse("recruitment:attachment", args=[published.pk, public_file.pk]) + "?download=1"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("recruitment:attachment", args=[draft.pk, draft_file.pk])).status_code == 404
    assert (
        client.get(reverse("recruitment:attachment", args=[published.pk, draft_file.pk])).status_code == 404
    )
    client.force_login(administrator)
    assert client.get(reverse("recruitment:attachment", args=[draft.pk, draft_file.pk])).status_code == 200


# --- Staff pages: access ---------------------------------------------------------------------

ADMIN_ONLY_GET = [
    ("recruitment:create", lambda a, p: []),
    ("recruitment:edit", lambda a, p: [a.pk]),
    ("recruitment:position_create", lambda a, p: [a.pk]),
    ("recruitment:position_edit", lambda a, p: [a.pk, p.pk]),
    ("recruitment:position_import", lambda a, p: [a.pk]),
    ("recruitment:import_template", lambda a, p: []),
    ("recruitment:reviewers", lambda a, p: [a.pk]),
]
ADMIN_ONLY_POST = [
    ("recruitment:publish", lambda a, p: [a.pk]),
    ("recruitment:close", lambda a, p: [a.pk]),
    ("recruitment:archive", lambda a, p: [a.pk]),
    ("recruitment:position_delete", lambda a, p: [a.pk, p.pk]),
    ("recruitment:attachment_upload", lambda a, p: [a.pk]),
]


@pytest.mark.parametrize(
    ("name", "args"), ADMIN_ONLY_GET + ADMIN_ONLY_POST, ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.parametrize("role", ["anonymous", "applicant", "examiner", "reviewer"])
def test_admin_pages_refuse_everyone_else(client, request, role, name, args, draft):
    _login(client, request, role)
    url = reverse(name, args=args(draft, draft.positions.get()))
    response = client.post(url) if (name, args) in ADMIN_ONLY_POST else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.positions.exists()


@pytest.mark.parametrize("name", ["recruitment:position_reduce", "recruitment:position_cancel"])
@pytest.mark.parametrize("role", ["anonymous", "applicant", "examiner", "reviewer"])
def test_reduce_cancel_refuse_non_admins(client, request, role, name, published):
    _login(client, request, role)
    position = published.positions.get()
    response = client.post(reverse(name, args=[published.pk, position.pk]), {"quota": 1, "reason": "x"})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    position.refresh_from_db()
    assert position.status == "open"


@pytest.mark.parametrize(("role", "status"), [
    ("applicant", 403), ("examiner", 403), ("reviewer", 200), ("administrator", 200),
])  # fmt: skip
def test_manage_pages_read_access(client, request, role, status, draft):
    _login(client, request, role)
    assert client.get(reverse("recruitment:manage_list")).status_code == status
    response = client.get(reverse("recruitment:manage_detail", args=[draft.pk]))
    assert response.status_code == status
    if role == "reviewer":
        page = response.content.decode()
        assert reverse("recruitment:publish", args=[draft.pk]) not in page
        assert reverse("recruitment:edit", args=[draft.pk]) not in page


def test_manage_pages_send_anonymous_to_login(client, draft):
    response = client.get(reverse("recruitment:manage_detail", args=[draft.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_manage_detail_query_budget(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    small, large = AnnouncementFactory(), AnnouncementFactory()
    _make_positions(small, 3)
    _make_positions(large, 30)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("recruitment:manage_detail", args=[small.pk]))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("recruitment:manage_detail", args=[large.pk]))


# --- Staff pages: administrator flows ---------------------------------------------------------


def _announcement_post(**overrides):
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "铁东区2026年公开招聘社区工作者公告",
        "organiser": "铁东区民政局",
        "contact": "0412-1234567",
        "body": "## 招聘条件\n\n见岗位表。",
        "registration_opens_at": (now + timedelta(days=1)).strftime(fmt),
        "registration_closes_at": (now + timedelta(days=6)).strftime(fmt),
        "review_deadline": (now + timedelta(days=9)).strftime(fmt),
        "interview_at": (now + timedelta(days=30)).strftime(fmt),
        "opening_ratio": "3",
        "interview_ratio": "3",
        "written_pass_mode": "fixed",
        "written_pass_line": "60",
        "interview_pass_line": "60",
        "written_weight": "0.5",
        "bonus_mode": "highest",
        "bonus_cap": "5",
        "allow_switch_on_cancel": "on",
        "public_notice_days": "7",
        "bonus-TOTAL_FORMS": "2",
        "bonus-INITIAL_FORMS": "0",
        "bonus-MIN_NUM_FORMS": "0",
        "bonus-MAX_NUM_FORMS": "20",
        "bonus-0-name": "社会工作师",
        "bonus-0-points": "2",
        "bonus-1-name": "",
        "bonus-1-points": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_adds_positions_previews_and_publishes(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("recruitment:create")).status_code == 200
    response = client.post(reverse("recruitment:create"), _announcement_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    announcement = Announcement.objects.get()
    assert announcement.status == "draft" and announcement.created_by == administrator
    assert announcement.bonus_categories.get().points == 2
    # publishing without positions is refused with the reason
    response = client.post(reverse("recruitment:publish", args=[announcement.pk]), follow=True)
    assert "公告还没有岗位。" in response.content.decode()
    position_data = {
        "code": "TD001",
        "name": "社区工作者",
        "district": "铁东区",
        "quota": "2",
        "min_age": "18",
        "max_age": "35",
        "experienced_years": "3",
        "min_education": "20",
        "majors": "社会工作、社会学",
        "household_regions": "",
        "political_requirement": "",
        "min_experience_years": "0",
    }
    response = client.post(reverse("recruitment:position_create", args=[announcement.pk]), position_data)
    assert response.status_code == 302
    assert announcement.positions.get().majors == ["社会工作", "社会学"]
    # duplicate code and zero quota are refused at the field
    response = client.post(
        reverse("recruitment:position_create", args=[announcement.pk]), {**position_data, "quota": "0"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "本公告已有岗位代码 TD001。" in page
    assert announcement.positions.count() == 1
    # preview (public URL, staff only) then publish
    preview = client.get(reverse("recruitment:detail", args=[announcement.pk]))
    assert "草稿预览" in preview.content.decode()
    client.post(reverse("recruitment:publish", args=[announcement.pk]))
    announcement.refresh_from_db()
    assert announcement.status == "published"
    client.logout()
    assert client.get(reverse("recruitment:detail", args=[announcement.pk])).status_code == 200


def test_announcement_form_shows_schedule_errors_in_chinese(client, administrator):
    client.force_login(administrator)
    now = timezone.localtime()
    response = client.post(
        reverse("recruitment:create"),
        _announcement_post(
            registration_closes_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            interview_at=(now + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),  # review: day 9
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "报名截止时间必须晚于报名开始时间。" in page
    assert "面试时间必须晚于资格审核截止时间。" in page
    assert "is violated" not in page
    assert not Announcement.objects.exists()


def test_edit_draft_and_refuse_editing_published(client, administrator, draft, published):
    client.force_login(administrator)
    response = client.post(
        reverse("recruitment:edit", args=[draft.pk]), _announcement_post(title="改过的标题")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的标题"
    response = client.get(reverse("recruitment:edit", args=[published.pk]))
    assert response.status_code == 302
    assert (
        client.get(
            reverse("recruitment:position_edit", args=[draft.pk, draft.positions.get().pk])
        ).status_code
        == 200
    )
    response = client.post(reverse("recruitment:position_delete", args=[draft.pk, draft.positions.get().pk]))
    assert response.status_code == 302 and not draft.positions.exists()


def test_reduce_and_cancel_pages(client, administrator, published):
    client.force_login(administrator)
    position = published.positions.get()
    position.quota = position.original_quota = 4
    position.save()
    url = reverse("recruitment:position_reduce", args=[published.pk, position.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"quota": "4", "reason": "不足开考比例"})
    assert (
        response.status_code == 200 and "核减后的人数须大于 0 且小于现有人数 4。" in response.content.decode()
    )
    response = client.post(url, {"quota": "2", "reason": ""})
    assert response.status_code == 200
    assert client.post(url, {"quota": "2", "reason": "不足开考比例"}).status_code == 302
    position.refresh_from_db()
    assert (position.quota, position.status) == (2, "reduced")
    cancel = reverse("recruitment:position_cancel", args=[published.pk, position.pk])
    assert client.post(cancel, {"reason": "报名人数不足"}).status_code == 302
    position.refresh_from_db()
    assert (position.quota, position.status) == (0, "cancelled")


def test_close_and_archive_pages(client, administrator, published):
    client.force_login(administrator)
    client.post(reverse("recruitment:close", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == "closed"
    client.post(reverse("recruitment:archive", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == "archived"
    assert client.get(reverse("recruitment:detail", args=[published.pk])).status_code == 200


def test_attachment_upload_page_refuses_non_pdf(client, administrator, published):
    client.force_login(administrator)
    url = reverse("recruitment:attachment_upload", args=[published.pk])
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "岗位表", "file": fake}, follow=True)
    assert "只能上传 PDF 文件。" in response.content.decode()
    assert not AnnouncementAttachment.objects.exists()
    good = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    client.post(url, {"title": "岗位表", "file": good})
    assert AnnouncementAttachment.objects.filter(announcement=published).count() == 1


def test_reviewer_assignment_page(client, administrator, reviewer, applicant, published):
    client.force_login(administrator)
    url = reverse("recruitment:reviewers", args=[published.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reviewer": applicant.pk})
    assert response.status_code == 200  # not a reviewer: not in the choices
    assert client.post(url, {"reviewer": reviewer.pk}).status_code == 302
    assert published.reviewer_assignments.get().reviewer == reviewer
    assert client.post(url, {"remove": reviewer.pk}).status_code == 302
    assert not published.reviewer_assignments.exists()


def test_navigation(client, administrator, applicant):
    assert "招聘公告" in client.get(reverse("home")).content.decode()
    client.force_login(applicant)
    assert "公告管理" not in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(administrator)  # staff land on their workbench: the menu is there
    assert "公告管理" in client.get(reverse("home"), follow=True).content.decode()


def test_seed_demo_is_idempotent():
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    first_run = Announcement.objects.count()  # other apps' demos may add their own
    call_command("seed_demo", stdout=io.StringIO())
    current = Announcement.objects.get(title="鞍山市2026年公开招聘社区工作者公告")
    assert current.status == "published"
    assert current.positions.count() >= 8
    assert current.positions.values("district").distinct().count() >= 4
    assert current.reviewer_assignments.filter(reviewer__email="reviewer@demo.cn").exists()
    assert Announcement.objects.filter(status="closed").exists()
    assert Announcement.objects.count() == first_run >= 3


def test_detail_reuses_the_rendered_position_table_for_30_seconds(client, django_assert_max_num_queries):
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    announcement = AnnouncementFactory()
    PositionFactory.create_batch(5, announcement=announcement)
    url = reverse("recruitment:detail", args=[announcement.pk])
    client.get(url)
    client.force_login(UserFactory(role="applicant"))  # signed in: not the shared anonymous page
    client.get(url)
    with django_assert_max_num_queries(7):  # session, user, roles, announcement, attachments, bonus, inbox
        page = client.get(url).content.decode()
    for position in announcement.positions.all():
        assert position.code in page


def test_anonymous_visitors_share_one_rendering_until_the_announcement_changes(
    client, administrator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from recruitment import services
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    announcement = AnnouncementFactory()
    position = PositionFactory(announcement=announcement, name="网格员岗")
    url = reverse("recruitment:detail", args=[announcement.pk])
    client.get(url)
    with django_assert_max_num_queries(0):
        assert "网格员岗" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.position_cancel(actor=administrator, position=position, reason="报名人数不足")
    page = client.get(url).content.decode()
    assert "已取消" in page  # not the cached page of before the cancellation


def test_a_signed_in_user_does_not_get_the_shared_anonymous_page(client, applicant):
    from tests.recruitment.factories import AnnouncementFactory

    announcement = AnnouncementFactory()
    url = reverse("recruitment:detail", args=[announcement.pk])
    client.get(url)  # fills the shared cache as an anonymous visitor
    client.force_login(applicant)
    page = client.get(url).content.decode()
    assert reverse("account_logout") in page


def test_the_shared_page_is_sent_gzipped_to_clients_that_accept_it(client):
    import gzip

    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    announcement = AnnouncementFactory()
    PositionFactory(announcement=announcement, name="网格员岗")
    url = reverse("recruitment:detail", args=[announcement.pk])
    client.get(url)
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert "网格员岗" in gzip.decompress(compressed.content).decode()
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert "网格员岗" in plain.content.decode()


def test_anonymous_visitors_share_the_list_until_an_announcement_changes(
    client, administrator, applicant, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from recruitment import services
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    announcement = AnnouncementFactory(title="幸福街道招聘公告")
    PositionFactory(announcement=announcement, quota=3)
    cancelled = PositionFactory(announcement=announcement, quota=4)
    url = reverse("recruitment:list")
    assert "2 个岗位" in client.get(url).content.decode()
    with django_assert_max_num_queries(0):
        assert "2 个岗位" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.position_cancel(actor=administrator, position=cancelled, reason="报名人数不足")
    assert "1 个岗位" in client.get(url).content.decode()  # not the page of before the change
    client.force_login(applicant)
    page = client.get(url)
    assert page.context is not None and reverse("account_logout") in page.content.decode()


def test_public_page_shows_the_exam_plans_dates_and_renews_when_they_move(
    client, django_capture_on_commit_callbacks
):
    """One source of truth: the printing window and the exam times on the announcement's page
    are the exam plan's (recruitment.hooks, registered by exams). The anonymous page is shared
    from memory; a change of the plan renews it once committed."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.exams.factories import PlanFactory, SessionFactory

    shanghai = ZoneInfo("Asia/Shanghai")
    announcement = AnnouncementFactory()
    url = reverse("recruitment:detail", args=[announcement.pk])
    page = client.get(url).content.decode()
    assert "准考证打印" not in page and "笔试时间" not in page  # no plan yet
    with django_capture_on_commit_callbacks(execute=True):
        plan = PlanFactory(
            announcement=announcement,
            print_starts_at=datetime(2099, 7, 1, 9, tzinfo=shanghai),
            print_ends_at=datetime(2099, 7, 5, 17, tzinfo=shanghai),
        )
        session = SessionFactory(
            plan=plan,
            starts_at=datetime(2099, 7, 6, 9, tzinfo=shanghai),
            ends_at=datetime(2099, 7, 6, 11, tzinfo=shanghai),
        )
    page = client.get(url).content.decode()
    assert "2099-07-01 09:00 — 2099-07-05 17:00" in page
    assert "2099-07-06 09:00 — 11:00" in page
    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at = datetime(2099, 7, 7, 14, tzinfo=shanghai)
        session.ends_at = datetime(2099, 7, 7, 16, 30, tzinfo=shanghai)
        session.save()
    page = client.get(url).content.decode()
    assert "2099-07-07 14:00 — 16:30" in page and "2099-07-06 09:00" not in page
    assert reverse("exams:plan", args=[announcement.pk]) not in page  # the staff link: staff only


def test_manager_page_links_to_the_exam_plan(client, administrator, published):
    from tests.exams.factories import PlanFactory

    PlanFactory(announcement=published)
    client.force_login(administrator)
    page = client.get(reverse("recruitment:manage_detail", args=[published.pk])).content.decode()
    assert f'href="{reverse("exams:plan", args=[published.pk])}"' in page
