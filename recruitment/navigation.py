from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("招聘公告"), "recruitment:list", icon="megaphone", order=10),
    NavItem(
        _("公告管理"),
        "recruitment:manage_list",
        roles=(Role.ADMINISTRATOR, Role.REVIEWER),
        icon="kanban",
        order=60,
        group="announcements",
    ),
]
