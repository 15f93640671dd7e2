from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem

from .roles import STAFF_ROLES, Role

NAV_ITEMS = [
    # The public and applicants: the portal's home. Staff land on their workbench instead.
    NavItem(_("首页"), "home", icon="house", order=0, anonymous_only=True),
    NavItem(_("首页"), "home", roles=(Role.APPLICANT,), icon="house", order=0),
    NavItem(_("工作台"), "workbench", roles=STAFF_ROLES, icon="speedometer2", order=1),
    # Staff accounts (accounts/staff_views.py).
    NavItem(
        _("工作人员账号"),
        "accounts:staff_list",
        roles=(Role.ADMINISTRATOR,),
        icon="person-gear",
        order=90,
        group="system",
    ),
]
