"""Pages: who may see what, query budgets, bad input."""

import pytest
from django.db import transaction
from django.urls import reverse

from notifications.events import Event
from notifications.models import MessageTemplate, Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, n=1):
    with transaction.atomic():
        return [
            notify(recipient=user, event=Event.APPLICATION_APPROVED, context={"position_name": f"岗{i}"})
            for i in range(n)
        ]


def test_anonymous_users_are_sent_to_log_in(client):
    for name, args in [
        ("inbox", []),
        ("detail", [1]),
        ("templates", []),
        ("mass_list", []),
        ("mass_new", []),
        ("mass_detail", [1]),
    ]:
        response = client.get(reverse(f"notifications:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_inbox_lists_own_notifications_with_unread_badge(client, applicant, django_assert_max_num_queries):
    _notify(applicant, 25)
    _notify(UserFactory(), 1)
    client.force_login(applicant)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="badge text-bg-primary me-1"') == 20  # paginated, all unread
    assert ">25<" in page  # the badge in the navigation bar
    assert "岗24" in page and "岗0" not in page  # newest first
    assert client.get(reverse("notifications:inbox"), {"page": 2}).content.decode().count("岗") >= 5


def test_opening_a_notification_marks_it_read(client, applicant, django_assert_max_num_queries):
    (notification,) = _notify(applicant)
    client.force_login(applicant)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 200
    assert "岗0" in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found(client, applicant):
    (other,) = _notify(UserFactory())
    client.force_login(applicant)
    assert client.get(reverse("notifications:detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_and_mark_all_read(client, applicant):
    first, *rest = _notify(applicant, 3)
    (others,) = _notify(UserFactory())
    client.force_login(applicant)
    assert client.get(reverse("notifications:mark_read", args=[first.pk])).status_code == 405
    assert client.post(reverse("notifications:mark_read", args=[first.pk])).status_code == 302
    assert Notification.objects.filter(recipient=applicant, read_at__isnull=True).count() == 2
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


@pytest.mark.parametrize(
    "name,args", [("templates", []), ("mass_list", []), ("mass_new", []), ("mass_detail", [1])]
)
def test_administrator_pages_refuse_other_roles(client, reviewer, name, args):
    client.force_login(reviewer)
    assert client.get(reverse(f"notifications:{name}", args=args)).status_code == 403


def test_template_pages(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:templates"))
    assert response.status_code == 200
    assert "资格审核通过" in response.content.decode()
    url = reverse("notifications:template_edit", args=[Event.APPLICATION_APPROVED, "en"])
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert "Application approved" in page and 'for="id_subject"' in page
    response = client.post(url, {"subject": "OK {{ position_name }}", "body": "Body"})
    assert response.status_code == 302
    row = MessageTemplate.objects.get(event=Event.APPLICATION_APPROVED, language="en")
    assert (row.subject, row.updated_by) == ("OK {{ position_name }}", administrator)
    client.post(url, {"reset": "1"})
    row.refresh_from_db()
    assert row.subject.startswith("Application approved")


def test_invalid_template_syntax_is_refused_at_the_field(client, administrator):
    client.force_login(administrator)
    url = reverse("notifications:template_edit", args=[Event.APPLICATION_APPROVED, "zh-hans"])
    response = client.post(url, {"subject": "好", "body": "{% if %}"})
    assert response.status_code == 200
    assert "模板语法错误" in response.context["form"].errors["body"][0]
    assert not MessageTemplate.objects.filter(body="{% if %}").exists()


def test_unknown_event_or_language_is_404(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("notifications:template_edit", args=["nope", "en"])).status_code == 404
    assert client.get(reverse("notifications:template_edit", args=[Event.HIRED, "fr"])).status_code == 404


def test_template_preview(client, administrator):
    client.force_login(administrator)
    url = reverse("notifications:template_preview", args=[Event.APPLICATION_APPROVED, "zh-hans"])
    page = client.post(
        url, {"subject": "预览 {{ position_name }}", "body": "<b>{{ reason }}</b>"}
    ).content.decode()
    assert "预览 社区工作者（一）" in page
    assert "&lt;b&gt;" in page  # the preview escapes like the inbox
    bad = client.post(url, {"subject": "x", "body": "{{ a|nosuchfilter }}"}).content.decode()
    assert "模板语法错误" in bad


def test_a_mass_notice_page_follows_its_progress(
    client, administrator, fake_audience, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Composing in words is tested in test_mass_notice_words.py; here the progress polling.
    from notifications.services import mass_notice_create

    users = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks() as queued:
        notice = mass_notice_create(
            author=administrator,
            audience=fake_audience,
            params={"ids": [u.pk for u in users]},
            subject="通知",
            body="内容",
            channels=["email"],
        )
    client.force_login(administrator)
    with django_assert_max_num_queries(8):
        detail = client.get(reverse("notifications:mass_detail", args=[notice.pk])).content.decode()
    assert "mass-progress" in detail and "测试对象" in detail
    progress_url = reverse("notifications:mass_progress", args=[notice.pk])
    assert "hx-get" in client.get(progress_url).content.decode()  # queued: the page polls
    for callback in queued:  # the task runs (eagerly) once the notice is committed
        callback()
    notice.refresh_from_db()
    assert notice.status == "done"
    with django_assert_max_num_queries(6):
        progress = client.get(progress_url).content.decode()
    assert "hx-get" not in progress  # finished: the page stops polling
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:mass_list")).status_code == 200


def test_the_navigation_shows_admin_items_only_to_administrators(client, applicant, administrator):
    client.force_login(applicant)
    page = client.get("/", follow=True).content.decode()
    assert reverse("notifications:inbox") in page and reverse("notifications:templates") not in page
    client.force_login(administrator)
    assert reverse("notifications:mass_list") in client.get("/", follow=True).content.decode()


def test_the_badge_is_cached_and_follows_new_and_read_notifications(
    client, applicant, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from notifications.selectors import unread_count

    client.force_login(applicant)
    assert unread_count(user=applicant) == 0
    with django_assert_max_num_queries(0):
        assert unread_count(user=applicant) == 0  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = _notify(applicant)
    assert unread_count(user=applicant) == 1  # dropped when the notification committed
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("notifications:detail", args=[notification.pk]))
    assert unread_count(user=applicant) == 0
    with django_capture_on_commit_callbacks(execute=True):
        _notify(applicant, 2)
    assert unread_count(user=applicant) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:mark_all_read"))
    assert unread_count(user=applicant) == 0


def test_template_pages_name_the_language(client, administrator):
    """QA: the editor's title read "岗前培训安排 · zh-hans" and the list showed zh-hans/en."""
    client.force_login(administrator)
    page = client.get(reverse("notifications:templates")).content.decode()
    assert ">简体中文</span>" in page and ">English</span>" in page and ">zh-hans<" not in page
    url = reverse("notifications:template_edit", args=[Event.TRAINING_SCHEDULED, "zh-hans"])
    page = client.get(url).content.decode()
    assert '· <span lang="zh-hans">简体中文</span></h1>' in page
    assert "<title>编辑消息模板 · 社区工作者招聘平台" in page
