"""Django settings for Partnerboard.

Every value that differs between a laptop and a deployment comes from an
environment variable read through the helpers in ``partnerboard.env``. The
defaults let a fresh checkout run with SQLite under ``./var``.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from partnerboard.env import env_bool, env_int, env_list, env_str
from partnerboard.notifications.email_config import email_settings, env_email_address

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("PARTNERBOARD_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_secret_key() -> str:
    """Return SECRET_KEY, or one generated on first start and kept in the data directory."""
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "partnerboard.accounts",
    "partnerboard.partners",
    "partnerboard.projects",
    "partnerboard.notifications",
    "partnerboard.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partnerboard.accounts.middleware.ViewerTimeZoneMiddleware",
]

ROOT_URLCONF = "partnerboard.urls"
WSGI_APPLICATION = "partnerboard.wsgi.application"

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
                "partnerboard.accounts.context_processors.current_team",
            ],
        },
    },
]


def database_settings(url: str) -> dict:
    """Return the default database from DATABASE_URL, tuned for several processes on SQLite."""
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not supported; use sqlite:///PATH or postgres://USER@HOST/NAME."
        )
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock
        # when a transaction starts, so two concurrent moves queue on the busy
        # timeout instead of one failing with "database is locked" when it
        # upgrades a read lock half-way through. Connections stay open between
        # requests (DATABASE_CONN_MAX_AGE), because opening one and registering
        # Django's SQL functions on it took 1.3 ms per request on the machine in
        # docs/benchmarks.md.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {
    "default": database_settings(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'partnerboard.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache in the database, so that the sign-in and password-reset rate limits
# are counted once for all web processes instead of once per gunicorn worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "partnerboard_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "partnerboard.accounts.forms.TeamSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partnerboard] "
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)


def proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """Parse SECURE_PROXY_SSL_HEADER, written as HEADER,VALUE (e.g. HTTP_X_FORWARDED_PROTO,https)."""
    if not raw.strip():
        return None
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 2 or not all(parts) or not parts[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={raw!r} is not valid; use HEADER,VALUE such as HTTP_X_FORWARDED_PROTO,https."
        )
    return parts[0], parts[1]


# Set only behind a proxy that always sets this header; otherwise a client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", ""))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# Email: EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://, console://) or the EMAIL_HOST family of
# variables; with neither, emails are printed by the console backend (see docs/email.md).
EMAIL = email_settings()
EMAIL_BACKEND = EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = EMAIL["EMAIL_TIMEOUT"]
del EMAIL
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partnerboard <partnerboard@localhost>")
# The address partner emails come from; the sending team's name becomes its display name.
PARTNERBOARD_FROM_EMAIL = env_email_address("PARTNERBOARD_FROM_EMAIL", "partnerboard@localhost")
# Seconds after a change during which its email can still be undone.
NOTIFICATION_UNDO_SECONDS = env_int("NOTIFICATION_UNDO_SECONDS", 60)
# Delivery attempts for temporary SMTP failures before a notification is marked failed.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6, minimum=1)
# First retry delay in seconds; each later retry waits twice as long as the one before.
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 60, minimum=1)
# Seconds a worker owns a notification it is sending; after that another worker may take it over.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300, minimum=2)
# Seconds between the worker's checks for due notifications whose delivery task was lost.
NOTIFICATION_SWEEP_SECONDS = env_int("NOTIFICATION_SWEEP_SECONDS", 60, minimum=1)
# Partner emails one team may send per hour; 0 means no limit.
PARTNERBOARD_TEAM_EMAILS_PER_HOUR = env_int("PARTNERBOARD_TEAM_EMAILS_PER_HOUR", 300)
if EMAIL_TIMEOUT >= NOTIFICATION_LEASE_SECONDS:
    raise ImproperlyConfigured(
        f"EMAIL_TIMEOUT={EMAIL_TIMEOUT} must be below NOTIFICATION_LEASE_SECONDS={NOTIFICATION_LEASE_SECONDS}, "
        "or a second worker could take over an email that is still being sent."
    )

# The site's public address, for links in emails sent by the worker (no request to take it from).
PARTNERBOARD_BASE_URL = env_str("PARTNERBOARD_BASE_URL", "http://127.0.0.1:8000")
# Invitation limits (member invitations and partner connection requests alike).
INVITATIONS_PER_TEAM_PER_HOUR = env_int("INVITATIONS_PER_TEAM_PER_HOUR", 20, minimum=1)
INVITATIONS_PER_ADDRESS_PER_DAY = env_int("INVITATIONS_PER_ADDRESS_PER_DAY", 3, minimum=1)

# The first cards of each column rendered with the board; the rest load as the column scrolls.
# Rendering the cards is most of the board's time (docs/benchmarks.md), so the
# default fills a tall screen's columns and no more.
BOARD_COLUMN_PAGE_SIZE = env_int("BOARD_COLUMN_PAGE_SIZE", 12, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
