"""Settings of the gunicorn that the Redis drill starts (tests/portal/test_redis_drill.py).

The production settings, read from the environment the drill sets (REDIS_URL: the
resilient cache, cached_db sessions and the Celery broker on the drill's own Redis), with
two test-only changes: static files from the finders (no collectstatic manifest in a
test run) and the test suite's fast password hasher, so that the users the test's
factories created can sign in.
"""

from portal.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
