"""The one settings module. Every value that differs between machines comes from the environment.

Defaults are the embedded, zero-configuration set-up (SQLite and kombu's filesystem broker under
``var/``); production differs only by environment variables, listed in ``.env.example`` and the
README's settings table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from clinic_portal.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_decimal,
    env_hour_minute,
    env_int,
    env_list,
    env_month_day,
    env_str,
    env_time_zone,
    env_url,
    parse_email_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CLINIC_VAR_DIR", str(BASE_DIR / "var"))).resolve()

# --- Core -----------------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [SITE_URL])

# --- The clinic -----------------------------------------------------------------------------------
CLINIC_NAME = env_str("CLINIC_NAME", "Riverside Rheumatology")
CLINIC_PHONE = env_str("CLINIC_PHONE", "+44 20 7946 0000")
CLINIC_TIME_ZONE = env_time_zone("CLINIC_TIME_ZONE", "Europe/London")
CLINIC_SCREENING_POLICY = env_choice("CLINIC_SCREENING_POLICY", "strict", ("strict", "us_label"))
CLINIC_SCREENING_VALID_DAYS = env_int("CLINIC_SCREENING_VALID_DAYS", 30, minimum=1, maximum=365)
CLINIC_FLU_SEASON_START = env_month_day("CLINIC_FLU_SEASON_START", "10-01")
# A flu vaccine counts for a season's check from this day of the year (the season's first
# vaccination day); one given earlier belongs to the season before.
CLINIC_FLU_VACCINE_FROM = env_month_day("CLINIC_FLU_VACCINE_FROM", "08-01")
CLINIC_FOLLOWUP_DUE_WINDOW_DAYS = env_int("CLINIC_FOLLOWUP_DUE_WINDOW_DAYS", 7, minimum=0)
CLINIC_FOLLOWUP_GRACE_DAYS = env_int("CLINIC_FOLLOWUP_GRACE_DAYS", 7, minimum=0)
CLINIC_DAILY_RUN_AT = env_hour_minute("CLINIC_DAILY_RUN_AT", "06:30")
CLINIC_INVITATION_DAYS = env_int("CLINIC_INVITATION_DAYS", 7, minimum=1, maximum=60)
CLINIC_CONCERNS_PER_HOUR = env_int("CLINIC_CONCERNS_PER_HOUR", 5, minimum=1)
# A reported fever is urgent from this measured temperature (°C) up; unmeasured stays urgent.
CLINIC_FEVER_THRESHOLD_C = env_decimal(
    "CLINIC_FEVER_THRESHOLD_C", "38.0", minimum="37.0", maximum="40.0"
)
# The first response review after the start, then how often it repeats (treatment/).
CLINIC_RESPONSE_REVIEW_WEEKS = env_int("CLINIC_RESPONSE_REVIEW_WEEKS", 12, minimum=4, maximum=52)
CLINIC_RESPONSE_REVIEW_EVERY_MONTHS = env_int(
    "CLINIC_RESPONSE_REVIEW_EVERY_MONTHS", 6, minimum=1, maximum=24
)
# Tests and demos move the clinic's calendar with this instead of editing rows. Never set it live.
CLINIC_TODAY_OVERRIDE = env_str("CLINIC_TODAY_OVERRIDE") or None

# --- Lab results in, FHIR out (interop/) ---------------------------------------------------------
# PID-3 repetitions from this assigning authority (CX-4) carry our record number.
HL7_ASSIGNING_AUTHORITY = env_str("HL7_ASSIGNING_AUTHORITY", "RIVERSIDE")
HL7_MAX_MESSAGE_BYTES = env_int("HL7_MAX_MESSAGE_BYTES", 1024 * 1024, minimum=4096)
HL7_READ_TIMEOUT_SECONDS = env_int("HL7_READ_TIMEOUT_SECONDS", 30, minimum=1)
# The audit log is kept this long in the live database; older monthly partitions are due to be
# detached and archived (docs/performance.md, "The audit log at 50 million rows").
CLINIC_AUDIT_RETENTION_YEARS = env_int("CLINIC_AUDIT_RETENTION_YEARS", 8, minimum=1)
# Monthly audit partitions the housekeeping task keeps created ahead of today.
CLINIC_AUDIT_MONTHS_AHEAD = env_int("CLINIC_AUDIT_MONTHS_AHEAD", 3, minimum=1, maximum=24)
# A patient search lists at most this many matches (family names starting with the longest word
# first, then other matches); more words narrow it.
CLINIC_SEARCH_MAX_MATCHES = env_int("CLINIC_SEARCH_MAX_MATCHES", 200, minimum=25)
FHIR_PAGE_SIZE = env_int("FHIR_PAGE_SIZE", 50, minimum=1, maximum=500)
# Key for the keyed hash that replaces patient ids in a pseudonymised export.
FHIR_PSEUDONYM_KEY = env_str("FHIR_PSEUDONYM_KEY")

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clinic_portal.accounts",
    "clinic_portal.audit",
    "clinic_portal.core",
    "patients",
    "screening",
    "education",
    "followups",
    "portal",
    "treatment",
    "clinic_portal.notifications",
    "interop",
    # The composition layer, above every domain app: pages that gather several of them.
    "care",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before anything that renders: the browser's Accept-Language or the
    # switcher's cookie picks the language of a visitor who has not logged in.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a query string or a form: NUL characters removed in one place.
    "clinic_portal.core.null_bytes.StripNullBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the user with the session's authenticator in one query: before
    # anything asks who the user is.
    "clinic_portal.accounts.signed_in.OTPMiddleware",
    # Once the user is known, their saved language (a patient's preference) overrides the browser.
    "clinic_portal.accounts.language.UserLanguageMiddleware",
    "clinic_portal.accounts.no_store.NoStoreForSignedInMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clinic_portal.accounts.session_timeout.SessionTimeoutMiddleware",
    "clinic_portal.accounts.mfa_middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clinic_portal.audit.middleware.RequestContextMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_portal.urls"
WSGI_APPLICATION = "clinic_portal.wsgi.application"
ASGI_APPLICATION = "clinic_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                # LANGUAGES with each language's own name, for the footer's switcher.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic_portal.core.context_processors.clinic",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clinic_portal.sqlite3'}"),
        # Web processes and Celery workers keep a connection for a while and check it before
        # reuse: each task is treated as a request (clinic_portal/celery.py), so a worker does not
        # pay a new PostgreSQL backend (about 5 ms, and a cold catalogue cache) for every task.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite: wait for a writer instead of failing at once, and let readers run beside it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Behind PgBouncer in transaction mode a session's server-side cursor may land on another
# server connection; .iterator() then reads client-side (docs/performance.md, "Across machines").
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_PGBOUNCER", False)
DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
# Rendered fragments that are the same for everyone who sees them (a role's navigation links, a
# published education page's text, keyed by its version). Redis when CLINIC_CACHE_URL is set, so
# every web process shares one copy; otherwise each process keeps its own in memory. Nothing in
# the cache is needed for correctness: it may be flushed at any time.
CLINIC_CACHE_URL = env_str("CLINIC_CACHE_URL")
if CLINIC_CACHE_URL:
    env_url("CLINIC_CACHE_URL", "", schemes=("redis", "rediss"))
    CACHES = {
        "default": {
            "BACKEND": "clinic_portal.core.cache.RedisCache",
            "LOCATION": CLINIC_CACHE_URL,
            "KEY_PREFIX": "clinic_portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in PostgreSQL. With the shared Redis cache each is also kept there, and pages
# read it from Redis instead of querying PostgreSQL (writes go to both). Never in one process's
# memory: a log-out or an ended session must end it in every process at once.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CLINIC_CACHE_URL
    else "django.contrib.sessions.backends.db"
)

# --- Accounts and authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("CLINIC_PASSWORD_RESET_HOURS", 2, minimum=1) * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# No composition rules (NIST SP 800-63B): length and a common-password check do the work.
CLINIC_SESSION_MAX_HOURS = env_int("CLINIC_SESSION_MAX_HOURS", 12, minimum=1)
CLINIC_IDLE_MINUTES_STAFF = env_int("CLINIC_IDLE_MINUTES_STAFF", 15, minimum=1)
CLINIC_IDLE_MINUTES_PATIENT = env_int("CLINIC_IDLE_MINUTES_PATIENT", 30, minimum=1)
SESSION_COOKIE_AGE = CLINIC_SESSION_MAX_HOURS * 3600
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, taking the user the OTP middleware read with the device.
    "clinic_portal.accounts.signed_in.ModelBackend",
]
# Lockout: 5 failures for one email address from one IP address pause it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("CLINIC_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("CLINIC_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clinic_portal.accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# Trimmed and lower-cased exactly as the login looks the user up, so changing case escapes nothing.
AXES_USERNAME_CALLABLE = "clinic_portal.accounts.models.lockout_username"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "clinic_portal.client_ip.client_ip_for_axes"
OTP_TOTP_ISSUER = CLINIC_NAME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# The languages the portal is written in. A browser asking for en-US or fr-CA gets en-gb or fr.
LANGUAGES = [
    ("en-gb", "English"),
    ("fr", "Français"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats per language ("7 Dec 2026", "7 déc. 2026", "7 dic 2026").
FORMAT_MODULE_PATH = "clinic_portal.formats"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = CLINIC_TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap comes from the npm registry at set-up time (make install); nothing is vendored in git.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email (Django 6.1 MAILERS) -------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", "console:" if DEBUG else "smtp://localhost:25?tls=false")
MAILERS = {"default": parse_email_url("EMAIL_URL", EMAIL_URL)}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{CLINIC_NAME} <no-reply@clinic.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers -----------------------------------------------------------------------------
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HTTPS)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours stand in front of the app. The client's address is read from
# X-Forwarded-For that many hops from the right (clinic_portal/client_ip.py); 0 trusts only the
# socket. Axes, the audit log and rate limits all use that one answer.
CLINIC_TRUSTED_PROXIES = env_int(
    "CLINIC_TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0, minimum=0, maximum=10
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# An outbox claim older than this belongs to a worker that died mid-send and is taken over.
CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int(
    "CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS", CELERY_TASK_TIME_LIMIT + 60, minimum=1
)
# How often the beat re-publishes pending outbox rows that no worker picked up (and how long a
# new row may wait before it counts as not picked up).
CLINIC_OUTBOX_REQUEUE_SECONDS = env_int(
    "CLINIC_OUTBOX_REQUEUE_SECONDS", 60, minimum=1, maximum=3600
)
# How many outbox rows one send task takes (one claim, one SMTP connection). Small enough that a
# worker killed mid-batch strands few rows until the claim timeout and that two workers share a
# morning's reminders evenly; at or under the relay's messages-per-connection limit (Exchange
# accepts 20 by default). docs/performance.md, "Outbox throughput", has the figures.
CLINIC_OUTBOX_BATCH_SIZE = env_int("CLINIC_OUTBOX_BATCH_SIZE", 20, minimum=1, maximum=500)
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL", "filesystem://", schemes=("filesystem", "redis", "rediss", "memory")
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder for both directions so that the worker reads what the web process writes.
    # kombu does not create its folders; the embedded set-up must work on a fresh clone.
    (VAR_DIR / "broker" / "queue").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "broker" / "processed").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "broker" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Without this kombu writes its broadcast (pidbox) folder into the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Matches the outbox claim timeout: a message whose worker was killed comes back at about
        # the time its claim may be taken over. It stays longer than the longest task (the hard
        # time limit), so Redis does not hand a running task to a second worker.
        "visibility_timeout": CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it ran, and re-queued if its worker dies, so that a crash
# loses nothing. Tasks are written to be idempotent, which makes re-delivery safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process: long tasks do not hold short ones hostage. The
# hand-off between messages costs a few milliseconds, paid once per outbox batch, not per email.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes the database connection around every task unless this is set;
# then it closes it only every this many tasks, and Django's own CONN_MAX_AGE and health checks
# (run around each task in clinic_portal/celery.py) decide when a connection is replaced.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# What a task prints (the console mailer in development) is output, not a warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = CLINIC_TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat keeps its schedule here whatever the database and broker are, so the folder must exist
# on a fresh clone run with PostgreSQL and Redis too (SQLite and the filesystem broker make it).
VAR_DIR.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
_daily_hour, _daily_minute = CLINIC_DAILY_RUN_AT
CELERY_BEAT_SCHEDULE = {
    "housekeeping": {
        "task": "clinic_portal.core.tasks.run_housekeeping",
        "schedule": crontab(hour=3, minute=15),
    },
    # The outbox pump: pending emails whose message was lost (broker down) and claims of dead
    # workers are published again, so an urgent email leaves within about a minute.
    "outbox-requeue": {
        "task": "notifications.requeue_due",
        "schedule": float(CLINIC_OUTBOX_REQUEUE_SECONDS),
    },
    "daily-followups": {
        "task": "followups.run_daily_followups",
        "schedule": crontab(hour=_daily_hour, minute=_daily_minute),
    },
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The filesystem broker has no host by design; kombu warns about it on every connection.
    "loggers": {"kombu.connection": {"level": "ERROR"}}
    if CELERY_BROKER_URL.startswith("filesystem:")
    else {},
}
