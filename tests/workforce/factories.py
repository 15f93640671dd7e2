"""Workforce test helpers: a unit tree, unit managers and workers made through the services."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from accounts.roles import Role
from recruitment.units import unit_get_or_create
from tests.factories import UserFactory
from workforce.models import Post, UnitManagerAssignment
from workforce.services.workers import NewWorker, worker_create


def community(district="铁东区", street="站前街道", name="园林社区"):
    return unit_get_or_create(district, street, name)


def manager_of(street, user=None):
    user = user or UserFactory(role=Role.UNIT_MANAGER)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    UnitManagerAssignment.objects.create(manager=user, unit=street, assigned_by=admin)
    return user


def make_worker(
    unit=None,
    *,
    name="李四",
    start=date(2024, 3, 1),
    years="3",
    post=Post.OTHER,
    education=30,
    probation_months=None,
    grade=None,
    user=None,
):
    unit = unit or community()
    user = user or UserFactory(role=Role.APPLICANT)
    return worker_create(
        actor=None,
        data=NewWorker(
            user=user,
            name=name,
            unit=unit,
            start_date=start,
            contract_years=Decimal(years),
            post=post,
            education=education,
            probation_months=probation_months,
            grade=grade,
        ),
    )


def probe_world(owner, unit_manager, admin):
    """The permission probe's workforce objects: the owner is a worker of a community of the
    street office the probe's unit manager manages, with a pending side job, a passed
    training with a certificate, and an assessment round. Returns (kwargs, bodies)."""
    from django.utils import timezone

    from workforce.models import AssessmentRound, Enrolment, SideJob, Worker
    from workforce.services import assessments, training
    from workforce.services import side_jobs as side_job_services

    unit = community(district="探针区", street="探针街道", name="探针社区")
    manager_of(unit.parent, unit_manager)
    worker = Worker.objects.filter(user=owner).first() or make_worker(unit, name="探针工作者", user=owner)
    today = timezone.localdate()
    job = side_job_services.declare(
        worker=worker,
        data=side_job_services.Declaration(
            organisation="探针公益组织",
            kind=SideJob.Kind.CHARITY,
            description="",
            paid=False,
            hours_per_week=Decimal("2"),
            slots=[(5, time(9), time(11))],
            starts_on=today,
            ends_on=today + timedelta(days=30),
        ),
    )
    programme = training.programme_create(actor=admin, name="探针培训", kind="onboarding")
    session = training.session_add(
        actor=admin,
        programme=programme,
        title="第一讲",
        starts_at=timezone.now(),
        hours=Decimal("4"),
        place="会议室",
    )
    training.enrol(actor=admin, programme=programme, workers=[worker])
    enrolment = Enrolment.objects.get(programme=programme, worker=worker)
    training.result_set(actor=admin, enrolment=enrolment, passed=True)
    assessment_round = assessments.round_open(actor=admin, unit=unit.parent, year=today.year - 1)
    assert isinstance(assessment_round, AssessmentRound)
    from portal.models import BackgroundJob
    from workforce.services.importer import JOB_KIND

    report = {"saved": False, "file_error": "", "created": 0, "unchanged": 0, "error_count": 1}
    report["rows"] = [
        {"row": 2, "name": "探针导入", "errors": ["岗位类别须为正职、副职或其他。"], "unchanged": False}
    ]
    import_job = BackgroundJob.objects.create(
        kind=JOB_KIND,
        created_by=admin,
        status=BackgroundJob.Status.DONE,
        total=1,
        done=1,
        params={"file": "", "original_name": "探针.xlsx", "report": report},
    )
    kwargs = {
        "workforce:import_job": {"pk": import_job.pk},
        "workforce:worker": {"pk": worker.pk},
        "workforce:probation_review": {"pk": worker.pk},
        "workforce:probation_set": {"pk": worker.pk},
        "workforce:assessment": {"pk": assessment_round.pk},
        "workforce:assessment_confirm": {"pk": assessment_round.pk},
        "workforce:side_job": {"pk": job.pk},
        "workforce:programme": {"pk": programme.pk},
        "workforce:training_checkin": {"pk": session.pk},
        "workforce:me_certificate": {"pk": enrolment.pk},
        "workforce:me_side_job": {"pk": job.pk},
        "workforce:me_side_job_withdraw": {"pk": job.pk},
    }
    bodies = {"workforce:training_checkin": {"worker": worker.pk}}
    return kwargs, bodies


def frame_world(users: dict) -> dict:
    """The browser frame's workforce pages: a worker (users["worker"], added here) in a
    community of the street office users["unit_manager"] manages; the probe's objects."""
    from accounts.roles import Role

    worker_user = UserFactory(role=Role.APPLICANT, name="社区工作者己")
    users["worker"] = worker_user
    kwargs, _bodies = probe_world(worker_user, users["unit_manager"], users["administrator"])
    return {name: value["pk"] for name, value in kwargs.items()}
