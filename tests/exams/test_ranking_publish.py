"""Publication of a confirmed ranking as a background job (issue 17 item 7): the click records
a job, the job marks the version published and tells every ranked candidate in batches with
progress; one job per version however often it is clicked; a rerun tells nobody twice, a
crash halfway is finished by the rerun; only administrators start it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exams.models_ranking import RankingVersion
from exams.services import ranking as services
from exams.services import ranking_publish as publication
from notifications.models import Notification
from portal import jobs
from portal.models import BackgroundJob
from tests.exams.ranking_helpers import interviewed, seven
from tests.exams.written_factories import assign
from tests.factories import UserFactory

D = Decimal


@pytest.fixture
def confirmed(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 1: A 80/70 → 75.00 and B 80/70 → 75.00 (rank 1, 1: a 加试), C 60/70 → 65.00
    (rank 3); version 1 confirmed, not published."""
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
    version = services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)
    return announcement, apps, version


def _run(job, **kwargs):
    return publication.ranking_publish_run(
        BackgroundJob.objects.select_related("created_by").get(pk=job.pk), **kwargs
    )


def _told(version):
    """recipient id → number of 综合成绩 messages for `version`."""
    counts = {}
    for user_id in Notification.objects.filter(
        event="ranked", dedupe_key__startswith=f"ranking_published:{version.pk}:"
    ).values_list("recipient_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def test_the_job_publishes_and_tells_everyone_in_batches_with_progress(confirmed, administrator, monkeypatch):
    announcement, (a, b, c), version = confirmed
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    assert (job.status, job.total, job.done, job.params) == ("pending", 3, 0, {"version": version.pk})
    version.refresh_from_db()
    assert version.published_at is None  # the click only records the job
    from django.contrib.admin.models import LogEntry

    audited = LogEntry.objects.filter(object_id=str(version.pk), content_type__model="rankingversion")
    before = audited.count()
    progress = []
    real_set_done = jobs.set_done
    monkeypatch.setattr(jobs, "set_done", lambda j, n: (progress.append(n), real_set_done(j, n)))
    finished = _run(job, batch_size=2)
    assert progress == [2, 3]  # two batches: 2 candidates, then 1
    assert (finished.status, finished.done, finished.total, finished.params["told"]) == ("done", 3, 3, 3)
    version.refresh_from_db()
    assert version.published_at is not None and version.published_by == administrator
    assert _told(version) == {a.applicant_id: 1, b.applicant_id: 1, c.applicant_id: 1}
    note = Notification.objects.get(event="ranked", recipient=c.applicant)
    assert "65.00" in note.body and "第3名" in note.body
    assert audited.count() == before + 1  # the publication, by the administrator who clicked
    assert audited.order_by("-pk").first().user == administrator


def test_two_clicks_or_two_administrators_get_one_job_and_one_message_each(
    confirmed, administrator, django_capture_on_commit_callbacks
):
    announcement, apps, version = confirmed
    other = UserFactory(role="administrator")
    first = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    second = publication.ranking_publish_job_create(version=version, actor=other, start=False)
    assert first.pk == second.pk  # waiting: the same job
    _run(first)
    with django_capture_on_commit_callbacks(execute=True):
        third = publication.ranking_publish_job_create(version=version, actor=other)
    assert third.pk == first.pk  # done: the same job, nothing started again
    assert BackgroundJob.objects.filter(kind=publication.PUBLISH_KIND).count() == 1
    assert set(_told(version).values()) == {1} and len(_told(version)) == 3


def test_a_second_delivery_does_nothing_and_a_second_run_tells_nobody_again(confirmed, administrator):
    announcement, apps, version = confirmed
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    assert _run(job).params["told"] == 3
    assert _run(job) is None  # the message delivered again: the job is not claimable
    rerun = BackgroundJob.objects.create(
        kind=publication.PUBLISH_KIND,
        created_by=administrator,
        announcement_id=announcement.pk,
        params={"version": version.pk},
    )
    finished = _run(rerun)
    assert (finished.status, finished.params["told"], finished.done) == ("done", 0, 3)
    assert Notification.objects.filter(event="ranked").count() == 3


def test_a_crash_halfway_is_finished_by_the_rerun_and_nobody_is_told_twice(
    confirmed, administrator, monkeypatch, client
):
    announcement, (a, b, c), version = confirmed
    real_notify = publication.notify
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["recipient"].pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(publication, "notify", dies_on_the_second)
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    with pytest.raises(RuntimeError):
        _run(job, batch_size=1)
    job.refresh_from_db()
    assert job.status == "failed" and "worker killed" in job.error and job.done == 1
    version.refresh_from_db()
    assert version.published_at is not None  # published first; one candidate told so far
    assert len(_told(version)) == 1
    # The version page offers to finish the work; the job page says nothing is sent twice.
    client.force_login(administrator)
    page = client.get(
        reverse("exams:ranking_version", args=[announcement.pk, version.number])
    ).content.decode()
    assert "继续通知未收到通知的考生" in page
    page = client.get(reverse("exams:ranking_job", args=[job.pk])).content.decode()
    assert "公布未完成" in page and "不会重复发送" in page
    monkeypatch.setattr(publication, "notify", real_notify)
    rerun = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    assert rerun.pk != job.pk  # after a failure, a new job
    finished = _run(rerun, batch_size=1)
    assert (finished.status, finished.params["told"], finished.done) == ("done", 2, 3)
    assert _told(version) == {a.applicant_id: 1, b.applicant_id: 1, c.applicant_id: 1}
    assert publication.ranking_publish_job_create(version=version, actor=administrator).pk == rerun.pk


def test_a_dead_workers_job_is_claimed_again_by_the_sweeper_and_finished(
    confirmed, administrator, monkeypatch
):
    announcement, (a, b, c), version = confirmed
    real_notify = publication.notify

    def killed_after_a(**kwargs):
        if kwargs["recipient"] != a.applicant:
            raise SystemExit  # not an Exception: nothing marks the job failed, as when a worker is killed
        return real_notify(**kwargs)

    monkeypatch.setattr(publication, "notify", killed_after_a)
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    with pytest.raises(SystemExit):
        _run(job, batch_size=1)
    job.refresh_from_db()
    assert job.status == "running" and len(_told(version)) == 1
    monkeypatch.setattr(publication, "notify", real_notify)
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert jobs.sweep() == 1  # in-process here (no broker): the task claims and finishes it
    job.refresh_from_db()
    assert (job.status, job.done, job.params["told"]) == ("done", 3, 2)
    assert set(_told(version).values()) == {1} and len(_told(version)) == 3


def test_only_administrators_start_it_and_only_for_a_confirmed_version(
    confirmed, administrator, reviewer, examiner, client
):
    announcement, apps, version = confirmed
    for user in (reviewer, examiner, apps[0].applicant):
        with pytest.raises(PermissionDenied):
            publication.ranking_publish_job_create(version=version, actor=user)
    url = reverse("exams:ranking_publish", args=[announcement.pk, version.number])
    client.force_login(assign(UserFactory(role="reviewer"), announcement, administrator))
    assert client.post(url).status_code == 403
    for user in (UserFactory(role="reviewer"), UserFactory(role="examiner"), apps[0].applicant):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert not BackgroundJob.objects.filter(kind=publication.PUBLISH_KIND).exists()
    RankingVersion.objects.filter(pk=version.pk).update(status="draft")
    with pytest.raises(ValidationError, match="只能公布已确认的排名版本"):
        publication.ranking_publish_job_create(version=version, actor=administrator)
    assert not BackgroundJob.objects.filter(kind=publication.PUBLISH_KIND).exists()


def test_a_version_superseded_before_the_job_ran_is_not_published(confirmed, administrator):
    announcement, apps, version = confirmed
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    RankingVersion.objects.filter(pk=version.pk).update(status="superseded")
    assert _run(job) is None
    job.refresh_from_db()
    version.refresh_from_db()
    assert job.status == "failed" and "已不是确认的排名版本" in job.error
    assert version.published_at is None and not Notification.objects.filter(event="ranked").exists()


def test_the_job_page_is_for_staff_of_the_announcement(
    confirmed, administrator, client, django_assert_max_num_queries
):
    announcement, apps, version = confirmed
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    url = reverse("exams:ranking_job", args=[job.pk])
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "公布综合成绩并通知考生" in page and "已处理 0 / 3 名考生" in page and "hx-get" in page
    client.force_login(assign(UserFactory(role="reviewer"), announcement, administrator))
    assert client.get(url).status_code == 200
    for user in (UserFactory(role="reviewer"), apps[0].applicant):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_inline_publish_keeps_its_contract(confirmed, administrator):
    """exams.demo_interview calls ranking_publish: the version comes back published, everyone
    told; calling it again changes nothing."""
    announcement, apps, version = confirmed
    published = publication.ranking_publish(version=version, actor=administrator)
    assert published.published_at is not None
    assert (
        publication.ranking_publish(version=version, actor=administrator).published_at
        == published.published_at
    )
    assert Notification.objects.filter(event="ranked").count() == 3
    assert BackgroundJob.objects.get(kind=publication.PUBLISH_KIND).status == "done"


def test_a_version_superseded_while_its_job_runs_tells_nobody_more(confirmed, administrator, monkeypatch):
    """Another version confirmed between two batches (a correction after publication began):
    the rest are not told a rank that no longer holds; the job fails saying why."""
    _announcement, _apps, version = confirmed
    real_notify_batch = publication._notify_batch
    batches = []

    def then_superseded(*args, **kwargs):
        told = real_notify_batch(*args, **kwargs)
        batches.append(told)
        if len(batches) == 1:  # a confirmation of another version lands after the first batch
            RankingVersion.objects.filter(pk=version.pk).update(status="superseded")
        return told

    monkeypatch.setattr(publication, "_notify_batch", then_superseded)
    job = publication.ranking_publish_job_create(version=version, actor=administrator, start=False)
    assert _run(job, batch_size=1) is None
    job.refresh_from_db()
    assert job.status == "failed" and "已被新确认的排名版本取代" in job.error
    assert batches == [1] and sum(_told(version).values()) == 1  # one told, two not
