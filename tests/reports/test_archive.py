"""The recruitment archive (招聘档案): a zip built by a background job, parts without data
left out with a line in the index."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import BackgroundJob
from reports import archive
from tests.reports.world import build

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world(needs_postgres):
    return build()


def _zip(job) -> zipfile.ZipFile:
    job.refresh_from_db()
    with job.result_file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_an_administrator_builds_the_archive_with_progress(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:archive_start", args=[world.announcement.pk]))
    job = BackgroundJob.objects.get(kind=archive.JOB_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (BackgroundJob.Status.DONE, 7, 7)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 200
    assert client.get(reverse("reports:job_progress", args=[job.pk])).status_code == 200
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    names = _zip(job).namelist()
    assert "01-招聘公告及更正公告.pdf" in names
    assert "02-岗位表.xlsx" in names and "03-资格审核记录.xlsx" in names and "04-笔试成绩.xlsx" in names
    index = _zip(job).read("00-目录.txt").decode()
    # No confirmed ranking or public notice in this world: left out, each said so.
    assert "05-确认的排名版本.xlsx：未包含" in index
    assert "06-拟录用公示.xlsx：未包含" in index
    assert "07-录用人员名单.xlsx：已包含" in index
    assert "04-笔试成绩.xlsx：已包含" in index


def test_the_archive_masks_id_numbers(world):
    content = archive.build_zip(world.announcement)
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        decisions = load_workbook(io.BytesIO(bundle.read("03-资格审核记录.xlsx"))).active
        scores = load_workbook(io.BytesIO(bundle.read("04-笔试成绩.xlsx"))).active
    text = " ".join(
        str(c) for sheet in (decisions, scores) for row in sheet.iter_rows(values_only=True) for c in row
    )
    # 3 rejected/returned/approved by R1 on 11-04 + R1 11-05 + R2 4 = 8 decision rows.
    assert decisions.max_row == 2 + 8
    for application in world.apps.values():
        assert application.snapshot["id_number"] not in text
    assert "*" in text


def test_only_administrators_start_it_and_only_their_own_job_is_shown(client, world):
    url = reverse("reports:archive_start", args=[world.announcement.pk])
    client.force_login(world.r1)
    assert client.post(url).status_code == 403
    job = BackgroundJob.objects.create(
        kind=archive.JOB_KIND, created_by=world.admin, announcement_id=world.announcement.pk
    )
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="administrator"))
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_rerun_of_a_finished_job_does_nothing(world):
    job = BackgroundJob.objects.create(
        kind=archive.JOB_KIND, created_by=world.admin, announcement_id=world.announcement.pk, total=7
    )
    archive.job_run(job)
    first = job.result_file.name
    archive.job_run(job)
    job.refresh_from_db()
    assert job.result_file.name == first and job.status == BackgroundJob.Status.DONE
