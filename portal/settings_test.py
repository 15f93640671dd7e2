"""Test settings: the same as production but fast and isolated.

DATABASE_URL still chooses PostgreSQL or SQLite. Tasks run eagerly unless a test starts a
real worker (see tests/conftest.py); TEST_REDIS_URL is the broker such tests use.
"""

import tempfile

from .settings import *  # noqa: F403
from .settings import REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

TEST_REDIS_URL = env("TEST_REDIS_URL", default=REDIS_URL)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process-pages"},
}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
