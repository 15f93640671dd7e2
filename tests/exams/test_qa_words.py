"""QA (390 px, English wording): the exam plan list and the plan page stack on a phone,
punctuation is part of the translated text, counts choose singular or plural."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from exams.apply_bonus import _plural_number
from recruitment.models import BonusCategory
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory
from tests.exams.factories import make_exam, proctor_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_exam_plan_list_stacks_on_a_phone(client, administrator):
    plan, _apps = make_exam(candidates=1, positions=1)
    client.force_login(administrator)
    html = client.get(reverse("exams:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "table-responsive-stack" in html
    assert (
        'data-label="Positions"' in html or 'data-label="No. of positions"' in html or "data-label=" in html
    )
    assert '<div class="table-responsive">' not in html


def test_the_plan_page_stacks_its_rooms_and_translates_its_punctuation(client, administrator):
    plan, _apps = make_exam(candidates=1, positions=1)
    venue = plan.venues.first()
    proctor_of(venue, UserFactory(role="proctor", name="孙监考"), chief=True)
    client.force_login(administrator)
    url = reverse("exams:plan", args=[plan.announcement_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Proctors: " in html and "孙监考 (chief)" in html
    assert "：" not in html.split("Proctors")[1][:200] and "（" not in html.split("孙监考")[1][:20]
    assert html.count("table-responsive-stack") >= 1
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "监考：" in html and "孙监考（主考）" in html


def test_bonus_points_and_majors_choose_singular_or_plural_in_english(client):
    assert (_plural_number(Decimal("1")), _plural_number(Decimal("2")), _plural_number(Decimal("0.5"))) == (
        1,
        2,
        2,
    )
    position = ReviewPositionFactory(majors=["社会工作"])
    category = BonusCategory.objects.create(
        announcement=position.announcement, name="退役军人", points=Decimal("1")
    )
    from exams.apply_bonus import ApplyBonusForm as BonusForm

    with translation.override("en"):
        form = BonusForm(categories=[category], documents=[])
        assert form.fields[f"claim_{category.pk}"].label == "退役军人 (+1 point)"
        category.points = Decimal("2.5")
        form = BonusForm(categories=[category], documents=[])
        assert form.fields[f"claim_{category.pk}"].label == "退役军人 (+2.5 points)"
    url = reverse("recruitment:detail", args=[position.announcement_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Major: 社会工作" in html and "Majors:" not in html


def test_my_applications_column_says_announcement_in_english(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    html = client.get(reverse("applicants:applications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Announcement</th>" in html and 'data-label="Announcement"' in html


def test_the_plan_sessions_stack_and_each_list_row_names_its_announcement(client, administrator):
    plan, _apps = make_exam(candidates=1, positions=1)
    client.force_login(administrator)
    html = client.get(
        reverse("exams:plan", args=[plan.announcement_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'class="table-responsive"' not in html and html.count("table-responsive-stack") >= 2
    html = client.get(reverse("exams:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-label="Announcement"' in html and ">Announcement</th>" in html
