import io
import time

import pytest

from applicants.id_numbers import parse
from applicants.models import ApplicantProfile, Application, ApplicationEvent, Stage

pytestmark = pytest.mark.django_db


def test_demo_seed_is_fast_valid_and_idempotent():
    from accounts import demo as accounts_demo
    from applicants import demo
    from recruitment import demo as recruitment_demo

    out = io.StringIO()
    started = time.monotonic()
    accounts_demo.seed(out)
    recruitment_demo.seed(out)
    demo.seed(out)
    assert time.monotonic() - started < 20
    assert ApplicantProfile.objects.filter(user__email__startswith="demo.applicant").count() == demo.COUNT
    for number in ApplicantProfile.objects.values_list("id_number", flat=True)[:50]:
        assert parse(number).number == number
    stages = set(Application.objects.values_list("stage", flat=True))
    assert {Stage.SUBMITTED, Stage.APPROVED, Stage.REJECTED, Stage.RETURNED} <= stages
    assert not Application.objects.filter(applicant__email="applicant@demo.cn").exists()
    applications, events = Application.objects.count(), ApplicationEvent.objects.count()
    demo.seed(out)
    assert (Application.objects.count(), ApplicationEvent.objects.count()) == (applications, events)
    assert ApplicantProfile.objects.filter(user__email__startswith="demo.applicant").count() == demo.COUNT
