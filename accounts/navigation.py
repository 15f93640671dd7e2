from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("首页"), "home", icon="house", order=0),
]
