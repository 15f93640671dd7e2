"""The 加试通知 (issue 17): once a ranking with a group of equals straddling the last post is
confirmed, the administrator tells that group to sit the extra test, with the date, time and
place as typed; only the flagged are told, once; permissions; bad input."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from exams.models_ranking import RankingRow, RankingVersion
from exams.services import extra_test_notice as notices
from exams.services import ranking as services
from notifications.models import Notification
from tests.exams.ranking_helpers import interviewed, seven
from tests.exams.written_factories import assign
from tests.factories import UserFactory

D = Decimal
TYPED = {
    "test_date": "2026年5月10日（星期日）",
    "test_time": "上午8:30报到，9:00开始",
    "test_place": "区委党校二楼203室",
}


@pytest.fixture
def tied(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 1: A 80/70 → 75.00 and B 80/70 → 75.00, equal after every breaker: both flagged
    for the 加试; C 60/70 → 65.00, rank 3, not flagged. Version 1, a draft."""
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80", "80", "60"],
        interview=[seven(70), seven(70), seven(70)],
    )
    position = apps[0].position
    position.quota = position.original_quota = 1
    position.save(update_fields=["quota", "original_quota"])
    version = services.rank_now(announcement, actor=administrator).version
    flagged = set(
        RankingRow.objects.filter(version=version, extra_test=True).values_list("application_id", flat=True)
    )
    assert flagged == {apps[0].pk, apps[1].pk}
    return announcement, apps, version


def _confirm(version, administrator):
    return services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)


def _url(announcement, version):
    return reverse("exams:ranking_extra_test", args=[announcement.pk, version.number])


def test_the_flagged_are_told_exactly_what_the_administrator_typed_and_only_once(
    client, administrator, tied, django_capture_on_commit_callbacks
):
    announcement, (a, b, c), version = tied
    _confirm(version, administrator)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(announcement, version), {"form": "notice", **TYPED}, follow=True)
    assert "加试通知已发送给 2 名考生" in response.content.decode()
    notes = Notification.objects.filter(event="extra_test_notice")
    assert {n.recipient_id for n in notes} == {a.applicant_id, b.applicant_id}  # not C
    for note in notes:
        assert note.subject == f"加试通知：{a.position.name}"
        assert f"“{announcement.title}”" in note.body and f"“{a.position.name}”" in note.body
        assert "须参加加试" in note.body
        assert f"加试时间：{TYPED['test_date']} {TYPED['test_time']}。" in note.body
        assert f"加试地点：{TYPED['test_place']}。" in note.body
        assert "另行通知" not in note.body
    # Sent after commit: the e-mail carries the same words.
    sent = [m for m in mail.outbox if "加试" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted([a.applicant.email, b.applicant.email])
    assert all(TYPED["test_place"] in m.body for m in sent)
    # Audited on the version, with what was sent.
    entry = LogEntry.objects.filter(object_id=str(version.pk), change_message__contains="加试通知").get()
    assert entry.user == administrator and TYPED["test_place"] in entry.change_message
    # A second send (a double click, another administrator) writes nothing.
    response = client.post(_url(announcement, version), {"form": "notice", **TYPED}, follow=True)
    assert "未重复发送" in response.content.decode()
    other = UserFactory(role="administrator")
    assert notices.extra_test_notice_send(version=version, actor=other, test_place="别处") == 0
    assert Notification.objects.filter(event="extra_test_notice").count() == 2
    page = client.get(_url(announcement, version)).content.decode()
    assert "本版排名的加试通知已发送" in page


def test_what_is_not_given_is_announced_later_and_a_typed_full_stop_is_not_doubled(administrator, tied):
    announcement, (a, b, c), version = tied
    _confirm(version, administrator)
    assert (
        notices.extra_test_notice_send(version=version, actor=administrator, test_place=" 区民政局一楼。 ")
        == 2
    )
    body = Notification.objects.filter(event="extra_test_notice").first().body
    assert "加试地点：区民政局一楼。加试时间另行通知。" in body and "。。" not in body
    assert "加试时间：" not in body


def test_only_a_confirmed_version_and_only_when_someone_is_flagged(client, administrator, tied):
    announcement, apps, version = tied
    with pytest.raises(ValidationError, match="确认后才能发送"):
        notices.extra_test_notice_send(version=version, actor=administrator, **TYPED)
    client.force_login(administrator)
    page = client.get(_url(announcement, version)).content.decode()
    assert "本版排名确认后，才能向需加试的考生发送加试通知" in page and 'value="notice"' not in page
    response = client.post(_url(announcement, version), {"form": "notice", **TYPED})
    assert response.status_code == 200 and "确认后才能发送加试通知" in response.content.decode()
    _confirm(version, administrator)
    RankingRow.objects.filter(version=version).update(extra_test=False)
    with pytest.raises(ValidationError, match="没有需要加试的考生"):
        notices.extra_test_notice_send(version=version, actor=administrator, **TYPED)
    assert not Notification.objects.filter(event="extra_test_notice").exists()


def test_a_field_too_long_is_refused_at_the_field_and_nothing_is_sent(client, administrator, tied):
    announcement, apps, version = tied
    _confirm(version, administrator)
    client.force_login(administrator)
    long_place = "区" * 101
    response = client.post(_url(announcement, version), {"form": "notice", **TYPED, "test_place": long_place})
    page = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in page and long_place in page
    with pytest.raises(ValidationError):
        notices.extra_test_notice_send(version=version, actor=administrator, test_place=long_place)
    assert not Notification.objects.filter(event="extra_test_notice").exists()
    # The scores form on the same page is untouched by the notice's post.
    assert "请至少录入一名考生的加试成绩" not in page


def test_only_administrators_send_it(client, administrator, reviewer, examiner, tied):
    announcement, apps, version = tied
    _confirm(version, administrator)
    for user in (reviewer, examiner, apps[0].applicant):
        with pytest.raises(PermissionDenied):
            notices.extra_test_notice_send(version=version, actor=user, **TYPED)
    client.force_login(assign(UserFactory(role="reviewer"), announcement, administrator))
    assert client.post(_url(announcement, version), {"form": "notice", **TYPED}).status_code == 403
    for user in (UserFactory(role="reviewer"), UserFactory(role="examiner"), apps[0].applicant):
        client.force_login(user)
        assert client.post(_url(announcement, version), {"form": "notice", **TYPED}).status_code == 404
    assert not Notification.objects.filter(event="extra_test_notice").exists()
    assert RankingVersion.objects.get(pk=version.pk).status == "confirmed"


def test_the_page_query_budget(client, administrator, tied, django_assert_max_num_queries):
    announcement, apps, version = tied
    _confirm(version, administrator)
    client.force_login(administrator)
    with django_assert_max_num_queries(20):
        assert client.get(_url(announcement, version)).status_code == 200
