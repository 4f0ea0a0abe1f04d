"""Django settings for Communiqué, read from ``COMMUNIQUE_*`` environment variables.

See README.md, "Configuration", for every variable and its default.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

from communique import environment as env

PACKAGE_DIR = Path(__file__).resolve().parent
_environ = os.environ

DATA_DIR = env.read_data_dir(_environ)
DEBUG = env.read_bool(_environ, "DEBUG", default=False)
SECRET_KEY = env.secret_key(_environ, DATA_DIR)
ALLOWED_HOSTS = env.read_list(
    _environ, "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.read_list(_environ, "CSRF_TRUSTED_ORIGINS", default=[])
# The same site as a Tor onion service: it answers on that name, takes forms
# posted there, and every page names its copy there (docs/deploy/onion.md).
COMMUNIQUE_ONION_URL = env.read_onion_url(_environ)
if COMMUNIQUE_ONION_URL:
    ALLOWED_HOSTS.append(urlsplit(COMMUNIQUE_ONION_URL).hostname)
    CSRF_TRUSTED_ORIGINS.append(COMMUNIQUE_ONION_URL)

COMMUNIQUE_SITE_NAME = env.read_str(_environ, "SITE_NAME", default="Communiqué")
# Whether the lists of one language show the statements that have no
# translation into it, in their own language (README.md, "Languages").
COMMUNIQUE_LIST_UNTRANSLATED = env.read_bool(
    _environ, "LIST_UNTRANSLATED", default=True
)
COMMUNIQUE_STATEMENTS_PER_PAGE = env.read_int(
    _environ, "STATEMENTS_PER_PAGE", default=10, minimum=1
)

COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = env.read_bool(
    _environ, "COMMENTS_REQUIRE_APPROVAL", default=True
)
COMMUNIQUE_COMMENTS_REQUIRE_EMAIL = env.read_bool(
    _environ, "COMMENTS_REQUIRE_EMAIL", default=False
)
COMMUNIQUE_COMMENTS_MAX_DEPTH = env.read_int(
    _environ, "COMMENTS_MAX_DEPTH", default=3, minimum=1
)
COMMUNIQUE_COMMENTS_PER_PAGE = env.read_int(
    _environ, "COMMENTS_PER_PAGE", default=50, minimum=1
)
# Which comments the first page under a statement shows: "oldest" or "newest"
# first (a reader may choose the other with ?order=).
COMMUNIQUE_COMMENTS_ORDER = env.read_choice(
    _environ, "COMMENTS_ORDER", choices=("oldest", "newest"), default="oldest"
)
COMMUNIQUE_COMMENTS_MAX_LENGTH = env.read_int(
    _environ, "COMMENTS_MAX_LENGTH", default=8000, minimum=100
)
COMMUNIQUE_COMMENTS_EDIT_MINUTES = env.read_int(
    _environ, "COMMENTS_EDIT_MINUTES", default=30, minimum=0
)
COMMUNIQUE_COMMENTS_NOTIFY_MINUTES = env.read_int(
    _environ, "COMMENTS_NOTIFY_MINUTES", default=10, minimum=0
)
# Comments of a client that moderators approved this many times are published
# at once, until one is marked as spam (communique.antispam.trust); 0: off.
COMMUNIQUE_TRUST_AFTER_APPROVALS = env.read_int(
    _environ, "TRUST_AFTER_APPROVALS", default=0, minimum=0
)
COMMUNIQUE_FINGERPRINT_ROTATION_DAYS = env.read_int(
    _environ, "FINGERPRINT_ROTATION_DAYS", default=30, minimum=1
)
COMMUNIQUE_PROXY_COUNT = env.read_int(_environ, "PROXY_COUNT", default=0, minimum=0)

COMMUNIQUE_CAPTCHA_ENABLED = env.read_bool(_environ, "CAPTCHA_ENABLED", default=True)
COMMUNIQUE_CAPTCHA_FORMS = env.read_list(
    _environ, "CAPTCHA_FORMS", default=["comment", "reply"]
)
COMMUNIQUE_CAPTCHA_LENGTH = env.read_int(
    _environ, "CAPTCHA_LENGTH", default=5, minimum=4
)
if COMMUNIQUE_CAPTCHA_LENGTH > 8:
    raise env.ConfigError("CAPTCHA_LENGTH", str(COMMUNIQUE_CAPTCHA_LENGTH), "4 to 8")
COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES = env.read_int(
    _environ, "CAPTCHA_EXPIRY_MINUTES", default=30, minimum=1
)
COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES = env.read_int(
    _environ, "CAPTCHA_SKIP_AFTER_SOLVED_MINUTES", default=0, minimum=0
)
COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE = env.read_int(
    _environ, "CAPTCHA_REQUESTS_PER_MINUTE", default=30, minimum=1
)
COMMUNIQUE_SEARCHES_PER_MINUTE = env.read_int(
    _environ, "SEARCHES_PER_MINUTE", default=60, minimum=1
)
# Proof of work (ALTCHA) for readers with JavaScript: see captcha.proofs.
COMMUNIQUE_ALTCHA_ENABLED = env.read_bool(_environ, "ALTCHA_ENABLED", default=True)
COMMUNIQUE_ALTCHA_MAX_NUMBER = env.read_int(
    _environ, "ALTCHA_MAX_NUMBER", default=400, minimum=1
)
COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS = env.read_int(
    _environ, "ALTCHA_RISE_AFTER_REFUSALS", default=50, minimum=0
)
COMMUNIQUE_PAGE_CACHE = env.read_bool(_environ, "PAGE_CACHE", default=True)
COMMUNIQUE_PAGE_CACHE_SECONDS = env.read_int(
    _environ, "PAGE_CACHE_SECONDS", default=120, minimum=1
)
COMMUNIQUE_PAGE_CACHE_MAX_AGE = env.read_int(
    _environ, "PAGE_CACHE_MAX_AGE", default=60, minimum=0
)
COMMUNIQUE_PAGE_CACHE_STALE_WHILE_REVALIDATE = env.read_int(
    _environ, "PAGE_CACHE_STALE_WHILE_REVALIDATE", default=60, minimum=0
)
COMMUNIQUE_PAGE_CACHE_STALE_IF_ERROR = env.read_int(
    _environ, "PAGE_CACHE_STALE_IF_ERROR", default=86400, minimum=0
)
COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS = env.read_int(
    _environ, "PAGE_CACHE_SHARED_CHECK_MS", default=50, minimum=0
)
# HTTP caches in front (Varnish, a CDN's adapter) that are told which pages to
# drop: see communique/pagecache/purge.py and docs/deploy/varnish.md.
COMMUNIQUE_PURGE_URLS = env.read_http_urls(_environ, "PURGE_URLS", default=[])
# Other addresses of the same site (mirrors), listed and signed for readers
# whose filters block the main one (docs/mirrors.md).
COMMUNIQUE_MIRRORS = env.read_http_urls(_environ, "MIRRORS", default=[])
COMMUNIQUE_ANTISPAM_RATE_LIMITS = env.read_bool(
    _environ, "ANTISPAM_RATE_LIMITS", default=True
)
COMMUNIQUE_ANTISPAM_MIN_SECONDS = env.read_int(
    _environ, "ANTISPAM_MIN_SECONDS", default=3, minimum=0
)
COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = env.read_int(
    _environ, "ANTISPAM_COMMENTS_PER_MINUTE", default=3, minimum=1
)
COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR = env.read_int(
    _environ, "ANTISPAM_COMMENTS_PER_HOUR", default=20, minimum=1
)
COMMUNIQUE_ANTISPAM_LINKS_TO_HOLD = env.read_int(
    _environ, "ANTISPAM_LINKS_TO_HOLD", default=2, minimum=0
)
COMMUNIQUE_ANTISPAM_LINKS_TO_SPAM = env.read_int(
    _environ, "ANTISPAM_LINKS_TO_SPAM", default=10, minimum=0
)
COMMUNIQUE_ANTISPAM_DUPLICATE_MINUTES = env.read_int(
    _environ, "ANTISPAM_DUPLICATE_MINUTES", default=60, minimum=0
)

INSTALLED_APPS = [
    "communique",
    "communique.accounts",
    "communique.publishing",
    "communique.comments",
    "communique.search",
    "communique.api",
    "communique.captcha",
    "communique.antispam",
    "communique.textformats",
    "communique.mirrors",
    "communique.imports",
    "communique.admin_site.SiteAdminConfig",  # django.contrib.admin, named
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "communique.pagecache.middleware.PageCacheMiddleware",
    # Inside the page cache, which keeps no redirect and no 404: an old
    # address is looked up on every request for it.
    "communique.imports.addresses.OldAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "communique.middleware.LanguageFromPathMiddleware",
    # Refusals under /api/ as JSON, whichever middleware below gives them.
    "communique.api.errors.JsonErrorsMiddleware",
    "communique.middleware.ContentSecurityPolicyMiddleware",
    "communique.middleware.OnionLocationMiddleware",
    "communique.middleware.MethodNotAllowedPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "communique.middleware.UnreadableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "communique.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "communique.middleware.UnavailablePartMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "communique.urls"
WSGI_APPLICATION = "communique.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "communique.context_processors.site",
                "communique.context_processors.languages",
            ],
        },
    },
]

DATABASES = {"default": env.database_config(_environ, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env.cache_config(_environ, DATA_DIR)}
env.make_private(DATA_DIR, DATABASES["default"])

# Signing in (README.md, "Accounts"). django-axes counts failed sign-ins per
# account and per client in the shared cache, and refuses a locked-out
# attempt before a password is hashed; django-otp adds an authenticator's code.
SILENCED_SYSTEM_CHECKS: list[str] = []
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.read_int(_environ, "SIGNIN_FAILURES", default=5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=env.read_int(_environ, "SIGNIN_LOCKOUT_MINUTES", default=15, minimum=1)
)
# Either one locks: an account tried from many clients, or a client trying
# many accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client as the rest of the site knows it: its fingerprint, from the
# address COMMUNIQUE_PROXY_COUNT designates; the address itself is not kept.
AXES_CLIENT_IP_CALLABLE = "communique.antispam.ratelimits.client_key"
AXES_LOCKOUT_CALLABLE = "communique.accounts.views.locked_out"
# A lockout ends its set time after it began, however often it is knocked on.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False  # the attempts live in the cache, not in tables
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # The file cache counts two failures at the same instant as one, as it
    # does for the site's other rate limits (antispam/ratelimits.py); it is
    # shared by all workers of the machine, which is what counting needs.
    SILENCED_SYSTEM_CHECKS.append("axes.W001")
COMMUNIQUE_STAFF_TOTP_REQUIRED = env.read_bool(
    _environ, "STAFF_TOTP_REQUIRED", default=False
)
OTP_TOTP_ISSUER = COMMUNIQUE_SITE_NAME

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Pages of the default language have no prefix; the others live under
# /<code>/ (/fa/, /fa/archive/, ...). See README.md, "Languages".
LANGUAGE_CODE, LANGUAGES = env.read_languages(_environ)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.read_str(_environ, "TIME_ZONE", default="UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by `communique serve` (collectstatic)
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": "communique.static_storage.MinifiedStaticFilesStorage",
    },
}
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "communique.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.read_bool(_environ, "BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The proxy speaks HTTPS, so plain HTTP reaching us through it is sent on.
    SECURE_SSL_REDIRECT = True
    # A year, as browsers' preload lists expect: the site has just declared
    # that it is served over HTTPS, and a short time protects only the
    # visits that come soon after one another.
    SECURE_HSTS_SECONDS = env.read_int(
        _environ, "HSTS_SECONDS", default=365 * 24 * 3600, minimum=0
    )
    # Both reach beyond this site (other hosts of the domain; browsers' built-in
    # lists), so only the operator turns them on; Django's deploy check would
    # otherwise remind of them on every run.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.read_bool(
        _environ, "HSTS_INCLUDE_SUBDOMAINS", default=False
    )
    SECURE_HSTS_PRELOAD = env.read_bool(_environ, "HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Request bodies. No page takes files: a body over 2 MiB is refused with 413
# before it is read (communique.middleware.UnreadableInputMiddleware), and an
# upload that reaches a form anyway (the admin's) is kept in memory or dropped,
# never written to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
# A request body not fully arrived this long after its headers is refused
# with 408 (communique.request_bodies).
COMMUNIQUE_REQUEST_BODY_SECONDS = env.read_int(
    _environ, "REQUEST_BODY_SECONDS", default=30, minimum=1
)

EMAIL_BACKEND = env.read_str(
    _environ, "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# Moderator mail is sent after a comment is saved, by the worker that saved it:
# an unanswering mail server must not hold that worker for long.
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.read_str(
    _environ, "DEFAULT_FROM_EMAIL", default="communique@localhost"
)
COMMUNIQUE_SITE_URL = env.read_str(
    _environ, "SITE_URL", default="http://127.0.0.1:8000"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
