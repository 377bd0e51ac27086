"""Django settings for Huitoukan.

Everything that differs between a laptop demo and a provincial deployment is read
from the environment; the defaults run the embedded SQLite demo.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HUITOUKAN_VAR", Path.cwd() / "var")).resolve()
# The login a management command acts as when it is not given `--as`: its roles, its name in the history.
OPERATOR = os.environ.get("HUITOUKAN_OPERATOR", "")
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("HUITOUKAN_DEBUG", False)
# The demo key is only for the embedded default; a deployment sets its own (see the system check).
DEMO_SECRET_KEY = "huitoukan-demo-key-change-me-in-any-deployment-0123456789abcdef"
SECRET_KEY = os.environ.get("HUITOUKAN_SECRET_KEY", DEMO_SECRET_KEY)
# Key of the security log's HMAC chain; separate from SECRET_KEY so rotating one leaves the other.
AUDIT_HMAC_KEY = os.environ.get("HUITOUKAN_AUDIT_KEY", SECRET_KEY)
# Signed copies of the log's chain head, appended by the huey consumer `huitoukan serve` starts (at its
# start and every minute the head moved); put it on other storage than the database's. Empty: VAR_DIR's.
AUDIT_ANCHOR_FILE = os.environ.get("HUITOUKAN_AUDIT_ANCHOR_FILE", "")
# Optionally also send each anchor to syslog: "/dev/log", or "host:port" (UDP).
AUDIT_SYSLOG = os.environ.get("HUITOUKAN_AUDIT_SYSLOG", "")
# Rows younger than this are never purged (等保 2.0: at least 180 days; a smaller value counts as 180).
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("HUITOUKAN_AUDIT_RETENTION_DAYS", "180")))
ALLOWED_HOSTS = [h for h in os.environ.get("HUITOUKAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HUITOUKAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
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
    "treebeard",
    "simple_history",
    "axes",
    "captcha",
    "django_htmx",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The apps, bottom to top (huitoukan.core, a plain package, lies below them all); every import
    # goes downward, checked by the layer contract in pyproject.toml (`lint-imports`).
    "huitoukan.audit",
    "huitoukan.security",
    "huitoukan.access",
    "huitoukan.twofactor",
    "huitoukan.jobs",
    "huitoukan.notifications",
    "huitoukan.orgs",
    "huitoukan.campaigns",
    "huitoukan.ledgers",
    "huitoukan.plans",
    "huitoukan.reviews",
    "huitoukan.supervision",
    "huitoukan.notices",
    "huitoukan.assessments",
    "huitoukan.publicity",
    "huitoukan.formalism",
    "huitoukan.rechecks",
    "huitoukan.accountability",
    "huitoukan.rollups",
    "huitoukan.documents",
    "huitoukan.administration",
    "huitoukan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huitoukan.security.middleware.PolicyScopeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "huitoukan.access.middleware.SessionLifetimeMiddleware",
    "huitoukan.access.middleware.DenialLogMiddleware",
    "huitoukan.security.middleware.PasswordChangeMiddleware",
    # The second factor: OTPMiddleware reads the verified device from the session; until one has
    # passed, a login that needs it reaches only the code and enrolment pages (huitoukan.twofactor).
    "django_otp.middleware.OTPMiddleware",
    "huitoukan.twofactor.middleware.SecondFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huitoukan.urls"
WSGI_APPLICATION = "huitoukan.wsgi.application"

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
                "csp.context_processors.nonce",
                "huitoukan.portal.context_processors.navigation",
                "huitoukan.notifications.context_processors.bell",
            ],
            # huitoukan.core is a plain package below the apps: its tags are named here.
            "libraries": {"basis": "huitoukan.core.templatetags.basis"},
        },
    },
]

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'huitoukan.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist on SQLite too (CONN_MAX_AGE=600 above): opening one per request (the file, the
    # PRAGMAs, the schema and its statistics read again) doubled a bare logged-in request through the WSGI
    # handler. Restores write through the backup API into the live file, so open connections stay valid.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
        # half-way with "database is locked"; the PRAGMAs are verified by a system check.
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth and the 等保 security profile ------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Length, classes and history depth are the security policy's (huitoukan.security).
    {"NAME": "huitoukan.access.passwords.MinimumLengthValidator"},
    {"NAME": "huitoukan.access.passwords.CharacterClassValidator"},
    {"NAME": "huitoukan.access.passwords.PasswordHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "login"
LOGIN_URL_PATH = "/accounts/login/"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failures are counted per (account, address) and per account, never per address alone: a flood
# from one address (or an office's NAT) must not lock the other accounts behind it. See access.lockout.
AXES_HANDLER = "huitoukan.access.lockout.TieredLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
# The thresholds and the lock's duration are the security policy's (huitoukan.security, edited by the
# 安全管理员); these settings are only its initial values, read when the policy row is first written.
LOGIN_FAILURE_LIMIT = int(os.environ.get("HUITOUKAN_LOGIN_FAILURES", "5"))  # an account from one address
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("HUITOUKAN_ACCOUNT_LOGIN_FAILURES", "20"))  # from all addresses
LOGIN_CAPTCHA_AFTER = int(os.environ.get("HUITOUKAN_LOGIN_CAPTCHA_AFTER", "2"))  # the account's failures
LOCKOUT_MINUTES = int(os.environ.get("HUITOUKAN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = "huitoukan.access.lockout.failure_limit"
AXES_COOLOFF_TIME = "huitoukan.access.lockout.cool_off"
# A lock runs from the failure that set it: attempts refused while locked are not recorded, or
# one request every few minutes would keep any account locked for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False
# The second factor (huitoukan.twofactor, django-otp): TOTP for the 三员 and the roles the security
# policy names; the name authenticator apps show beside the login. A wrong code waits 1, 2, 4 … s.
OTP_TOTP_ISSUER = "回头看"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The captcha of the login and of the public forms (django-simple-captcha): drawn by the server with the
# package's own font, no outside service; no audio (it would need flite). A challenge is good for one try, and
# for 20 minutes: a report typed on a phone takes longer than the 5 a login needs.
CAPTCHA_TIMEOUT = 20
CAPTCHA_LENGTH = 4
CAPTCHA_2X_IMAGE = False
CAPTCHA_FONT_SIZE = 40  # the default 22 drew letters 18 px high, hard to read on a phone
# Behind a reverse proxy every request comes from the proxy's address: say how many proxies
# stand in front (each appends to X-Forwarded-For), and the client's address is read from there.
PROXY_COUNT = int(os.environ.get("HUITOUKAN_PROXY_COUNT", "0"))
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

SESSION_IDLE_SECONDS = int(os.environ.get("HUITOUKAN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("HUITOUKAN_SESSION_ABSOLUTE_SECONDS", str(8 * 3600)))
# The cookie may live the absolute lifetime; the idle timeout is enforced on the server
# (access.middleware), which refreshes the session at most once a minute.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("HUITOUKAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Tabler and tom-select set inline styles from their scripts.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# --- uploads ----------------------------------------------------------------
UNIT_IMPORT_MAX_BYTES = int(os.environ.get("HUITOUKAN_UNIT_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
LEDGER_IMPORT_MAX_BYTES = int(os.environ.get("HUITOUKAN_LEDGER_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_MAX_BYTES = int(os.environ.get("HUITOUKAN_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
# An uploaded xlsx is inspected before it is parsed (huitoukan/spreadsheets.py, xlsx_check): a zip
# bomb or a sheet whose cells span A1:XFD1048576 would take a worker's memory or abort it. No real
# unit list (a province: ~20,000 rows x 6 columns) or ledger (< 10,000 rows x 12) comes near these.
XLSX_MAX_MEMBERS = int(os.environ.get("HUITOUKAN_XLSX_MAX_MEMBERS", "2000"))
XLSX_MAX_UNPACKED_BYTES = int(os.environ.get("HUITOUKAN_XLSX_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
XLSX_MAX_ROWS = int(os.environ.get("HUITOUKAN_XLSX_MAX_ROWS", "100000"))
XLSX_MAX_COLUMNS = int(os.environ.get("HUITOUKAN_XLSX_MAX_COLUMNS", "200"))
XLSX_MAX_CELLS = int(os.environ.get("HUITOUKAN_XLSX_MAX_CELLS", "1000000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- cache ------------------------------------------------------------------------------------------------
# The public site's pages are cached under its epoch (huitoukan.publicity): one entry per unit and publication
# read. Each process keeps its own (Django's default holds only 300 entries: a province's units would thrash
# it); with REDIS_URL the processes share one.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "huitoukan"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("HUITOUKAN_CACHE_ENTRIES", "20000"))}}}

# --- the public side (开门整改, huitoukan.publicity) ------------------------------------------------------
# The key of the contact details the public leaves with an opinion or report (SM4-GCM): 32 hex digits, set
# in the environment of a deployment and kept off the database's disks and backups. Empty: derived from
# SECRET_KEY (the demo only; a system check warns outside DEBUG).
CONTACT_KEY = os.environ.get("HUITOUKAN_CONTACT_KEY", "")
# The public forms' rate limit: so many posts from one address per window (seconds), all forms together.
# Ten: a village meeting room or an office behind one address sends several letters in an evening.
PUBLIC_POSTS_PER_WINDOW = int(os.environ.get("HUITOUKAN_PUBLIC_POSTS_PER_WINDOW", "10"))
PUBLIC_POST_WINDOW_SECONDS = int(os.environ.get("HUITOUKAN_PUBLIC_POST_WINDOW_SECONDS", "600"))
# Days a unit has to answer an opinion or report from the public (the deadline its reminders run to).
OPINION_ANSWER_DAYS = int(os.environ.get("HUITOUKAN_OPINION_ANSWER_DAYS", "15"))

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huitoukan.access.authentication.CsrfCheckedSessionAuthentication",
        "huitoukan.access.authentication.ExpiringTokenAuthentication",
    ],
    # JSON only: the browsable API's pages and scripts are not part of the product.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Deny by default: an endpoint opens only by naming its permission (checked by a test).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "huitoukan.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "回头看 Huitoukan API",
    "DESCRIPTION": "整改落实台账与督导系统的接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One enum per choice set, whatever the field is called ("level", "levels").
    "ENUM_NAME_OVERRIDES": {
        "UnitLevelEnum": "huitoukan.orgs.models.UnitLevel",
        "LedgerKindEnum": "huitoukan.ledgers.layouts.LedgerKind",
        "UnitKindEnum": "huitoukan.orgs.models.UnitKind",
        "ItemStatusEnum": "huitoukan.ledgers.models.ItemStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "huitoukan.api.add_error_responses",
    ],
}

API_TOKEN_SECONDS = int(os.environ.get("HUITOUKAN_API_TOKEN_SECONDS", str(SESSION_ABSOLUTE_SECONDS)))

# --- background work --------------------------------------------------------
# Durable jobs (huitoukan.jobs): results under JOBS_DIR; a running job whose heartbeat is older than
# JOB_STALE_SECONDS is taken for dead and queued again, at most JOB_MAX_ATTEMPTS times in all.
JOBS_DIR = Path(os.environ.get("HUITOUKAN_JOBS_DIR", VAR_DIR / "jobs"))
JOB_STALE_SECONDS = int(os.environ.get("HUITOUKAN_JOB_STALE_SECONDS", "300"))
JOB_MAX_ATTEMPTS = int(os.environ.get("HUITOUKAN_JOB_MAX_ATTEMPTS", "3"))
REDIS_URL = os.environ.get("REDIS_URL")
# An idle consumer backs off to polling every max_delay seconds (huey's default: 10): a user who has
# just asked for an export would wait that long before it starts. Polling the queue every second is cheap.
HUEY_CONSUMER = {"workers": 1, "max_delay": 1.0}
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "huitoukan", "url": REDIS_URL, "immediate": False,
            "consumer": HUEY_CONSUMER}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "huitoukan",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        # djhuey turns immediate mode on whenever DEBUG is; say it explicitly.
        "immediate": env_bool("HUITOUKAN_HUEY_IMMEDIATE", False),
        "consumer": HUEY_CONSUMER,
    }

# --- notifications (huitoukan.notifications; docs/notifications.md) ------------
# Email goes out through Django's SMTP backend; with no HUITOUKAN_EMAIL_HOST, no email is queued.
EMAIL_BACKEND = os.environ.get("HUITOUKAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("HUITOUKAN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("HUITOUKAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HUITOUKAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HUITOUKAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HUITOUKAN_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("HUITOUKAN_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("HUITOUKAN_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("HUITOUKAN_EMAIL_FROM", "huitoukan@localhost")
# The site's address as people reach it, put before the links of emails and robot messages.
SITE_URL = os.environ.get("HUITOUKAN_SITE_URL", "")
# Hosts a group robot's webhook may point to (the server posts there); "*" allows any.
NOTIFICATION_ROBOT_HOSTS = [h for h in os.environ.get(
    "HUITOUKAN_ROBOT_HOSTS", "oapi.dingtalk.com,qyapi.weixin.qq.com").split(",") if h]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s"}},
    # Survey invitations carry their token in the URL: no log line shows one (huitoukan.core.serverlog).
    "filters": {"mask_secrets": {"()": "huitoukan.core.serverlog.MaskSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUITOUKAN_LOG_LEVEL", "WARNING")},
    # The job consumer's own lines, once: run_huey adds a handler of its own only to a "huey" logger without
    # one, and a line also passed up to the root's printed it twice. At INFO it prints four lines a minute
    # (the periodic tasks): HUITOUKAN_HUEY_LOG_LEVEL=INFO to see them.
    "loggers": {"huey": {"handlers": ["console"], "propagate": False,
                         "level": os.environ.get("HUITOUKAN_HUEY_LOG_LEVEL", "WARNING")}},
}

DEMO_PASSWORD = "Loudi@2015hk"
SITE_TITLE = _("回头看 · 整改落实台账与督导系统")
