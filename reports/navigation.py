from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("招聘统计"),
        "reports:index",
        roles=(Role.REVIEWER, Role.ADMINISTRATOR),
        icon="bar-chart",
        order=90,
        group="statistics",
    ),
    NavItem(
        _("在岗人员统计"),
        "reports:workforce",
        roles=(Role.UNIT_MANAGER, Role.ADMINISTRATOR),
        icon="graph-up",
        order=91,
        group="statistics",
    ),
]
