from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("审核队列"),
        "review:queue",
        roles=(Role.REVIEWER, Role.ADMINISTRATOR),
        icon="clipboard-check",
        order=30,
        group="review",
    ),
    NavItem(
        _("不通过原因"),
        "review:reasons",
        roles=(Role.ADMINISTRATOR,),
        icon="list-ul",
        order=31,
        group="review",
    ),
]
