"""Settings read from the environment, with embedded defaults.

With no configuration at all the project runs on SQLite and the in-memory
channel layer, so `make run` needs nothing installed. `DATABASE_URL` and
`REDIS_URL` switch to PostgreSQL and Redis. `DJANGO_DEBUG=false` turns on the
hardened production mode that `manage.py check --deploy` accepts.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from project import devsecrets

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The mode this install was configured in, for what must never happen in production
# (load_demo refuses). Test runners switch DEBUG off for every test; this they leave alone.
PRODUCTION_MODE = not DEBUG


def secret(name: str) -> str:
    """From the environment; in debug mode without it, this install's own (project/devsecrets.py)."""
    value = os.environ.get(name, "").strip()
    if value or not DEBUG:
        return value
    return devsecrets.for_debug(BASE_DIR)[name]


SECRET_KEY = secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Public origin used in QR codes, e.g. https://minwon.example.go.kr. Without it
# the QR codes point at whatever host the staff member used to open the page.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "channels",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # django-ninja: the API's docs page and its static files (officer_console/api).
    "ninja",
    "forms_catalog",
    "intake",
    "officer_console",
    "pdfgen",
]

MIDDLEWARE = [
    # First: everything after it (the HTTPS redirect, the access log, the rate
    # limits) sees the client's address and scheme, never a forged one.
    "project.proxy.ForwardedHeadersMiddleware",
    # First: with DEBUG on, only this machine sees Django's debug pages.
    "project.debugpages.LoopbackDebugMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "project.nostore.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # On a counter tablet or lobby kiosk: one resident at a time (before the preferences, so a
    # new resident's large text applies to the page that starts them).
    "intake.kiosk.KioskMiddleware",
    # Language from the session (the resident's switch), not Accept-Language.
    "intake.preferences.PreferencesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "officer_console.console.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: answers a locked-out log-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "intake.preferences.context",
                "intake.kiosk.context",
                "officer_console.navigation.staff_nav",
            ],
        },
    },
]

ASGI_APPLICATION = "project.asgi.application"
WSGI_APPLICATION = None

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("DATABASE_POOL", True):
        # A new PostgreSQL connection per request cost ~20 ms of a ~30 ms
        # submit on a busy 2-core machine (bench/load.py). Each process keeps
        # a small pool instead; the health check replaces a connection that
        # died with the server (a restart, a failover) before a request gets it.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "4")),
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue
                # instead of deadlocking on a lock upgrade; WAL lets the server
                # and the worker read while the other writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so that the ASGI server and worker started
            # by the browser tests share the test database (tests/live.py
            # hands them its path). One per run: two runs in one checkout
            # must not delete each other's database.
            "TEST": {"NAME": str(BASE_DIR / f".pytest_db.{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# CHANNEL_LAYER picks the Redis layer: "pubsub" (default: Redis PUBLISH, the
# fastest fan-out, resync after a reconnect) or "core" (sorted sets, bounded
# per process). bench/layers.py measures both; docs/PRODUCTION.md explains.
CHANNEL_LAYER = os.environ.get("CHANNEL_LAYER", "pubsub").strip().lower()
# Redis PUBLISH channels ignore the database number, so deployments (or test
# runs) sharing one Redis keep apart only by prefix.
CHANNEL_LAYER_PREFIX = os.environ.get("CHANNEL_LAYER_PREFIX", "asgi")
# After Redis restarts, each connection left in a pool fails its first
# command ("Connection closed by server"): without one retry on a fresh
# connection, the first group_send or group_add after a restart is lost.
REDIS_LAYER_RETRY = Retry(NoBackoff(), 1)
# Both Redis layers, so that a test of one layer's behaviour can use it
# whichever CHANNEL_LAYER the run picked.
REDIS_CHANNEL_LAYERS = {
    "pubsub": {
        "BACKEND": "project.layers.ResyncingPubSubChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL, "retry": REDIS_LAYER_RETRY}], "prefix": CHANNEL_LAYER_PREFIX},
    },
    "core": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py 8 reads with a 5 s socket timeout by default, the same as
        # channels_redis' blocking BZPOPMIN: every idle consumer crashed
        # after 5 s (channels_redis#422). Wait longer than the pop, still
        # notice a dead connection.
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "retry": REDIS_LAYER_RETRY}],
            "prefix": CHANNEL_LAYER_PREFIX,
            "capacity": 1500,
            "expiry": 30,
        },
    },
}
if REDIS_URL:
    if CHANNEL_LAYER not in REDIS_CHANNEL_LAYERS:
        raise ImproperlyConfigured(f"CHANNEL_LAYER must be core or pubsub, not {CHANNEL_LAYER!r}.")
    CHANNEL_LAYERS = {"default": REDIS_CHANNEL_LAYERS[CHANNEL_LAYER]}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Cache (rate limits) -------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "project.cache.SharedPoolRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -----------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Daily periodic jobs (intake/jobs.py), Korea time; the day close runs at each office's closing.
JOB_TIMES = {
    "archive_bundle": os.environ.get("JOB_ARCHIVE_BUNDLE_AT", "01:00"),
    "retention_purge": os.environ.get("JOB_RETENTION_PURGE_AT", "03:00"),
    "pre_arrival_expire": os.environ.get("JOB_PRE_ARRIVAL_EXPIRE_AT", "02:30"),
    "access_log_purge": os.environ.get("JOB_ACCESS_LOG_PURGE_AT", "03:30"),
}
# Seconds between a worker's checks for due jobs.
JOBS_CHECK_SECONDS = float(os.environ.get("JOBS_CHECK_SECONDS", "30"))

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords
# an account is locked, wherever they came from (guessing spread over many
# addresses gains nothing), and so is an address, whichever accounts it tried
# (spraying one password over many accounts gains nothing), for
# LOGIN_LOCKOUT_MINUTES or until an administrator unlocks it (docs/PRODUCTION.md).
# A successful log-in clears that address's and account's count, so an office
# sharing one address is not locked by a morning of typos.
AUTHENTICATION_BACKENDS = [
    "officer_console.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "officer_console.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "officer_console.lockout.client_ip"
# The log names the account and address, so an administrator knows what to unlock.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# One-time passwords (officer import) stop working after this many days
# unless replaced; an administrator then sets a new one.
ONE_TIME_PASSWORD_DAYS = float(os.environ.get("ONE_TIME_PASSWORD_DAYS", "3"))

LOGIN_URL = "officer_console:login"
LOGIN_REDIRECT_URL = "officer_console:home"
LOGOUT_REDIRECT_URL = "officer_console:login"

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
# Where `collectstatic` puts the files nginx serves at /static/ (docs/nginx.conf:
# /srv/minwon/staticfiles/, the checkout's own folder in the documented layout).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "project" / "static"]
# Behind a proxy in production the proxy serves /static/; `make run` has no
# proxy, so the ASGI app serves static files itself when this is on.
SERVE_STATIC = env_bool("SERVE_STATIC", DEBUG)

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Archived PDFs are never served by URL: downloads go through a
# permission-checked, logged view. MEDIA_URL is deliberately unused.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Personal data encryption --------------------------------------------
# FIELD_ENCRYPTION_KEYS: comma-separated urlsafe-base64 32-byte keys, newest
# first. The first encrypts; all decrypt, which is what makes rotation work.
FIELD_ENCRYPTION_KEYS = [key.strip() for key in secret("FIELD_ENCRYPTION_KEYS").split(",") if key.strip()]
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is false.")

# --- Intake behaviour -----------------------------------------------------
# 개인정보의 안전성 확보조치 기준: access records are kept at least 2 years.
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "730"))
DRAFT_RETENTION_HOURS = int(os.environ.get("DRAFT_RETENTION_HOURS", "48"))
# Seconds a process keeps a form's published version before reading it again
# (intake.services.resolve_form); the process that publishes clears it at once.
FORM_CACHE_SECONDS = float(os.environ.get("FORM_CACHE_SECONDS", "10"))
# A console asks for a fresh snapshot this often (and when shown again), so an
# event lost while its socket stayed up is healed within this time.
CONSOLE_RESYNC_SECONDS = float(os.environ.get("CONSOLE_RESYNC_SECONDS", "60"))
# Counter tablets and lobby kiosks (intake/kiosk.py): idle seconds before "계속하시겠습니까?", the
# prompt's countdown before the resident is wiped, how long the ticket stays on screen, and the
# text size every resident starts with.
KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", "90"))
KIOSK_COUNTDOWN_SECONDS = int(os.environ.get("KIOSK_COUNTDOWN_SECONDS", "20"))
KIOSK_TICKET_SECONDS = int(os.environ.get("KIOSK_TICKET_SECONDS", "30"))
KIOSK_TEXT_SIZE = "large"

# Submissions allowed per window, "count/seconds": per resident browser and
# client address, and per counter.
RATE_LIMIT_CLIENT = os.environ.get("RATE_LIMIT_CLIENT", "10/600")
RATE_LIMIT_COUNTER = os.environ.get("RATE_LIMIT_COUNTER", "120/600")
# Higher than the per-browser limit: a whole office may share one address.
RATE_LIMIT_ADDRESS = os.environ.get("RATE_LIMIT_ADDRESS", "60/600")
# Uploaded files per window (each is decoded and re-encoded): per browser, per address.
RATE_LIMIT_UPLOAD_CLIENT = os.environ.get("RATE_LIMIT_UPLOAD_CLIENT", "30/600")
RATE_LIMIT_UPLOAD_ADDRESS = os.environ.get("RATE_LIMIT_UPLOAD_ADDRESS", "200/600")
# 도로명주소 검색 per window, per browser and per address: each search asks
# juso.go.kr, whose 승인키 has a daily quota an open endpoint could use up.
RATE_LIMIT_SEARCH_CLIENT = os.environ.get("RATE_LIMIT_SEARCH_CLIENT", "30/60")
RATE_LIMIT_SEARCH_ADDRESS = os.environ.get("RATE_LIMIT_SEARCH_ADDRESS", "600/60")
# 도로명주소 검색 on the resident's form (intake/address_search.py): "" (none: the
# address is typed), "juso" (행정안전부 검색 API; needs JUSO_API_KEY, the 승인키
# from business.juso.go.kr) or "local" (a small bundled list, for the demo).
ADDRESS_SEARCH = os.environ.get("ADDRESS_SEARCH", "")
JUSO_API_KEY = os.environ.get("JUSO_API_KEY", "")
JUSO_API_URL = os.environ.get("JUSO_API_URL", "")
# Resident alerts (queue stages, transfer, 보완 요청, completion): "log", "solapi" (SMS),
# "alimtalk" (KakaoTalk 알림톡, SMS when it fails) or "record" (tests); see intake/notify.py.
NOTIFY_BACKEND = os.environ.get("NOTIFY_BACKEND", "log")
SOLAPI_API_KEY = os.environ.get("SOLAPI_API_KEY", "")
SOLAPI_API_SECRET = os.environ.get("SOLAPI_API_SECRET", "")
SOLAPI_SENDER = os.environ.get("SOLAPI_SENDER", "")
SOLAPI_BASE_URL = os.environ.get("SOLAPI_BASE_URL", "")
# The office's KakaoTalk channel (pfId) and the 알림톡 template approved by Kakao for each alert
# (templateId, ALIMTALK_TEMPLATE_NEXT=… and so on); an alert with no template goes by SMS.
ALIMTALK_PF_ID = os.environ.get("ALIMTALK_PF_ID", "")
ALIMTALK_TEMPLATES = {
    kind: os.environ.get(f"ALIMTALK_TEMPLATE_{kind.upper()}", "")
    for kind in ("three_ahead", "next", "your_turn", "transfer", "transfer_officer", "correction", "completed")
}
PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/nanum")
# A render task RUNNING longer than this on another machine is taken as
# stranded by a dead worker and queued again (a render takes well under 1 s).
PDF_STALE_TASK_SECONDS = int(os.environ.get("PDF_STALE_TASK_SECONDS", "600"))

# --- Back-office API and webhooks (officer_console/api, docs/API.md) -------
# Requests per token per window, "count/seconds"; over it: 429 with Retry-After.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/60")
# A webhook receiver gets this long to answer one try; a failed try is sent again after
# WEBHOOK_RETRY_BASE_SECONDS × 2ⁿ, up to WEBHOOK_MAX_ATTEMPTS tries (30 s … 64 min: about 2 h).
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
# Webhooks go to HTTPS addresses only; this lets http://127.0.0.1 through (tests, a demo receiver).
WEBHOOK_ALLOW_HTTP_LOCALHOST = env_bool("WEBHOOK_ALLOW_HTTP_LOCALHOST", False)

# --- Security -------------------------------------------------------------
# No inline script or style anywhere (a stored XSS payload cannot run even if
# it escaped the templates). WebSockets are same-origin ('self').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Database sessions (a log-out ends a session everywhere at once), read
# without the ORM's per-request query building: project/sessions.py.
SESSION_ENGINE = "project.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Peers whose X-Forwarded-For / X-Real-IP / X-Forwarded-Proto are believed
# (addresses or CIDR ranges; project/proxy.py). Loopback: nginx on the same
# machine, as docs/PRODUCTION.md lays it out. A proxy on another machine must be
# listed; from any other peer those headers are dropped.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
if not DEBUG:
    # Honoured only from TRUSTED_PROXIES (project.proxy.ForwardedHeadersMiddleware).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Staff sessions on shared counter PCs end after a working day.
    SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(9 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Masks anything shaped like a 주민등록번호 or a mobile number, whatever logs it.
    "filters": {"personal_data": {"()": "intake.redaction.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO: a PDF worker would log little else.
        "weasyprint.progress": {"level": "WARNING"},
        # fontTools (WeasyPrint's subsetting fallback without libharfbuzz-subset0) logs every table at INFO.
        "fontTools": {"level": "WARNING"},
        # httpx logs every webhook delivery at INFO; the delivery log in the admin has them.
        "httpx": {"level": "WARNING"},
    },
}
