from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("录用管理"),
        "hiring:index",
        roles=(Role.ADMINISTRATOR,),
        icon="person-check",
        order=60,
        group="hiring",
    ),
    NavItem(_("录用公示"), "hiring:public_notices", icon="megaphone", order=25),
]
