"""Settings for Lianxin, read from the environment (12-factor).

Development and the demo run on SQLite; production sets ``DATABASE_URL`` to a
PostgreSQL server and ``LIANXIN_ENV=production``.
"""

from __future__ import annotations

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("LIANXIN_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("LIANXIN_VAR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


LIANXIN_ENV = os.environ.get("LIANXIN_ENV", "development")
PRODUCTION = LIANXIN_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    # Development only: a stable key kept beside the database so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            import secrets

            key_file.write_text(secrets.token_urlsafe(64))
        SECRET_KEY = key_file.read_text().strip()
    except OSError:
        SECRET_KEY = "insecure-development-key-" + "x" * 40  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "ninja",  # its Swagger UI template and static assets (else it serves a CDN page)
    "lianxin.core",
    "lianxin.audit",
    "lianxin.accounts",
    "lianxin.org",
    "lianxin.people",
    "lianxin.notifications",
    "lianxin.workdays",
    "lianxin.cases",
    "lianxin.venues",
    "lianxin.rooms",
    "lianxin.compliance",
    "lianxin.wishes",
    "lianxin.activities",
    "lianxin.volunteers",
    "lianxin.events",
    "lianxin.brands",
    "lianxin.economy",
    "lianxin.grids",
    "lianxin.visits",
    "lianxin.field",
    "lianxin.maps",
    "lianxin.dashboards",
    "lianxin.reports",
    "lianxin.tipoffs",
    "lianxin.surveys",
    "lianxin.deliberation",
    "lianxin.supervision",
    "lianxin.triage",
    "lianxin.integrations",
    "lianxin.open311",
    "lianxin.webhooks",
    "lianxin.privacy",
    "lianxin.api",
    "lianxin.jobs",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxin.core.locale_middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lianxin.core.middleware.HtmxRedirectMiddleware",  # htmx: 401/403 + HX-Redirect, never a 302 to log-in
    "lianxin.core.params.RejectNulMiddleware",  # NUL in a query or form: 400, never a DB error
    "lianxin.accounts.middleware.SessionPolicyMiddleware",
    "lianxin.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lianxin.core.middleware.NoStoreForPersonalDataMiddleware",
    "axes.middleware.AxesMiddleware",
    "lianxin.audit.probes.ScopeProbeMiddleware",  # a 404 on an object address is audited (denied probes)
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxin.org.context_processors.lianxin",
                "lianxin.workdays.context_processors.schedule_banner",
            ],
            "builtins": ["lianxin.core.templatetags.lianxin"],
        },
    }
]

# --- database -----------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "lianxin.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A read replica (PostgreSQL streaming replication, scripts/replica): dashboards, reports and
# exports read there while it is reachable and within the lag bound (lianxin.core.dbrouter).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["lianxin.core.dbrouter.ReplicaRouter"]
LIANXIN_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("LIANXIN_REPLICA_MAX_LAG_SECONDS", "30"))
LIANXIN_REPLICA_CHECK_SECONDS = float(os.environ.get("LIANXIN_REPLICA_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "lianxin.accounts.backends.PhoneOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LIANXIN_PASSWORD_MIN_LENGTH = int(os.environ.get("LIANXIN_PASSWORD_MIN_LENGTH", "8"))
LIANXIN_PASSWORD_MIN_CLASSES = int(os.environ.get("LIANXIN_PASSWORD_MIN_CLASSES", "3"))
LIANXIN_PASSWORD_HISTORY = int(os.environ.get("LIANXIN_PASSWORD_HISTORY", "5"))
# 等保2.0 asks for periodic rotation, ASVS advises against it: a setting, 等保 by default.
LIANXIN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("LIANXIN_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": LIANXIN_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "lianxin.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": LIANXIN_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "lianxin.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: 5 failures lock the (username, IP) pair for 30 minutes, so one attacker
# cannot lock a whole town office behind one NAT address out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lianxin.core.ratelimit.client_address"  # behind trusted proxies too
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Sessions: staff 30 minutes idle and 12 hours absolute (enforced in SessionPolicyMiddleware).
LIANXIN_STAFF_IDLE_SECONDS = 30 * 60
LIANXIN_STAFF_ABSOLUTE_SECONDS = 12 * 3600
LIANXIN_RESIDENT_IDLE_SECONDS = 14 * 24 * 3600
LIANXIN_BELL_POLL_SECONDS = 60  # the navbar bell polls its unread count this often
SESSION_COOKIE_AGE = LIANXIN_STAFF_IDLE_SECONDS
# Not every request: SessionPolicyMiddleware slides the idle expiry once a minute (one session
# UPDATE a minute instead of one per page, map pan and bell poll).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, so the switch reads right whatever is active.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "lianxin_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("LIANXIN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: media goes through scoped views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # whitenoise's hashed + compressed manifest, tolerating only missing source maps.
            "lianxin.core.storage.LianxinStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media on an S3-compatible bucket (MinIO, Ceph, OSS/COS in S3 mode) when LIANXIN_S3_BUCKET is
# set: every app server reads and writes the same files (scripts/two-servers; docs/operations.md).
# Files stay private (no ACL, signed URLs only) and are still served through the scoped views.
if os.environ.get("LIANXIN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LIANXIN_S3_BUCKET"],
            "endpoint_url": os.environ.get("LIANXIN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LIANXIN_S3_REGION", "us-east-1"),
            "access_key": os.environ.get("LIANXIN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LIANXIN_S3_SECRET_KEY") or None,
            "location": os.environ.get("LIANXIN_S3_PREFIX", "media"),
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LIANXIN_MAX_PHOTO_BYTES = 8 * 1024 * 1024
# Refused before decoding (header size × frames): a tiny PNG can declare 40 Mpx (~0.5 GB decoded).
LIANXIN_MAX_PHOTO_PIXELS = int(os.environ.get("LIANXIN_MAX_PHOTO_PIXELS", "25000000"))

# --- cache --------------------------------------------------------------------------------
# Shared by every worker (rate limits count here): the database cache, whose table ``migrate``
# creates (core migration 0001), or Redis when ``REDIS_URL`` is set. Never a per-process cache.
CACHES = {
    "default": {
        "BACKEND": "lianxin.core.cache.SharedDatabaseCache",
        "LOCATION": "lianxin_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},  # past it Django culls a third: counters would reset
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    # Sessions read from Redis, written through to the database (they outlive a Redis restart
    # and every app server sees them; scripts/two-servers).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- rate limits (lianxin.core.ratelimit) ------------------------------------------------
# X-Forwarded-For is believed only from these peers (IPs or CIDRs, comma-separated): the nginx
# in front. Empty (the default): REMOTE_ADDR is the client, whatever the headers say.
LIANXIN_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("LIANXIN_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in LIANXIN_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo fails at start-up, not by trusting all


def env_rate(name: str, default: str) -> tuple[int, int]:
    """``"10/3600"``: at most 10 in any fixed window of 3600 seconds."""
    count, _slash, seconds = os.environ.get(name, default).partition("/")
    return int(count), int(seconds or 3600)


LIANXIN_CASE_INTAKE_LIMIT = env_rate("LIANXIN_CASE_INTAKE_LIMIT", "10/3600")  # per address
LIANXIN_CASE_INTAKE_PHONE_LIMIT = env_rate("LIANXIN_CASE_INTAKE_PHONE_LIMIT", "5/3600")  # per phone
LIANXIN_REVEAL_LIMIT = env_rate("LIANXIN_REVEAL_LIMIT", "30/3600")  # full ID/phone reveals per user
# Failed log-ins from one address (any usernames); past it only accounts that logged in from
# there before may try (accounts.throttle explains the trade-off).
LIANXIN_LOGIN_ADDRESS_LIMIT = env_rate("LIANXIN_LOGIN_ADDRESS_LIMIT", "30/900")
LIANXIN_LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LIANXIN_LOGIN_KNOWN_ADDRESS_DAYS", "90"))

# --- 查处举报 (lianxin.tipoffs) -------------------------------------------------------------
# Fernet key (44 url-safe base64 characters) encrypting reporters, contacts and texts at rest;
# unset: derived from SECRET_KEY (tipoffs.crypto), and `check --deploy` warns in production.
LIANXIN_TIPOFF_KEY = os.environ.get("LIANXIN_TIPOFF_KEY", "")
# Codes of the 纪检 units whose supervisors handle 举报 anywhere in their county.
LIANXIN_TIPOFF_DISCIPLINE_UNITS = [
    c.strip() for c in os.environ.get("LIANXIN_TIPOFF_DISCIPLINE_UNITS", "").split(",") if c.strip()
]
LIANXIN_TIPOFF_FILE_LIMIT = env_rate("LIANXIN_TIPOFF_FILE_LIMIT", "5/3600")  # per address
LIANXIN_TIPOFF_FOLLOW_LIMIT = env_rate("LIANXIN_TIPOFF_FOLLOW_LIMIT", "10/900")  # per address

# --- 分派助手 (lianxin.triage) ------------------------------------------------------------
# Likely duplicates: live requests within this many metres (the same grid without a map point)
# and days of a new one, with similar text.
LIANXIN_TRIAGE_DUPLICATE_METRES = int(os.environ.get("LIANXIN_TRIAGE_DUPLICATE_METRES", "500"))
LIANXIN_TRIAGE_DUPLICATE_DAYS = int(os.environ.get("LIANXIN_TRIAGE_DUPLICATE_DAYS", "14"))
LIANXIN_TRIAGE_TRAIN_HOUR = int(os.environ.get("LIANXIN_TRIAGE_TRAIN_HOUR", "3"))  # local, nightly
LIANXIN_TRIAGE_CHECK_LIMIT = env_rate("LIANXIN_TRIAGE_CHECK_LIMIT", "60/600")  # per address
# 热点: at least this many alike requests in one grid within this many days.
LIANXIN_TRIAGE_HOTSPOT_DAYS = int(os.environ.get("LIANXIN_TRIAGE_HOTSPOT_DAYS", "7"))
LIANXIN_TRIAGE_HOTSPOT_MIN = int(os.environ.get("LIANXIN_TRIAGE_HOTSPOT_MIN", "3"))
# How old the hot spots on dashboards and the home page may be (0: read live on every view).
LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = int(
    os.environ.get("LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS", "300")
)

# --- 对接令牌 (lianxin.integrations) --------------------------------------------------------
# The JSON API's authentication classes besides the session, by dotted path (lianxin.api
# cannot import the integrations above it). Token lifetime in days: default and maximum.
LIANXIN_API_AUTH = ["lianxin.integrations.auth.TokenAuth"]
LIANXIN_API_TOKEN_DEFAULT_DAYS = int(os.environ.get("LIANXIN_API_TOKEN_DEFAULT_DAYS", "90"))
LIANXIN_API_TOKEN_MAX_DAYS = int(os.environ.get("LIANXIN_API_TOKEN_MAX_DAYS", "365"))
LIANXIN_API_TOKEN_RATE = env_rate("LIANXIN_API_TOKEN_RATE", "600/60")  # calls per token

# --- 回传推送 (lianxin.webhooks) ------------------------------------------------------------
# Fernet key encrypting the subscriptions' signing secrets; unset: derived from SECRET_KEY.
LIANXIN_WEBHOOK_KEY = os.environ.get("LIANXIN_WEBHOOK_KEY", "")
# Tries per delivery, the first retry's delay (doubled each time, capped) and the POST timeout.
LIANXIN_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("LIANXIN_WEBHOOK_MAX_ATTEMPTS", "8"))
LIANXIN_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("LIANXIN_WEBHOOK_BACKOFF_SECONDS", "30"))
LIANXIN_WEBHOOK_BACKOFF_MAX_SECONDS = float(
    os.environ.get("LIANXIN_WEBHOOK_BACKOFF_MAX_SECONDS", "21600")
)
LIANXIN_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("LIANXIN_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Production takes https only; elsewhere http is allowed to a loopback address (tests, dev).
LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = env_bool(
    "LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP", not PRODUCTION
)
# Private networks a receiver may sit in (comma-separated CIDRs, e.g. a 政务外网 range); every
# other private, link-local or reserved address is refused (webhooks/addresses.py).
LIANXIN_WEBHOOK_ALLOWED_NETWORKS = tuple(
    n.strip()
    for n in os.environ.get("LIANXIN_WEBHOOK_ALLOWED_NETWORKS", "").split(",")
    if n.strip()
)

# --- background tasks ---------------------------------------------------------------------
# Imports and large exports run as Django tasks (django-tasks backport). By default they queue
# in the database and `lianxin db_worker` runs them, so nothing else has to be installed; with
# REDIS_URL they go to RQ (`lianxin rqworker --job-class django_tasks_rq.Job default`).
# LIANXIN_TASKS_BACKEND=immediate runs them inline in the request (tests, one-process setups).
LIANXIN_TASKS_BACKEND = os.environ.get(
    "LIANXIN_TASKS_BACKEND", "rq" if os.environ.get("REDIS_URL") else "db"
)
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[LIANXIN_TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if LIANXIN_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://localhost:6379/0")}}
# Imports: the most data rows one file may hold; result files of jobs are kept this long.
LIANXIN_IMPORT_MAX_ROWS = int(os.environ.get("LIANXIN_IMPORT_MAX_ROWS", "100000"))
LIANXIN_IMPORT_MAX_BYTES = int(os.environ.get("LIANXIN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
LIANXIN_JOB_RESULT_HOURS = float(os.environ.get("LIANXIN_JOB_RESULT_HOURS", "24"))
# Exports above this many rows are written by the worker instead of in the request.
LIANXIN_EXPORT_INLINE_ROWS = int(os.environ.get("LIANXIN_EXPORT_INLINE_ROWS", "2000"))
# 个人信息保存期限 (PIPL Art. 19; docs/privacy.md): days after which the privacy worker job
# anonymises each kind of personal data. Audit rows are never deleted or changed; their period is
# a floor the system check holds at >= 180 days (网络安全法 Art. 21).
LIANXIN_RETENTION_DAYS = {
    "case_reporter_phone": 365,  # reporter phone on a closed/rejected/merged request, after closing
    "visit_notes": 730,  # 走访情况 and 见到的人 of a household visit
    "booking_contact": 180,  # a room booking's purpose text, after the booking ended
    "audit": 180,  # audit rows: kept at least this long (never shortened below 180)
}

# --- security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

# django-csp 4: map tiles come from a configurable tile server; everything else is ours.
LIANXIN_TILE_URL = os.environ.get(
    "LIANXIN_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
# 天地图: with a key (from the 天地图 developer console) the maps use its vector tiles instead.
LIANXIN_TIANDITU_KEY = os.environ.get("LIANXIN_TIANDITU_KEY", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIANXIN_LOG_LEVEL", "WARNING")},
    "loggers": {
        "lianxin": {"level": os.environ.get("LIANXIN_LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# --- application --------------------------------------------------------------------------
LIANXIN_DEMO_PASSWORD = os.environ.get("LIANXIN_DEMO_PASSWORD", "Lianxin@2026")
LIANXIN_PAGE_SIZE = 20
# Big lists (requests, audit log, people) count their rows up to this bound and show "10,000+"
# beyond it: an exact COUNT over a province's requests on every page view costs more than the page.
LIANXIN_LIST_COUNT_BOUND = int(os.environ.get("LIANXIN_LIST_COUNT_BOUND", "10000"))
LIANXIN_NOTIFICATION_BACKENDS = [
    b.strip()
    for b in os.environ.get(
        "LIANXIN_NOTIFICATION_BACKENDS",
        "lianxin.notifications.backends.ConsoleBackend,"
        "lianxin.notifications.backends.EmailBackend,"
        "lianxin.notifications.backends.SmsBackend",
    ).split(",")
    if b.strip()
]
# Outbound notices (lianxin.notifications.delivery): tries, backoff base, quiet hours (local),
# the kinds e-mail carries for someone who chose nothing (SMS is opt-in only), the site's
# address for links in mail.
LIANXIN_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("LIANXIN_NOTIFICATION_MAX_ATTEMPTS", "5"))
LIANXIN_NOTIFICATION_RETRY_SECONDS = float(
    os.environ.get("LIANXIN_NOTIFICATION_RETRY_SECONDS", "60")
)
LIANXIN_NOTIFICATION_QUIET_HOURS = os.environ.get("LIANXIN_NOTIFICATION_QUIET_HOURS", "22:00-07:00")
LIANXIN_NOTIFICATION_EMAIL_DEFAULT_KINDS = [
    k.strip()
    for k in os.environ.get("LIANXIN_NOTIFICATION_EMAIL_DEFAULT_KINDS", "").split(",")
    if k.strip()
]
LIANXIN_SITE_URL = os.environ.get("LIANXIN_SITE_URL", "")
# Local hours from which the staff digest (每日待办) and the day-before booking reminders go out.
LIANXIN_DIGEST_HOUR = int(os.environ.get("LIANXIN_DIGEST_HOUR", "8"))
LIANXIN_BOOKING_REMINDER_HOUR = int(os.environ.get("LIANXIN_BOOKING_REMINDER_HOUR", "9"))
# 短信通知: aliyun (阿里云 dysmsapi) | tencent (腾讯云 SMS) | none. Approved templates per notice
# kind as JSON ({"case_done": "SMS_123456"}); a kind without one is never sent by SMS.
LIANXIN_SMS_PROVIDER = os.environ.get("LIANXIN_SMS_PROVIDER", "none")
LIANXIN_SMS_TEMPLATES = json.loads(os.environ.get("LIANXIN_SMS_TEMPLATES", "{}") or "{}")
LIANXIN_SMS_SIGN_NAME = os.environ.get("LIANXIN_SMS_SIGN_NAME", "")
LIANXIN_SMS_ACCESS_KEY_ID = os.environ.get("LIANXIN_SMS_ACCESS_KEY_ID", "")
LIANXIN_SMS_ACCESS_KEY_SECRET = os.environ.get("LIANXIN_SMS_ACCESS_KEY_SECRET", "")
LIANXIN_SMS_SDK_APP_ID = os.environ.get("LIANXIN_SMS_SDK_APP_ID", "")  # Tencent SmsSdkAppId
LIANXIN_SMS_REGION = os.environ.get("LIANXIN_SMS_REGION", "ap-guangzhou")  # Tencent
LIANXIN_SMS_ENDPOINT = os.environ.get("LIANXIN_SMS_ENDPOINT", "")  # empty: the provider's own
LIANXIN_SMS_PROTOCOL = os.environ.get("LIANXIN_SMS_PROTOCOL", "https")
LIANXIN_SMS_TIMEOUT_SECONDS = float(os.environ.get("LIANXIN_SMS_TIMEOUT_SECONDS", "10"))
# django-anymail: DJANGO_EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend and its keys
# as JSON in LIANXIN_ANYMAIL ({"MAILGUN_API_KEY": "..."}).
ANYMAIL = json.loads(os.environ.get("LIANXIN_ANYMAIL", "{}") or "{}")
# Texts the self-registration code; the default only logs it (lianxin.accounts.sms).
LIANXIN_SMS_BACKEND = os.environ.get("LIANXIN_SMS_BACKEND", "lianxin.accounts.sms.LogSmsBackend")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "lianxin@localhost")

# Front-end assets come from pinned XStatic packages (no CDN): /static/bootstrap/css/...
# Leaflet.draw (grid boundaries) ships inside the pinned django-leaflet package; only its static
# files are used (the app is not installed).
import importlib.util  # noqa: E402

import xstatic.pkg.bootstrap  # noqa: E402
import xstatic.pkg.leaflet  # noqa: E402

_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
_LEAFLET_DRAW = (
    Path(_LEAFLET_SPEC.origin or "").parent / "static/leaflet/draw" if _LEAFLET_SPEC else None
)

STATICFILES_DIRS = [
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
if _LEAFLET_DRAW is not None:
    STATICFILES_DIRS.append(("leaflet-draw", str(_LEAFLET_DRAW)))
CSRF_FAILURE_VIEW = "lianxin.core.views.csrf_failure"

# 阵地: the county's goal for the service-area share of a centre (办公场所最小化、服务区域最大化).
LIANXIN_VENUE_SERVICE_SHARE_TARGET = float(
    os.environ.get("LIANXIN_VENUE_SERVICE_SHARE_TARGET", "0.70")
)
# Room bookings (venues.booking_limits): how far ahead residents and groups may book (a new
# room's default; each room's manager can change it), how far ahead venue staff may book for
# events, and how many open (future, not cancelled) bookings one person may hold at once.
LIANXIN_BOOKING_HORIZON_DAYS = int(os.environ.get("LIANXIN_BOOKING_HORIZON_DAYS", "60"))
LIANXIN_BOOKING_STAFF_HORIZON_DAYS = int(
    os.environ.get("LIANXIN_BOOKING_STAFF_HORIZON_DAYS", "366")
)
LIANXIN_BOOKING_MAX_OPEN_PER_PERSON = int(
    os.environ.get("LIANXIN_BOOKING_MAX_OPEN_PER_PERSON", "4")
)
LIANXIN_BOOKING_MAX_OPEN_PER_STAFF = int(os.environ.get("LIANXIN_BOOKING_MAX_OPEN_PER_STAFF", "30"))
