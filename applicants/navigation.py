from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("我的报名"), "applicants:applications", roles=(Role.APPLICANT,), icon="card-checklist", order=20
    ),
    NavItem(_("个人信息"), "applicants:profile", roles=(Role.APPLICANT,), icon="person-vcard", order=21),
]
