"""Checks made when the portal starts serving (portal.wsgi, portal.asgi), not for every
management command, so a newcomer's `manage.py migrate` still works with no settings."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_development_secret_key() -> None:
    """The development default signs sessions and password-reset links with a key anyone
    can read in this repository: a served portal with DEBUG off refuses to start with it."""
    if not settings.DEBUG and settings.SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("Set SECRET_KEY (a long random value) to serve the portal with DEBUG off.")
