import pytest

from tests.applicants.factories import ApplicationFactory, ReasonFactory, ReviewPositionFactory, assign


@pytest.fixture
def position(db):
    return ReviewPositionFactory()


@pytest.fixture
def announcement(position):
    return position.announcement


@pytest.fixture
def assigned_reviewer(reviewer, announcement):
    assign(reviewer, announcement)
    return reviewer


@pytest.fixture
def application(position):
    return ApplicationFactory(position=position)


@pytest.fixture
def reason(db):
    return ReasonFactory(code="review-test-education", label="学历不符合岗位要求")


@pytest.fixture
def notified(monkeypatch):
    """Record every notification the review services send (and still send it for real)."""
    from review import services as review_services

    calls = []
    real = review_services.notify_applicant

    def recording(application, event, **context):
        calls.append((application.pk, event, context))
        real(application, event, **context)

    monkeypatch.setattr(review_services, "notify_applicant", recording)
    return calls
