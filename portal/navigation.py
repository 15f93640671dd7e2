"""Navigation by role. Each app declares its entries once in `<app>/navigation.py` as
`NAV_ITEMS`; this module collects them and answers "what does this user see".

Two shapes of navigation come out of the same entries:

* the **top bar** of applicants and the public: entries without a `group`;
* the **staff console**'s side navigation: entries with a `group`, shown under the
  recruitment stage they belong to (`GROUPS`, in this order). A group with no entry the
  user may use is absent; a stage that has no pages yet simply has no entries.

Cheap on purpose (it renders on every page): the entries are collected once per process,
and the visible list for one set of roles in one language is built once and kept
(`_menus`); a request only marks the active entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """One entry. `roles` empty: everyone (with `anonymous_only` / `authenticated_only`
    narrowing it); otherwise only users holding one of the roles. `group`: a key of
    `GROUPS` puts the entry in the staff console; empty keeps it in the top bar."""

    label: str
    url_name: str
    roles: tuple[str, ...] = field(default_factory=tuple)
    icon: str = ""
    order: int = 100
    anonymous_only: bool = False
    authenticated_only: bool = False
    group: str = ""


# The staff console's groups: the recruitment's stages, then messages, statistics and the
# console's own administration. Keys are what NavItem.group names.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("announcements", _("公告与岗位"), "megaphone"),
    ("review", _("资格审核"), "clipboard-check"),
    ("written", _("笔试"), "pencil-square"),
    ("interview", _("面试与排名"), "people"),
    ("hiring", _("录用"), "person-check"),
    ("workforce", _("在岗管理"), "briefcase"),
    ("messages", _("消息"), "chat-left-text"),
    ("statistics", _("统计"), "bar-chart"),
    ("system", _("系统管理"), "gear"),
)
GROUP_KEYS = frozenset(key for key, _label, _icon in GROUPS)

_registry: list[NavItem] | None = None
_menus: dict[tuple, dict] = {}


def all_items() -> list[NavItem]:
    """Every app's NAV_ITEMS, sorted by `order` (collected once per process)."""
    global _registry
    if _registry is None:
        items = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.navigation")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.navigation":
                    raise  # a navigation module that fails to import is a bug, not absence
                continue
            items.extend(getattr(module, "NAV_ITEMS", []))
        unknown = [item.url_name for item in items if item.group and item.group not in GROUP_KEYS]
        if unknown:
            raise ValueError(f"NavItem group not in portal.navigation.GROUPS: {unknown}")
        _registry = sorted(items, key=lambda item: item.order)
    return _registry


def _visible(item: NavItem, *, authenticated: bool, roles: frozenset[str]) -> bool:
    if item.anonymous_only and authenticated:
        return False
    if (item.authenticated_only or item.roles) and not authenticated:
        return False
    return not item.roles or bool(roles.intersection(item.roles))


def _entry(item: NavItem) -> dict | None:
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None
    return {"label": str(item.label), "url": url, "icon": item.icon}


def menu_for(*, authenticated: bool, roles: frozenset[str]) -> dict:
    """{"top": [entry…], "groups": [{"key", "label", "icon", "items": [entry…]}…]} for a
    user with these roles, in the active language; each entry {"label", "url", "icon"}.
    Built once per (roles, language, script prefix) and kept for the process."""
    key = (authenticated, roles, get_language(), get_script_prefix())
    menu = _menus.get(key)
    if menu is None:
        top, grouped = [], {}
        for item in all_items():
            if not _visible(item, authenticated=authenticated, roles=roles):
                continue
            entry = _entry(item)
            if entry is None:
                continue
            if item.group:
                grouped.setdefault(item.group, []).append(entry)
            else:
                top.append(entry)
        groups = [
            {"key": key_, "label": str(label), "icon": icon, "items": grouped[key_]}
            for key_, label, icon in GROUPS
            if grouped.get(key_)
        ]
        menu = {"top": top, "groups": groups}
        _menus[key] = menu
    return menu


def items_for(user) -> list[dict]:
    """The top-bar entries the user may see (kept for callers of the former API)."""
    roles = user.role_names if user.is_authenticated else frozenset()
    return menu_for(authenticated=user.is_authenticated, roles=roles)["top"]


def active_url(menu: dict, path: str) -> str:
    """The url of the entry the current page belongs to: the longest entry url that is a
    prefix of `path` (the site root only when it is the page itself)."""
    best = ""
    for entry in menu["top"] + [item for group in menu["groups"] for item in group["items"]]:
        url = entry["url"]
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
            best = url
    return best


def _site_items() -> list[NavItem]:
    from accounts.roles import Role

    return [
        NavItem(
            _("网站设置"),
            "site_settings",
            roles=(Role.ADMINISTRATOR,),
            icon="sliders",
            order=91,
            group="system",
        ),
    ]


# The portal's own pages (portal is an installed app: its navigation is collected too).
NAV_ITEMS = _site_items()
