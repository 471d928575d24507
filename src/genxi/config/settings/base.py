"""Settings shared by every environment; what a deployment changes comes from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.contrib.messages import constants as messages
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from genxi.core.storage import media_storage
from genxi.core.tiles import tile_source

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = Path(os.environ.get("GENXI_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Keys for personal data at rest. A comma-separated list: the first key encrypts, every key
# decrypts, so a new key can be put in front and `genxi rotate_field_key` re-encrypts.
GENXI_FIELD_KEYS = env_list("GENXI_FIELD_KEY")

# Keys and lifetimes of credentials (docs/security.md, "API tokens and the blind index").
# The blind index (exact-match lookups such as a resident's ID number) has its own key, which
# does not rotate with GENXI_FIELD_KEY. Unset, the first field key is used, as before it
# existed: a system check warns and `genxi rotate_field_key` refuses until it is set.
GENXI_INDEX_KEY = os.environ.get("GENXI_INDEX_KEY", "")
# A personal API token expires this many days after it is made.
GENXI_API_TOKEN_DAYS = int(os.environ.get("GENXI_API_TOKEN_DAYS", "90"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "genxi.core",
    "genxi.regions",
    "genxi.orgs",
    "genxi.people",
    "genxi.cases",
    "genxi.cobuild",
    "genxi.stations",
    "genxi.cadres",
    "genxi.dashboards",
    "genxi.fieldwork",
    "genxi.events",
    "genxi.alerts",
    "genxi.inspections",
    "genxi.reports",  # the monthly reports (docs/reports.md)
    "genxi.transparency",
    "genxi.campaigns",
    "genxi.notices",
    "genxi.volunteering",
    "genxi.partylife",
    "genxi.demo",  # the demo data and its commands; the top layer (docs/architecture.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # genxi.core.middleware.X runs Django's (or the package's) X for every request but the
    # API's calls by bearer token, which have no session, CSRF token, message or htmx
    # header (docs/decisions/0038-lean-api-path.md).
    "genxi.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's own, by name: its deploy check (security.W003) looks for it. ninja's views
    # are CSRF-exempt, so for a bearer call it only looks at the view and passes.
    "django.middleware.csrf.CsrfViewMiddleware",
    "genxi.core.middleware.AuthenticationMiddleware",
    "genxi.core.params.RefuseNulMiddleware",
    "genxi.core.middleware.OTPMiddleware",
    "genxi.core.middleware.AccountPolicyMiddleware",
    "genxi.core.middleware.NoStoreMiddleware",
    "genxi.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "genxi.core.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # its check wants this very name; it costs a getattr
]

ROOT_URLCONF = "genxi.config.urls"
WSGI_APPLICATION = "genxi.config.wsgi.application"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "genxi.core.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through the project's templates, so templates/django/forms/ may override
# one of Django's (a select's empty choice reads 请选择, not "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Flash messages are Bootstrap alerts: a message's level is its alert's colour (Django's
# "error" tag has no Bootstrap class; "danger" does). Refusals are not flashed: they are
# the form's errors beside its fields (decision 0016).
MESSAGE_TAGS = {
    messages.DEBUG: "secondary",
    messages.INFO: "info",
    messages.SUCCESS: "success",
    messages.WARNING: "warning",
    messages.ERROR: "danger",
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'genxi.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the background worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Two roles on PostgreSQL (docs/deploy.md): DATABASE_URL is the app's role, which owns nothing
# and may only add to and read the audit log; DATABASE_MIGRATE_URL, if set, is the owner's,
# used by `genxi migrate` (which then grants the app role its rights), `db_roles` and
# `audit_purge`. Unset: one role does everything (SQLite, development).
DATABASE_MIGRATE_URL = os.environ.get("DATABASE_MIGRATE_URL", "")
# A streaming replica (docs/deploy.md, "Read replica and PgBouncer"; decisions/0033): set,
# it is the alias `replica`, read only by code that opts in (core/replica.py: dashboards,
# reports, exports, the public pages) and only while it lags at most GENXI_REPLICA_MAX_LAG
# seconds; else, and for every write and transaction, the primary. Unset: all on default.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
GENXI_REPLICA_MAX_LAG = float(os.environ.get("GENXI_REPLICA_MAX_LAG", "30"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be of the engine of DATABASE_URL")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer costs a request at most this many seconds (then
        # CHECK_SECONDS of reading the primary), not the system's TCP timeout.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DATABASE_ROUTERS = ["genxi.core.replica.ReplicaRouter"]
# Behind PgBouncer in transaction pooling mode (GENXI_DB_POOLER=pgbouncer): a server
# connection is the client's only for one transaction, so no server-side cursors (Django's
# `.iterator()` would declare one outside a transaction) and no prepared statements
# (psycopg's prepare_threshold: None); client connections to PgBouncer are kept
# (CONN_MAX_AGE, default 300 here, checked before reuse) since they are cheap. Point
# DATABASE_MIGRATE_URL at PostgreSQL itself: migrations want a session of their own.
GENXI_DB_POOLER = os.environ.get("GENXI_DB_POOLER", "").strip().lower()
if GENXI_DB_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured("GENXI_DB_POOLER must be empty or pgbouncer")
if GENXI_DB_POOLER == "pgbouncer":
    for _db in DATABASES.values():
        if _db["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("GENXI_DB_POOLER=pgbouncer is for PostgreSQL")
        if "pool" in _db.get("OPTIONS", {}):
            raise ImproperlyConfigured("GENXI_DB_POOLER=pgbouncer: no Django pool as well")
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
        _db["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "300"))
        _db["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "genxi.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# 5 failed logins lock the account for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Account policies that production settings switch on.
GENXI_REQUIRE_2FA = False
GENXI_FORCE_PASSWORD_CHANGE = False
GENXI_AUDIT_MIN_RETENTION_DAYS = 184
GENXI_IMPORT_BACKGROUND_ROWS = int(os.environ.get("GENXI_IMPORT_BACKGROUND_ROWS", "2000"))
# Map tiles (docs/maps.md): none by default (government intranets: the maps draw the base
# layer kept in regions.BaseFeature), 天地图 with its key, or an XYZ URL template; the
# datum says whether the tiles are WGS-84/CGCS2000 or GCJ-02 (then points are converted).
GENXI_MAP_TILES = tile_source(os.environ)
# The dashboard map counts cases in squares of about 100 m kept in a roll-up: their longitude
# step is fixed at this latitude (the city's centre; docs/dashboards.md). Changed, the squares
# must be rebuilt (`genxi rollups rebuild`).
GENXI_MAP_BIN_LAT = float(os.environ.get("GENXI_MAP_BIN_LAT", "31.3"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (docs/deploy.md, "Files in object storage"): this node's disk under
# MEDIA_ROOT, or the private S3-compatible bucket (MinIO) GENXI_S3_BUCKET names, which every
# app node and worker shares. Static files stay on disk (whitenoise, nginx) either way.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# MEDIA_ROOT on a volume every node mounts (one host, NFS): silences check genxi.W003.
GENXI_MEDIA_SHARED = env_bool("GENXI_MEDIA_SHARED", False)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker's lease (`genxi worker`, core/worker.py): a task left running by a worker
# silent this many seconds is put back in the queue; by a worker that never beat (a plain
# `genxi db_worker`), once it started GENXI_TASK_MAX_RUNTIME seconds ago.
GENXI_WORKER_LEASE = int(os.environ.get("GENXI_WORKER_LEASE", "60"))
GENXI_TASK_MAX_RUNTIME = int(os.environ.get("GENXI_TASK_MAX_RUNTIME", "3600"))

# One process: local memory. Several workers: set REDIS_URL so that they share the cache
# (the public form's rate limit is counted there).
# While Redis is down the pages go on without the cache and the rate limits refuse
# (core/cache.py, docs/drills.md); the timeouts bound what one request waits for it.
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if os.environ.get("REDIS_URL"):
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES["default"] = {
        "BACKEND": "genxi.core.cache.DegradedRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {
            "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            # One immediate retry (a pooled connection that Redis closed), no back-off.
            "retry": Retry(NoBackoff(), 1),
        },
    }

# Logs: plain text, or one JSON object per line with the request's id (core/logs.py) when
# GENXI_LOG_FORMAT=json (the production default). genxi.request logs one line per request
# (route, status, duration, user id) at INFO: on under production settings, off here.
GENXI_LOG_FORMAT = os.environ.get("GENXI_LOG_FORMAT", "text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "genxi.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if GENXI_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "genxi.request": {"level": os.environ.get("GENXI_REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# Health, readiness and metrics (core/ops.py): answered first, before host checks and the
# HTTPS redirect. /metrics only to these addresses (networks, comma-separated) or with
# GENXI_METRICS_TOKEN as a bearer token.
MIDDLEWARE[0:0] = ["genxi.core.ops.OpsMiddleware", "genxi.core.ops.RequestMetricsMiddleware"]
GENXI_METRICS_ALLOW = env_list("GENXI_METRICS_ALLOW") or ["127.0.0.1/32", "::1/128"]
for _network in GENXI_METRICS_ALLOW:
    ipaddress.ip_network(_network, strict=False)  # a typo fails at start-up
GENXI_METRICS_TOKEN = os.environ.get("GENXI_METRICS_TOKEN", "")

# Lockout is by account, as the 等保 requirement says ("5 failures lock the account"). Adding
# the IP address would let one office behind a shared NAT lock every colleague out.
# See docs/decisions/0002-lockout-by-account.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Notifications: the in-app inbox always; these outside channels too (see core/notifications/),
# e.g. genxi.core.notifications.channels.EmailChannel.
GENXI_NOTIFY_CHANNELS = env_list("GENXI_NOTIFY_CHANNELS")
# Text messages to phone numbers (core/sms/, docs/sms.md): the sender's dotted path (the
# default logs, masked, and sends nothing) and how many texts leave per minute.
GENXI_SMS_SENDER = os.environ.get("GENXI_SMS_SENDER", "genxi.core.sms.senders.LogSender")
GENXI_SMS_PER_MINUTE = int(os.environ.get("GENXI_SMS_PER_MINUTE", "60"))
GENXI_WEBHOOK_URL = os.environ.get("GENXI_WEBHOOK_URL", "")
GENXI_WEBHOOK_SECRET = os.environ.get("GENXI_WEBHOOK_SECRET", "")
GENXI_DUPLICATE_RADIUS_M = int(os.environ.get("GENXI_DUPLICATE_RADIUS_M", "100"))
GENXI_DUPLICATE_DAYS = 14
GENXI_OPEN311_CONTACT = os.environ.get("GENXI_OPEN311_CONTACT", "genxi · 12345")
GENXI_OPEN311_KEY_SERVICE = os.environ.get("GENXI_OPEN311_KEY_SERVICE", "ask the street office")

# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), e.g.
# "127.0.0.1" when nginx runs on the same host. Empty: the peer address is the client.
# Used by rate limits and audit events alike (core/ratelimit.py, decisions/0009).
GENXI_TRUSTED_PROXIES = env_list("GENXI_TRUSTED_PROXIES")
for _proxy in GENXI_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo fails at start-up, not at a request

# Content-Security-Policy (django-csp) on every answer: pages, API, admin, static files.
# No inline script, handler or style anywhere: templates pass data in data- attributes or
# json_script, and static/genxi/*.js acts on them (see docs/security.md, "Browser safety").
# Map tiles come from this origin and the configured tile host only (GENXI_MAP_TILES).
# "ninja" is installed so that the API docs load Swagger UI from /static/
# rather than a CDN.
INSTALLED_APPS += ["csp", "ninja"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"), "csp.middleware.CSPMiddleware"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *GENXI_MAP_TILES["hosts"]],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Category suggestions (docs/suggestions.md): new training examples before the background
# worker trains a new model.
GENXI_SUGGEST_RETRAIN_AFTER = int(os.environ.get("GENXI_SUGGEST_RETRAIN_AFTER", "20"))
# A suggestion at least this confident may be routed without a dispatcher ("auto_route" in
# the API's answer). Measured on the evaluation set (docs/suggestions.md): at 0.85,
# precision 0.972 and coverage 0.737 of requests.
GENXI_SUGGEST_AUTO_ROUTE = float(os.environ.get("GENXI_SUGGEST_AUTO_ROUTE", "0.85"))
# Intake routes such a case itself (category, then the routing's handler, as the system) when
# no person chose its category; "0" leaves every case to the dispatchers.
GENXI_SUGGEST_AUTO_ROUTE_AT_INTAKE = env_bool("GENXI_SUGGEST_AUTO_ROUTE_AT_INTAKE", True)
