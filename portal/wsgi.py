import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# The development default signs sessions and password-reset links with a key anyone can
# read in this repository: a served portal with DEBUG off refuses to start with it.
if not settings.DEBUG and settings.SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set SECRET_KEY (a long random value) to serve the portal with DEBUG off.")
