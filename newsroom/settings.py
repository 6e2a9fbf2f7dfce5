"""Settings for the newsroom CMS.

Every difference between environments is an environment variable; the
defaults make a fresh checkout run on an embedded SQLite file. The README
lists every variable.
"""

import copy
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from js_asset.js import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")
# The test runner gets the development defaults too; it never serves traffic.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "django_prose_editor",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command replaces the library's.
    "jobs",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "core",
    "pagecache",
    "articles",
    "images",
    "tags",
    "accounts",
    "comments",
    "newsletters",
    "live",
    "drafts",
    "demo",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id.
    "newsroom.logs.RequestIdMiddleware",
    # HTTPS redirect and HSTS for every answer, page-cache hits included.
    "django.middleware.security.SecurityMiddleware",
    # ETags and 304s for every page; a kept page brings its ETag with it.
    "django.middleware.http.ConditionalGetMiddleware",
    # Counts content API requests, cache hits included (api/throttle.py).
    "api.throttle.ApiRateLimitMiddleware",
    # A page-cache hit answers here with the headers the middlewares below
    # gave the page when it was built (CSP, Permissions-Policy, Vary, ...),
    # before the session, user and everything that only matters for a page
    # being built (pagecache/middleware.py).
    "pagecache.middleware.PageCacheMiddleware",
    "newsroom.security.CSPMiddleware",
    "newsroom.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # First to read the database (session, user): answers 503 while it is down.
    "newsroom.outage.DatabaseOutageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Anonymous page views read from the replica, if there is one.
    "newsroom.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pagecache.middleware.PublicCacheHeadersMiddleware",
    # Locks out repeated failed logins (after authentication has run).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# An unreachable PostgreSQL fails a request within seconds (a 503 page, see
# newsroom/outage.py) rather than holding a web worker.
DB_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3"))


def _add_connect_timeout(database: dict) -> None:
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)


_add_connect_timeout(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several web threads write at once (comments): readers never wait for
    # the writer (WAL), a writer waits its turn instead of failing at once
    # (timeout, seconds), and a transaction takes the write lock when it
    # begins (IMMEDIATE): one that read first and then wrote would be refused
    # "database is locked" without waiting.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("NEWSROOM_SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------

# Shared by every web process when REDIS_URL is set (pages, fragments, the
# trending strip, rate limits); a per-process memory cache otherwise. A Redis
# that is slow or gone is skipped for a cool-off (core/cache.py): pages are
# built without it, never an error.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": float(
                    os.environ.get("NEWSROOM_CACHE_CONNECT_TIMEOUT", "0.25")
                ),
                "socket_timeout": float(
                    os.environ.get("NEWSROOM_CACHE_READ_TIMEOUT", "0.5")
                ),
                "cooloff": float(os.environ.get("NEWSROOM_CACHE_COOLOFF_SECONDS", "5")),
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    )
}

# An optional read replica for anonymous readers' pages (newsroom/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    _add_connect_timeout(DATABASES["replica"])
elif TESTING:
    # A stand-in for the replica tests; nothing reads from it unless they
    # turn NEWSROOM_READ_REPLICA on.
    DATABASES["replica"] = copy.deepcopy(DATABASES["default"])
if "replica" in DATABASES:
    # Tests read the replica's rows from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_routers.PrimaryReplicaRouter"]
NEWSROOM_READ_REPLICA = bool(DATABASE_REPLICA_URL) and not TESTING
# Pages read from the replica are not kept in the page cache this soon after
# a change (the replica may not have it yet).
NEWSROOM_REPLICA_MAX_LAG_SECONDS = float(
    os.environ.get("NEWSROOM_REPLICA_MAX_LAG_SECONDS", "2")
)
# After sending a form, a browser reads from the primary for this long.
NEWSROOM_REPLICA_STICKY_SECONDS = int(
    os.environ.get("NEWSROOM_REPLICA_STICKY_SECONDS", "10")
)

# --- Background tasks ---------------------------------------------------------

# database: jobs wait in a table for `manage.py db_worker` (production's
# default); immediate: they run at once, inside the request (the default in
# development and under the test runner, so `make run` needs no worker).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
NEWSROOM_TASKS_BACKEND = os.environ.get(
    "NEWSROOM_TASKS_BACKEND", "immediate" if DEBUG or TESTING else "database"
)
if NEWSROOM_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, "
        f"not {NEWSROOM_TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[NEWSROOM_TASKS_BACKEND]}}
# A failed job runs again after 30 s, 2 min, 8 min, 32 min, then stays failed.
NEWSROOM_TASK_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_TASK_MAX_ATTEMPTS", "5"))
NEWSROOM_TASK_RETRY_SECONDS = int(os.environ.get("NEWSROOM_TASK_RETRY_SECONDS", "30"))
# A worker renews the lease on its job every third of this; a job whose lease
# has run out (its worker was killed) is taken over by another worker.
NEWSROOM_TASK_LEASE_SECONDS = float(
    os.environ.get("NEWSROOM_TASK_LEASE_SECONDS", "120")
)

# --- Authentication -----------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing with the production hasher makes every login in a test slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Language and time --------------------------------------------------------

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en-gb")
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/London")
# The site speaks one language: a browser asking for en-US gets the site's
# English (and its dates, "1 Dec 2026, 21:34"), not Django's American one.
LANGUAGES = [(LANGUAGE_CODE, LANGUAGE_CODE)]
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files ---------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only, without opting in: once debug is off every plain-HTTP request
# is redirected to HTTPS and browsers are told (HSTS) to use nothing else for a
# year, subdomains included. Behind a proxy that terminates TLS, set
# DJANGO_BEHIND_PROXY so its X-Forwarded-Proto counts; a proxy that already
# redirects or sends HSTS itself can turn ours off with
# DJANGO_SECURE_SSL_REDIRECT=0 and DJANGO_SECURE_HSTS_SECONDS=0.
_HTTPS_BY_DEFAULT = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _HTTPS_BY_DEFAULT)
# Load balancers probe over plain HTTP; a redirect would count as healthy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get(
        "DJANGO_SECURE_HSTS_SECONDS", "31536000" if _HTTPS_BY_DEFAULT else "0"
    )
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list binds every subdomain for months and
    # is hard to undo: the domain's owner opts in (DJANGO_SECURE_HSTS_PRELOAD),
    # so `check --deploy` need not ask for it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# No inline script or style without a nonce; nothing from other origins. The
# public pages need no nonce at all (cached pages can be shared), the admin's
# few inline blocks carry `request.csp_nonce`.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The body editor (Tiptap) injects one fixed <style> block of its base
        # CSS; it is allowed by its hash. A library update that changes it
        # shows up as a violation in the browser tests.
        "style-src": [
            SELF,
            NONCE,
            "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
        "report-uri": "/csp-report/",
    }
}

# Login protection (django-axes): after this many failures for one account or
# from one address, logins are refused for the cool-off time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the reader profile read with the user.
    "accounts.backends.AccountBackend",
    # Sessions opened before AccountBackend name this one; it is never asked
    # first for a login, and shares AccountBackend's permission cache.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("NEWSROOM_LOGIN_THROTTLE", not TESTING)
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
if env_bool("DJANGO_BEHIND_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor sign-in for staff (django-otp, TOTP apps); see the README.
NEWSROOM_STAFF_2FA = env_bool("NEWSROOM_STAFF_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("NEWSROOM_SITE_NAME", "Cupure")

# --- Logging ------------------------------------------------------------------

# One JSON object per line with the request id (newsroom/logs.py); secrets
# are redacted. DJANGO_LOG_FORMAT=text for plain lines in a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(request_id)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get(
                "DJANGO_LOG_FORMAT", "text" if DEBUG or TESTING else "json"
            ),
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Requests are logged once, by newsroom.logs, with their id.
        "django.server": {"level": "WARNING"},
        "newsroom.requests": {
            "level": os.environ.get("NEWSROOM_REQUEST_LOG_LEVEL", "INFO")
        },
    },
}

# --- Third-party apps ---------------------------------------------------------

TAGGIT_CASE_INSENSITIVE = True
DJANGO_PROSE_EDITOR_MENU_GROUPS = [
    {"group": "blockType -lists", "type": "dropdown", "minItems": 2},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "marks"},
    {"group": "leadIns", "type": "dropdown"},
    {"group": "link"},
    {"group": "history"},
    {"group": "utility"},
]
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        # link.js replaces the editor's Link with our wording and a
        # non-inclusive mark (the "Link" extension keeps its own sanitiser).
        "js": [
            static_lazy("articles/editor/lead-in.js"),
            static_lazy("articles/editor/link.js"),
        ],
        "extensions": {"LeadIn": "articles.richtext.process_lead_in"},
    },
]

# --- The newsroom -------------------------------------------------------------

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Cupure")
# The public address, for links in emails.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip(
    "/"
)
NEWSROOM_SITE_TAGLINE = os.environ.get(
    "NEWSROOM_SITE_TAGLINE", "News in brief, told straight."
)
# The pre-publish checklist (articles/checklist.py): the body's word budget,
# and the checks that refuse publishing instead of warning (comma list of
# names: headline_length, dek_present, lead_in, word_budget, hero_image, tags,
# links, go_deeper, source).
NEWSROOM_WORD_BUDGET = int(os.environ.get("NEWSROOM_WORD_BUDGET", "300"))
NEWSROOM_PUBLISH_BLOCKING_CHECKS = [
    name.strip()
    for name in os.environ.get("NEWSROOM_PUBLISH_BLOCKING_CHECKS", "").split(",")
    if name.strip()
]
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "20"))
NEWSROOM_TOP_STORIES = int(os.environ.get("NEWSROOM_TOP_STORIES", "4"))
NEWSROOM_LATEST_PER_SECTION = int(os.environ.get("NEWSROOM_LATEST_PER_SECTION", "3"))
NEWSROOM_SIMILAR_STORIES = int(os.environ.get("NEWSROOM_SIMILAR_STORIES", "5"))
NEWSROOM_TRENDING_TAGS = int(os.environ.get("NEWSROOM_TRENDING_TAGS", "10"))
NEWSROOM_TRENDING_DAYS = int(os.environ.get("NEWSROOM_TRENDING_DAYS", "7"))
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", 20_000_000))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000))
# Animations: at most this many frames, and width × height × frames within
# NEWSROOM_IMAGE_MAX_PIXELS.
NEWSROOM_IMAGE_MAX_FRAMES = int(os.environ.get("NEWSROOM_IMAGE_MAX_FRAMES", "200"))
# Only for bench/run.py: a fixed page to compare every other page with.
NEWSROOM_BENCH_CEILING = env_bool("NEWSROOM_BENCH_CEILING", False)
# HTTP caching for a CDN in front (seconds).
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "60"))
NEWSROOM_CACHE_STALE_SECONDS = int(
    os.environ.get("NEWSROOM_CACHE_STALE_SECONDS", "300")
)
# The shared page cache (pagecache/store.py) and the CDN purge hook
# (pagecache/purge.py, pagecache/tasks.py).
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
NEWSROOM_PURGE_BACKEND = os.environ.get("NEWSROOM_PURGE_BACKEND", "")
NEWSROOM_PURGE_URL = os.environ.get("NEWSROOM_PURGE_URL", "")
NEWSROOM_PURGE_TOKEN = os.environ.get("NEWSROOM_PURGE_TOKEN", "")
NEWSROOM_PURGE_MAX_PATHS = int(os.environ.get("NEWSROOM_PURGE_MAX_PATHS", "500"))
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", "48"))
NEWSROOM_PRESENCE_MINUTES = int(os.environ.get("NEWSROOM_PRESENCE_MINUTES", "5"))
NEWSROOM_TRENDING_CACHE_SECONDS = int(
    os.environ.get("NEWSROOM_TRENDING_CACHE_SECONDS", "300")
)

# --- Comments and reader accounts ---------------------------------------------

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "articles:headlines"
LOGOUT_REDIRECT_URL = "articles:headlines"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "news@cupure.example")
# Sending goes through Django's email API, so any provider works: SMTP by
# default (the DJANGO_EMAIL_* variables), or an API provider through
# django-anymail by setting NEWSROOM_EMAIL_PROVIDER (mailgun, postmark,
# sendgrid, amazon_ses, brevo, resend, …: a module of anymail.backends). Every
# ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"]: ANYMAIL_MAILGUN_API_KEY,
# ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET (the user:password
# the provider's event webhook, /newsletters/provider/<provider>/tracking/,
# must send), … (https://anymail.dev/en/stable/esps/).
NEWSROOM_EMAIL_PROVIDER = os.environ.get("NEWSROOM_EMAIL_PROVIDER", "").strip()
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
if NEWSROOM_EMAIL_PROVIDER:
    if not NEWSROOM_EMAIL_PROVIDER.isidentifier():
        raise ImproperlyConfigured(
            f"NEWSROOM_EMAIL_PROVIDER={NEWSROOM_EMAIL_PROVIDER!r} is not a provider "
            "name such as mailgun, postmark, sendgrid or amazon_ses."
        )
    _EMAIL_BACKEND_DEFAULT = f"anymail.backends.{NEWSROOM_EMAIL_PROVIDER}.EmailBackend"
elif os.environ.get("DJANGO_EMAIL_HOST"):
    _EMAIL_BACKEND_DEFAULT = "django.core.mail.backends.smtp.EmailBackend"
else:
    _EMAIL_BACKEND_DEFAULT = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", _EMAIL_BACKEND_DEFAULT)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
# Implicit TLS (port 465) or STARTTLS (587): one of them, never both.
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "Set DJANGO_EMAIL_USE_SSL (port 465) or DJANGO_EMAIL_USE_TLS (587), not both."
    )
# Seconds before a silent SMTP server counts as down (the batch is retried).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30")) or None

# --- Newsletters ---------------------------------------------------------------------
# How long a sign-up's confirmation link works.
NEWSROOM_NEWSLETTER_CONFIRM_HOURS = int(
    os.environ.get("NEWSROOM_NEWSLETTER_CONFIRM_HOURS", "48")
)
# Shared with the mail provider, which signs its bounce and complaint events
# with it; unset, every event is refused.
NEWSROOM_NEWSLETTER_WEBHOOK_SECRET = os.environ.get(
    "NEWSROOM_NEWSLETTER_WEBHOOK_SECRET", ""
)
# The mailto: of the List-Unsubscribe header.
NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL = os.environ.get(
    "NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL",
    "unsubscribe@" + DEFAULT_FROM_EMAIL.rpartition("@")[2],
)
NEWSROOM_NEWSLETTER_SUBSCRIBE_RATE_PER_IP = int(
    os.environ.get("NEWSROOM_NEWSLETTER_SUBSCRIBE_RATE_PER_IP", "10")
)
# Deliveries one sending job sends (one SMTP connection each), and the most
# messages a second a job sends (0: as fast as the provider takes them).
NEWSROOM_NEWSLETTER_BATCH_SIZE = int(
    os.environ.get("NEWSROOM_NEWSLETTER_BATCH_SIZE", "200")
)
NEWSROOM_NEWSLETTER_RATE = float(os.environ.get("NEWSROOM_NEWSLETTER_RATE", "0"))

# open | premoderated | closed, unless a story says otherwise.
NEWSROOM_COMMENTS_MODE = os.environ.get("NEWSROOM_COMMENTS_MODE", "open")
NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = int(
    os.environ.get("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", "0")
)
NEWSROOM_COMMENT_MAX_LENGTH = int(os.environ.get("NEWSROOM_COMMENT_MAX_LENGTH", "3000"))
NEWSROOM_COMMENT_MAX_DEPTH = int(os.environ.get("NEWSROOM_COMMENT_MAX_DEPTH", "3"))
NEWSROOM_COMMENTS_PER_PAGE = int(os.environ.get("NEWSROOM_COMMENTS_PER_PAGE", "20"))
NEWSROOM_COMMENT_EDIT_MINUTES = int(
    os.environ.get("NEWSROOM_COMMENT_EDIT_MINUTES", "15")
)
NEWSROOM_COMMENT_MAX_LINKS = int(os.environ.get("NEWSROOM_COMMENT_MAX_LINKS", "2"))
NEWSROOM_COMMENT_REPORTS_TO_HIDE = int(
    os.environ.get("NEWSROOM_COMMENT_REPORTS_TO_HIDE", "3")
)
NEWSROOM_COMMENT_TRUSTED_AFTER = int(
    os.environ.get("NEWSROOM_COMMENT_TRUSTED_AFTER", "5")
)
NEWSROOM_COMMENT_RATE_PER_ACCOUNT = int(
    os.environ.get("NEWSROOM_COMMENT_RATE_PER_ACCOUNT", "5")
)
NEWSROOM_COMMENT_RATE_PER_IP = int(os.environ.get("NEWSROOM_COMMENT_RATE_PER_IP", "20"))
NEWSROOM_COMMENT_RATE_WINDOW_SECONDS = int(
    os.environ.get("NEWSROOM_COMMENT_RATE_WINDOW_SECONDS", "60")
)
NEWSROOM_COMMENT_IP_RETENTION_DAYS = int(
    os.environ.get("NEWSROOM_COMMENT_IP_RETENTION_DAYS", "90")
)

# --- Live coverage (live/) -----------------------------------------------------
# Entries on a live story's page before "Show older".
NEWSROOM_LIVE_PAGE_SIZE = int(os.environ.get("NEWSROOM_LIVE_PAGE_SIZE", "20"))
# How often the reader's page asks for new entries, in seconds.
NEWSROOM_LIVE_POLL_SECONDS = int(os.environ.get("NEWSROOM_LIVE_POLL_SECONDS", "15"))

# --- Content API (api/) ---------------------------------------------------------
NEWSROOM_API_RATE_PER_IP = int(os.environ.get("NEWSROOM_API_RATE_PER_IP", "300"))
# Requests per staff API token in the same window (api/staff.py).
NEWSROOM_API_RATE_PER_TOKEN = int(os.environ.get("NEWSROOM_API_RATE_PER_TOKEN", "120"))
NEWSROOM_API_RATE_WINDOW_SECONDS = int(
    os.environ.get("NEWSROOM_API_RATE_WINDOW_SECONDS", "60")
)

# --- Autosave (drafts/) ---------------------------------------------------------
NEWSROOM_AUTOSAVE_MAX_BYTES = int(
    os.environ.get("NEWSROOM_AUTOSAVE_MAX_BYTES", "500000")
)
NEWSROOM_AUTOSAVE_KEEP_DAYS = int(os.environ.get("NEWSROOM_AUTOSAVE_KEEP_DAYS", "30"))

# --- Webhooks (webhooks/) -------------------------------------------------------
# http:// endpoints (unencrypted): development and tests only.
NEWSROOM_WEBHOOKS_ALLOW_HTTP = env_bool(
    "NEWSROOM_WEBHOOKS_ALLOW_HTTP", DEBUG or TESTING
)
# host:port pairs that may resolve to private addresses (a local receiver).
NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = env_list(
    "NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS", []
)
# Waits before each retry, in seconds: 1 min, 5 min, 30 min, 2 h, 12 h.
NEWSROOM_WEBHOOKS_RETRY_SECONDS = [
    int(seconds)
    for seconds in env_list(
        "NEWSROOM_WEBHOOKS_RETRY_SECONDS", ["60", "300", "1800", "7200", "43200"]
    )
]
# Failed attempts in a row after which an endpoint is switched off.
NEWSROOM_WEBHOOKS_DISABLE_AFTER = int(
    os.environ.get("NEWSROOM_WEBHOOKS_DISABLE_AFTER", "10")
)
NEWSROOM_WEBHOOKS_CONNECT_TIMEOUT_SECONDS = float(
    os.environ.get("NEWSROOM_WEBHOOKS_CONNECT_TIMEOUT_SECONDS", "3")
)
# The whole request, redirects included.
NEWSROOM_WEBHOOKS_TIMEOUT_SECONDS = float(
    os.environ.get("NEWSROOM_WEBHOOKS_TIMEOUT_SECONDS", "5")
)
# A CA bundle file for receivers' certificates (a private CA); empty: the
# usual public CAs.
NEWSROOM_WEBHOOKS_CA_BUNDLE = os.environ.get("NEWSROOM_WEBHOOKS_CA_BUNDLE", "")
NEWSROOM_WEBHOOKS_MAX_BODY_BYTES = int(
    os.environ.get("NEWSROOM_WEBHOOKS_MAX_BODY_BYTES", "65536")
)
