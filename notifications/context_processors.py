from functools import cache

from .selectors import unread_count


def inbox(request):
    """`unread_notifications`: evaluated only when a template uses it, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread_count(user=user)

    return {"unread_notifications": count}
