"""The hire notice (录用通知) names what to bring in a slot of its own, after 报到: "请于…到…
报到，报到时请携带：…。" (the materials used to be bracketed into the place, with their own
full stop inside the brackets). Rows still holding the previous shipped wording take the new
one; rows an administrator edited are left as they are."""

from django.db import migrations

OLD = {
    "zh-hans": "{{ recipient_name }}，您好！恭喜您被正式录用为社区工作者（“{{ announcement_title }}”中“{{ position_name }}”），请于{{ report_at }}到{{ report_place }}报到。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
    "en": "Dear {{ recipient_name }}, congratulations: you are hired as a community worker, {{ position_name }} ({{ announcement_title }}). Please report at {{ report_at }} to {{ report_place }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
}


def forward(apps, schema_editor):
    from notifications.defaults import DEFAULT_TEMPLATES

    template = apps.get_model("notifications", "MessageTemplate")
    for language, body in OLD.items():
        _subject, new_body = DEFAULT_TEMPLATES["hired"][language]
        template.objects.filter(event="hired", language=language, body=body).update(body=new_body)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0011_interview_notice_slots")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
