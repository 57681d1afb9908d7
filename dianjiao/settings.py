"""One settings file, driven by environment variables.

DATABASE_URL   default: SQLite in var/dianjiao.sqlite3 (a station's single PC)
SECRET_KEY     default: a key generated once into var/secret_key
DEBUG          "1" for development only
TIME_ZONE      default Asia/Shanghai; the logbook's "same day" is judged in this zone
DIANJIAO_HTTPS "1" when served behind TLS: SSL redirect and HSTS (`check --deploy` clean)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DIANJIAO_VAR", BASE_DIR.parent / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _flag("DEBUG")
HTTPS = _flag("DIANJIAO_HTTPS")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "dianjiao.audit",
    "dianjiao.accounts",
    "dianjiao.orgs",
    "dianjiao.members",
    "dianjiao.films",
    "dianjiao.logbook",
    "dianjiao.plans",
    "dianjiao.teaching",
    "dianjiao.reports",
    "dianjiao.infoitems",
    "dianjiao.compliance",
    "dianjiao.oversight",
    "dianjiao.pastoral",
    "dianjiao.api",
    "dianjiao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise: files served from the apps (not collected) are compressed too.
    "dianjiao.web.middleware.CompressTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "dianjiao.audit.middleware.AuditActorMiddleware",
    # Axes last: it reads the outcome of authentication to count failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dianjiao.urls"
WSGI_APPLICATION = "dianjiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's widget templates, with a <select> that writes its options inline (forms_renderer.py).
FORM_RENDERER = "dianjiao.web.forms_renderer.FormRenderer"

# SQLite is the embedded default. WAL lets readers work while one writer writes; IMMEDIATE takes
# the write lock at BEGIN so two writers queue on the busy timeout instead of failing mid-way.
_sqlite_path = VAR_DIR / "dianjiao.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{_sqlite_path}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        # The busy timeout: how long a write waits for the others to finish. 60 s, not 20: in the
        # load test on a saturated machine (load average 16 on 2 cores) one save answered 500
        # after 23 s, just past a 20 s wait (SQLite's "database is locked" then).
        "timeout": 60,
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_SQLITE_NAME")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Lock a username at one address after repeated failures; other users and addresses go on.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# JSON for the API's token endpoint, the lockout page for the login form (dianjiao.api.auth).
AXES_LOCKOUT_CALLABLE = "dianjiao.api.auth.lockout_response"

# How long a phone's API token lasts: a migration season's campaign, so it does not expire at the
# camp while records wait on the phone. Revoked on the token page when a phone is lost.
DIANJIAO_API_TOKEN_DAYS = int(os.environ.get("DIANJIAO_API_TOKEN_DAYS", "120"))
# A record captured on a phone longer than this before the server received it is marked for the
# station's review: no phone waits that long at a camp (a campaign's length).
DIANJIAO_OFFLINE_MAX_DAYS = int(os.environ.get("DIANJIAO_OFFLINE_MAX_DAYS", "120"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `dianjiao serve` (so `make run` and `dianjiao run`) collects the static files here on every
# start: hashed names (site.3f2a9c.css) cached by browsers for years, with gzip copies. Before
# any collectstatic (tests, runserver) the plain names are served from the apps (finders).
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dianjiao.web.staticfiles.StaticStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Uploads: spreadsheets are small; anything larger is refused with a message, not a crash.
DIANJIAO_MAX_UPLOAD_BYTES = int(os.environ.get("DIANJIAO_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = DIANJIAO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DIANJIAO_MAX_UPLOAD_BYTES + 1024 * 1024
# A session's footage uploaded by the tus protocol (/api/v1/uploads/): larger files are refused
# when the upload is created, before any byte is stored. Stored through Django's default storage
# (STORAGES; the README shows an S3-compatible store).
DIANJIAO_UPLOAD_MAX_BYTES = int(
    os.environ.get("DIANJIAO_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
)

# Every asset is served by the app itself: township intranets cannot reach outside CDNs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Browsers keep Secure cookies on http://localhost, so the station PC works without TLS;
# any other address needs DIANJIAO_HTTPS=1 behind a TLS proxy.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 8 * 3600
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Reminders (dianjiao.reminders, `dianjiao remind`) ------------------------------------------
# Every secret (SMTP password, SMS key, robot keys) comes from the environment, never the database.
INSTALLED_APPS += ["dianjiao.reminders"]
# E-mail through Django's mailers: SMTP (EMAIL_HOST, localhost by default); the console while
# developing (DEBUG=1), so that nothing leaves a developer's machine.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_MAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": _flag("EMAIL_USE_TLS"),
            "use_ssl": _flag("EMAIL_USE_SSL"),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
        }
        if _MAIL_BACKEND == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dianjiao@localhost")
# SMS: "" (none), "http" (a gateway: URL, key, template id), "console" or "file" (development).
DIANJIAO_SMS_BACKEND = os.environ.get("DIANJIAO_SMS_BACKEND", "")
DIANJIAO_SMS_URL = os.environ.get("DIANJIAO_SMS_URL", "")
DIANJIAO_SMS_KEY = os.environ.get("DIANJIAO_SMS_KEY", "")
DIANJIAO_SMS_TEMPLATE_ID = os.environ.get("DIANJIAO_SMS_TEMPLATE_ID", "")
DIANJIAO_SMS_FILE = os.environ.get("DIANJIAO_SMS_FILE", str(VAR_DIR / "sms.log"))
DIANJIAO_REMIND_TIMEOUT = float(os.environ.get("DIANJIAO_REMIND_TIMEOUT", "10"))
# When: the daily time (runs before it send nothing), the quiet hours (no SMS), escalation days.
DIANJIAO_REMIND_AT = os.environ.get("DIANJIAO_REMIND_AT", "08:30")
DIANJIAO_QUIET_HOURS = os.environ.get("DIANJIAO_QUIET_HOURS", "21:00-08:00")
# A to-do with a due date further off than this is left out of the digest (not of the home page).
DIANJIAO_REMIND_SOON_DAYS = int(os.environ.get("DIANJIAO_REMIND_SOON_DAYS", "7"))
DIANJIAO_ESCALATE_STATION_DAYS = int(os.environ.get("DIANJIAO_ESCALATE_STATION_DAYS", "7"))
DIANJIAO_ESCALATE_LEADER_DAYS = int(os.environ.get("DIANJIAO_ESCALATE_LEADER_DAYS", "30"))
# The address links in a digest start with (what people type to reach the station's PC).
DIANJIAO_SITE_URL = os.environ.get("DIANJIAO_SITE_URL", "http://127.0.0.1:8000")
# `dianjiao serve` also runs `remind` every few minutes in a thread when this is on (off by default).
DIANJIAO_REMIND_IN_SERVE = _flag("DIANJIAO_REMIND_IN_SERVE")
# --- end of reminders ----------------------------------------------------------------------------
