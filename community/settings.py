"""Mutua settings: one module, configured from the environment.

Without any environment the site runs on the embedded default (SQLite, in-memory channel layer,
local-memory cache, console e-mail). Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=0,
ALLOWED_HOSTS and the e-mail variables; see README.md for the full list.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from community.mail import mailers_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# A development key only exists with DEBUG on: production must bring its own.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "community",
    "members",
    "forums",
    "content",
    "metrics",
    "plans",
    "wagtail.api.v2",
]

MIDDLEWARE = [
    # Outermost, so that every error answer under /api/ is JSON, whichever layer gave it.
    "community.api_errors.ApiErrorsAsJson",
    # Before anything looks the address up (sessions, Wagtail's redirects): NUL never reaches a query.
    "community.bad_input.RefuseBadInput",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "community.headers.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's: a member whose role requires two-factor sign-in enrols before anything else.
    "members.mfa.require_enrolment",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "metrics.middleware.record_visit",
]

ROOT_URLCONF = "community.urls"
ASGI_APPLICATION = "community.asgi.application"
WSGI_APPLICATION = None

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Behind PgBouncer in transaction mode a cursor cannot outlive its transaction's server connection:
# `.iterator()` then fetches in chunks client-side instead of through a named server-side cursor.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # Sized on purpose: the defaults (100 pooled connections, 100 messages a group)
                # fail under a burst of sockets.
                # redis-py's 5 s read timeout equals channels-redis's 5 s blocking receive, so an idle
                # socket's read timed out and closed live connections: wait longer than the receive.
                # After Redis restarts, the pooled connections are dead, redis-py's async pool hands
                # them out all the same and does not retry by default: the first command on each
                # failed (the first WebSocket handshake was a 500). One retry on a new connection, for
                # a lost connection only (never a timeout, which could repeat a command Redis ran).
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env.int("REDIS_MAX_CONNECTIONS", default=1000),
                        "socket_timeout": 10,
                        "socket_connect_timeout": 2,
                        "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                    }
                ],
                "capacity": env.int("CHANNEL_CAPACITY", default=1000),
                "prefix": env("CHANNEL_PREFIX", default="mutua"),
            },
        }
    }
    # Fail-soft (community/cache.py): with Redis down, pages, sign-in and the API work without the
    # cache. Short timeouts, so that a Redis that hangs costs a fraction of a second, not redis-py's 5 s.
    # (The sync pool the cache uses replaces a connection Redis closed before handing it out.)
    CACHES = {
        "default": {
            "BACKEND": "community.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", default="mutua"),
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (Wagtail's search-index updates among them): run inline on the embedded default,
# where no worker runs; queued in the database for `manage.py db_worker` in production.
_TASKS_DEFAULT = "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default=_TASKS_DEFAULT)}}

AUTH_USER_MODEL = "members.Member"
# Django's and allauth's backends, loading the member with the header's counts in one query
# (members.auth_backends). Sessions made under the plain backends' names sign in again once.
AUTHENTICATION_BACKENDS = [
    "members.auth_backends.MemberBackend",
    "members.auth_backends.MemberAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"  # members.adapters sends a member with an empty profile to fill it first
ACCOUNT_SIGNUP_REDIRECT_URL = "members:edit-profile"  # a newcomer's first landing, once verified
LOGIN_URL = "account_login"

# django-allauth: e-mail and password, verified e-mail before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "members.validators.handle_validators"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/h/ip"}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "members.adapters.MemberAccountAdapter"
# The account pages in Mutua's words, with the rules shown up front (members.account_forms).
ACCOUNT_FORMS = {
    name: f"members.account_forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mutua] "  # not the host name allauth would use without a Site
# Every other sign-in page hands over to allauth's (members.views.signin); the token endpoint applies
# its rules through members.signin.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Two-factor sign-in (allauth.mfa, /accounts/2fa/): authenticator apps (TOTP) with recovery codes,
# and security keys or passkeys (WebAuthn) as a second factor. Required for the roles listed in
# MFA_REQUIRED_ROLES (comma-separated role names; empty: optional for everyone), see members.mfa.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Mutua"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 on `make run`
MFA_REQUIRED_ROLES = [name.strip() for name in env.list("MFA_REQUIRED_ROLES", default=["administrator"]) if name.strip()]
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # pages restricted to signed-in readers

# How many proxies of ours stand in front of Daphne (0: visitors connect directly). The client
# address every rate limit counts by is decided from it in one place, community.proxies; allauth
# and DRF get the same number for any code path of theirs that reads the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mutua <community@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Production must deliver mail (sign-up verification, password resets): EMAIL_URL is required then.
EMAIL_URL = env("EMAIL_URL", default="") if DEBUG else env("EMAIL_URL")
MAILERS = mailers_from_url(EMAIL_URL)

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Django serves uploads itself unless a proxy in front does (set SERVE_MEDIA=0 then).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# How long the signed link to a data archive (a member's own, an administrator's export) works.
DATA_EXPORT_LINK_MAX_AGE = env.int("DATA_EXPORT_LINK_MAX_AGE", default=7 * 24 * 3600)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (avatars, images, documents, data archives) on this host's disk, or in an S3-compatible
# bucket that web processes on several hosts share. The bucket stays private: every URL to it is
# signed and expires, and a document's only after Mutua's permission check (content/wagtail_hooks.py).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
MEDIA_ORIGIN = ""  # where the browser fetches uploads from, when not from this site (for the CSP)
# How long a library document's signed address works after the check that let its reader in.
DOCUMENT_URL_EXPIRY = env.int("DOCUMENT_URL_EXPIRY", default=60)
if MEDIA_STORAGE == "s3":
    _bucket = env("AWS_STORAGE_BUCKET_NAME")
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="")  # MinIO, Ceph, R2…; empty for AWS itself
    _region = env("AWS_S3_REGION_NAME", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "querystring_auth": True,
            "querystring_expire": env.int("MEDIA_URL_EXPIRY", default=3600),
            "file_overwrite": False,
            "signature_version": "s3v4",
            # Self-hosted stores answer at one host name, the bucket in the path.
            "addressing_style": "path" if _endpoint else "virtual",
        },
    }
    if _endpoint:
        MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))
    else:
        MEDIA_ORIGIN = f"https://{_bucket}.s3.{_region}.amazonaws.com" if _region else f"https://{_bucket}.s3.amazonaws.com"
    MEDIA_ORIGIN = env("MEDIA_ORIGIN", default=MEDIA_ORIGIN)
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE is {MEDIA_STORAGE!r}: use local (the default) or s3.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "members.mfa.TokenAuthentication",  # DRF's, refusing members who must enrol in two-factor sign-in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "community.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "members.throttles.NewMemberRateThrottle",
        "members.throttles.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="60/min"),
        "new_member": env("THROTTLE_NEW_MEMBER", default="120/min"),
        # The token endpoint, every request per client address: allauth's own per-address limit.
        "sign_in": env("THROTTLE_SIGN_IN", default="10/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mutua API",
    "DESCRIPTION": "Members, profiles, skills and, as the product grows, the reciprocity ledger.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["community.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "community.schema.declare_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files (a PyPI package), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IntroductionAnswerEnum": "members.models.Introduction.Answer",
        # One frequency per kind of mail: every preference field shares the one choice set.
        "MailFrequencyEnum": "members.models.MailFrequency",
        # The forums have several `kind`s and `status`es: each gets its own name.
        "ForumGroupKindEnum": "forums.models.Group.Kind",
        # A plan's status and an objective's progress status.
        "PlanStatusEnum": "plans.models.Plan.Status",
        "ObjectiveStatusEnum": "plans.selectors.OBJECTIVE_STATUSES",
        "ForumGroupVisibilityEnum": "forums.models.Group.Visibility",
        "ForumGroupPolicyEnum": "forums.models.Group.Policy",
        "ForumMembershipStatusEnum": "forums.models.GroupMembership.Status",
        "ForumMembershipRoleEnum": "forums.models.GroupMembership.Role",
        "ForumThreadKindEnum": "forums.models.Thread.Kind",
        "ForumPostStatusEnum": "forums.models.Post.Status",
        "ForumReactionKindEnum": "forums.models.Reaction.Kind",
        "ForumTrustLevelEnum": "forums.models.TrustLevel",
    },
}

WAGTAIL_SITE_NAME = "Mutua"
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
# Stemmed search on both databases: PostgreSQL with the English configuration (changing it needs
# `manage.py update_index`), SQLite with FTS5's Porter tokenizer (content migration 0004).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}}
# Uploads to the library and articles: office documents and images only, within sizes a reader can fetch.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "md"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents go through Django, so privacy settings apply

# Members younger than this many days count as new: tighter rate limits apply to them.
NEW_MEMBER_DAYS = env.int("NEW_MEMBER_DAYS", default=7)

AVATAR_MAX_BYTES = 2 * 1024 * 1024
# E-mail notifications (members.mailing): the hour daily and weekly digests go out from.
MAIL_DIGEST_HOUR = env.int("MAIL_DIGEST_HOUR", default=7)  # local time (TIME_ZONE)
MAIL_DIGEST_WEEKDAY = env.int("MAIL_DIGEST_WEEKDAY", default=0)  # 0 is Monday

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task start and end drowns what matters (failures are still logged, as errors).
        "django.tasks": {"level": "WARNING"},
    },
}

# Content-Security-Policy: our pages run only our own static scripts and styles (no inline script, no
# CDN) and are never framed. Inline style *attributes* stay allowed: members' Markdown tables align
# columns with style="text-align: …", the only property nh3 lets through.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],  # the live-update WebSockets: 'self' covers ws(s) to this host
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Django's admin and Swagger UI (from drf-spectacular-sidecar) set inline styles and data: images;
# still no inline script and no other origin.
_CSP_TOOLS = {
    **SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF, "data:"],
}
CSP_BY_PATH_PREFIX = {
    # Wagtail 8's editor still writes inline scripts (its date and time pickers, inline panels)
    # and frames its own page previews: inline script for staff in /cms/ only, and no other origin.
    "/cms/": {
        **_CSP_TOOLS,
        "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "frame-src": [CSP.SELF],
        "frame-ancestors": [CSP.SELF],
    },
    "/admin/": _CSP_TOOLS,
    "/api/docs/": _CSP_TOOLS,
    # Vega compiles its chart expressions with Function(): the reports (read by sponsors, managers
    # and administrators; no member-written HTML) allow eval, still no inline script.
    "/metrics/": {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_EVAL]},
    # The plans' burn-up charts are drawn by the same Vega code (staff only, no member-written HTML).
    "/plans/": {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_EVAL]},
}
# Wagtail's admin would fetch every editor's avatar from gravatar.com, telling it who uses the CMS.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Browser features no page here uses.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
)

if not DEBUG:
    # The __Host- prefix: the browser keeps these cookies only if they are Secure, for path / and
    # this host alone (no Domain), so no sibling subdomain can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
