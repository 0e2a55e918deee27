"""All settings, read from the environment.

The embedded default (no environment at all) is a single machine: SQLite in
WAL mode, Huey on SQLite, files under ``var/``. Production sets
``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``HTTPS=1``; that combination passes
``manage.py check --deploy`` with no warnings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
# Demo mode: `make run` sets it; demo data and demo accounts are refused without it.
DEMO = env_bool("DEMO")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "simple_history",
    "huey.contrib.djhuey",
    "aftersales.common",
    "aftersales.accounts",
    "aftersales.customers",
    "aftersales.calendars",
    "aftersales.obligations",
    "aftersales.service",
    "aftersales.depot",
    "aftersales.returns",
    "aftersales.operations",
    "aftersales.parts",
    "aftersales.complaints",
    "aftersales.feedback",
    "aftersales.maintenance",
    "aftersales.sales",
    "aftersales.imports",
    "aftersales.inbox",
    "aftersales.knowledge",
    "aftersales.delivery",
    "aftersales.home",
    "aftersales.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aftersales.common.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aftersales.common.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aftersales.common.middleware.NoNullBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftersales.config.urls"
WSGI_APPLICATION = "aftersales.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftersales.common.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
_sqlite_default = f"sqlite:///{DATA_DIR / 'aftersales.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _sqlite_default), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the lock at BEGIN, so two
        # writers queue instead of failing with "database is locked" halfway.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background jobs and the shared cache ----------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Counters (rate limits) and cached figures are shared by every worker process and
# every node: in Redis when there is one, else in a table of the database (created by
# ``migrate``); never in one process's memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "aftersales_cache",
    }
}
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "aftersales",
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE"),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "aftersales",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE"),
    }

# --- accounts and login safety ---------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aftersales.accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "aftersales.accounts.lockout.client_ip"
BEHIND_PROXY = env_bool("BEHIND_PROXY")
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))

# --- language and time ------------------------------------------------------
# Printed documents: the company's name on top, and the font with Chinese
# glyphs to embed (found in the usual places when not set; see common/pdf.py).
COMPANY_NAME = os.environ.get("COMPANY_NAME", "示例科技有限公司" if DEMO else "")
# The service hotline printed on QR labels (扫码报修), quotes and the scan page.
SERVICE_HOTLINE = os.environ.get("SERVICE_HOTLINE", "400-800-1234" if DEMO else "")
PDF_FONT = os.environ.get("PDF_FONT", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# The embedded default serves straight from the source folders; production
# runs collectstatic (see README) and whitenoise serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media")).resolve()
MEDIA_URL = "/media/"  # never served publicly; see common.views.attachment_download
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
# The service mailbox: the largest mail kept whole, and how many an hour from one
# address before the rest are taken as a mail loop.
INBOX_MAX_BYTES = int(os.environ.get("INBOX_MAX_MB", "25")) * 1024 * 1024
INBOX_LOOP_LIMIT = int(os.environ.get("INBOX_LOOP_LIMIT", "20"))

# Where customers reach the site (survey links in SMS and e-mail).
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# --- e-mail -----------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# --- security ---------------------------------------------------------------
# HTTPS=1 when the site is served over TLS (directly or behind a proxy that
# sets X-Forwarded-Proto). The embedded default serves plain HTTP on loopback.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    # The API speaks JSON; so do its tests unless they say otherwise.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aftersales.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "aftersales.common.api.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "aftersales.common.parsers.ContentNegotiation",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["aftersales.common.filters.FilterBackend"],
    "EXCEPTION_HANDLER": "aftersales.common.api.exception_handler",
    # JSON only; DRF's parser refuses NaN and Infinity.
    "DEFAULT_PARSER_CLASSES": ["aftersales.common.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "aftersales API",
    "DESCRIPTION": "售后服务管理系统 REST API. Auth: POST /api/v1/auth/token/, "
    "then send `Authorization: Token <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # OpenAPI 3.1: the version that describes webhooks.
    "OAS_VERSION": "3.1.0",
    # What integrators' receivers get (delivery/webhooks.py), signed with HMAC-SHA256.
    "WEBHOOKS": [
        "aftersales.delivery.schema.REQUEST_CREATED",
        "aftersales.delivery.schema.LIMIT_BREACHED",
        "aftersales.delivery.schema.ORDER_COMPLETED",
        "aftersales.delivery.schema.COMPLAINT_CLOSED",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WeekdayEnum": "aftersales.calendars.models.Weekday",
        "LocationKindEnum": "aftersales.parts.models.Location.Kind",
        "MovementKindEnum": "aftersales.parts.models.Movement.Kind",
        "ReturnKindEnum": "aftersales.returns.models.ReturnRequest.Kind",
        "ChannelEnum": "aftersales.service.models.Channel",
        "ComplaintChannelEnum": "aftersales.complaints.models.Channel",
        "OutboundChannelEnum": "aftersales.common.models.OutboundMessage.Channel",
        "VisitKindEnum": "aftersales.feedback.models.Visit.Kind",
        "QuestionKindEnum": "aftersales.feedback.models.Question.Kind",
        "QuestionSetKindEnum": "aftersales.feedback.models.QuestionSet.Kind",
        "InspectionResultEnum": "aftersales.maintenance.models.Result",
        "WorkOrderResultEnum": "aftersales.service.models.Result",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "aftersales.common.schema.document_errors",
        "aftersales.common.schema.tighten",
    ],
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
