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
]
