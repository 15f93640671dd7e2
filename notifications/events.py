"""The events other apps notify about, and the context each event's template expects.

Callers pass `context` as a JSON-serialisable dict (dates and decimals are accepted and
stored as strings). Every template also receives `recipient_name` and `site_url`.
Keys shared by most events:

- `announcement_title`: the 招聘公告's title
- `position_name`: the 岗位's name
- `url`: a path on the portal where the applicant sees the details (e.g. "/applications/12/")
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("报名已提交")
    APPLICATION_RETURNED = "application_returned", _("报名被退回修改")
    APPLICATION_APPROVED = "application_approved", _("资格审核通过")
    APPLICATION_REJECTED = "application_rejected", _("资格审核未通过")
    POSITION_REDUCED = "position_reduced", _("岗位核减招聘人数")
    POSITION_CANCELLED = "position_cancelled", _("岗位取消招聘")
    TICKET_READY = "ticket_ready", _("准考证可打印")
    SCORES_PUBLISHED = "scores_published", _("成绩已公布")
    SHORTLISTED = "shortlisted", _("进入面试")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("面试安排")
    RANKED = "ranked", _("综合成绩排名")
    PROPOSED = "proposed", _("拟录用")
    PUBLIC_NOTICE = "public_notice", _("公示")
    HIRED = "hired", _("正式录用")
    TRAINING_SCHEDULED = "training_scheduled", _("岗前培训安排")
    REMINDER_DRAFT_UNSUBMITTED = "reminder_draft_unsubmitted", _("提醒：报名尚未提交")
    REMINDER_RETURNED_FIX = "reminder_returned_fix", _("提醒：退回的报名尚未修改")
    REMINDER_REVIEWER_QUEUE = "reminder_reviewer_queue", _("提醒：待审核报名")
    MASS_NOTICE = "mass_notice", _("群发通知")
    ANNOUNCEMENT_CORRECTED = "announcement_corrected", _("招聘公告更正或补充")
    EXAM_REMINDER = "exam_reminder", _("提醒：明天参加笔试")
    EXAM_CHANGED = "exam_changed", _("笔试安排更正")
    TICKET_FORFEITED = "ticket_forfeited", _("未按时打印准考证视为弃考")
    APPLICATION_REOPENED = "application_reopened", _("资格审核结论撤销，重新审核")
    SCORE_CORRECTED = "score_corrected", _("笔试成绩更正")
    SCORE_REVIEW_ANSWERED = "score_review_answered", _("成绩复核结果")
    # The interview shortlist (exams, issue 17).
    SHORTLIST_BACKFILLED = "shortlist_backfilled", _("递补进入面试")
    SHORTLIST_GAVE_UP = "shortlist_gave_up", _("放弃面试已确认")
    RECHECK_RESULT = "recheck_result", _("资格复审结果")
    APPLICATION_DISQUALIFIED = "application_disqualified", _("取消资格")
    EXTRA_TEST_NOTICE = "extra_test_notice", _("加试通知")

    # workforce (issue 19)
    WORKER_INVITED = "worker_invited", _("社区工作者账号开通")
    PROBATION_DUE = "probation_due", _("提醒：试用期即将届满")
    PROBATION_DECIDED = "probation_decided", _("试用期考核结果")
    ASSESSMENT_CONFIRMED = "assessment_confirmed", _("年度考核结果")
    GRADE_CHANGED = "grade_changed", _("岗位等级调整")
    SIDE_JOB_DECLARED = "side_job_declared", _("兼职报备待审批")
    SIDE_JOB_DECIDED = "side_job_decided", _("兼职报备审批结果")
    SIDE_JOB_EXPIRING = "side_job_expiring", _("提醒：兼职报备即将到期")
    TRAINING_BEHIND = "training_behind", _("提醒：培训学时不足")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("年度考核结果待确认")
    ASSESSMENT_RETURNED = "assessment_returned", _("年度考核结果被退回")


_BASE = ("announcement_title", "position_name", "url")

# The keys each event's default template uses (documentation, the preview's sample data
# and a test that every default renders). Extra keys are allowed and simply ignored.
CONTEXT_KEYS: dict[str, tuple[str, ...]] = {
    Event.APPLICATION_SUBMITTED: _BASE + ("submitted_at",),
    Event.APPLICATION_RETURNED: _BASE + ("fix_instructions", "deadline"),
    Event.APPLICATION_APPROVED: _BASE,
    Event.APPLICATION_REJECTED: _BASE + ("reason", "deadline"),
    Event.POSITION_REDUCED: _BASE + ("old_quota", "new_quota", "reason"),
    Event.POSITION_CANCELLED: _BASE + ("reason", "can_switch", "deadline"),
    Event.TICKET_READY: _BASE + ("print_from", "print_until"),
    Event.SCORES_PUBLISHED: _BASE + ("score",),
    Event.SHORTLISTED: _BASE,
    Event.INTERVIEW_SCHEDULED: _BASE + ("interview_at", "venue", "report_by", "waiting_room", "bring"),
    Event.RANKED: _BASE + ("rank", "composite_score"),
    Event.PROPOSED: _BASE + ("next_steps",),
    Event.PUBLIC_NOTICE: _BASE + ("notice_from", "notice_until"),
    Event.HIRED: _BASE + ("report_at", "report_place", "report_materials"),
    Event.TRAINING_SCHEDULED: ("programme_name", "starts_at", "venue", "url"),
    Event.REMINDER_DRAFT_UNSUBMITTED: _BASE + ("deadline",),
    Event.REMINDER_RETURNED_FIX: _BASE + ("fix_instructions", "deadline"),
    Event.REMINDER_REVIEWER_QUEUE: ("pending_count", "url"),
    Event.MASS_NOTICE: ("subject", "body"),
    Event.ANNOUNCEMENT_CORRECTED: _BASE + ("correction_kind", "correction_title", "reason"),
    Event.EXAM_REMINDER: _BASE + ("subject", "starts_at", "venue"),
    Event.EXAM_CHANGED: _BASE + ("change", "reason"),
    Event.TICKET_FORFEITED: _BASE + ("print_until",),
    Event.APPLICATION_REOPENED: _BASE + ("reason",),
    Event.SCORE_CORRECTED: _BASE + ("old_score", "new_score", "reason"),
    Event.SCORE_REVIEW_ANSWERED: _BASE + ("outcome", "score", "reason"),
    Event.SHORTLIST_BACKFILLED: _BASE + ("deadline",),
    Event.SHORTLIST_GAVE_UP: _BASE + ("method",),
    Event.RECHECK_RESULT: _BASE + ("outcome", "reason"),
    Event.APPLICATION_DISQUALIFIED: _BASE + ("reason",),
    Event.EXTRA_TEST_NOTICE: _BASE + ("test_date", "test_time", "test_place"),
    Event.WORKER_INVITED: ("unit_name", "url"),
    Event.PROBATION_DUE: ("worker_name", "ends_on", "url"),
    Event.PROBATION_DECIDED: ("outcome", "reason", "url"),
    Event.ASSESSMENT_CONFIRMED: ("year", "outcome", "url"),
    Event.GRADE_CHANGED: ("grade_from", "grade_to", "effective", "url"),
    Event.SIDE_JOB_DECLARED: ("worker_name", "organisation", "url"),
    Event.SIDE_JOB_DECIDED: ("organisation", "outcome", "reason", "url"),
    Event.SIDE_JOB_EXPIRING: ("organisation", "ends_on", "url"),
    Event.TRAINING_BEHIND: ("hours", "required", "period_end", "url"),
    Event.ASSESSMENT_SUBMITTED: ("unit_name", "year", "url"),
    Event.ASSESSMENT_RETURNED: ("unit_name", "year", "reason", "url"),
}

# Words a person wrote (a reviewer, an administrator): they reach the applicant as written.
# The templates put a full stop after them, so a trailing one typed by the writer is
# dropped when rendering ("请上传清晰照片。" must not end in "。。").
FREE_TEXT_KEYS = ("reason", "fix_instructions")

# Sample values for the template editor's preview.
SAMPLE_CONTEXT = {
    "announcement_title": "2026年某区公开招聘社区工作者公告",
    "position_name": "社区工作者（一）",
    "url": "/",
    "submitted_at": "2026-03-01 10:00",
    "fix_instructions": "请上传清晰的学历证书照片",
    "reason": "学历不符合岗位要求",
    "deadline": "2026-03-10 17:00",
    "old_quota": 5,
    "new_quota": 3,
    "can_switch": True,
    "print_from": "2026-04-01",
    "print_until": "2026-04-05",
    "score": "78.50",
    "interview_at": "2026-04-20 09:00",
    "venue": "区政务服务中心三楼",
    "report_by": "08:30",
    "waiting_room": "三楼候考室",
    "bring": "身份证、准考证和笔试成绩通知",
    "rank": 2,
    "composite_score": "81.25",
    "next_steps": "请于5月6日参加体检",
    "notice_from": "2026-05-20",
    "notice_until": "2026-05-26",
    "report_at": "2026-06-01 09:00",
    "report_place": "区民政局",
    "report_materials": "本人有效居民身份证原件、近期免冠照片2张",
    "programme_name": "新录用社区工作者岗前培训",
    "starts_at": "2026-06-05 09:00",
    "pending_count": 12,
    "subject": "关于面试时间调整的通知",
    "body": "原定面试时间调整为4月21日。",
    "correction_kind": "更正公告",
    "correction_title": "关于延长报名时间的更正公告",
    "change": "第一考点第03考场的位置改为：教学楼二楼205室",
    "old_score": "76.50",
    "new_score": "78.50",
    "outcome": "成绩无误",
    "method": "本人在线声明（短信验证码确认）",
    "unit_name": "园林社区",
    "worker_name": "张三",
    "ends_on": "2026-12-31",
    "year": 2026,
    "grade_from": 3,
    "grade_to": 4,
    "effective": "2027-01-01",
    "organisation": "某区社会工作服务中心",
    "hours": "20.0",
    "required": "32.0",
    "period_end": "2027-12-31",
    "test_date": "2026年5月10日",
    "test_time": "上午9:00",
    "test_place": "区政务服务中心三楼第一会议室",
}

# Channels used when the caller does not choose; the inbox is always used.
DEFAULT_CHANNELS = frozenset({"email", "sms"})
