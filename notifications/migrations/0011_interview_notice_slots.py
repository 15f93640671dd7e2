"""The interview notice (面试安排) names the report-by time, the waiting room and what to bring
in slots of its own. Rows still holding the previous shipped wording take the new one; rows an
administrator edited are left as they are."""

from django.db import migrations

OLD = {
    "zh-hans": "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的面试定于{{ interview_at }}在{{ venue }}进行，请携带身份证和准考证按时参加。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
    "en": "Dear {{ recipient_name }}, the interview for {{ position_name }} ({{ announcement_title }}) is at {{ interview_at }}, {{ venue }}. Bring your ID card and admission ticket.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
}


def forward(apps, schema_editor):
    from notifications.defaults import DEFAULT_TEMPLATES

    template = apps.get_model("notifications", "MessageTemplate")
    for language, body in OLD.items():
        _subject, new_body = DEFAULT_TEMPLATES["interview_scheduled"][language]
        template.objects.filter(event="interview_scheduled", language=language, body=body).update(body=new_body)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0010_event_choices_out_of_migrations")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
