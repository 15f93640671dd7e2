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
]
