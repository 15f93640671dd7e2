"""Ranking pages (issue 17 items 6–7): the administrator runs, reviews and confirms; reviewers
read; examiners and applicants are kept out; publication opens the public list (masked names)
and the applicant's own result, and tells every ranked candidate; query budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from exams.models_ranking import RankingVersion
from exams.services import ranking as services
from exams.services import ranking_publish
from notifications.models import Notification
from tests.exams.ranking_helpers import interviewed, seven
from tests.exams.written_factories import assign
from tests.factories import UserFactory

D = Decimal


@pytest.fixture
def ranked(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 1: A 80/70 → 75.00 and B 80/70 → 75.00 tie (加试), C 60/70 → 65.00."""
    announcement, apps, stand_in = interviewed(
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
    return announcement, apps, version


def _url(name, announcement, version=None, *extra):
    args = [announcement.pk] + ([version.number] if version else []) + list(extra)
    return reverse(f"exams:{name}", args=args)


def test_the_version_page_explains_the_tie_and_the_extra_test(client, administrator, ranked):
    announcement, apps, version = ranked
    client.force_login(administrator)
    page = client.get(_url("ranking_version", announcement, version)).content.decode()
    assert "确认第 1 版" in page and "录入加试成绩（2 人）" in page
    assert "综合成绩 = 笔试成绩 × 0.5 + 面试成绩 × 0.5" in page
    page = client.get(_url("ranking_position", announcement, version, apps[0].position_id)).content.decode()
    assert (
        "2 名考生综合成绩均为 75.00 分，依次比较笔试成绩、面试成绩、学历、年龄（年轻者优先）后仍完全相同"
        in page
    )
    assert "须组织加试" in page
    for app in apps:  # names masked on every ranking page
        assert app.snapshot["real_name"] not in page
        assert app.snapshot["id_number"] not in page


def test_administrator_runs_the_job_and_sees_progress(
    client, administrator, ranked, django_capture_on_commit_callbacks
):
    announcement, _apps, version = ranked
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("ranking_run", announcement))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "成绩和规则与第 1 版完全相同，未生成新版本" in page


def test_confirm_then_publish_then_the_public_and_the_applicant_see_it(
    client, administrator, ranked, django_capture_on_commit_callbacks
):
    announcement, (a, b, c), version = ranked
    public_url = reverse("exams:ranking_public", args=[announcement.pk])
    assert client.get(public_url).status_code == 404  # nothing before publication
    client.force_login(administrator)
    response = client.post(_url("ranking_confirm", announcement, version), {"seen_confirmed": ""})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "confirmed"
    # Publishing needs a confirmed version; it runs as a job (the page shows its progress)
    # and tells each ranked candidate once, however often it is clicked.
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url("ranking_publish", announcement, version))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_url("ranking_publish", announcement, version))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]  # the same job
    page = client.get(first["Location"]).content.decode()
    assert "已处理 3 / 3 名考生" in page and "每名参加排名的考生都已收到通知" in page
    assert Notification.objects.filter(event="ranked").count() == 3
    note = Notification.objects.get(event="ranked", recipient=c.applicant)
    assert "65.00" in note.body and "第3名" in note.body
    client.logout()
    page = client.get(public_url).content.decode()
    assert "75.00" in page and "65.00" in page
    assert a.snapshot["real_name"] not in page and a.snapshot["real_name"][0] in page
    # The applicant sees their own result and what comes next, nobody else's.
    client.force_login(c.applicant)
    page = client.get(reverse("exams:ranking_mine")).content.decode()
    assert "65.00" in page and "第 3 名" in page and "递补" in page
    assert "75.00" not in page
    page = client.get(reverse("applicants:application", args=[c.pk])).content.decode()
    assert "综合成绩" in page and "65.00" in page
    client.force_login(UserFactory(role="applicant"))
    page = client.get(reverse("exams:ranking_mine")).content.decode()
    assert "综合成绩尚未公布" in page


def test_publishing_a_draft_is_refused(client, administrator, ranked):
    announcement, _apps, version = ranked
    client.force_login(administrator)
    response = client.post(_url("ranking_publish", announcement, version), follow=True)
    assert "只能公布已确认的排名版本" in response.content.decode()
    version.refresh_from_db()
    assert version.published_at is None


def test_a_stale_confirm_form_is_told_who_confirmed_first(client, administrator, ranked):
    announcement, _apps, version = ranked
    other = UserFactory(role="administrator", name="管理员乙")
    services.ranking_confirm(version=version, actor=other, seen_confirmed=None)
    client.force_login(administrator)
    response = client.post(
        _url("ranking_confirm", announcement, version), {"seen_confirmed": ""}, follow=True
    )
    assert "管理员乙" in response.content.decode() and "无需重复确认" in response.content.decode()
    bad = client.post(_url("ranking_confirm", announcement, version), {"seen_confirmed": "x"})
    assert bad.status_code == 404


def test_extra_test_form_bad_input_at_the_field_and_nothing_saved(client, administrator, ranked):
    announcement, (a, b, _c), version = ranked
    client.force_login(administrator)
    url = _url("ranking_extra_test", announcement, version)
    response = client.post(url, {f"score_{a.pk}": "101", f"score_{b.pk}": "85.555"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "0 到 100" in page and "最多保留两位小数" in page and 'value="85.555"' in page
    response = client.post(url, {})
    assert "请至少录入一名考生的加试成绩" in response.content.decode()
    assert not services.ExtraTestResult.objects.exists()
    response = client.post(url, {f"score_{a.pk}": "80", f"score_{b.pk}": "90.5"})
    assert response.status_code == 302
    assert services.ExtraTestResult.objects.get(application=b).score == D("90.50")


def test_reviewers_read_but_cannot_act_examiners_and_applicants_are_kept_out(client, administrator, ranked):
    announcement, apps, version = ranked
    reviewer = assign(UserFactory(role="reviewer"), announcement, administrator)
    client.force_login(reviewer)
    assert client.get(_url("ranking_version", announcement, version)).status_code == 200
    for name in ("ranking_confirm", "ranking_publish"):
        assert client.post(_url(name, announcement, version), {"seen_confirmed": ""}).status_code == 403
    assert client.post(_url("ranking_run", announcement)).status_code == 403
    assert client.get(_url("ranking_extra_test", announcement, version)).status_code == 403
    version.refresh_from_db()
    assert version.status == "draft"
    client.force_login(UserFactory(role="reviewer"))  # not assigned
    assert client.get(_url("ranking_version", announcement, version)).status_code == 404
    for user in (UserFactory(role="examiner"), apps[0].applicant):
        client.force_login(user)
        assert client.get(_url("ranking_versions", announcement)).status_code == 404
        assert client.post(_url("ranking_confirm", announcement, version)).status_code == 404
        assert client.get(reverse("exams:ranking_index")).status_code == 403
    assert RankingVersion.objects.get().status == "draft"


def test_query_budgets(client, administrator, ranked, django_assert_max_num_queries):
    announcement, apps, version = ranked
    services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)
    ranking_publish.ranking_publish(version=version, actor=administrator)
    client.force_login(administrator)
    with django_assert_max_num_queries(40):
        assert client.get(_url("ranking_versions", announcement)).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(_url("ranking_version", announcement, version)).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(_url("ranking_position", announcement, version, apps[0].position_id)).status_code
            == 200
        )
    client.logout()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exams:ranking_public", args=[announcement.pk])).status_code == 200
    client.force_login(apps[2].applicant)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("exams:ranking_mine")).status_code == 200


def test_the_differences_are_shown_as_published_scores(client, administrator, ranked):
    announcement, (a, b, c), first = ranked
    from exams.models import WrittenScore

    WrittenScore.objects.filter(ticket__application=c).update(raw=D("96"))  # C: (96 + 70) / 2 = 83.00
    second = services.rank_now(announcement, actor=administrator).version
    client.force_login(administrator)
    page = client.get(_url("ranking_version", announcement, second)).content.decode()
    assert "65.00 → 83.00" in page and "3 → 1" in page
    assert "83.000" not in page
