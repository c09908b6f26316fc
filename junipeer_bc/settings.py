"""Django settings. Every value comes from the one ``env`` (see .env.example)."""

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from junipeer_bc.env import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No production default for a secret: only DEBUG gets a throwaway development key. Without DEBUG
# an unset key stays empty: `check` and `makemigrations` still run, but Django refuses every use of
# it, the WSGI app refuses to start, and `check --deploy` names the variable (junipeer_bc/checks.py).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-insecure-key-only-for-debug" if DEBUG else "")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Public base URL of this product, used in links sent by e-mail and OAuth redirect URIs.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "csp",
    "junipeer_bc",
    "integrations",
    "syncs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Hardening: NUL bytes or unpaired surrogates in parameters are a 400, not a database error.
    "junipeer_bc.middleware.BadParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Hardening: Content-Security-Policy (settings below).
    "csp.middleware.CSPMiddleware",
    # Inside the CSP middleware: lets a sign-in form's redirect reach the identity platform.
    "junipeer_bc.form_targets.FormTargetsMiddleware",
]

ROOT_URLCONF = "junipeer_bc.urls"
WSGI_APPLICATION = "junipeer_bc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode. The web server and the django-q worker processes share
# the file, so writers wait (busy timeout) instead of failing with "database is locked".
SQLITE_PATH = env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
}
# Hardening: `./dev manage` without a database sets SQLITE_MUST_EXIST, so SQLite opens an existing file
# only (read-write) instead of leaving a stray empty database behind.
SQLITE_MUST_EXIST = env.bool("SQLITE_MUST_EXIST", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if SQLITE_MUST_EXIST and DATABASES["default"]["NAME"] not in ("", ":memory:"):
        DATABASES["default"]["NAME"] = f"file:{DATABASES['default']['NAME']}?mode=rw"
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (django-q2 monitor stats need a shared cache: not locmem) --------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# --- django-q2 ------------------------------------------------------------------------------
# timeout < retry so a slow task is never handed out twice; bounded attempts; no catch-up replay.
Q_CLUSTER = {
    "name": env.str("Q_CLUSTER_NAME", default="junipeer_bc"),
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=600),
    "retry": env.int("Q_RETRY", default=720),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "poll": 0.5,
    "label": "Background tasks",
    "sync": env.bool("Q_SYNC", default=False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
# Who builds a run's BC client, shop platform and payout providers (syncs/clients.py): a dotted path
# to a factory class or object. The default builds them from the integration's stored connections.
SYNC_CLIENT_FACTORY = env.str("SYNC_CLIENT_FACTORY", default="syncs.clients.ConnectionClients")

# --- Auth, i18n, static -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "merchant:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish"))]
# One locale-aware date format per language on every page (junipeer_bc/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["junipeer_bc.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}

# --- E-mail (console in development) ------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Junipeer BC <noreply@localhost>")
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@localhost")

# --- Security (production values switch on with DJANGO_SECURE=true) -----------------------------
SECURE = env.bool("DJANGO_SECURE", default=False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Secrets at rest -----------------------------------------------------------------------------
# Comma-separated Fernet keys, newest first. The first encrypts; all decrypt (MultiFernet).
# `manage.py rotate_keys` re-encrypts every secret under the first key.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Business Central ------------------------------------------------------------------------------
# API root: BC online by default; an on-premises server or the simulator changes only this.
BC_API_ROOT = env.str("BC_API_ROOT", default="https://api.businesscentral.dynamics.com")
BC_API_SCOPE = env.str("BC_API_SCOPE", default="https://api.businesscentral.dynamics.com/.default")
BC_HTTP_CONNECT_TIMEOUT = env.float("BC_HTTP_CONNECT_TIMEOUT", default=5.0)
BC_HTTP_READ_TIMEOUT = env.float("BC_HTTP_READ_TIMEOUT", default=120.0)
BC_RETRY_MAX_ATTEMPTS = env.int("BC_RETRY_MAX_ATTEMPTS", default=6)
BC_RETRY_MAX_SECONDS = env.float("BC_RETRY_MAX_SECONDS", default=300.0)
BC_RETRY_BASE_DELAY = env.float("BC_RETRY_BASE_DELAY", default=1.0)
# Requests in flight at once per BC user (BC online allows 5 per user; one is left for the merchant),
# shared fairly by the integrations signing in as that user. 1 = one request at a time.
BC_MAX_CONCURRENT_REQUESTS = env.int("BC_MAX_CONCURRENT_REQUESTS", default=4)
# A slot held by a killed worker frees itself after this; longer than any one request may take.
BC_SLOT_LEASE_SECONDS = env.int("BC_SLOT_LEASE_SECONDS", default=180)
# How long a batch waits for a free slot before it gives up (retried by the next run).
BC_SLOT_WAIT_SECONDS = env.float("BC_SLOT_WAIT_SECONDS", default=300.0)
# CA bundle for a TLS endpoint with a private certificate (on-premises, simulators); empty = system.
BC_CA_BUNDLE = env.str("BC_CA_BUNDLE", default="")

# --- Microsoft Entra ID (msal) -----------------------------------------------------------------------
ENTRA_AUTHORITY_HOST = env.str("ENTRA_AUTHORITY_HOST", default="https://login.microsoftonline.com")
ENTRA_CLIENT_ID = env.str("ENTRA_CLIENT_ID", default="")
ENTRA_CLIENT_SECRET = env.str("ENTRA_CLIENT_SECRET", default="")
ENTRA_CA_BUNDLE = env.str("ENTRA_CA_BUNDLE", default="")

# --- Shopify and Stripe --------------------------------------------------------------------------------
# Empty = the real https://{shop}; a simulator root replaces the shop host.
SHOPIFY_API_ROOT = env.str("SHOPIFY_API_ROOT", default="")
# The product is a Shopify app: its client id and secret (Shopify's app settings). The secret signs
# the install callback and every webhook; while it is rotated, the previous one is accepted too.
SHOPIFY_CLIENT_ID = env.str("SHOPIFY_CLIENT_ID", default="")
SHOPIFY_CLIENT_SECRET = env.str("SHOPIFY_CLIENT_SECRET", default="")
SHOPIFY_CLIENT_SECRET_PREVIOUS = env.str("SHOPIFY_CLIENT_SECRET_PREVIOUS", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
# Backfills by date with at least this many orders read through a Shopify bulk operation (0 = always).
SHOPIFY_BULK_BACKFILL_MIN_ORDERS = env.int("SHOPIFY_BULK_BACKFILL_MIN_ORDERS", default=250)
# The scheduled sweep re-reads this many minutes before its cursor (webhooks are hints; the sweep is the truth).
ORDERS_SWEEP_OVERLAP_MINUTES = env.int("ORDERS_SWEEP_OVERLAP_MINUTES", default=10)

# --- WooCommerce connector ---------------------------------------------------------------------------
# Timeouts (connect, read) in seconds and the retry budget for calls to a WooCommerce store.
WOO_HTTP_CONNECT_TIMEOUT = env.float("WOO_HTTP_CONNECT_TIMEOUT", default=5.0)
WOO_HTTP_READ_TIMEOUT = env.float("WOO_HTTP_READ_TIMEOUT", default=60.0)
WOO_RETRY_MAX_ATTEMPTS = env.int("WOO_RETRY_MAX_ATTEMPTS", default=5)
WOO_RETRY_MAX_SECONDS = env.float("WOO_RETRY_MAX_SECONDS", default=120.0)
WOO_RETRY_BASE_DELAY = env.float("WOO_RETRY_BASE_DELAY", default=1.0)
# A CA bundle to trust for stores with a private certificate (empty = the system's).
WOO_CA_BUNDLE = env.str("WOO_CA_BUNDLE", default="")

# --- Klarna and Adyen payouts --------------------------------------------------------------------------
# Empty = Klarna's regional host (EU, NA, OC; production or playground); a simulator root replaces it.
KLARNA_API_ROOT = env.str("KLARNA_API_ROOT", default="")
KLARNA_RETRY_MAX_ATTEMPTS = env.int("KLARNA_RETRY_MAX_ATTEMPTS", default=5)
KLARNA_RETRY_MAX_SECONDS = env.float("KLARNA_RETRY_MAX_SECONDS", default=120.0)
KLARNA_RETRY_BASE_DELAY = env.float("KLARNA_RETRY_BASE_DELAY", default=1.0)
# Empty = Adyen's report download host (https://ca-live.adyen.com or https://ca-test.adyen.com).
ADYEN_REPORTS_ROOT = env.str("ADYEN_REPORTS_ROOT", default="")
ADYEN_RETRY_MAX_ATTEMPTS = env.int("ADYEN_RETRY_MAX_ATTEMPTS", default=5)
ADYEN_RETRY_MAX_SECONDS = env.float("ADYEN_RETRY_MAX_SECONDS", default=120.0)
ADYEN_RETRY_BASE_DELAY = env.float("ADYEN_RETRY_BASE_DELAY", default=1.0)
PAYOUT_HTTP_CONNECT_TIMEOUT = env.float("PAYOUT_HTTP_CONNECT_TIMEOUT", default=10.0)
PAYOUT_HTTP_READ_TIMEOUT = env.float("PAYOUT_HTTP_READ_TIMEOUT", default=60.0)

# --- Shopify connector: contracts and transport ---------------------------------------------------------
# The Admin API version is pinned in code (integrations/connectors/shopify/version.py), not here.
SHOPIFY_HTTP_CONNECT_TIMEOUT = env.float("SHOPIFY_HTTP_CONNECT_TIMEOUT", default=5.0)
SHOPIFY_HTTP_READ_TIMEOUT = env.float("SHOPIFY_HTTP_READ_TIMEOUT", default=60.0)
SHOPIFY_RETRY_MAX_ATTEMPTS = env.int("SHOPIFY_RETRY_MAX_ATTEMPTS", default=5)
SHOPIFY_RETRY_MAX_SECONDS = env.float("SHOPIFY_RETRY_MAX_SECONDS", default=120.0)
SHOPIFY_RETRY_BASE_DELAY = env.float("SHOPIFY_RETRY_BASE_DELAY", default=1.0)

# --- Logging ---------------------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Preflight (BC health check) ------------------------------------------------------------------------
PREFLIGHT_SERIES_WARN_REMAINING = env.int("PREFLIGHT_SERIES_WARN_REMAINING", default=100)
PREFLIGHT_EXCHANGE_RATE_MAX_AGE_DAYS = env.int("PREFLIGHT_EXCHANGE_RATE_MAX_AGE_DAYS", default=14)
PREFLIGHT_ORDER_LOOKBACK_DAYS = env.int("PREFLIGHT_ORDER_LOOKBACK_DAYS", default=90)

# --- Hardening: sign-in throttling, outbound hosts -------------------------------------------------------
# Failed sign-ins allowed per account and per address within the lockout window, then refused.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
# Hosts an API root or shop domain may name although they are local or private (on-premises BC), or
# plain http; comma-separated. Empty: only https hosts on the public internet.
OUTBOUND_HOST_ALLOWLIST = env.list("OUTBOUND_HOST_ALLOWLIST", default=[])

# --- Hardening: Content-Security-Policy (django-csp) ------------------------------------------------------
# Scripts and styles come from our own static files only: no inline <script>/<style>, no inline
# handlers or style attributes, nothing from other origins; no framing, forms post back to us
# (and their redirects may reach the sign-in origins: junipeer_bc/form_targets.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
