import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from portal.serving import refuse_development_secret_key  # noqa: E402 - needs settings loaded

refuse_development_secret_key()

from portal.pdf import preload_font  # noqa: E402 - needs settings loaded

preload_font()  # the CJK font parsed once per worker at start, not in a candidate's request
