"""JobTrax settings: one module, driven by the environment (see README, "Production")."""

import os
import secrets
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from jobtrax.env import env_bool, env_float, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("JOBTRAX_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off")
    # A development key kept on disk, so sessions survive a restart of `make run`.
    path = VAR_DIR / "dev-secret-key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's sessions page uses naturaltime
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "anymail",
    "jobtrax",
    "assistant",
    # Each app declares its personal data when it is ready (its personal_data.py); the export,
    # the "Your data" page and the retention commands list them in this order.
    "accounts",
    "logs_retention",
    "consent",
    "privacy",
    "rights",
    "jobs",
    "importer",
    "inbox",
    "support",
    # The API calls the tracker and the importer, so it comes after them.
    "api",
]

MIDDLEWARE = [
    # First, so an error anywhere below reaches Sentry without what the person typed.
    "jobtrax.sentry.SentrySubmittedValuesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "jobtrax.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files are never logged; outside the rest, so it times them.
    "logs_retention.requestlog.RequestLogMiddleware",
    "jobtrax.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: answers the extension's CORS preflight and adds the API's CORS and rate
    # limit headers; nothing else.
    "api.middleware.ApiEdgeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside authentication, so it knows who is signed in: their pages and downloads no-store.
    "jobtrax.middleware.private_responses_not_stored",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, its policy built once per settings (jobtrax/csp.py).
    "jobtrax.csp.MemoCSPMiddleware",
    # Inside the CSP middleware, so its 400 page gets a nonce like every other page.
    "jobtrax.middleware.refuse_nul_bytes",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's activity tracking, throttled (accounts/sessions.py).
    "accounts.sessions.SessionActivityMiddleware",
    "accounts.middleware.StaffSecurityMiddleware",
    # After the CSP middleware, so the analytics host it allows reaches the CSP header.
    "consent.middleware.ConsentMiddleware",
]

ROOT_URLCONF = "jobtrax.urls"
WSGI_APPLICATION = "jobtrax.wsgi.application"

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
                "jobtrax.context_processors.site",
                "consent.context_processors.consent",
                # After Django's built-in one: the same token, masked at a fraction of the cost.
                "jobtrax.csrf.context_processor",
            ],
            # `{% url %}` remembering constant addresses (jobtrax/templatetags/memo_url.py).
            # `{% static %}` remembering literal files' addresses, in the templates every page
            # renders without `{% load static %}` (jobtrax/templatetags/memo_static.py).
            "builtins": ["jobtrax.templatetags.memo_url", "jobtrax.templatetags.memo_static"],
        },
    },
]

# Inputs, text areas and selects rendered in Python, the same as Django's templates render them
# (jobtrax/forms_renderer.py): a select no longer costs one template render per option.
FORM_RENDERER = "jobtrax.forms_renderer.FastRenderer"

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jobtrax.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, keeping one client object per process.
            "BACKEND": "jobtrax.cache.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jobtrax",
            # An unreachable Redis fails fast: the notice and consent then read the database,
            # and rate-limited actions answer 503 (jobtrax/cache.py, jobtrax/views.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions read through Redis, kept in the database (jobtrax/sessions.py).
    SESSION_ENGINE = "jobtrax.sessions"
else:
    # A real cache, so allauth's rate limits count. One per process: run a single
    # web process without Redis, or set REDIS_URL. Sessions stay in the database alone: a
    # per-process cache would keep a session another process ended.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's cookie-then-session storage, made only when a request uses messages.
MESSAGE_STORAGE = "jobtrax.messages.LazyFallbackStorage"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# The first hasher hashes; the others only verify old hashes, which are upgraded at the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.JobtraxArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator"},
]

# django-allauth: email is the only identifier.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up signs the person in (allauth does so
# only there: a link opened elsewhere still asks for the password).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", 300, minimum=30)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "change_email": "1/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    # The contact form (support.services.contact_allowed): per IP address and per reply-to address.
    "contact": "5/10m/ip,3/10m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[JobTrax] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
LOGIN_REDIRECT_URL = "jobs:board"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "JobTrax"
USERSESSIONS_TRACK_ACTIVITY = True
# The "signed-in devices" list's last activity is rewritten at most this often per session.
USERSESSIONS_ACTIVITY_MINUTES = env_int("USERSESSIONS_ACTIVITY_MINUTES", 5, minimum=1)
# Signed-in pages' costly parts kept in the cache until the person's data changes
# (jobtrax/pagecache.py); off, every request renders them.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# The signed-in account read through Redis, a copy ended by every write to its row
# (accounts/snapshots.py). Only with Redis: a per-process cache would miss other processes'
# writes.
ACCOUNT_CACHE = bool(REDIS_URL) and env_bool("ACCOUNT_CACHE", True)

# Staff console: staff sessions end after this many idle minutes; dashboards group places with
# fewer than STAFF_K_ANONYMITY accounts into "Other".
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
STAFF_K_ANONYMITY = env_int("STAFF_K_ANONYMITY", 10, minimum=2)

# Who we are and how to reach us: rendered into the notice and the contact page.
JOBTRAX_COMPANY_NAME = env_str("JOBTRAX_COMPANY_NAME", "JobTrax, Inc.")
JOBTRAX_PRIVACY_EMAIL = env_str("JOBTRAX_PRIVACY_EMAIL", "privacy@jobtrax.example")
JOBTRAX_SUPPORT_EMAIL = env_str("JOBTRAX_SUPPORT_EMAIL", "support@jobtrax.example")
JOBTRAX_MINIMUM_AGE = env_int("JOBTRAX_MINIMUM_AGE", 18, minimum=18)

# The privacy notice. Emails about a material change go out in batches of this size.
PRIVACY_NOTICE_EMAIL_BATCH_SIZE = env_int("PRIVACY_NOTICE_EMAIL_BATCH_SIZE", 200, minimum=1)
# A mailing with no progress for this long is restarted by the beat job (see jobtrax/celery.py).
PRIVACY_NOTICE_EMAIL_STALL_MINUTES = env_int("PRIVACY_NOTICE_EMAIL_STALL_MINUTES", 15, minimum=1)
# Processor categories (notice section 4.1), listed at /privacy/processors/ and in the notice.
# A category is active in this deployment only while a setting named by "active_if" is set
# (None: always active). Name the providers you use in the *_PROVIDER(S) settings.
PRIVACY_HOSTING_PROVIDER = env_str("PRIVACY_HOSTING_PROVIDER", "a cloud hosting provider")
PRIVACY_PAYMENTS_PROVIDER = env_str("PRIVACY_PAYMENTS_PROVIDER")
PRIVACY_AI_PROVIDERS = env_list("PRIVACY_AI_PROVIDERS")
PRIVACY_PROCESSORS = [
    {
        "key": "hosting",
        "name": "Hosting",
        "examples": "AWS, Azure",
        "provider_setting": "PRIVACY_HOSTING_PROVIDER",
        "purpose": "Runs our servers and databases.",
        "data_sent": "Everything JobTrax stores: your account, location, logs and records.",
        "active_if": None,
    },
    {
        "key": "email",
        "name": "Email delivery",
        "examples": "an SMTP relay",
        "provider_setting": "",
        "purpose": "Delivers account emails: verification, password resets, security alerts "
        "and notices about this privacy notice.",
        "data_sent": "Your email address and the content of the message.",
        "active_if": "EMAIL_HOST",
    },
    {
        "key": "error_tracking",
        "name": "Error tracking",
        "examples": "Sentry",
        "provider_setting": "",
        "purpose": "Reports crashes and slow pages so we can fix them.",
        "data_sent": "The technical details of an error (page address, code location, browser "
        "type). Email addresses, IP addresses and form contents are removed first.",
        "active_if": "SENTRY_DSN",
    },
    {
        "key": "analytics",
        "name": "Analytics",
        "examples": "Google Analytics",
        "provider_setting": "",
        "purpose": "Aggregate usage statistics, only with your consent.",
        "data_sent": "Pages visited, browser type and an analytics cookie id, only after you "
        "accept analytics cookies.",
        "active_if": ["CONSENT_ANALYTICS_GA4_ID", "CONSENT_ANALYTICS_SCRIPT_URL"],
    },
    {
        "key": "payments",
        "name": "Payments",
        "examples": "Stripe",
        "provider_setting": "PRIVACY_PAYMENTS_PROVIDER",
        "purpose": "Takes payment for paid features. We never store full card numbers.",
        "data_sent": "Your email address and the payment details you enter on their form.",
        "active_if": "PRIVACY_PAYMENTS_PROVIDER",
    },
    {
        "key": "ai",
        "name": "AI providers",
        "examples": "OpenAI, Google, Anthropic",
        "provider_setting": "PRIVACY_AI_PROVIDERS",
        "purpose": "Powers the optional writing assistant.",
        "data_sent": "Only the text you ask the assistant to work on, with our instruction; "
        "no email address, location, IP address or account id.",
        # Exactly what is and is not guaranteed: the request has no switch that turns training
        # off, so the page says so rather than promise one (assistant/client.py).
        "training": "What JobTrax guarantees: each request carries only that text and asks the "
        'provider not to keep it ("store": false, which OpenAI\'s API honours; another '
        "OpenAI-compatible provider may ignore it). What it cannot guarantee: no request "
        "field turns model training off. Whether a provider trains on your text depends on "
        "its terms for API data and on the settings of our account with it: OpenAI states "
        "that it does not train on data sent to its API unless the customer opts in. JobTrax "
        "cannot check a provider's internal handling.",
        "active_if": ["AI_API_URL", "PRIVACY_AI_PROVIDERS"],
    },
    {
        # Not a processor: the sites that publish the postings a user imports by link.
        "key": "job_boards",
        "name": "Job boards' public APIs and sites you import from",
        "examples": "Greenhouse, Lever, Ashby, SmartRecruiters, Recruitee, Workable, Workday, "
        "or the company's own careers page",
        "provider_setting": "",
        "purpose": "Give JobTrax the job posting you asked to import by its link.",
        "data_sent": "Only the posting's address (URL), requested from JobTrax's servers: not "
        "your IP address, no cookies and nothing else about you.",
        "active_if": None,
        "recipient": True,
    },
]

# Coarse location: a MaxMind Country or City database. Only the country and the region are kept.
GEOIP_COUNTRY_DB = env_str("GEOIP_COUNTRY_DB")

# Mail: SMTP when EMAIL_HOST is set, otherwise one .eml file per message in a local folder.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "jobtrax.mail.FolderEmailBackend"
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JobTrax <no-reply@jobtrax.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("MEDIA_ROOT", str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if not env_bool("STATIC_MANIFEST", not DEBUG)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_MANIFEST_STRICT = False

# Security. SECURE_HTTPS is on in production; turn it off only to serve plain HTTP on a
# private host (the test suite does, to talk to its live server).
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only makes the site eligible for the browsers' preload list; a
# person still submits it. Set SECURE_HSTS_PRELOAD=false for a domain whose subdomains
# cannot all serve HTTPS.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Browser features no page of JobTrax uses, switched off for the page and anything it embeds
# (the analytics tag included): devices, sensors, payments and the advertising APIs. Only
# features browsers know are named (Chromium logs an error for each unknown one). Passkeys
# (publickey-credentials-*) stay off while MFA_SUPPORTED_TYPES has no "webauthn".
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "compute-pressure",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "window-management",
    "xr-spatial-tracking",
]

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

# Celery: Redis when REDIS_URL is set, otherwise an embedded filesystem transport, so that a
# worker and one beat really run the schedule on the default setup.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Longer than the longest retention run, so a running task is never redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# Sentry: started only when SENTRY_DSN is set; events are scrubbed of personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "jobtrax.logscrub.ScrubbingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger writes the full path of every 4xx; keep it to warnings.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # httpx and httpcore log every URL they fetch at INFO and DEBUG; the importer's URLs
        # are the postings a user looked at.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from jobtrax.sentry import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces=SENTRY_TRACES_SAMPLE_RATE)
CSRF_FAILURE_VIEW = "jobtrax.views.csrf_failure"
# Behind one reverse proxy that appends the client's address to X-Forwarded-For, set
# TRUST_X_FORWARDED_FOR=true: jobtrax.net.client_ip then reads the hop it appended, for the
# request log, consent proof, GeoIP and rate limits alike (allauth's adapter asks it too).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUST_X_FORWARDED_FOR else 0

# Consent (notice sections 2, 3, 5, 10, 11). Change CONSENT_CONFIG_VERSION when the categories
# change: earlier choices then no longer count, and everyone is asked again.
CONSENT_CONFIG_VERSION = env_str("CONSENT_CONFIG_VERSION", "1")
# The analytics tag: a GA4 measurement id (G-...), or the URL of another analytics script.
CONSENT_ANALYTICS_GA4_ID = env_str("CONSENT_ANALYTICS_GA4_ID")
CONSENT_ANALYTICS_SCRIPT_URL = env_str("CONSENT_ANALYTICS_SCRIPT_URL")
CONSENT_ANALYTICS_TAG = CONSENT_ANALYTICS_GA4_ID or CONSENT_ANALYTICS_SCRIPT_URL
# Cookies expired on withdrawal besides _ga and _ga_*, and the domain the tag sets them on.
CONSENT_ANALYTICS_COOKIE_NAMES = env_list("CONSENT_ANALYTICS_COOKIE_NAMES")
CONSENT_ANALYTICS_COOKIE_DOMAIN = env_str("CONSENT_ANALYTICS_COOKIE_DOMAIN")
CONSENT_COOKIE_NAME = "jobtrax_consent"
CONSENT_COOKIE_MAX_AGE_DAYS = env_int("CONSENT_COOKIE_MAX_AGE_DAYS", 365, minimum=1)
CONSENT_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("CONSENT_UNSUBSCRIBE_MAX_AGE_DAYS", 60, minimum=1)
CONSENT_CAMPAIGN_BATCH_SIZE = env_int("CONSENT_CAMPAIGN_BATCH_SIZE", 200, minimum=1)
CONSENT_GPC_LAST_UPDATE = env_str("CONSENT_GPC_LAST_UPDATE", "2026-11-29")

# Retention windows (days). Each retention policy declares its window's one default beside its
# rules, in its app's personal_data.py; the notice renders the same figures. An environment
# variable named after a policy's setting (RETENTION_..._DAYS) overrides it; `manage.py check`
# flags one that no policy declares.
for _name in sorted(os.environ):
    if _name.startswith("RETENTION_") and _name.endswith("_DAYS"):
        globals()[_name] = env_int(_name, 1, minimum=1)
# Rows per batch: each batch is one short transaction (tens of milliseconds at 20,000 log rows
# on PostgreSQL, see benchmarks/purge.py); fewer, larger batches spend less on round trips.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 20_000, minimum=1)
# A lock held by a killed run expires after this long; each batch renews it.
RETENTION_LOCK_SECONDS = env_int("RETENTION_LOCK_SECONDS", 600, minimum=1)
# An optional pause between batches, to leave the database room under load.
RETENTION_BATCH_PAUSE_SECONDS = env_float("RETENTION_BATCH_PAUSE_SECONDS", 0.0)

# Request log: buffered in each process and written in batches by a background thread.
REQUEST_LOG_ENABLED = env_bool("REQUEST_LOG_ENABLED", True)
REQUEST_LOG_BATCH = env_int("REQUEST_LOG_BATCH", 200, minimum=1)
REQUEST_LOG_FLUSH_SECONDS = env_float("REQUEST_LOG_FLUSH_SECONDS", 2.0)
REQUEST_LOG_BACKGROUND_FLUSH = env_bool("REQUEST_LOG_BACKGROUND_FLUSH", True)

# The optional writing assistant (notice section 16): an OpenAI-compatible chat-completions
# endpoint. Off unless AI_API_URL is set. Only the user's text and a fixed instruction are sent.
AI_API_URL = env_str("AI_API_URL")
AI_API_KEY = env_str("AI_API_KEY")
AI_MODEL = env_str("AI_MODEL", "gpt-4o-mini")
AI_TIMEOUT = env_int("AI_TIMEOUT", 30, minimum=1)
AI_MAX_INPUT_CHARS = env_int("AI_MAX_INPUT_CHARS", 4000, minimum=100)
# The notice says our accounts with AI providers opt out of model training where the provider
# offers it: no request field can, so the operator confirms it here, and `check --deploy`
# fails while the assistant is on without this confirmation.
AI_TRAINING_OPT_OUT_CONFIRMED = env_bool("AI_TRAINING_OPT_OUT_CONFIRMED", False)

# Data-subject rights (rights).
RIGHTS_DELETION_GRACE_DAYS = env_int("RIGHTS_DELETION_GRACE_DAYS", 14, minimum=0)
RIGHTS_EXPORT_INTERVAL_HOURS = env_int("RIGHTS_EXPORT_INTERVAL_HOURS", 24, minimum=1)
# An export with no sign of life for this long (its worker was killed) is restarted by the beat
# job, and no longer stops its owner from asking again; after this many builds, it fails.
RIGHTS_EXPORT_STALL_MINUTES = env_int("RIGHTS_EXPORT_STALL_MINUTES", 15, minimum=1)
RIGHTS_EXPORT_MAX_ATTEMPTS = env_int("RIGHTS_EXPORT_MAX_ATTEMPTS", 3, minimum=1)
# Where exports are built (CSVs, the zip before it is stored): shared by every worker, emptied
# after each build, and swept of anything older than a day that a killed build left.
RIGHTS_EXPORT_WORK_DIR = env_str("RIGHTS_EXPORT_WORK_DIR", str(VAR_DIR / "exports-tmp"))
RIGHTS_VERIFICATION_CODE_HOURS = env_int("RIGHTS_VERIFICATION_CODE_HOURS", 72, minimum=1)
RIGHTS_ERASE_BATCH_SIZE = env_int("RIGHTS_ERASE_BATCH_SIZE", 2000, minimum=1)
# Key of the hash kept in deletion receipts; defaults to SECRET_KEY. Keep it stable.
RIGHTS_RECEIPT_HMAC_KEY = env_str("RIGHTS_RECEIPT_HMAC_KEY")

# The job tracker. Follow-up reminder emails go out in batches of this size.
JOBS_REMINDER_BATCH_SIZE = env_int("JOBS_REMINDER_BATCH_SIZE", 200, minimum=1)
# A follow-up missed by the daily run (the worker was down) is still reminded this many days
# after its date, once.
JOBS_REMINDER_GRACE_DAYS = env_int("JOBS_REMINDER_GRACE_DAYS", 3, minimum=0)
# Interview reminder emails go out this many hours before the interview, once per interview.
JOBS_INTERVIEW_REMINDER_HOURS = env_int("JOBS_INTERVIEW_REMINDER_HOURS", 24, minimum=1)
# The private calendar feed holds interviews from this many days back onwards.
JOBS_FEED_PAST_DAYS = env_int("JOBS_FEED_PAST_DAYS", 90, minimum=1)
# An application with no activity for this many days is proposed for "Ghosted", once.
JOBS_GHOSTED_DAYS = env_int("JOBS_GHOSTED_DAYS", 21, minimum=1)
# A Unicode TrueType font for the work-search record's PDF; without one, the PDF's built-in
# Helvetica (Latin-1) is used.
WORK_SEARCH_PDF_FONT = env_str(
    "WORK_SEARCH_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

# The job importer's fetcher (importer/fetch.py): what a link import may fetch, and how much.
# Forwarded emails (inbox/): the domain of the forwarding addresses; unset turns the feature off.
INBOUND_EMAIL_DOMAIN = env_str("INBOUND_EMAIL_DOMAIN", "").strip().lower()
INBOUND_EMAIL_MAX_BYTES = env_int("INBOUND_EMAIL_MAX_BYTES", 1_000_000, minimum=10_000)
INBOUND_EMAIL_DAILY_LIMIT = env_int("INBOUND_EMAIL_DAILY_LIMIT", 50, minimum=1)
# The inbound webhook (django-anymail, Postmark): basic-auth "user:password" Postmark sends.
# Without it the webhook is not served at all.
INBOUND_WEBHOOK_SECRET = env_str("INBOUND_WEBHOOK_SECRET", "")
ANYMAIL = {"WEBHOOK_SECRET": INBOUND_WEBHOOK_SECRET} if INBOUND_WEBHOOK_SECRET else {}

IMPORTER_FETCH_TIMEOUT = env_float("IMPORTER_FETCH_TIMEOUT", 10.0)
IMPORTER_MAX_BYTES = env_int("IMPORTER_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
IMPORTER_MAX_REDIRECTS = env_int("IMPORTER_MAX_REDIRECTS", 3, minimum=0)
IMPORTER_LINK_IMPORTS_PER_HOUR = env_int("IMPORTER_LINK_IMPORTS_PER_HOUR", 60, minimum=1)
# A link import not read this long after it started is failed and its URL erased (every minute).
IMPORTER_LINK_DEADLINE_SECONDS = env_int("IMPORTER_LINK_DEADLINE_SECONDS", 120, minimum=30)
# Pasted pages (and pages the bookmarklet sends) are read in the web process: counted apart.
IMPORTER_PASTE_IMPORTS_PER_HOUR = env_int("IMPORTER_PASTE_IMPORTS_PER_HOUR", 60, minimum=1)
# A page listing this many postings or more is refused: the user opens the one they want.
IMPORTER_MAX_POSTINGS = env_int("IMPORTER_MAX_POSTINGS", 50, minimum=2)
# Lets the fetcher reach 127.0.0.0/8 and ::1, where the test suite serves its fake sites. Never
# anything else private, and refused outright with production's HTTPS settings.
IMPORTER_ALLOW_LOOPBACK = env_bool("IMPORTER_ALLOW_LOOPBACK", False)
if IMPORTER_ALLOW_LOOPBACK and SECURE_HTTPS:
    raise ImproperlyConfigured(
        "IMPORTER_ALLOW_LOOPBACK is for the test suite only and cannot be on with SECURE_HTTPS"
    )

# The API (api/): personal access tokens and their rate limit (per token, on the cache).
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120, minimum=1)

# Job importer: the public JSON APIs of the job boards and ATSs read for a pasted link. Only these
# hosts are called for a known board; tests point them at a loopback server. `{company}`,
# `{tenant}`, `{wd}` and `{site}` are filled in from the posting's link.
IMPORTER_GREENHOUSE_API = env_str("IMPORTER_GREENHOUSE_API", "https://boards-api.greenhouse.io")
IMPORTER_LEVER_API = env_str("IMPORTER_LEVER_API", "https://api.lever.co")
IMPORTER_LEVER_EU_API = env_str("IMPORTER_LEVER_EU_API", "https://api.eu.lever.co")
IMPORTER_ASHBY_API = env_str("IMPORTER_ASHBY_API", "https://api.ashbyhq.com")
IMPORTER_SMARTRECRUITERS_API = env_str(
    "IMPORTER_SMARTRECRUITERS_API", "https://api.smartrecruiters.com"
)
IMPORTER_RECRUITEE_API = env_str("IMPORTER_RECRUITEE_API", "https://{company}.recruitee.com/api")
IMPORTER_WORKABLE_API = env_str("IMPORTER_WORKABLE_API", "https://apply.workable.com/api")
IMPORTER_WORKDAY_API = env_str(
    "IMPORTER_WORKDAY_API", "https://{tenant}.{wd}.myworkdayjobs.com/wday/cxs/{tenant}/{site}"
)
