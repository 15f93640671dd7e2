from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("消息模板"),
        "notifications:templates",
        roles=(Role.ADMINISTRATOR,),
        icon="card-text",
        order=80,
        group="messages",
    ),
    NavItem(
        _("群发通知"),
        "notifications:mass_list",
        roles=(Role.ADMINISTRATOR,),
        icon="megaphone",
        order=81,
        group="messages",
    ),
]
