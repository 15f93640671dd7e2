"""Every event has wording in both languages; administrators' wording wins; bad syntax
is refused."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_celery_beat.models import PeriodicTask

from notifications.defaults import DEFAULT_TEMPLATES
from notifications.events import CONTEXT_KEYS, SAMPLE_CONTEXT, Event
from notifications.models import MessageTemplate
from notifications.rendering import InvalidTemplate, compile_template, render
from notifications.services import message_template_save, notify
from tests.factories import UserFactory


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("event", Event.values)
def test_every_default_template_renders_in_both_languages(event, language):
    subject, body = DEFAULT_TEMPLATES[event][language]
    rendered_subject, rendered_body = render(
        subject=subject, body=body, context=SAMPLE_CONTEXT, language=language, recipient_name="张三"
    )
    assert rendered_subject and rendered_body
    assert "{{" not in rendered_body and "{%" not in rendered_body
    if event != Event.MASS_NOTICE:
        assert ("您好" in rendered_body) == (language == "zh-hans")
        assert ("Dear" in rendered_body) == (language == "en")
    for key in CONTEXT_KEYS[event]:
        assert key in SAMPLE_CONTEXT


def test_every_event_has_documented_context_keys():
    assert set(CONTEXT_KEYS) == set(Event.values) == set(DEFAULT_TEMPLATES)


@pytest.mark.django_db
def test_the_migration_seeds_a_row_per_event_and_language():
    assert MessageTemplate.objects.count() == len(Event.values) * 2


@pytest.mark.django_db
def test_an_administrators_wording_is_used_without_a_deploy(administrator, applicant):
    message_template_save(
        event=Event.APPLICATION_APPROVED,
        language="zh-hans",
        subject="恭喜 {{ recipient_name }}",
        body="{{ position_name }} 审核通过",
        user=administrator,
    )
    with transaction.atomic():
        notification = notify(
            recipient=applicant, event=Event.APPLICATION_APPROVED, context={"position_name": "岗A"}
        )
    assert notification.subject == f"恭喜 {applicant.name}"
    assert notification.body == "岗A 审核通过"
    # Who changed the wording, and when, is on record (admin history).
    from django.contrib.admin.models import CHANGE, LogEntry

    template = MessageTemplate.objects.get(event=Event.APPLICATION_APPROVED, language="zh-hans")
    entry = LogEntry.objects.get(object_id=str(template.pk), content_type__model="messagetemplate")
    assert (entry.user_id, entry.action_flag) == (administrator.pk, CHANGE)


@pytest.mark.django_db
def test_values_are_not_html_escaped_in_plain_text_and_escaped_on_the_page(client, applicant):
    with transaction.atomic():
        notification = notify(
            recipient=applicant,
            event=Event.APPLICATION_REJECTED,
            context={"reason": "<script>x</script> & more"},
        )
    assert "<script>x</script> & more" in notification.body  # e-mail/SMS are plain text
    client.force_login(applicant)
    page = client.get(f"/notifications/{notification.pk}/").content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in page


@pytest.mark.parametrize(
    "source",
    [
        "{{ a|nosuchfilter }}",
        "{% endif %}",
        "{% if %}",
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% debug %}",
    ],
)
def test_templates_that_reach_outside_or_do_not_parse_are_refused(source):
    with pytest.raises(InvalidTemplate):
        compile_template(source)


@pytest.mark.django_db
def test_a_broken_saved_template_falls_back_to_the_default(applicant, monkeypatch):
    MessageTemplate.objects.filter(event=Event.HIRED, language="zh-hans").update(subject="{{ x|date:'Y' }}")
    from notifications import services

    real = services.render
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["subject"])
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "render", flaky)
    with transaction.atomic():
        notification = notify(recipient=applicant, event=Event.HIRED, context={"position_name": "岗A"})
    assert notification.subject == "录用通知：岗A"


@pytest.mark.django_db
def test_setup_periodic_tasks_is_idempotent():
    before = PeriodicTask.objects.filter(name__startswith="notifications:").count()
    assert before == 4  # created by the data migration
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")
    assert PeriodicTask.objects.filter(name__startswith="notifications:").count() == 4
    sweep = PeriodicTask.objects.get(task="notifications.sweep")
    assert sweep.interval.every == 2


@pytest.mark.django_db
def test_demo_seed_runs_twice():
    from notifications import demo

    demo.seed(None)
    demo.seed(None)
    assert MessageTemplate.objects.count() == len(Event.values) * 2
    assert UserFactory  # factories import stays used by other tests in this module
