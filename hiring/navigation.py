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
    # In the top bar of visitors only: the signed-in applicant's bar is full (at 1280 px in
    # English it pushed the brand out); they reach a notice from their messages and panel.
    NavItem(_("录用公示"), "hiring:public_notices", icon="megaphone", order=25, anonymous_only=True),
]
