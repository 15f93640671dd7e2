"""The pay table and duty hours page: administrators only, each fault at its field, audited."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.factories import UserFactory
from workforce.forms import GRADES
from workforce.models import WorkforceSettings, default_duty_hours, default_pay_table

pytestmark = pytest.mark.django_db
URL = reverse("workforce:pay_settings")


def _body(**changes):
    """What the page posts when nothing is changed (the defaults), with `changes` on top."""
    body = {f"pay_{grade}": default_pay_table()[str(grade)] for grade in GRADES}
    for day in range(7):
        for block in ("am", "pm"):
            body[f"d{day}_{block}_start"] = ""
            body[f"d{day}_{block}_end"] = ""
    for day, start, end in default_duty_hours():
        block = "am" if start < "12:30" else "pm"
        body[f"d{day}_{block}_start"], body[f"d{day}_{block}_end"] = start, end
    body.update(changes)
    return body


def test_page_shows_the_current_table_and_hours(client, django_assert_max_num_queries):
    client.force_login(UserFactory(role="administrator"))
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="pay_18" id="id_pay_18" value="5550"' in text  # 3000 + 150 × 17
    assert 'name="d0_am_start" id="id_d0_am_start" value="08:30"' in text
    assert 'name="d6_am_start" id="id_d6_am_start" value=""' in text  # Sunday: no duty


def test_saves_pay_and_a_saturday_morning_audited(client):
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    response = client.post(URL, _body(pay_1="3100", pay_2="3250.5", d5_am_start="09:00", d5_am_end="11:30"))
    assert response.status_code == 302
    settings = WorkforceSettings.objects.get()
    assert settings.pay_table["1"] == "3100" and settings.pay_table["2"] == "3250.50"
    assert settings.pay_for(2) == Decimal("3250.50")
    assert [5, "09:00", "11:30"] in settings.duty_hours and len(settings.duty_hours) == 11
    entry = LogEntry.objects.get(object_id=str(settings.pk), user=admin)
    assert "工资" in entry.change_message and "工作时间" in entry.change_message
    # saving the same again changes nothing and writes no second record
    client.post(URL, _body(pay_1="3100", pay_2="3250.5", d5_am_start="09:00", d5_am_end="11:30"))
    assert LogEntry.objects.filter(object_id=str(settings.pk)).count() == 1


def test_blank_grades_are_left_out_of_the_table(client):
    client.force_login(UserFactory(role="administrator"))
    client.post(URL, _body(pay_17="", pay_18=""))
    table = WorkforceSettings.objects.get().pay_table
    assert "17" not in table and "18" not in table and table["16"] == "5250"


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"pay_5": "3000"}, "pay_5", "不得低于4级的3450元。"),
        ({"pay_3": "-1"}, "pay_3", "0"),
        ({"d0_am_end": ""}, "d0_am_end", "开始和结束时间须同时填写。"),
        ({"d1_am_end": "08:00"}, "d1_am_end", "结束时间须晚于开始时间。"),
        ({"d2_pm_start": "11:00"}, "d2_pm_start", "下午须在上午结束之后开始。"),
        ({"d3_am_start": "25:00"}, "d3_am_start", "时间"),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_saved(client, changes, field, message):
    client.force_login(UserFactory(role="administrator"))
    response = client.post(URL, _body(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not WorkforceSettings.objects.exists()
    # what was typed is kept on the page
    assert f'name="{field}"' in response.content.decode()


def test_no_pay_at_all_is_refused(client):
    client.force_login(UserFactory(role="administrator"))
    response = client.post(URL, _body(**{f"pay_{grade}": "" for grade in GRADES}))
    assert "pay_1" in response.context["form"].errors


def test_only_administrators(client):
    for role in ("unit_manager", "reviewer", "applicant"):
        client.force_login(UserFactory(role=role))
        assert client.get(URL).status_code == 403
        assert client.post(URL, _body()).status_code == 403
    assert not WorkforceSettings.objects.exists()
