"""One source of truth for the exam's times: every announcement that carries a ticket
window or a written exam time gets an exam plan holding them (a session of 2 hours at the
written exam time, subject 综合知识, 100 points, all positions). The announcement's fields
stay until recruitment removes them; exams reads only the plan."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Q

RULES = """1. 考生须凭本人准考证和有效居民身份证原件参加考试，证件不全者不得参加考试。
2. 开考后规定时间内未进入考场者，视为自动放弃考试资格。
3. 考生只能携带黑色签字笔、2B铅笔和橡皮，手机等通讯工具须关闭后放在指定位置。
4. 考生须按准考证号对号入座，并将准考证和身份证放在桌面右上角以备查验。
5. 考试期间严禁交头接耳、抄袭、传递物品，违纪者按有关规定处理。"""


def forwards(apps, schema_editor):
    announcement_model = apps.get_model("recruitment", "Announcement")
    plan_model = apps.get_model("exams", "ExamPlan")
    session_model = apps.get_model("exams", "ExamSession")
    announcements = announcement_model.objects.filter(
        Q(ticket_print_starts_at__isnull=False)
        | Q(ticket_print_ends_at__isnull=False)
        | Q(written_exam_at__isnull=False)
    ).exclude(pk__in=plan_model.objects.values("announcement_id"))
    for announcement in announcements.iterator():
        starts, ends = announcement.ticket_print_starts_at, announcement.ticket_print_ends_at
        if starts and ends and ends <= starts:
            starts = ends = None  # an impossible window is not carried over
        plan = plan_model.objects.create(
            announcement=announcement, print_starts_at=starts, print_ends_at=ends, rules_text=RULES
        )
        if announcement.written_exam_at:
            session_model.objects.create(
                plan=plan,
                subject="综合知识",
                starts_at=announcement.written_exam_at,
                ends_at=announcement.written_exam_at + timedelta(hours=2),
            )


def backwards(apps, schema_editor):
    """The announcement's own fields were never cleared: nothing to put back."""


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
