import pytest
from django.urls import reverse

from accounts.roles import Role
from applicants.models import ApplicationEvent, Stage
from review.models import RejectionReason
from tests.applicants.factories import (
    ApplicationFactory,
    DocumentFactory,
    ReviewPositionFactory,
    assign,
    submitted_document,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pages(application):
    announcement = application.announcement
    return [
        reverse("review:queue"),
        reverse("review:application", args=[application.pk]),
        reverse("review:opening_ratio", args=[announcement.pk]),
        reverse("review:bulk_approve") + f"?announcement={announcement.pk}",
        reverse("review:export") + f"?announcement={announcement.pk}",
    ]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXAMINER])
def test_non_staff_roles_are_refused_every_page(client, application, role):
    client.force_login(UserFactory(role=role))
    for url in [*_pages(application), reverse("review:reasons")]:
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_log_in(client, application):
    for url in _pages(application):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reviewer_of_another_announcement_sees_nothing_of_this_one(client, application):
    other = UserFactory(role=Role.REVIEWER)
    assign(other, ReviewPositionFactory().announcement)
    client.force_login(other)
    response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert application.applicant.profile.real_name not in response.content.decode()
    for url in _pages(application)[1:4]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("review:application", args=[application.pk]), {"decision": "approve", "version": 1}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_reviewers_may_not_manage_the_reason_catalogue_or_adjust_positions(
    client, application, assigned_reviewer
):
    client.force_login(assigned_reviewer)
    assert client.get(reverse("review:reasons")).status_code == 403
    url = reverse("review:position_adjust", args=[application.announcement_id, application.position_id])
    assert client.post(url, {"action": "cancel", "reason": "x"}).status_code == 403


def test_queue_shows_assigned_applications_masked_oldest_first(client, assigned_reviewer, position):
    first = ApplicationFactory(position=position)
    second = ApplicationFactory(position=position)
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:queue")).content.decode()
    id_number = first.applicant.profile.id_number
    assert id_number not in page
    assert f"{id_number[:4]}**********{id_number[-4:]}" in page
    assert page.index(first.applicant.profile.real_name) < page.index(second.applicant.profile.real_name)
    # The filter form (built lazily, only when its cached fragment is rendered) is there.
    assert '<select name="announcement"' in page and 'name="q"' in page


def test_queue_rows_escape_what_applicants_typed_and_keep_the_phone_labels(
    client, assigned_reviewer, position
):
    application = ApplicationFactory(position=position, eligibility_outcome="failed")
    profile = application.applicant.profile
    profile.real_name = '<b>"王</b>'
    profile.save(update_fields=["real_name"])
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:queue"), {"outcome": "failed"}).content.decode()
    assert '<b>"王' not in page
    assert "&lt;b&gt;&quot;王&lt;/b&gt;" in page
    detail = reverse("review:application", args=[application.pk])
    assert f'<a href="{detail}?outcome=failed&amp;stage=submitted">' in page  # back to the same filters
    assert '<td data-label="身份证号" class="id-number">' in page
    assert '<span class="badge text-bg-danger">不符合</span>' in page


def test_queue_rows_name_the_reviewer_of_a_decided_application(client, assigned_reviewer, position):
    from django.utils import timezone

    decided = ApplicationFactory(
        position=position, stage=Stage.APPROVED, reviewed_by=assigned_reviewer, decided_at=timezone.now()
    )
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:queue"), {"stage": "approved"}).content.decode()
    assert f'<td data-label="审核人">{assigned_reviewer.name or assigned_reviewer.email}</td>' in page
    assert decided.applicant.profile.real_name in page


def test_queue_filters_and_search(client, assigned_reviewer, position):
    passed = ApplicationFactory(position=position)
    failed = ApplicationFactory(position=position, eligibility_outcome="failed")
    client.force_login(assigned_reviewer)
    url = reverse("review:queue")

    def names(**params):
        page = client.get(url, params).content.decode()
        return {a.pk for a in (passed, failed) if a.applicant.profile.real_name in page}

    assert names(outcome="failed") == {failed.pk}
    assert names(announcement=position.announcement_id, position=position.pk) == {passed.pk, failed.pk}
    assert names(stage="approved") == set()
    assert names(q=passed.applicant.profile.id_number) == {passed.pk}
    assert names(q=failed.applicant.profile.id_number[-6:]) == {failed.pk}
    assert names(q=passed.applicant.phone) == {passed.pk}
    assert names(q=failed.applicant.profile.real_name) == {failed.pk}


@pytest.mark.parametrize("size", [5, 50])
def test_queue_query_count_does_not_grow_with_the_page(
    client, assigned_reviewer, position, size, django_assert_max_num_queries
):
    ApplicationFactory.create_batch(size, position=position)
    client.force_login(assigned_reviewer)
    with django_assert_max_num_queries(12):  # the page's ids, then its rows joined; site settings
        response = client.get(reverse("review:queue"), {"announcement": position.announcement_id})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == size


def test_review_page_shows_snapshot_documents_eligibility_and_audit(
    client, assigned_reviewer, application, django_assert_max_num_queries
):
    submitted_document(application)
    DocumentFactory(profile=application.applicant.profile, original_name="后来上传.pdf")
    ApplicationEvent.objects.create(
        application=application, actor=application.applicant, from_stage="draft", to_stage="submitted"
    )
    client.force_login(assigned_reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("review:application", args=[application.pk]))
    page = response.content.decode()
    assert application.applicant.profile.id_number in page  # unmasked for the reviewer
    assert "28 周岁，符合 18–35 周岁" in page
    assert "毕业证.pdf" in page
    assert "后来上传.pdf" not in page  # uploaded after submission: not what is judged
    assert "草稿 → 待审核" in page
    assert 'accesskey="s"' in page
    assert 'name="version" value="1"' in page


def test_document_is_served_inline_to_the_assigned_reviewer_only(client, assigned_reviewer, application):
    document = submitted_document(application)
    later = DocumentFactory(profile=application.applicant.profile)
    url = reverse("review:document", args=[application.pk, document.uuid])
    client.force_login(assigned_reviewer)
    assert client.get(reverse("review:document", args=[application.pk, later.uuid])).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    stranger = UserFactory(role=Role.REVIEWER)
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_approve_from_the_page_moves_on_to_the_next_application(client, assigned_reviewer, position):
    first = ApplicationFactory(position=position)
    second = ApplicationFactory(position=position)
    client.force_login(assigned_reviewer)
    url = reverse("review:application", args=[first.pk]) + f"?announcement={position.announcement_id}"
    response = client.post(url, {"decision": "approve", "version": 1})
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("review:application", args=[second.pk]) + f"?announcement={position.announcement_id}"
    )
    first.refresh_from_db()
    assert first.stage == Stage.APPROVED


def test_last_decision_returns_to_the_queue(client, assigned_reviewer, application):
    client.force_login(assigned_reviewer)
    response = client.post(
        reverse("review:application", args=[application.pk]),
        {"decision": "return", "version": 1, "instructions": "身份证照片不清晰"},
    )
    assert response["Location"] == reverse("review:queue")


def test_reject_without_reason_shows_errors_at_the_fields(client, assigned_reviewer, application):
    client.force_login(assigned_reviewer)
    response = client.post(
        reverse("review:application", args=[application.pk]), {"decision": "reject", "version": 1}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == ["请选择不通过原因。"]
    assert "note" in form.errors
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_the_cached_decision_fields_follow_the_catalogue_and_never_hide_errors(
    client, assigned_reviewer, administrator, application, reason, django_capture_on_commit_callbacks
):
    from review import services as review_services

    client.force_login(assigned_reviewer)
    url = reverse("review:application", args=[application.pk])
    assert reason.label in client.get(url).content.decode()  # the fields are now cached
    with django_capture_on_commit_callbacks(execute=True):
        review_services.rejection_reason_create(
            actor=administrator,
            code="review-test-household",
            label="户籍不符合岗位要求",
            label_en="Household",
        )
        review_services.rejection_reason_update(actor=administrator, reason=reason, active=False)
    page = client.get(url).content.decode()
    assert "户籍不符合岗位要求" in page and reason.label not in page
    page = client.post(url, {"decision": "reject", "version": 1}).content.decode()
    assert "请选择不通过原因。" in page  # a bound form is rendered afresh, with its errors
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_return_without_instructions_shows_an_error(client, assigned_reviewer, application):
    client.force_login(assigned_reviewer)
    response = client.post(
        reverse("review:application", args=[application.pk]), {"decision": "return", "version": 1}
    )
    assert response.context["form"].errors["instructions"] == ["请写明需要修改的内容。"]


def test_reject_from_the_page(client, assigned_reviewer, application, reason):
    client.force_login(assigned_reviewer)
    client.post(
        reverse("review:application", args=[application.pk]),
        {"decision": "reject", "version": 1, "reason": reason.pk, "note": "大专以下学历"},
    )
    application.refresh_from_db()
    assert (application.stage, application.rejection_reason, application.rejection_note) == (
        Stage.REJECTED,
        reason,
        "大专以下学历",
    )


def test_a_stale_form_is_refused_with_a_clear_message(client, assigned_reviewer, application):
    client.force_login(assigned_reviewer)
    other = UserFactory(role=Role.ADMINISTRATOR)
    from review.services import application_approve

    application_approve(application=application, actor=other, expected_version=1)
    response = client.post(
        reverse("review:application", args=[application.pk]),
        {"decision": "return", "version": 1, "instructions": "补充材料"},
        follow=True,
    )
    assert "该报名信息已被他人处理或已更新" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.APPROVED
    assert application.reviewed_by == other
    assert ApplicationEvent.objects.filter(application=application).count() == 1


def test_audit_has_no_editing_page(client, administrator, application):
    from django.urls import get_resolver

    names = [
        name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("event")
    ]
    assert names == []


def test_administrator_manages_the_reason_catalogue(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    response = client.post(
        reverse("review:reasons"),
        {
            "code": "age-over-limit",
            "label": "年龄不符合岗位要求",
            "label_en": "Age outside the range",
            "order": 10,
            "active": "on",
        },
    )
    assert response.status_code == 302
    reason = RejectionReason.objects.get(code="age-over-limit")
    response = client.post(
        reverse("review:reason_edit", args=[reason.pk]),
        {"label": "年龄不符合岗位要求", "label_en": "Age outside the range", "order": 10},
    )
    reason.refresh_from_db()
    assert not reason.active
    with django_assert_max_num_queries(8):
        page = client.get(reverse("review:reasons")).content.decode()
    assert "年龄不符合岗位要求" in page


def test_an_inactive_reason_is_not_offered(client, assigned_reviewer, application, reason):
    reason.active = False
    reason.save()
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert reason.label not in page


def test_navigation_offers_the_console_to_staff_only(client, assigned_reviewer, administrator, applicant):
    url = reverse("review:queue")
    # Staff land on their workbench (home redirects there): follow it.
    client.force_login(assigned_reviewer)
    assert f'href="{url}"' in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(applicant)
    assert f'href="{url}"' not in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(administrator)
    assert f'href="{reverse("review:reasons")}"' in client.get(reverse("home"), follow=True).content.decode()


@pytest.mark.parametrize("name", ["bulk_approve", "export", "opening_ratio"])
def test_other_pages_query_budget(client, assigned_reviewer, position, name, django_assert_max_num_queries):
    ApplicationFactory.create_batch(5, position=position)
    client.force_login(assigned_reviewer)
    if name == "opening_ratio":
        url = reverse("review:opening_ratio", args=[position.announcement_id])
    else:
        url = reverse(f"review:{name}") + f"?announcement={position.announcement_id}"
    # The site settings (portal: footer and identity) are one query on every page since the
    # staff console; bulk approval reads the positions it covers (one grouped query).
    with django_assert_max_num_queries({"bulk_approve": 10}.get(name, 9)):
        assert client.get(url).status_code == 200


def test_job_pages_query_budget(client, assigned_reviewer, position, django_assert_max_num_queries):
    from portal.models import BackgroundJob

    job = BackgroundJob.objects.create(
        kind="export", created_by=assigned_reviewer, announcement_id=position.announcement_id, total=3
    )
    client.force_login(assigned_reviewer)
    for url in (reverse("review:job", args=[job.pk]), reverse("review:job_progress", args=[job.pk])):
        with django_assert_max_num_queries(7):  # 6, and the site settings (portal) since the console
            assert client.get(url).status_code == 200


def test_queue_counts_follow_a_decision_at_once(
    client, assigned_reviewer, application, django_capture_on_commit_callbacks
):
    from review import services as review_services

    client.force_login(assigned_reviewer)
    url = reverse("review:queue")
    counts = {item["stage"]: item["count"] for item in client.get(url).context["stage_counts"]}
    assert counts["submitted"] == 1 and counts["approved"] == 0  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_approve(
            application=application, actor=assigned_reviewer, expected_version=application.version
        )

    response = client.get(url)
    counts = {item["stage"]: item["count"] for item in response.context["stage_counts"]}
    assert counts["submitted"] == 0 and counts["approved"] == 1
    assert response.context["page"].paginator.count == 0  # the queue opens on 待审核: none left
    assert client.get(url, {"stage": "all"}).context["page"].paginator.count == 1


def test_review_page_shows_the_photo_that_was_submitted(client, assigned_reviewer, position):
    from applicants.snapshot import build_snapshot
    from tests.applicants.factories import ProfileFactory as ProfileWithPhotoFactory

    profile = ProfileWithPhotoFactory()
    application = ApplicationFactory(position=position, applicant=profile.user)
    application.snapshot = build_snapshot(profile)
    application.save(update_fields=["snapshot"])
    url = reverse("review:photo", args=[application.pk])
    client.force_login(assigned_reviewer)
    assert url in client.get(reverse("review:application", args=[application.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(UserFactory(role=Role.REVIEWER))  # not assigned to this announcement
    assert client.get(url).status_code == 404


def test_review_page_says_when_no_photo_was_submitted(client, assigned_reviewer, application):
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert "提交时没有证件照" in page
    assert client.get(reverse("review:photo", args=[application.pk])).status_code == 404


@pytest.mark.parametrize("name", ["photos/../exports/2026/11/applications.xlsx", "exports/x.xlsx", ""])
def test_review_photo_serves_only_a_photo_path(client, assigned_reviewer, application, name):
    application.snapshot = {**application.snapshot, "photo": name}
    application.save(update_fields=["snapshot"])
    client.force_login(assigned_reviewer)
    assert client.get(reverse("review:photo", args=[application.pk])).status_code == 404


def test_an_older_snapshot_that_only_said_there_was_a_photo_shows_the_profiles(
    client, assigned_reviewer, position
):
    from tests.applicants.factories import ProfileFactory as ProfileWithPhotoFactory

    profile = ProfileWithPhotoFactory()
    application = ApplicationFactory(position=position, applicant=profile.user)
    application.snapshot = {**application.snapshot, "photo": True}
    application.save(update_fields=["snapshot"])
    client.force_login(assigned_reviewer)
    assert client.get(reverse("review:photo", args=[application.pk])).status_code == 200


def test_a_deep_queue_page_shows_its_rows_in_submission_order(
    client, assigned_reviewer, position, monkeypatch
):
    from review import views as review_views

    applications = ApplicationFactory.create_batch(7, position=position)
    monkeypatch.setattr(review_views, "PAGE_SIZE", 3)
    client.force_login(assigned_reviewer)
    response = client.get(reverse("review:queue"), {"announcement": position.announcement_id, "page": 2})
    assert [row["pk"] for row in response.context["rows"]] == [a.pk for a in applications[3:6]]


def test_queue_counters_stay_true_through_transitions_and_recount_when_lost(
    client, assigned_reviewer, position, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from django.core.cache import cache

    from applicants.models import Application
    from review import services as review_services
    from review.selectors import _counter_key, stage_counts

    first, second, third = ApplicationFactory.create_batch(3, position=position)
    announcement_ids = [position.announcement_id]

    def truth():
        rows = Application.objects.filter(announcement_id=position.announcement_id).values_list(
            "stage", flat=True
        )
        return {stage: list(rows).count(stage) for stage in set(rows)}

    assert (
        stage_counts(assigned_reviewer, {}, announcement_ids=announcement_ids) == truth() == {"submitted": 3}
    )
    with django_assert_max_num_queries(0):  # counted once, then read from the counters
        stage_counts(
            assigned_reviewer,
            {"announcement": str(position.announcement_id)},
            announcement_ids=announcement_ids,
        )
    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_approve(application=first, actor=assigned_reviewer, expected_version=1)
        review_services.application_return(
            application=second, actor=assigned_reviewer, expected_version=1, instructions="补充"
        )
    assert stage_counts(assigned_reviewer, {}, announcement_ids=announcement_ids) == truth()
    # A counter evicted from the cache: the next change drops the rest, the next read recounts.
    cache.delete(_counter_key(position.announcement_id, "rejected"))
    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_reject(
            application=third,
            actor=assigned_reviewer,
            expected_version=1,
            reason=RejectionReason.objects.filter(active=True).first(),
            note="学历不符",
        )
    assert (
        stage_counts(assigned_reviewer, {}, announcement_ids=announcement_ids)
        == truth()
        == {
            "approved": 1,
            "returned": 1,
            "rejected": 1,
        }
    )


def test_the_bonus_claims_link_shows_only_once_the_announcement_has_an_exam_plan(
    client, application, assigned_reviewer
):
    """QA: the link went to a 404 (the exams page needs the exam plan); now it is shown only
    where the page answers, and then it answers."""
    from tests.exams.factories import PlanFactory

    bonus = reverse("exams:written_bonus_review", args=[application.announcement_id])
    client.force_login(assigned_reviewer)
    html = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert bonus not in html
    assert client.get(bonus).status_code == 404
    PlanFactory(announcement=application.announcement)
    html = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert bonus in html
    assert client.get(bonus).status_code == 200
