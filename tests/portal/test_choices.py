from django.utils import translation

from applicants.models import Application, ApplicationEvent, Stage


def test_stage_display_is_the_label_in_the_active_language():
    application = Application(stage=Stage.SUBMITTED)
    with translation.override("zh-hans"):
        assert application.get_stage_display() == "待审核"
    with translation.override("en"):
        assert application.get_stage_display() == "Awaiting review"


def test_every_stage_reads_as_django_would_show_it():
    for value, label in Stage.choices:
        event = ApplicationEvent(from_stage=value, to_stage=value)
        assert event.get_to_stage_display() == str(label)
        assert event.get_from_stage_display() == str(label)


def test_an_unknown_or_empty_value_is_shown_as_it_is():
    assert Application(stage="no-such-stage").get_stage_display() == "no-such-stage"
    assert ApplicationEvent(from_stage="").get_from_stage_display() == ""
