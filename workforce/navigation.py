from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.navigation import NavItem

from .models import WORKER_GROUP

STAFF = (Role.ADMINISTRATOR, Role.UNIT_MANAGER)

NAV_ITEMS = [
    NavItem(_("社区工作者"), "workforce:index", roles=STAFF, icon="people", order=70, group="workforce"),
    NavItem(_("年度考核"), "workforce:assessments", roles=STAFF, icon="award", order=71, group="workforce"),
    NavItem(
        _("兼职报备"), "workforce:side_jobs", roles=STAFF, icon="calendar-week", order=72, group="workforce"
    ),
    NavItem(
        _("培训"),
        "workforce:programmes",
        roles=(Role.ADMINISTRATOR,),
        icon="mortarboard",
        order=73,
        group="workforce",
    ),
    NavItem(
        _("单位与街道管理员"),
        "workforce:units",
        roles=(Role.ADMINISTRATOR,),
        icon="diagram-3",
        order=74,
        group="workforce",
    ),
    NavItem(
        _("在岗管理设置"),
        "workforce:settings",
        roles=(Role.ADMINISTRATOR,),
        icon="sliders",
        order=75,
        group="workforce",
    ),
    # The worker's own pages, in the top bar of the account that was hired.
    NavItem(_("我的工作"), "workforce:me", roles=(WORKER_GROUP,), icon="person-badge", order=40),
]
