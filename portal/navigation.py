"""Navigation by role. Each app may define `navigation.NAV_ITEMS`; the base template
shows the items whose roles the user holds (an empty `roles` means everyone)."""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = field(default_factory=tuple)
    icon: str = ""
    order: int = 100
    anonymous_only: bool = False
    authenticated_only: bool = False


_registry: list[NavItem] | None = None


def all_items() -> list[NavItem]:
    global _registry
    if _registry is None:
        items = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.navigation")
            except ModuleNotFoundError:
                continue
            items.extend(getattr(module, "NAV_ITEMS", []))
        _registry = sorted(items, key=lambda item: item.order)
    return _registry


def items_for(user) -> list[dict]:
    visible = []
    authenticated = user.is_authenticated
    for item in all_items():
        if item.anonymous_only and authenticated:
            continue
        if (item.authenticated_only or item.roles) and not authenticated:
            continue
        if item.roles and not user.has_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "icon": item.icon})
    return visible
