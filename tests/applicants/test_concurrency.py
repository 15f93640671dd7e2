"""Two tabs (or a double-click) submitting at the same moment: exactly one application."""

import threading

import pytest
from django.db import connection

from applicants import services
from applicants.models import Application, ApplicationEvent, Stage
from recruitment.models import Position
from tests.applicants.factories import ProfileFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory


def _race(user, positions):
    barrier = threading.Barrier(len(positions))
    outcomes = []

    def run(position_id):
        try:
            position = Position.objects.select_related("announcement").get(pk=position_id)
            barrier.wait()
            services.application_submit(user=user, position=position, declaration_accepted=True)
            outcomes.append("ok")
        except services.AlreadyApplied:
            outcomes.append("already")
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(position.pk,)) for position in positions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_draft", [False, True], ids=["fresh", "from-draft"])
def test_two_concurrent_submits_make_exactly_one_application(needs_postgres, with_draft):
    announcement = AnnouncementFactory()
    first, second = PositionFactory(announcement=announcement), PositionFactory(announcement=announcement)
    user = ProfileFactory().user
    if with_draft:
        services.application_save_draft(user=user, position=first)
    outcomes = _race(user, [first, second])
    assert outcomes == ["already", "ok"]
    application = Application.objects.get(applicant=user)
    assert application.stage == Stage.SUBMITTED
    assert ApplicationEvent.objects.filter(application=application, to_stage=Stage.SUBMITTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_first_profile_saved_in_two_tabs_at_once_blames_the_other_tab(needs_postgres, monkeypatch):
    from datetime import date

    from django.core.exceptions import ValidationError

    from applicants import id_numbers
    from tests.factories import UserFactory

    user = UserFactory(role="applicant")
    barrier = threading.Barrier(2)
    real_parse = id_numbers.parse

    def parse_after_both_looked(number):  # both tabs found no profile, then both insert
        barrier.wait(10)
        return real_parse(number)

    monkeypatch.setattr(id_numbers, "parse", parse_after_both_looked)
    outcomes = []

    def run(sequence):
        fields = {
            "real_name": "李四",
            "id_number": id_numbers.make_id_number("210303", date(1995, 1, 2), sequence),
            "household_province": "辽宁省",
            "household_city": "鞍山市",
        }
        try:
            services.profile_save(user=user, fields=fields)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(sequence,)) for sequence in (31, 33)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes)[0] == "ok"
    assert "其他窗口" in sorted(outcomes)[1], outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_photo_replaced_during_a_submission_never_leaves_the_snapshot_pointing_at_nothing(
    needs_postgres, monkeypatch
):
    import time

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applicants.models import ApplicantProfile
    from tests.applicants.factories import jpeg_bytes

    position = PositionFactory(announcement=AnnouncementFactory())
    profile = ProfileFactory()
    user = profile.user
    snapshot_taken = threading.Event()
    real_build = services.build_snapshot

    def slow_build(profile, **kwargs):  # the submission is between its snapshot and commit
        snapshot = real_build(profile, **kwargs)
        snapshot_taken.set()
        time.sleep(0.5)
        return snapshot

    monkeypatch.setattr(services, "build_snapshot", slow_build)
    outcomes = {}

    def submit():
        try:
            services.application_submit(
                user=user,
                position=Position.objects.select_related("announcement").get(pk=position.pk),
                declaration_accepted=True,
            )
            outcomes["submit"] = "ok"
        finally:
            connection.close()

    def replace_photo():
        try:
            snapshot_taken.wait(10)
            upload = SimpleUploadedFile("new.jpg", jpeg_bytes(color=(1, 2, 3)), content_type="image/jpeg")
            services.profile_set_photo(profile=ApplicantProfile.objects.get(pk=profile.pk), upload=upload)
            outcomes["photo"] = "replaced"
        except ValidationError:
            outcomes["photo"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=submit), threading.Thread(target=replace_photo)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {"submit": "ok", "photo": "refused"}  # it waited for the submission, then saw it
    application = Application.objects.get(applicant=user)
    profile.refresh_from_db()
    assert application.snapshot["photo"] == profile.photo.name
    assert profile.photo.storage.exists(application.snapshot["photo"])
