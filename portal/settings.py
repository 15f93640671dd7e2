"""Settings for the portal, read from the environment (django-environ).

Defaults give a working local portal with no services: SQLite in the project folder,
tasks run in-process, e-mail printed to the console. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and leaves DEBUG off.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE as _CSP_NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment wins

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-key-do-not-deploy")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "axes",
    "django_celery_beat",
    "csp",
    "portal",
    "accounts",
    "recruitment",
    "applicants",
    "review",
    "exams",
    "hiring",
    "workforce",
    "reports",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 413 for a body over REQUEST_BODY_MAX_BYTES, before anything reads it (uploads).
    "applicants.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.staff_expiry.ExpiredAccountMiddleware",  # temporary staff: signed out after their last day
    "accounts.password_change.InitialPasswordMiddleware",  # an initial password is changed first
    # 400 for NUL, control characters or invalid UTF-8 in any parameter, before every view.
    "portal.middleware.BadBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RateLimitedMiddleware",
    # axes must be last: it turns a lockout raised during authentication into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite: wait for a writer instead of failing at once under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE, Django ≥ 5.1).
    # With SQLite's default (DEFERRED) two transactions that both read, then both write,
    # deadlock: SQLite answers one of them "database is locked" at once, without waiting
    # the timeout (two simultaneous submits of one application gave a 500). Immediate, the
    # second waits for the first to commit and then sees its row.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis unreachable: every cache call is a miss (reads go to the database, writes are
    # skipped), with short timeouts and a back-off; keys written before an outage are not
    # trusted after it (portal.cache).
    CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database (a Redis restart or outage
    # logs nobody out, and sign-in works during one): one query less per signed-in request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per-process memory for rendered public pages: shared keys (versions) stay in "default",
# so every process still sees a change at once (recruitment.page_cache).
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "process-pages",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# --- Background work (Celery) -----------------------------------------------------------
# No broker configured: tasks run in-process, so the portal works on a laptop with nothing.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None  # progress lives in the database, not in Celery results
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that refuses or does not answer fails a publish within a second (the outbox row
# waits for the sweeper) instead of holding the request that committed; workers read with
# their event loop, which these timeouts do not cut short.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 1.0,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Accounts and authentication -----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2OwaspPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_REDIRECT_URL = "applicants:profile"  # a new applicant fills the profile first
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False  # verify e-mail by link
ACCOUNT_PHONE_VERIFICATION_ENABLED = env.bool("ACCOUNT_PHONE_VERIFICATION_ENABLED", default=True)
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# Forgotten password: a code by SMS (phone) or e-mail, entered on the site, then a new
# password (accounts.forms.ResetPasswordForm, accounts.password_reset). Numeric, as SMS codes are.
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_CODE_FORMAT = {
    "numeric": True,
    "length": 6,
    "dashed": False,
}  # sic: allauth's name
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 10 * 60  # seconds: the SMS says 10 minutes
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"  # name, else phone, else e-mail
# axes owns the failed-login lockout; allauth's own counter would hide failures from it.
# Sign-ups and reset requests send an SMS each: limited per address (and per number).
ACCOUNT_RATE_LIMITS = {
    "login_failed": False,
    "signup": "10/m/ip,60/h/ip",
    "reset_password": "10/m/ip,3/m/key,10/h/key",
}
# 《个人信息保护法》: the personal-information notice shown at sign-up (accounts.privacy);
# a new version is a new string here. Applicants never hired lose their personal data this
# many days after the end of their last announcement (applicants.retention, a beat task).
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", default="2026-11")
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=180)

# Login lockout: five failures for one account from one address, locked for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.adapter.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

# SMS: a pluggable backend; the default writes the message to the log.
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.LogSmsBackend")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remember the chosen language for a year
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# The deployment's release id (e.g. the commit): stored per-user pages rendered by another
# release are never served (portal.user_page_cache). Empty: a digest of templates and catalogues.
RELEASE = env("RELEASE", default="")
# Prepared statements for the hottest queries (the score query's stamp). Turn off behind a
# connection pooler in transaction mode, which moves a connection between server sessions.
PREPARED_STATEMENTS = env.bool("PREPARED_STATEMENTS", default=True)
# Long database work (the ranking's read and write) on a second connection in a thread, beside
# this one's Python (portal.db_threads). Off: one connection, the same results, slower.
DB_THREADS = env.bool("DB_THREADS", default=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Applicants' files are private: kept outside any public path, served only through views
# that check who asks (see applicants.views).
MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
MEDIA_URL = "/private/"  # never routed: files go through checking views only
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Every request body (files included), refused with 413 before it is read
# (applicants.middleware); the reverse proxy should carry the same limit (README).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_MB", default=12) * 1024 * 1024
# Applicants' uploads (applicants.uploads): a 1-inch (1寸) ID photo, JPEG, about 295×413 px;
# a phone's larger photo of the same shape is scaled down, then must fit the stored size.
APPLICANT_PHOTO_WIDTH = env.int("APPLICANT_PHOTO_WIDTH", default=295)
APPLICANT_PHOTO_HEIGHT = env.int("APPLICANT_PHOTO_HEIGHT", default=413)
APPLICANT_PHOTO_TOLERANCE = env.float("APPLICANT_PHOTO_TOLERANCE", default=0.2)  # ±20 % each way
APPLICANT_PHOTO_MAX_BYTES = env.int("APPLICANT_PHOTO_MAX_KB", default=200) * 1024
APPLICANT_PHOTO_UPLOAD_MAX_BYTES = env.int("APPLICANT_PHOTO_UPLOAD_MAX_MB", default=10) * 1024 * 1024
APPLICANT_DOCUMENT_MAX_BYTES = env.int("APPLICANT_DOCUMENT_MAX_MB", default=5) * 1024 * 1024
APPLICANT_DOCUMENT_MAX_COUNT = env.int("APPLICANT_DOCUMENT_MAX_COUNT", default=10)
# Large review exports (ID numbers inside) are deleted from the server after this many days.
REVIEW_EXPORT_KEEP_DAYS = env.int("REVIEW_EXPORT_KEEP_DAYS", default=7)
# The written exam (exams/): unmarked candidates become absent (缺考) this long after a
# session ends (time to type in paper sign-in sheets); the ticket-number pattern (empty: the
# 11-digit default, exams.numbering); a CJK TrueType font for PDFs (empty: found by fc-match).
EXAMS_SESSION_CLOSE_AFTER_MINUTES = env.int("EXAMS_SESSION_CLOSE_AFTER_MINUTES", default=120)
EXAMS_TICKET_NUMBER_FORMAT = env("EXAMS_TICKET_NUMBER_FORMAT", default="")
PDF_CJK_FONT = env("PDF_CJK_FONT", default="")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="社区工作者招聘平台 <noreply@example.cn>")

# --- Site address (links in messages) ---------------------------------------------------
# The public address applicants open, e.g. https://zhaopin.example.cn: links in inbox,
# e-mail and SMS messages are built on it (a worker has no request to take a host from).
# `check --deploy` requires an https address here (notifications.checks).
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Site identity (portal.site) --------------------------------------------------------
# Defaults for the header and footer; administrators change them on the 网站设置 page
# (portal.SiteSettings), where an empty field falls back to these. Record numbers (ICP,
# 公安备案) are shown only when set.
PORTAL_SITE = {
    "authority_name": env("PORTAL_AUTHORITY_NAME", default=""),
    "authority_name_en": env("PORTAL_AUTHORITY_NAME_EN", default=""),
    "organiser": env("PORTAL_ORGANISER", default=""),
    "organiser_en": env("PORTAL_ORGANISER_EN", default=""),
    "contact": env("PORTAL_CONTACT", default=""),
    "icp_record": env("PORTAL_ICP_RECORD", default=""),
    "police_record": env("PORTAL_POLICE_RECORD", default=""),
}

# --- Security ---------------------------------------------------------------------------
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
_proxy_header = env("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Views that show a PDF inside our own pages opt in with @xframe_options_sameorigin.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4) on every response: scripts and styles only from
# our own static files (the templates hold no inline script or <style>; the few that must
# be inline carry request.csp_nonce), no eval (htmx runs with allowEval false), images
# also as data: URIs (Bootstrap's icons in CSS). style-src-attr allows style="" attributes
# (progress-bar widths): they cannot run code. No frame-ancestors: X_FRAME_OPTIONS above
# keeps its per-view exceptions (a PDF shown inside our own page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _CSP_NONCE],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'self'"],
        "frame-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
