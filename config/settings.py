"""Settings for the Welcoming Community compliance tracker.

Every environment variable the app reads is declared here, with its type and default, and listed in
`.env.example`. The defaults are the safe ones: DEBUG is off, cookies are secure, and production refuses to
start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "welcoming-community@localhost"),
    PUBLIC_BASE_URL=(str, ""),
    TIME_ZONE=(str, "America/New_York"),
    # HTTPS is the default; only a local http run (make run, the test server) turns it off.
    SECURE_COOKIES=(bool, True),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31_536_000),
    BEHIND_TLS_PROXY=(bool, False),
    IDLE_TIMEOUT_MINUTES=(int, 30),
    LOGIN_FAILURE_LIMIT=(int, 5),
    LOCKOUT_MINUTES=(int, 30),
    SIGNIN_ADDRESS_FAILURE_LIMIT=(int, 30),
    API_TOKEN_DAYS=(int, 30),
    # Requests a minute through the API, signed in and not (the public complaint form has its own limits).
    API_RATE_USER=(str, "600/minute"),
    API_RATE_ANON=(str, "60/minute"),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
)
# An optional .env file (ENV_FILE names another); real environment variables win over it.
environ.Env.read_env(os.environ.get("ENV_FILE", BASE_DIR / ".env"))

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random secret: set SECRET_KEY in the environment "
            "or in .env (see .env.example), or set DEBUG=true for a local run."
        )
    SECRET_KEY = "django-insecure-local-development-only"
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use at least 50 random characters.")

# The audit log's chain is keyed (HMAC-SHA-256), so that whoever can write to the database cannot recompute it
# after altering an entry: the key lives with the app, not in the database. A key of its own, not SECRET_KEY:
# SECRET_KEY may be rotated, this one never (under another key every earlier entry fails the check).
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
if not AUDIT_CHAIN_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_CHAIN_KEY is not set. Production needs a long random key for the audit log's chain, set once "
            'and never changed: python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    AUDIT_CHAIN_KEY = "local-development-only-audit-chain-key"
elif not DEBUG and len(AUDIT_CHAIN_KEY) < 50:
    raise ImproperlyConfigured("AUDIT_CHAIN_KEY is too weak for production: use at least 50 random characters.")

ALLOWED_HOSTS = env("ALLOWED_HOSTS") or (["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: name the host names this site answers to.")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "welcoming.apps.WelcomingAdminConfig",  # the admin site, for the administrator only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "welcoming",
    "detainers",
    "certifications",
    "traffic",
    "complaints",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so that static files carry the headers too: every answer does.
    "welcoming.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "welcoming.middleware.TownClockMiddleware",
    "welcoming.middleware.LocaleMiddleware",  # Django's, and a link's ?lang=
    # After the language is chosen, so the refusal reads in the visitor's.
    "welcoming.middleware.RefuseNulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads a POST's body.
    "welcoming.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "welcoming.middleware.IdleTimeoutMiddleware",
    "welcoming.middleware.StaffAccessMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "welcoming.context_processors.navigation",
            ],
            "builtins": ["welcoming.templatetags.moments"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 60 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT: the figures' queries look costly to the planner (a subquery per candidate row) and run in tens of
    # milliseconds, but compiling them first took 450 ms at 100,000 detainers (make bench).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves a small office: readers never wait for a writer (WAL), a writer waits its turn
    # for up to 20 s rather than failing at once, and a transaction takes the write lock when it begins
    # (IMMEDIATE), so two that read and then write never deadlock into "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker (rate limits and lockouts must hold across processes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked account is refused before the password is checked
    "welcoming.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "welcoming:login"
LOGIN_REDIRECT_URL = "welcoming:home"
LOGOUT_REDIRECT_URL = "welcoming:login"

# Sessions: an idle session ends (IdleTimeoutMiddleware); the cookie never outlives the browser.
IDLE_TIMEOUT = timedelta(minutes=env("IDLE_TIMEOUT_MINUTES"))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env("SECURE_COOKIES")
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "welcoming.views.csrf_failure"

# Lockout (django-axes): repeated wrong passwords or one-time codes lock the account for a while; an
# administrator can lift it sooner. Counted per account, so a stolen password cannot be guessed at slowly
# from many addresses.
AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env("LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by address: a town hall's staff share one address behind NAT, and five mistakes spread over five clerks
# must not lock the whole office out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Instead, an address is throttled (not locked) after many failures across accounts: password spraying.
SIGNIN_ADDRESS_FAILURE_LIMIT = env("SIGNIN_ADDRESS_FAILURE_LIMIT")
SIGNIN_ADDRESS_WINDOW = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = False  # the password alone is half a sign-in; the code step clears failures
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the administrator sees each failed sign-in, not only the count
BEHIND_TLS_PROXY = env("BEHIND_TLS_PROXY")
# The visitor's address behind the proxy (the last X-Forwarded-For entry), the same for lockouts and rate limits.
AXES_CLIENT_IP_CALLABLE = "welcoming.rate_limits.axes_client_address"

# One-time passwords: a code is good for one 30-second step either side of now, once.
OTP_TOTP_ISSUER = "Welcoming Community"
OTP_TOTP_TOLERANCE = 1

# HTTPS and security headers (on every answer; `check --deploy` is clean in production mode).
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT") and not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks plain http
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content-Security-Policy from the first page on: no inline script or style anywhere, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # USWDS's stylesheet embeds a few icons as data: URIs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Languages (DESIGN.md section 7). Django ships no Haitian Creole, so it is described here.
LANGUAGE_CODE = "en"
LANG_INFO["ht"] = {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"}
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("ht", "Kreyòl ayisyen"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["welcoming.formats"]  # Haitian Creole's dates and numbers
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the public reaches this site: every absolute link (an e-mail's, the poster's QR code) starts with it, so
# production must say it; a wrong guess would print a dead link on every poster.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL").rstrip("/")
if not PUBLIC_BASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PUBLIC_BASE_URL is not set: give the address the public reaches this site at, e.g. "
            "https://compliance.example-town.gov (e-mails and the poster's QR code link to it)."
        )
    PUBLIC_BASE_URL = "http://127.0.0.1:8000"

API_TOKEN_LIFETIME = timedelta(days=env("API_TOKEN_DAYS"))
REST_FRAMEWORK = {
    # Token first, so an unauthenticated request is told 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "welcoming.authentication.ExpiringTokenAuthentication",
        "welcoming.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["welcoming.api_support.FilterBackend"],
    # JSON bodies only: no operation takes a file, and a form cannot say null or hold a list of objects, so the
    # schema would promise bodies that a form could not carry. The pages take the forms and the files. Each
    # body's JSON types are checked against the schema (welcoming/api_contract.py).
    "DEFAULT_PARSER_CLASSES": ["welcoming.api_contract.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "welcoming.api_support.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "welcoming.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "welcoming.api_support.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "welcoming.api_support.AnonRateThrottle",
        "welcoming.api_support.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_RATE_ANON"), "user": env("API_RATE_USER")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Welcoming Community compliance tracker API",
    "DESCRIPTION": "Records and figures of the Welcoming Community ordinance. Session or token authentication; "
    "tokens are issued only from a session verified with a one-time code.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # A request's own components ("DetainerInputRequest"): they leave out what is only read and mark the text a
    # field cannot be given blank (minLength), which one component shared with the answers could not say.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "welcoming.api_schema.text_parameters_refuse_nul",
        "welcoming.api_schema.any_of_for_answers_that_overlap",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",  # self-hosted: municipal networks are closed
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "EligibilityReasonEnum": "detainers.models.Custody.EligibilityReason",
        "TransferAuthorityEnum": "detainers.models.Custody.TransferAuthority",
        "JudicialAuthorityKindEnum": "detainers.models.JudicialAuthority.Kind",
        "CustodyBasisEnum": "detainers.models.Custody.Basis",
        "DisclosureBasisEnum": "detainers.models.InformationItem.Basis",
        "DetainerKindEnum": "detainers.models.Detainer.Kind",
        "SupportKindEnum": "detainers.models.AssistanceSupport.Kind",
        "CommitteeActionEnum": "reports.models.DocketItem.Action",
        "AllegedClauseEnum": "complaints.models.ALLEGEABLE_CLAUSES",
        "ComplaintChannelEnum": "complaints.models.Complaint.Channel",
        "StaffChannelEnum": "complaints.models.STAFF_CHANNELS",
        "ComplaintLanguageEnum": "complaints.models.LANGUAGE_CHOICES",
        "ComplaintDepartmentEnum": "complaints.models.Complaint.Department",
        "ComplaintAboutEnum": "complaints.models.Complaint.About",
        "StopActionEnum": "traffic.models.UnlicensedDriverStop.Action",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
