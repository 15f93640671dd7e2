from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("笔试安排"),
        "exams:index",
        roles=(Role.ADMINISTRATOR,),
        icon="pencil-square",
        order=40,
        group="written",
    ),
    NavItem(
        _("考场签到"),
        "exams:checkin_index",
        roles=(Role.PROCTOR, Role.ADMINISTRATOR),
        icon="qr-code-scan",
        order=41,
        group="written",
    ),
    # Written scores (issue 16).
    NavItem(
        _("笔试成绩"),
        "exams:written_index",
        roles=(Role.REVIEWER, Role.ADMINISTRATOR),
        icon="123",
        order=42,
        group="written",
    ),
    NavItem(
        _("成绩查询"), "exams:written_my_scores", roles=(Role.APPLICANT,), icon="clipboard-data", order=30
    ),
    # Ranking (issue 17, H17c).
    NavItem(
        _("综合成绩排名"),
        "exams:ranking_index",
        roles=(Role.REVIEWER, Role.ADMINISTRATOR),
        icon="sort-numeric-down",
        order=47,
        group="written",
    ),
    # The applicant reaches their result from the application page (panel) and the notice.
    # Shortlist (issue 17, H17a).
    NavItem(
        _("面试入围名单"),
        "exams:shortlist_index",
        roles=(Role.REVIEWER, Role.ADMINISTRATOR),
        icon="list-check",
        order=44,
        group="written",
    ),
    # The applicant reaches the shortlist from the application page's panel and the notices
    # (the applicant's top bar has no room left in English at 1280 px).
    # Interviews (issue 17, H17b).
    NavItem(
        _("面试安排"),
        "exams:interview_index",
        roles=(Role.ADMINISTRATOR,),
        icon="people",
        order=45,
        group="written",
    ),
    NavItem(_("我的面试"), "exams:interview_mine", roles=(Role.EXAMINER,), icon="clipboard-check", order=46),
]
