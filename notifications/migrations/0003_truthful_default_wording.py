"""Bring the seeded wording up to date where administrators never changed it.

The shipped texts said "因报名人数未达到开考比例" for every reduction or cancellation, whatever
the administrator wrote, and "…岗岗位" for positions whose name ends in 岗. A row still
holding exactly the old shipped text gets the new one; an edited row is left as it is."""

from django.db import migrations

# (event, language): (subject, body) as shipped before this migration.
OLD = {('application_approved', 'zh-hans'): ('资格审核通过：{{ position_name }}',
                                       '{{ recipient_name }}，您好！您报考的“{{ announcement_title }}”{{ '
                                       'position_name }}岗位已通过资格审核，请留意准考证打印通知。{% if url %}详情：{{ '
                                       'site_url }}{{ url }}{% endif %}'),
 ('application_rejected', 'zh-hans'): ('资格审核未通过：{{ position_name }}',
                                       '{{ recipient_name }}，您好！您报考的“{{ announcement_title }}”{{ '
                                       'position_name }}岗位未通过资格审核，原因：{{ reason }}。{% if deadline '
                                       '%}您可在{{ deadline }}前改报其他岗位。{% endif %}{% if url %}详情：{{ '
                                       'site_url }}{{ url }}{% endif %}'),
 ('application_returned', 'zh-hans'): ('报名被退回修改：{{ position_name }}',
                                       '{{ recipient_name }}，您好！您报考的“{{ announcement_title }}”{{ '
                                       'position_name }}岗位报名被退回，请按以下要求修改后重新提交：{{ fix_instructions '
                                       '}}。{% if deadline %}截止时间：{{ deadline }}。{% endif %}{% if '
                                       'url %}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('application_submitted', 'zh-hans'): ('报名已提交：{{ position_name }}',
                                        '{{ recipient_name }}，您好！您报考的“{{ announcement_title }}”{{ '
                                        'position_name }}岗位已于{{ submitted_at }}提交，请等待资格审核。{% if '
                                        'url %}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('hired', 'zh-hans'): ('录用通知：{{ position_name }}',
                        '{{ recipient_name }}，您好！恭喜您被正式录用为“{{ announcement_title }}”{{ '
                        'position_name }}岗位社区工作者，请于{{ report_at }}到{{ report_place }}报到。{% if url '
                        '%}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('interview_scheduled', 'zh-hans'): ('面试安排：{{ position_name }}',
                                      '{{ recipient_name }}，您好！“{{ announcement_title }}”{{ '
                                      'position_name }}岗位面试定于{{ interview_at }}在{{ venue '
                                      '}}进行，请携带身份证和准考证按时参加。{% if url %}详情：{{ site_url }}{{ url '
                                      '}}{% endif %}'),
 ('position_cancelled', 'en'): ('Position cancelled: {{ position_name }}',
                                'Dear {{ recipient_name }}, as too few applicants qualified, {{ '
                                'position_name }} ({{ announcement_title }}) was cancelled.{% if '
                                'can_switch %} You may switch once to another position until {{ '
                                'deadline }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url '
                                '}}{% endif %}'),
 ('position_cancelled', 'zh-hans'): ('岗位取消招聘：{{ position_name }}',
                                     '{{ recipient_name }}，您好！因报名人数未达到开考比例，“{{ announcement_title '
                                     '}}”{{ position_name }}岗位取消招聘。{% if can_switch %}您可在{{ '
                                     'deadline }}前改报一次其他岗位。{% endif %}{% if url %}详情：{{ site_url '
                                     '}}{{ url }}{% endif %}'),
 ('position_reduced', 'en'): ('Vacancies reduced: {{ position_name }}',
                              'Dear {{ recipient_name }}, as too few applicants qualified, the '
                              'vacancies of {{ position_name }} ({{ announcement_title }}) were '
                              'reduced from {{ old_quota }} to {{ new_quota }}.{% if url %} '
                              'Details: {{ site_url }}{{ url }}{% endif %}'),
 ('position_reduced', 'zh-hans'): ('岗位核减招聘人数：{{ position_name }}',
                                   '{{ recipient_name }}，您好！因报名人数未达到开考比例，“{{ announcement_title '
                                   '}}”{{ position_name }}岗位招聘人数由{{ old_quota }}人核减为{{ new_quota '
                                   '}}人。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('proposed', 'zh-hans'): ('拟录用：{{ position_name }}',
                           '{{ recipient_name }}，您好！您被确定为“{{ announcement_title }}”{{ '
                           'position_name }}岗位拟录用人员。{{ next_steps }}{% if url %}详情：{{ site_url '
                           '}}{{ url }}{% endif %}'),
 ('public_notice', 'zh-hans'): ('拟录用人员公示：{{ announcement_title }}',
                                '{{ recipient_name }}，您好！“{{ announcement_title }}”{{ '
                                'position_name }}岗位拟录用人员名单公示期为{{ notice_from }}至{{ notice_until '
                                '}}。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('ranked', 'zh-hans'): ('综合成绩排名：{{ position_name }}',
                         '{{ recipient_name }}，您好！“{{ announcement_title }}”{{ position_name '
                         '}}岗位综合成绩已公布，您的综合成绩为{{ composite_score }}分，岗位排名第{{ rank }}名。{% if url '
                         '%}详情：{{ site_url }}{{ url }}{% endif %}'),
 ('reminder_draft_unsubmitted', 'zh-hans'): ('报名即将截止，您的报名尚未提交',
                                             '{{ recipient_name }}，您好！“{{ announcement_title '
                                             '}}”报名将于{{ deadline }}截止，您报考{{ position_name '
                                             '}}岗位的报名还未提交，请尽快完成。{% if url %}继续报名：{{ site_url }}{{ '
                                             'url }}{% endif %}'),
 ('reminder_returned_fix', 'zh-hans'): ('退回的报名尚未修改',
                                        '{{ recipient_name }}，您好！您报考“{{ announcement_title }}”{{ '
                                        'position_name }}岗位的报名被退回后尚未重新提交，修改要求：{{ fix_instructions '
                                        '}}，截止时间：{{ deadline }}。{% if url %}去修改：{{ site_url }}{{ '
                                        'url }}{% endif %}'),
 ('scores_published', 'zh-hans'): ('成绩已公布：{{ announcement_title }}',
                                   '{{ recipient_name }}，您好！“{{ announcement_title }}”{{ '
                                   'position_name }}岗位成绩已公布{% if score %}，您的成绩为{{ score }}分{% '
                                   'endif %}。{% if url %}查询：{{ site_url }}{{ url }}{% endif %}'),
 ('shortlisted', 'zh-hans'): ('进入面试：{{ position_name }}',
                              '{{ recipient_name }}，您好！您已进入“{{ announcement_title }}”{{ '
                              'position_name }}岗位面试，请留意面试安排通知。{% if url %}详情：{{ site_url }}{{ url '
                              '}}{% endif %}'),
 ('ticket_ready', 'zh-hans'): ('准考证可打印：{{ announcement_title }}',
                               '{{ recipient_name }}，您好！“{{ announcement_title }}”{{ position_name '
                               '}}岗位笔试准考证可于{{ print_from }}至{{ print_until }}打印。{% if url %}打印：{{ '
                               'site_url }}{{ url }}{% endif %}')}


def forwards(apps, schema_editor):
    from notifications.rendering import default_wording

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")  # noqa: N806
    for (event, language), (subject, body) in OLD.items():
        new_subject, new_body = default_wording(event, language)
        MessageTemplate.objects.filter(event=event, language=language, subject=subject, body=body).update(
            subject=new_subject, body=new_body
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_seed_templates_and_periodic_tasks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
