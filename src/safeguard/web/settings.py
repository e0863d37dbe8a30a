"""Django settings. SQLite by default (WAL, foreign keys on), PostgreSQL when DATABASE_URL is set.

Environment: SAFEGUARD_DATA_DIR (database, key file; default ~/.safeguard), DATABASE_URL,
SAFEGUARD_KEY (base64 AES key, else a key file in the data dir), SAFEGUARD_SECRET_KEY (else a file),
SAFEGUARD_DEBUG=1, SAFEGUARD_RETENTION_DAYS (closed cases purged after; default 365),
SAFEGUARD_IDLE_MINUTES (default 30), SAFEGUARD_ALLOWED_HOSTS (comma list), SAFEGUARD_INSECURE_COOKIES=1
(only to serve plain HTTP on another address than 127.0.0.1/localhost, where browsers drop Secure cookies),
SAFEGUARD_REQUIRE_TOTP_FOR (comma list of roles, e.g. "admin,attorney", who must use two-step login;
default empty: optional for everyone)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFEGUARD_DATA_DIR", Path.home() / ".safeguard")).expanduser()


def _secret_key() -> str:
    if os.environ.get("SAFEGUARD_SECRET_KEY"):
        return os.environ["SAFEGUARD_SECRET_KEY"]
    path = DATA_DIR / "django-secret.txt"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
            return path.read_text().strip()
        except OSError:
            return secrets.token_urlsafe(50)  # read-only place: a per-process key (sessions end with it)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SAFEGUARD_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "ninja",  # its docs page then uses its own bundled Swagger UI files, never a CDN
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "safeguard.web.app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the code step
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "safeguard.web.api_v1.middleware.LawVersionHeader",
    "safeguard.web.app.two_step.SecondStepGate",  # the code step (and enrolment where required) before any page
]

ROOT_URLCONF = "safeguard.web.urls"
WSGI_APPLICATION = "safeguard.web.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        return {"default": dj_database_url.parse(url, conn_max_age=60)}
    return {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "safeguard.sqlite3",
        # WAL and foreign keys are set on every connection (app/apps.py); IMMEDIATE avoids lock upgrades.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"},
    }}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]  # a wrong TOTP code is masked in axes' records

# Two-step login (django-otp, TOTP devices): a user with a confirmed device gives a code after the password;
# the roles listed here (screener, attorney, admin; a superuser counts as admin) must have a device.
SAFEGUARD_REQUIRE_TOTP_FOR = tuple(
    r.strip().lower() for r in os.environ.get("SAFEGUARD_REQUIRE_TOTP_FOR", "").split(",") if r.strip())
OTP_TOTP_ISSUER = "safeguard"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases"
LOGOUT_REDIRECT_URL = "login"

# Cookies: Secure (browsers accept them on http://127.0.0.1 and localhost), HttpOnly, SameSite=Lax;
# idle timeout: the session expires after SAFEGUARD_IDLE_MINUTES without a request.
SESSION_COOKIE_SECURE = os.environ.get("SAFEGUARD_INSECURE_COOKIES") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SAFEGUARD_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
    "form-action": ["'self'"], "frame-ancestors": ["'none'"], "base-uri": ["'none'"], "object-src": ["'none'"],
}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package too (tests, a first run before collectstatic)

SAFEGUARD_RETENTION_DAYS = int(os.environ.get("SAFEGUARD_RETENTION_DAYS", "365"))
SAFEGUARD_KEY_FILE = DATA_DIR / "case-key.bin"

# The API's batch jobs (app/jobs.py): django-q2 with this database as its broker, so the embedded default
# needs no other server (`safeguard worker`, or `safeguard serve`, which starts one). A job's task is handed
# out again `retry` seconds after a worker took it without finishing (a killed worker), up to max_attempts.
SAFEGUARD_BATCH_TIMEOUT = int(os.environ.get("SAFEGUARD_BATCH_TIMEOUT", "3600"))
SAFEGUARD_BATCH_MAX_BYTES = int(os.environ.get("SAFEGUARD_BATCH_MAX_MB", "1024")) << 20
SAFEGUARD_BATCH_CHUNK_ROWS = int(os.environ.get("SAFEGUARD_BATCH_CHUNK_ROWS", "250000"))
SAFEGUARD_BATCH_STALL_SECONDS = int(os.environ.get("SAFEGUARD_BATCH_STALL_SECONDS", "600"))  # see jobs.recover_stalled
SAFEGUARD_BATCH_RETENTION_DAYS = int(os.environ.get("SAFEGUARD_BATCH_RETENTION_DAYS", "30"))
SAFEGUARD_BATCH_INLINE = False  # True runs a job inside the request (tests)
Q_CLUSTER = {
    "name": "safeguard", "orm": "default", "workers": int(os.environ.get("SAFEGUARD_WORKERS", "1")),
    "timeout": SAFEGUARD_BATCH_TIMEOUT, "retry": SAFEGUARD_BATCH_TIMEOUT + 60,
    "max_attempts": 4,  # jobs.MAX_ATTEMPTS + 1: the last start marks the job failed
    "poll": 1, "catch_up": False, "ack_failures": True, "save_limit": 200, "label": "batch jobs",
}
