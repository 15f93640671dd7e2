"""QA: system-written notes (applicants.services.record_text, stored in Chinese) are shown in
the reader's language on the application history; a note a person typed stays as written."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from applicants.models import ApplicationEvent, Stage
from applicants.record_words import in_reader_language
from applicants.services import record_text
from tests.applicants.factories import ApplicationFactory


def test_a_plain_message_and_one_with_parameters_are_translated_for_an_english_reader():
    stored = record_text(gettext_lazy("面试成绩 %(score)s"), score="88.28")
    assert stored == "面试成绩 88.28"
    with translation.override("en"):
        assert in_reader_language(stored) == "Interview score 88.28"
        assert in_reader_language(record_text(gettext_lazy("资格审核通过"))) == "Eligibility review passed"
        assert in_reader_language("第2轮递补") == "Backfill round 2"
        # A person's own words, and a reason inside a message, stay as typed.
        assert in_reader_language("材料不全，请补充") == "材料不全，请补充"
        assert (
            in_reader_language("撤销审核结论，重新审核。原因：材料不全")
            == "Decision withdrawn, review reopened. Reason: 材料不全"
        )
        assert in_reader_language("") == ""
    with translation.override("zh-hans"):
        assert in_reader_language(stored) == stored


@pytest.mark.django_db
def test_the_applicants_history_in_english_shows_the_notes_in_english(client):
    application = ApplicationFactory(stage=Stage.INTERVIEWED)
    ApplicationEvent.objects.create(
        application=application,
        from_stage=Stage.SHORTLISTED,
        to_stage=Stage.INTERVIEWED,
        reason="面试成绩 88.28",
    )
    client.force_login(application.applicant)
    url = reverse("applicants:application", args=[application.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Interview score 88.28" in html and "面试成绩" not in html
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "面试成绩 88.28" in html
