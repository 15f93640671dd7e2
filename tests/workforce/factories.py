"""Workforce test helpers: a unit tree, unit managers and workers made through the services."""

from __future__ import annotations

from datetime import date
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
