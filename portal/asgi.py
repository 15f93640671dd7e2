import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_asgi_application()

from portal.serving import refuse_development_secret_key  # noqa: E402 - needs settings loaded

refuse_development_secret_key()
