import io
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from applicants.models import ApplicationEvent, Stage
from portal import jobs
from portal.models import BackgroundJob
from recruitment.models import ReviewerAssignment
from review import services
from review.exports import purge_old_exports
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory, assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_approve_confirms_then_approves_only_passed_pending(
    client, assigned_reviewer, position, django_capture_on_commit_callbacks, notified, monkeypatch
):
    monkeypatch.setattr(services, "BULK_BATCH_SIZE", 2)
    passed = ApplicationFactory.create_batch(5, position=position)
    failed = ApplicationFactory(position=position, eligibility_outcome="failed")
    manual = ApplicationFactory(position=position, eligibility_outcome="manual")
    elsewhere = ApplicationFactory()  # another announcement
    client.force_login(assigned_reviewer)
    url = reverse("review:bulk_approve") + f"?announcement={position.announcement_id}"
    page = client.get(url)
    assert page.context["count"] == 5
    as_of = page.context["form"]["as_of"].value()

    # No confirmation tick: nothing happens.
    response = client.post(
        reverse("review:bulk_approve"),
        {"announcement": position.announcement_id, "expected": 5, "as_of": as_of},
    )
    assert response.status_code == 200
    assert not BackgroundJob.objects.exists()

    # Submitted after the count was shown: not part of what the reviewer confirmed.
    late = ApplicationFactory(position=position, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:bulk_approve"),
            {"announcement": position.announcement_id, "expected": 5, "confirm": "on", "as_of": as_of},
        )
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("review:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.kind, job.status, job.total, job.done) == ("bulk_approve", "done", 5, 5)
    for application in passed:
        application.refresh_from_db()
        assert application.stage == Stage.APPROVED
        assert application.reviewed_by == assigned_reviewer
    for application in (failed, manual, elsewhere, late):
        application.refresh_from_db()
        assert application.stage == Stage.SUBMITTED
    assert ApplicationEvent.objects.filter(to_stage=Stage.APPROVED).count() == 5
    assert len(notified) == 5

    # Idempotent: running again approves nothing more and writes no audit rows.
    BackgroundJob.objects.filter(pk=job.pk).update(status="pending")
    job.refresh_from_db()
    services.bulk_approve_run(job)
    assert ApplicationEvent.objects.filter(to_stage=Stage.APPROVED).count() == 5

    progress = client.get(reverse("review:job_progress", args=[job.pk])).content.decode()
    assert "5 / 5" in progress
    assert "hx-get" not in progress  # finished: the page stops polling


def test_bulk_approve_skips_an_application_changed_meanwhile(assigned_reviewer, position):
    application = ApplicationFactory(position=position)
    job = services.bulk_approve_job_create(
        actor=assigned_reviewer, announcement=position.announcement, filters={}, total=1, as_of=timezone.now()
    )
    services.application_return(
        application=application, actor=assigned_reviewer, expected_version=1, instructions="补充"
    )
    services.bulk_approve_run(job)
    application.refresh_from_db()
    assert application.stage == Stage.RETURNED


def test_job_progress_polls_while_running_and_is_private(client, assigned_reviewer, position):
    job = BackgroundJob.objects.create(
        kind="bulk_approve",
        created_by=assigned_reviewer,
        announcement_id=position.announcement_id,
        total=10,
        done=3,
    )
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:job", args=[job.pk])).content.decode()
    assert "hx-get" in page and "every 1500ms" in page
    other = UserFactory(role=Role.REVIEWER)
    assign(other, position.announcement)
    client.force_login(other)
    assert client.get(reverse("review:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("review:job_progress", args=[job.pk])).status_code == 404


def _sheet(content):
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_export_masks_id_numbers_for_reviewers(client, assigned_reviewer, position, reason):
    application = ApplicationFactory(position=position)
    services.application_reject(
        application=application, actor=assigned_reviewer, expected_version=1, reason=reason, note="高中学历"
    )
    ApplicationFactory()  # another announcement: never exported
    client.force_login(assigned_reviewer)
    response = client.get(reverse("review:export"), {"announcement": position.announcement_id})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = _sheet(response.content)
    assert rows[0] == [
        "报名序号", "姓名", "性别", "身份证号", "手机号", "岗位代码", "岗位名称",
        "学历", "专业", "状态", "自动检查", "提交时间", "审核人", "原因",
    ]  # fmt: skip
    assert len(rows) == 2
    row = rows[1]
    profile = application.applicant.profile
    assert row[0] == application.pk
    assert row[1] == profile.real_name
    assert row[3] == f"{profile.id_number[:4]}**********{profile.id_number[-4:]}"
    assert row[4] == f"{application.applicant.phone[:3]}****{application.applicant.phone[-4:]}"
    assert row[5] == position.code
    assert (row[7], row[8]) == ("本科", "社会工作")
    assert row[9] == "审核不通过"
    assert row[12] == str(assigned_reviewer)
    assert row[13] == "学历不符合岗位要求：高中学历"


def test_export_shows_full_id_numbers_with_the_permission(client, administrator, position):
    application = ApplicationFactory(position=position)
    client.force_login(administrator)
    rows = _sheet(client.get(reverse("review:export"), {"announcement": position.announcement_id}).content)
    assert rows[1][3] == application.applicant.profile.id_number
    assert rows[1][4] == application.applicant.phone


def test_export_follows_the_queue_filters(client, assigned_reviewer, position):
    ApplicationFactory(position=position)
    failed = ApplicationFactory(position=position, eligibility_outcome="failed")
    client.force_login(assigned_reviewer)
    rows = _sheet(client.get(reverse("review:export"), {"outcome": "failed"}).content)
    assert [row[0] for row in rows[1:]] == [failed.pk]


def test_a_large_export_runs_as_a_job_and_only_its_creator_downloads_it(
    client, assigned_reviewer, position, settings, django_capture_on_commit_callbacks
):
    settings.REVIEW_EXPORT_INLINE_LIMIT = 2
    ApplicationFactory.create_batch(3, position=position)
    client.force_login(assigned_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("review:export"), {"announcement": position.announcement_id})
    job = BackgroundJob.objects.get(kind="export")
    assert response["Location"] == reverse("review:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.done == 3
    assert "download" in client.get(reverse("review:job", args=[job.pk])).content.decode()
    download = client.get(reverse("review:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert len(_sheet(b"".join(download.streaming_content))) == 4
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("review:job_download", args=[job.pk])).status_code == 404


def test_opening_ratio_flags_positions_below_the_ratio(
    client, assigned_reviewer, django_assert_max_num_queries
):
    position = ReviewPositionFactory(quota=3)
    healthy = ReviewPositionFactory(announcement=position.announcement, quota=1)
    ApplicationFactory.create_batch(4, position=position, stage=Stage.APPROVED)
    ApplicationFactory(position=position)
    ApplicationFactory.create_batch(3, position=healthy, stage=Stage.APPROVED)
    assign(assigned_reviewer, position.announcement)
    client.force_login(assigned_reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("review:opening_ratio", args=[position.announcement_id]))
    rows = {row.position.pk: row for row in response.context["rows"]}
    low = rows[position.pk]
    assert (low.submitted, low.approved, str(low.ratio), low.below) == (5, 4, "1.33", True)
    assert (low.suggestion, low.suggested_quota) == ("reduce", 1)
    assert rows[healthy.pk].below is False
    assert not response.context["can_adjust"]


def test_administrator_reduces_or_cancels_from_the_ratio_page(client, administrator):
    position = ReviewPositionFactory(quota=3)
    doomed = ReviewPositionFactory(announcement=position.announcement, quota=1)
    ApplicationFactory.create_batch(3, position=position, stage=Stage.APPROVED)
    client.force_login(administrator)
    url = reverse("review:position_adjust", args=[position.announcement_id, position.pk])
    client.post(url, {"action": "reduce", "quota": 1, "reason": "审核通过人数不足开考比例"})
    position.refresh_from_db()
    assert (position.quota, position.status) == (1, "reduced")
    url = reverse("review:position_adjust", args=[position.announcement_id, doomed.pk])
    client.post(url, {"action": "cancel", "reason": "无人审核通过"})
    doomed.refresh_from_db()
    assert (doomed.quota, doomed.status) == (0, "cancelled")
    # QA: rows without a suggestion or a form said nothing; now they say why.
    page = client.get(reverse("review:opening_ratio", args=[position.announcement_id])).content.decode()
    assert "开考比例已达到，无需核减" in page and "已达到开考比例" in page
    assert "岗位已取消，无需操作" in page
    response = client.post(url, {"action": "reduce", "reason": ""}, follow=True)
    assert "请填写核减后的招聘人数" in response.content.decode()


def test_bulk_approve_asks_again_when_the_count_changed(client, assigned_reviewer, position):
    ApplicationFactory.create_batch(3, position=position)
    client.force_login(assigned_reviewer)
    response = client.post(
        reverse("review:bulk_approve"),
        {"announcement": position.announcement_id, "expected": 2, "confirm": "on", "as_of": timezone.now()},
    )
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert "数量已变化" in response.content.decode()
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize("shown", [-timedelta(hours=3), timedelta(hours=1)], ids=["expired", "future"])
def test_bulk_approve_refuses_a_confirmation_page_out_of_time(client, assigned_reviewer, position, shown):
    ApplicationFactory(position=position)
    client.force_login(assigned_reviewer)
    response = client.post(
        reverse("review:bulk_approve"),
        {
            "announcement": position.announcement_id,
            "expected": 1,
            "confirm": "on",
            "as_of": timezone.now() + shown,
        },
    )
    assert response.status_code == 200
    assert "确认页面已过期" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def _bulk_job(reviewer, position, total):
    return BackgroundJob.objects.create(
        kind="bulk_approve",
        created_by=reviewer,
        announcement_id=position.announcement_id,
        total=total,
        params={"filters": {}, "submitted_by": timezone.now().isoformat()},
    )


def test_a_job_is_claimed_by_one_run_only(assigned_reviewer, position):
    job = _bulk_job(assigned_reviewer, position, 2)
    assert jobs.claim(job)
    again = BackgroundJob.objects.get(pk=job.pk)
    assert not jobs.claim(again)  # a second delivery while the first runs does nothing
    ApplicationFactory.create_batch(2, position=position, submitted_at=timezone.now() - timedelta(hours=1))
    services.bulk_approve_run(again)
    again.refresh_from_db()
    assert (again.status, again.done) == ("running", 0)


def test_a_job_left_running_by_a_dead_worker_is_resumed(assigned_reviewer, position):
    applications = ApplicationFactory.create_batch(3, position=position)
    job = _bulk_job(assigned_reviewer, position, 3)
    # The first run approved one and died: RUNNING, its heartbeat long past.
    services.application_approve(application=applications[0], actor=assigned_reviewer, expected_version=1)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status="running", done=1, heartbeat_at=timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    )
    job = services.bulk_approve_run(BackgroundJob.objects.get(pk=job.pk))
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert ApplicationEvent.objects.filter(to_stage=Stage.APPROVED).count() == 3  # none twice


def test_export_cells_never_run_as_formulas(client, assigned_reviewer, position):
    application = ApplicationFactory(position=position)
    application.snapshot = {**application.snapshot, "real_name": '=HYPERLINK("http://evil.example","点我")'}
    application.snapshot["education"][0]["major"] = "+1+cmd|' /C calc'!A0"
    application.save(update_fields=["snapshot"])
    client.force_login(assigned_reviewer)
    row = _sheet(client.get(reverse("review:export"), {"announcement": position.announcement_id}).content)[1]
    assert row[1] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row[8] == "'+1+cmd|' /C calc'!A0"


@pytest.fixture
def export_job(client, assigned_reviewer, position, settings, django_capture_on_commit_callbacks):
    """A finished export job of two applications, made through the page by the signed-in
    assigned reviewer."""
    settings.REVIEW_EXPORT_INLINE_LIMIT = 1
    ApplicationFactory.create_batch(2, position=position)
    client.force_login(assigned_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("review:export"), {"announcement": position.announcement_id})
    return BackgroundJob.objects.get(kind="export")


def test_export_download_is_private_rechecks_scope_and_expires(client, export_job, settings):
    job = export_job
    url = reverse("review:job_download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert purge_old_exports() == 0  # fresh: kept
    name = job.result_file.name
    assert job.result_file.storage.exists(name)
    assert purge_old_exports(now=timezone.now() + timedelta(days=settings.REVIEW_EXPORT_KEEP_DAYS + 1)) >= 1
    job.refresh_from_db()
    assert not job.result_file and not job.result_file.storage.exists(name)
    assert client.get(url).status_code == 404
    assert "超过保存期限" in client.get(reverse("review:job", args=[job.pk])).content.decode()


def test_export_download_refused_once_unassigned(client, assigned_reviewer, export_job):
    assert client.get(reverse("review:job_download", args=[export_job.pk])).status_code == 200
    ReviewerAssignment.objects.filter(reviewer=assigned_reviewer).delete()
    assert client.get(reverse("review:job_download", args=[export_job.pk])).status_code == 404


def test_a_run_presumed_dead_and_replaced_can_no_longer_write(assigned_reviewer, position):
    job = _bulk_job(assigned_reviewer, position, 3)
    assert jobs.claim(job)
    first = BackgroundJob.objects.get(pk=job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - jobs.STALE_AFTER * 2)
    second = BackgroundJob.objects.get(pk=job.pk)
    assert jobs.claim(second)  # the first looked dead
    jobs.add_done(second, 2)
    with pytest.raises(jobs.JobLost):
        jobs.add_done(first, 1)
    with pytest.raises(jobs.JobLost):
        jobs.finish(first)
    jobs.fail(first, RuntimeError("late"))  # writes nothing either
    jobs.finish(second)
    job.refresh_from_db()
    assert (job.status, job.done, job.error) == ("done", 2, "")


def test_a_job_left_running_without_a_heartbeat_can_be_claimed(assigned_reviewer, position):
    job = _bulk_job(assigned_reviewer, position, 1)
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=None)
    assert jobs.claim(BackgroundJob.objects.get(pk=job.pk))


def test_a_bulk_run_reports_what_it_skipped(client, assigned_reviewer, position):
    changed = ApplicationFactory(position=position)
    fine = ApplicationFactory(position=position)
    profile = changed.applicant.profile
    type(profile).objects.filter(pk=profile.pk).update(real_name="改过的名字")  # IdentityChanged
    job = services.bulk_approve_run(_bulk_job(assigned_reviewer, position, 2))
    fine.refresh_from_db()
    changed.refresh_from_db()
    assert (fine.stage, changed.stage) == (Stage.APPROVED, Stage.SUBMITTED)
    assert (job.status, job.done, job.params["skipped"]) == ("done", 1, 1)
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:job_progress", args=[job.pk])).content.decode()
    assert "1 份报名在处理时已有变化" in page


def test_an_export_run_that_lost_its_job_removes_its_own_file(assigned_reviewer, position, monkeypatch):
    from review import exports

    ApplicationFactory(position=position)
    job = BackgroundJob.objects.create(
        kind="export", created_by=assigned_reviewer, announcement_id=position.announcement_id, total=1
    )
    real_build = exports.build_workbook

    def build_then_get_replaced(*args, **kwargs):
        content = real_build(*args, **kwargs)
        BackgroundJob.objects.filter(pk=job.pk).update(claim_token=uuid.uuid4())  # another run took it
        return content

    monkeypatch.setattr(exports, "build_workbook", build_then_get_replaced)
    storage = BackgroundJob._meta.get_field("result_file").storage
    before = _export_files(storage)
    result = exports.export_job_run(job)
    assert result.status == "running" and not result.result_file
    assert _export_files(storage) == before  # nothing left behind


def _export_files(storage, folder="exports"):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return set()
    found = {f"{folder}/{name}" for name in files}
    for sub in folders:
        found |= _export_files(storage, f"{folder}/{sub}")
    return found


def test_purge_also_removes_export_files_no_job_names(settings):
    from django.core.files.base import ContentFile

    storage = BackgroundJob._meta.get_field("result_file").storage
    name = storage.save("exports/2020/01/orphan.xlsx", ContentFile(b"PK"))
    assert purge_old_exports(now=timezone.now() + timedelta(days=settings.REVIEW_EXPORT_KEEP_DAYS + 1)) >= 1
    assert not storage.exists(name)
