"""The shortlist pages: staff (generate, publish, re-check, signed give-up, disqualify), the
public list (masked names, nothing before publication), the applicant's page (confirm, give up
by SMS code); permissions and query budgets."""

import pytest
from django.urls import reverse

from applicants.models import Stage
from exams.models import ShortlistEntry
from notifications.sms import LocmemSmsBackend
from tests.exams.shortlist_factories import run, scored
from tests.exams.written_factories import assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VALUES = ["90", "85", "80", "75", "70", "65", "65", "60", "50", "absent"]


@pytest.fixture
def world(administrator, django_capture_on_commit_callbacks):
    announcement, position, tickets = scored(administrator, django_capture_on_commit_callbacks, VALUES)
    return announcement, position, tickets


def test_staff_generate_and_publish(client, world, administrator, django_capture_on_commit_callbacks):
    announcement, _position, _tickets = world
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:shortlist_compute", args=[announcement.pk]))
    assert response.status_code == 302 and "/shortlist/jobs/" in response["Location"]
    page = client.get(response["Location"])
    assert "入围 7 人，未入围 2 人" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:shortlist_publish", args=[announcement.pk]), follow=True)
    assert "入围名单已公布" in response.content.decode()


def test_staff_pages_permissions_and_budget(
    client,
    world,
    administrator,
    reviewer,
    applicant,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    announcement, _position, tickets = world
    run(announcement, administrator, django_capture_on_commit_callbacks)
    url = reverse("exams:shortlist", args=[announcement.pk])
    client.force_login(reviewer)  # not assigned
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 404
    assign(reviewer, announcement, administrator)
    client.force_login(reviewer)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert tickets[0].number in body and "末位同分" in body
    # reviewers cannot disqualify
    assert client.get(reverse("exams:shortlist_disqualify", args=[announcement.pk])).status_code == 403


def test_entry_recheck_and_signed_give_up(client, world, administrator, django_capture_on_commit_callbacks):
    announcement, _position, tickets = world
    run(announcement, administrator, django_capture_on_commit_callbacks)
    entry = ShortlistEntry.objects.get(application=tickets[1].application)
    url = reverse("exams:shortlist_entry", args=[announcement.pk, entry.pk])
    client.force_login(administrator)
    response = client.post(url, {"action": "recheck", "r-passed": "0", "r-reason": ""})
    assert response.status_code == 200
    assert "复审不通过须填写原因" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "recheck", "r-passed": "0", "r-reason": "学历证书不符"})
    assert response.status_code == 302
    tickets[1].application.refresh_from_db()
    assert tickets[1].application.stage == Stage.FAILED_CHECK
    other = ShortlistEntry.objects.get(application=tickets[2].application)
    url = reverse("exams:shortlist_entry", args=[announcement.pk, other.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url, {"action": "signed", "g-reason": "本人放弃", "g-file": bad})
    assert response.status_code == 200 and "本人放弃" in response.content.decode()  # the reason kept
    good = SimpleUploadedFile("x.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "signed", "g-reason": "本人放弃", "g-file": good})
    assert response.status_code == 302
    page = client.get(url)
    link = reverse("exams:shortlist_declaration_file", args=[other.application.declarations.get().pk])
    assert link in page.content.decode()
    assert client.get(link).status_code == 200


def test_disqualify_by_ticket_number(client, world, administrator, django_capture_on_commit_callbacks):
    announcement, _position, tickets = world
    run(announcement, administrator, django_capture_on_commit_callbacks)
    client.force_login(administrator)
    url = reverse("exams:shortlist_disqualify", args=[announcement.pk])
    assert "没有找到" in client.get(url, {"number": "nope"}).content.decode()
    response = client.post(url, {"number": tickets[8].number, "d-reason": ""})
    assert response.status_code == 200 and "d-reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"number": tickets[8].number, "d-reason": "学历造假"})
    assert response.status_code == 302
    tickets[8].application.refresh_from_db()
    assert tickets[8].application.stage == Stage.DISQUALIFIED


def test_public_list(
    client, world, administrator, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from exams.services import shortlist as services

    announcement, position, tickets = world
    run(announcement, administrator, django_capture_on_commit_callbacks)
    url = reverse("exams:shortlist_public", args=[announcement.pk])
    assert client.get(url).status_code == 404  # not published
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(shortlist=announcement.shortlist, actor=administrator)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "入围最低分：65.00分" in body, body[body.find("<main") :][:3000]
    for ticket in tickets[:7]:
        snapshot = ticket.application.snapshot
        assert ticket.number in body
        assert snapshot["real_name"] not in body  # masked
        assert snapshot.get("id_number", "xxxxxxxx") not in body
    assert tickets[8].number not in body


def test_applicant_confirms_and_gives_up(
    client, world, administrator, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from exams.services import shortlist as services

    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    announcement, _position, tickets = world
    run(announcement, administrator, django_capture_on_commit_callbacks)
    me = tickets[0].application.applicant
    url = reverse("exams:shortlist_mine", args=[tickets[0].application_id])
    client.force_login(me)
    assert client.get(url).status_code == 404  # not published yet
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(shortlist=announcement.shortlist, actor=administrator)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    assert "我确认参加面试" in body and "资格复审请携带" in body
    # the panel on the application page
    panel = client.get(reverse("applicants:application", args=[tickets[0].application_id])).content.decode()
    assert "确认是否参加面试" in panel
    # someone else's entry: 404
    client.force_login(tickets[1].application.applicant)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("exams:shortlist_confirm", args=[tickets[0].application_id])).status_code == 404
    )
    client.force_login(me)
    client.post(reverse("exams:shortlist_confirm", args=[tickets[0].application_id]))
    assert ShortlistEntry.objects.get(application=tickets[0].application).state == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exams:shortlist_give_up", args=[tickets[0].application_id]), {"reason": "已就业"}
        )
    texts = [t for to, t in LocmemSmsBackend.outbox if to == me.phone and "验证码" in t]
    assert texts
    response = client.post(
        reverse("exams:shortlist_give_up_confirm", args=[tickets[0].application_id]), {"code": "12"}
    )
    assert "请输入6位验证码" in response.content.decode()
    code = "".join(ch for ch in texts[-1].split("验证码")[1] if ch.isdigit())[:6]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exams:shortlist_give_up_confirm", args=[tickets[0].application_id]), {"code": code}
        )
    assert response.status_code == 302
    tickets[0].application.refresh_from_db()
    assert tickets[0].application.stage == Stage.DECLINED


def test_my_list_is_for_applicants(client, world, administrator):
    client.force_login(administrator)
    assert client.get(reverse("exams:shortlist_my")).status_code == 403
    other = UserFactory(role="applicant")
    client.force_login(other)
    assert client.get(reverse("exams:shortlist_my")).status_code == 200
