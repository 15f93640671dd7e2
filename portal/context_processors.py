"""Template context for every page: the navigation (top bar or staff console) and the
site's identity (authority name, logo, footer). Both are lazy: a page that never shows
them (a JSON or htmx fragment) computes nothing."""

from django.utils.functional import SimpleLazyObject, cached_property

from accounts.roles import STAFF_ROLES

from . import navigation as nav_registry
from . import site


class Navigation:
    """What the base template shows: `staff` (the console with a side navigation) or not
    (the simple top bar), the entries, and which one is the current page's."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def _user(self):
        return getattr(self._request, "user", None)

    @cached_property
    def _roles(self) -> frozenset[str]:
        user = self._user
        return user.role_names if user is not None and user.is_authenticated else frozenset()

    @cached_property
    def staff(self) -> bool:
        return bool(self._roles.intersection(STAFF_ROLES))

    @cached_property
    def _menu(self) -> dict:
        user = self._user
        authenticated = bool(user is not None and user.is_authenticated)
        return nav_registry.menu_for(authenticated=authenticated, roles=self._roles)

    @property
    def top(self) -> list[dict]:
        return self._menu["top"]

    @property
    def groups(self) -> list[dict]:
        return self._menu["groups"]

    @cached_property
    def active(self) -> str:
        return nav_registry.active_url(self._menu, self._request.path)


def navigation_context(request):
    return {"nav": Navigation(request), "site": SimpleLazyObject(site.identity)}


# The name settings.TEMPLATES has always listed.
navigation = navigation_context
