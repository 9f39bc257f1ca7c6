"""JobPilot settings: 12-factor, everything that differs between machines comes from the environment.

`DATABASE_URL` unset starts an embedded PostgreSQL under `.jobpilot/`; `REDIS_URL` unset runs tasks in-process and
uses an in-memory channel layer, so the quick start needs nothing but Python.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

# The sentence encoder (matching.embeddings) runs its matrix products in OpenBLAS. Its threads spin while they wait
# for a core, so on a shared or loaded host one thread per process is ~10x faster than one per core (ADR 0024);
# scale with processes. Set before numpy is first imported (settings load first); an explicit value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-jobpilot-development-only"  # noqa: S105 - only ever used with DEBUG on

BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
# NOTE: host validation is done by the tenant middleware against the Domain table (unknown host -> 404), which is
# the only list that knows every tenant's custom domain. ALLOWED_HOSTS can narrow it further.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
SITE_URL = env("SITE_URL", default=f"http://{BASE_DOMAIN}:8000" if DEBUG else f"https://{BASE_DOMAIN}")
# Custom domains: employers point a CNAME at CUSTOM_DOMAIN_TARGET (apex domains: an A/AAAA record to one of
# CUSTOM_DOMAIN_ADDRESSES, or their DNS host's ALIAS). Ownership is checked with a TXT record through the system's
# resolvers, or DNS_NAMESERVERS ("host" or "host:port") when set.
CUSTOM_DOMAIN_TARGET = env("CUSTOM_DOMAIN_TARGET", default=f"sites.{BASE_DOMAIN}")
CUSTOM_DOMAIN_ADDRESSES = env.list("CUSTOM_DOMAIN_ADDRESSES", default=[])
DNS_NAMESERVERS = env.list("DNS_NAMESERVERS", default=[])
DNS_LIFETIME_SECONDS = env.float("DNS_LIFETIME_SECONDS", default=5.0)

# --- Applications -------------------------------------------------------------------------------------------------
# Shared apps live in the public schema; tenant apps get their tables in every employer's schema.
SHARED_APPS = [
    "tenants",  # before django_tenants: its migrate commands also keep the tenant template schema current
    "django_tenants",
    "daphne",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "jobpilot.portal",  # before allauth: its templates override allauth's
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",  # two-factor sign-in (TOTP, recovery codes, security keys); ADR 0028
    "jobpilot.mfa",  # employers' "require MFA for staff" policy
    "corsheaders",
    "django_htmx",
    "channels",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a third-party CDN
    "ninja_extra",
    "ninja_jwt.token_blacklist",
    "django_prometheus",
    "django_structlog",
    "jobpilot.core",
    "jobpilot.accounts",
    "jobpilot.seekers",
    "jobpilot.tracker",
    "jobpilot.notifications",
    "billing",
    "jobpilot.marketplace",
    "jobpilot.api",
    "jobpilot.calendars",
    "jobpilot.syndication",
    "jobpilot.ingest",
    "jobpilot.inbox",
    "jobpilot.analytics",
    "jobpilot.audit.platform",
    # Single sign-on per employer (jobpilot.sso, ADR 0029): allauth's OIDC and SAML providers, one app per tenant.
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "jobpilot.sso",
    "jobpilot.matching",  # public: what is understood of marketplace rows (ADR 0002, 0024)
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "jobpilot.jobs",
    "jobpilot.applications",
    "jobpilot.webhooks",
    "jobpilot.atsync",
    "jobpilot.audit",
]
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET", default="")
if GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET:
    SHARED_APPS.append("allauth.socialaccount.providers.google")
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "jobpilot.urls_public"
ROOT_URLCONF = "jobpilot.urls_tenant"
# New tenants are cloned from this migrated template schema instead of running every migration (see tenants/).
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Host -> tenant answers are cached per process at most this long; any change is seen everywhere at once through a
# generation in the shared cache (tenants/routing.py).
TENANT_ROUTING_CACHE_SECONDS = env.float("TENANT_ROUTING_CACHE_SECONDS", default=5.0)
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: times the whole stack
    "tenants.tls.TlsAskMiddleware",  # before the tenant: the edge asks on its own host name
    "tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jobpilot.core.time_zones.ReaderTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "jobpilot.core.logs.RequestContextMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jobpilot.api.middleware.ApiKeyMiddleware",
    "jobpilot.audit.context.AuditOriginMiddleware",  # after the API key: entries name the key
    "jobpilot.core.request_body.ApiRequestBodyMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "jobpilot" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobpilot.portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "jobpilot.wsgi.application"
ASGI_APPLICATION = "jobpilot.asgi.application"

# --- Data ---------------------------------------------------------------------------------------------------------
DATA_DIR = Path(env("JOBPILOT_DATA_DIR", default=str(BASE_DIR / ".jobpilot")))
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from jobpilot.core.embedded_db import embedded_database_config

    DATABASES = {"default": embedded_database_config(DATA_DIR)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A pool of connections per process (psycopg_pool): a request borrows one and gives it back at its end, so a
# process never holds more than DATABASE_POOL_MAX_SIZE and a burst of requests waits (up to
# DATABASE_POOL_TIMEOUT seconds) instead of PostgreSQL refusing "too many clients". Safe with django-tenants:
# a borrowed connection keeps the previous borrower's search_path, but django-tenants issues its SET again on
# the first cursor after every connect (tests/tenants/test_connection_pool.py). 0: no pool (the quick start).
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if DATABASE_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Cached answers describe one database: two deployments (or a bench and a dev server) sharing a Redis
            # database must not read each other's entries.
            "KEY_PREFIX": DATABASES["default"]["NAME"],
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis' pub/sub layer: Redis pushes each message to the server process that holds the socket.
            # Its core layer polls a per-process queue with four round trips per message (p99 ~0.7 s at 500
            # notifications/s on 1,000 sockets, against ~12 ms here; bench/ws_latency.py) and, with redis-py 8's
            # 5 s read timeout, dropped idle sockets every 5 s. Pub/sub is at-most-once: a socket that misses a
            # message while Redis is away gets it from the consumer's catch-up (see notifications/consumers.py).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_connect_timeout": 3,
                        # redis-py's pool refuses (not waits) past 100 connections in use.
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=500),
                    }
                ],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery (tenant-aware: a task runs in the schema it was sent from) ----------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # no Redis: tasks run in-process, right away
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "analytics-flush-events": {"task": "analytics.flush_events", "schedule": 10.0},
    "analytics-maintain-partitions": {
        "task": "analytics.maintain_partitions",
        "schedule": timedelta(hours=6),
    },
    # Dashboards read rollups only: yesterday and today are rolled up again every 15 minutes (ADR 0027).
    "analytics-rollup": {"task": "analytics.rollup", "schedule": timedelta(minutes=15)},
    "api-report-meter-events": {"task": "api.report_meter_events", "schedule": timedelta(minutes=10)},
    "billing-expire-grace-periods": {"task": "billing.expire_grace_periods", "schedule": timedelta(hours=1)},
    "notifications-email-digests": {
        "task": "notifications.send_email_digests",
        "schedule": crontab(hour=env.int("NOTIFICATIONS_DIGEST_HOUR", default=7), minute=0),
    },
    "notifications-stale-instant-emails": {
        "task": "notifications.send_stale_instant_emails",
        "schedule": timedelta(minutes=5),
    },
    "jobs-expire-postings": {"task": "jobs.expire_postings", "schedule": 300.0},
    "matching-weekly-recommendations": {
        "task": "matching.send_weekly_recommendations",
        "schedule": crontab(day_of_week=env.int("RECOMMENDATIONS_WEEKDAY", default=1), hour=8, minute=0),
    },
    "marketplace-saved-search-digests": {
        "task": "marketplace.send_saved_search_digests",
        "schedule": timedelta(hours=1),
    },
    # Every 5 minutes: a reminder goes out at most 5 minutes late; each is sent once whatever the period.
    "applications-interview-reminders": {"task": "applications.send_interview_reminders", "schedule": 300.0},
    # Every minute: webhook retries fall due on a minute's grid (the first attempt is sent right after commit).
    "webhooks-send-due": {"task": "webhooks.send_due", "schedule": 60.0},
    "syndication-google-indexing": {"task": "syndication.send_indexing_notifications", "schedule": 600.0},
    "inbox-poll-imap": {
        "task": "inbox.poll_imap",
        "schedule": env.float("INBOX_IMAP_POLL_SECONDS", default=300.0),
    },
    "applications-deadline-reminders": {
        "task": "applications.send_deadline_reminders",
        "schedule": timedelta(hours=1),
    },
    # Each source has its own period (`Source.every`, 15 min to a day); this only finds the ones that are due.
    "ingest-run-due-sources": {"task": "ingest.run_due_sources", "schedule": timedelta(minutes=5)},
    "ingest-expire-jobs": {"task": "ingest.expire_jobs", "schedule": timedelta(hours=6)},
    # One sync task per connected ATS board of each employer whose boards are due (every ATS_SYNC_EVERY_MINUTES;
    # a run lock per connection keeps them from overlapping).
    "atsync-sync-due": {"task": "atsync.sync_all", "schedule": 60.0},
    # The only deletes of the append-only audit log: entries past each employer's plan's retention.
    "audit-prune": {"task": "audit.prune_all", "schedule": timedelta(days=1)},
}

# --- Notifications --------------------------------------------------------------------------------------------------
# Websocket heartbeat: the server pings this often and closes a socket silent for two intervals.
NOTIFICATIONS_HEARTBEAT_SECONDS = env.float("NOTIFICATIONS_HEARTBEAT_SECONDS", default=25.0)

# --- Analytics ------------------------------------------------------------------------------------------------------
ANALYTICS_RETENTION_MONTHS = env.int(
    "ANALYTICS_RETENTION_MONTHS", default=25
)  # whole monthly partitions dropped
ANALYTICS_PARTITIONS_AHEAD = env.int("ANALYTICS_PARTITIONS_AHEAD", default=2)
# Each process's outbox goes to Redis this often (one pipelined RPUSH from a daemon thread, not the request).
ANALYTICS_FLUSH_INTERVAL = env.float("ANALYTICS_FLUSH_INTERVAL", default=1.0)
ANALYTICS_OUTBOX_MAX = env.int(
    "ANALYTICS_OUTBOX_MAX", default=100_000
)  # events a process holds while Redis is down; newer ones are dropped (and logged)
ANALYTICS_FLUSH_BATCH = env.int("ANALYTICS_FLUSH_BATCH", default=5000)  # rows per COPY when draining Redis

# --- Jobs and the marketplace --------------------------------------------------------------------------------------
JOB_POSTING_DEFAULT_DAYS = env.int("JOB_POSTING_DEFAULT_DAYS", default=60)  # listing period when none is set
JOB_POSTING_MAX_DAYS = env.int("JOB_POSTING_MAX_DAYS", default=365)
JOB_IMPORT_MAX_ROWS = env.int("JOB_IMPORT_MAX_ROWS", default=500)
JOB_IMPORT_MAX_BYTES = env.int("JOB_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
# The largest request body served (resumes are at most 5 MB, imports 2 MB); larger ones are refused unread.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=10 * 1024 * 1024)
# Search pages by `page` up to this many results deep; deeper pages follow `pagination.next_cursor` (ADR 0015).
MARKETPLACE_SEARCH_MAX_OFFSET = env.int("MARKETPLACE_SEARCH_MAX_OFFSET", default=10_000)

# --- Outbound webhooks (jobpilot.webhooks, docs/adr/0012-outbound-webhooks.md) ---------------------------------
# WARNING: SSRF. Endpoints must resolve to public addresses; these networks are allowed anyway. Production sets
# none. The tests set 127.0.0.0/8 to reach their local receiver.
WEBHOOKS_ALLOWED_PRIVATE_NETWORKS = env.list("WEBHOOKS_ALLOWED_PRIVATE_NETWORKS", default=[])
WEBHOOKS_ALLOW_HTTP = env.bool(
    "WEBHOOKS_ALLOW_HTTP", default=DEBUG
)  # plain http:// endpoints (never in production)
WEBHOOKS_CONNECT_TIMEOUT_SECONDS = env.float("WEBHOOKS_CONNECT_TIMEOUT_SECONDS", default=5.0)
WEBHOOKS_READ_TIMEOUT_SECONDS = env.float("WEBHOOKS_READ_TIMEOUT_SECONDS", default=10.0)

# --- Google Indexing API (docs/adr/0013): off by default ---------------------------------------------------------
GOOGLE_INDEXING_ENABLED = env.bool("GOOGLE_INDEXING_ENABLED", default=False)
GOOGLE_INDEXING_SERVICE_ACCOUNT_FILE = env("GOOGLE_INDEXING_SERVICE_ACCOUNT_FILE", default="")
GOOGLE_INDEXING_ENDPOINT = env(
    "GOOGLE_INDEXING_ENDPOINT", default="https://indexing.googleapis.com/v3/urlNotifications:publish"
)
GOOGLE_INDEXING_DAILY_QUOTA = env.int("GOOGLE_INDEXING_DAILY_QUOTA", default=200)

# --- Inbox (email status ingestion for seekers, ADR 0017) ------------------------------------------------------------
# Forwarding addresses are <token>@INBOX_DOMAIN; point that domain's MX at the `inbox_smtpd` process.
INBOX_DOMAIN = env("INBOX_DOMAIN", default=f"inbox.{BASE_DOMAIN}").lower()
INBOX_MAX_MESSAGE_BYTES = env.int(
    "INBOX_MAX_MESSAGE_BYTES", default=10 * 1024 * 1024
)  # SMTP SIZE; 552 above it
# Fernet keys (newest first) for stored IMAP passwords; empty: a key derived from SECRET_KEY (development only).
INBOX_ENCRYPTION_KEYS = env.list("INBOX_ENCRYPTION_KEYS", default=[])
INBOX_IMAP_TIMEOUT_SECONDS = env.float("INBOX_IMAP_TIMEOUT_SECONDS", default=20.0)
INBOX_IMAP_BACKFILL_DAYS = env.int(
    "INBOX_IMAP_BACKFILL_DAYS", default=14
)  # what a new connection reads first
# Unencrypted IMAP sends the app password in clear text: only for local test servers.
INBOX_IMAP_ALLOW_PLAIN = env.bool("INBOX_IMAP_ALLOW_PLAIN", default=False)

# --- Ingest (imported jobs) ----------------------------------------------------------------------------------------
INGEST_FETCH_TIMEOUT_SECONDS = env.float(
    "INGEST_FETCH_TIMEOUT_SECONDS", default=30.0
)  # per read, not per feed
INGEST_CONNECT_TIMEOUT_SECONDS = env.float("INGEST_CONNECT_TIMEOUT_SECONDS", default=10.0)
INGEST_FETCH_ATTEMPTS = env.int("INGEST_FETCH_ATTEMPTS", default=4)
INGEST_BACKOFF_BASE_SECONDS = env.float("INGEST_BACKOFF_BASE_SECONDS", default=2.0)  # doubles each retry
INGEST_BACKOFF_MAX_SECONDS = env.float("INGEST_BACKOFF_MAX_SECONDS", default=120.0)  # also caps Retry-After
INGEST_HOST_CONCURRENCY = env.int("INGEST_HOST_CONCURRENCY", default=2)
INGEST_HOST_MIN_INTERVAL_SECONDS = env.float("INGEST_HOST_MIN_INTERVAL_SECONDS", default=0.2)
INGEST_MAX_RESPONSE_BYTES = env.int("INGEST_MAX_RESPONSE_BYTES", default=512 * 1024 * 1024)
INGEST_PAGE_SIZE = env.int("INGEST_PAGE_SIZE", default=100)  # Lever and SmartRecruiters pages
INGEST_MAX_PAGES = env.int(
    "INGEST_MAX_PAGES", default=2000
)  # a paging loop that never ends is a broken source
INGEST_UNHEALTHY_AFTER_FAILURES = env.int("INGEST_UNHEALTHY_AFTER_FAILURES", default=3)
INGEST_EXPIRE_DAYS = env.int("INGEST_EXPIRE_DAYS", default=14)

# --- Employers' own ATS boards (jobpilot.atsync, docs/adr/0018-job-import.md) ---------------------------------------
# Each kind's public API base; a connection's URL is the base + its board token / site / board name. Tests point
# them at a local server.
ATS_BOARD_BASE_URLS = {
    "greenhouse": env("ATS_GREENHOUSE_BASE_URL", default="https://boards-api.greenhouse.io/v1/boards/"),
    "lever": env("ATS_LEVER_BASE_URL", default="https://api.lever.co/v0/postings/"),
    "ashby": env("ATS_ASHBY_BASE_URL", default="https://api.ashbyhq.com/posting-api/job-board/"),
}
ATS_SYNC_EVERY_MINUTES = env.int("ATS_SYNC_EVERY_MINUTES", default=30)
ATS_SYNC_UNHEALTHY_AFTER_FAILURES = env.int("ATS_SYNC_UNHEALTHY_AFTER_FAILURES", default=2)
ATS_MAX_CONNECTIONS = env.int("ATS_MAX_CONNECTIONS", default=5)

# --- Accounts (django-allauth; one global user table in the public schema) -----------------------------------------
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
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional"
)  # none | optional | mandatory
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
LOGIN_REDIRECT_URL = "/"
SOCIALACCOUNT_PROVIDERS = (
    {
        "google": {
            "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}],
            "SCOPE": ["profile", "email"],
        }
    }
    if GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET
    else {}
)

# --- Single sign-on per employer (jobpilot.sso, ADR 0029) -----------------------------------------------------------
# The adapter shows each employer's SocialApp only on that employer's host and adds JIT membership.
SOCIALACCOUNT_ADAPTER = "jobpilot.sso.adapter.SsoSocialAccountAdapter"
SSO_FETCH_TIMEOUT_SECONDS = env.float(
    "SSO_FETCH_TIMEOUT_SECONDS", default=5.0
)  # discovery and metadata fetches

# --- Multi-factor sign-in (allauth.mfa; ADR 0028) -------------------------------------------------------------------
MFA_ADAPTER = "jobpilot.mfa.adapter.MfaAdapter"
MFA_FORMS = {  # security-key forms that answer a malformed browser payload with the form, not a 500
    "add_webauthn": "jobpilot.mfa.forms.SafeAddWebAuthnForm",
    "authenticate_webauthn": "jobpilot.mfa.forms.SafeAuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "jobpilot.mfa.forms.SafeReauthenticateWebAuthnForm",
}
# Security keys ("webauthn") are a second factor, bound to the host they were added on (WebAuthn's relying party is
# the host name). Origins are always checked: fido2 accepts plain http only on localhost and *.localhost.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="JobPilot")  # the name authenticator apps show
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: phones' clocks drift
# TOTP secrets and recovery seeds are encrypted at rest with these Fernet keys (newest first); empty: derived from
# SECRET_KEY (development only).
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])

# App clients: short-lived access tokens; refresh tokens rotate and a used one is blacklisted (reuse is refused).
NINJA_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("ACCESS_TOKEN_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("REFRESH_TOKEN_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}

# Password checks (API login, account deletion) per account and per client IP, counted in the cache (Redis).
LOGIN_THROTTLE_PER_EMAIL = env.int("LOGIN_THROTTLE_PER_EMAIL", default=5)
LOGIN_THROTTLE_PER_IP = env.int("LOGIN_THROTTLE_PER_IP", default=50)
LOGIN_THROTTLE_WINDOW_SECONDS = env.int("LOGIN_THROTTLE_WINDOW_SECONDS", default=900)
REGISTER_THROTTLE_PER_IP = env.int("REGISTER_THROTTLE_PER_IP", default=20)  # per hour
# Reverse proxies in front of the app that append to X-Forwarded-For (Render: 1); 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"JobPilot <no-reply@{BASE_DOMAIN}>")

# --- Billing (Stripe) ------------------------------------------------------------------------------------------
# No STRIPE_SECRET_KEY (the development default) is local mode: everyone is on a free plan unless an
# administrator assigns one (`manage.py billing_assign_plan`), and upgrades answer "billing_not_configured".
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # another Stripe-compatible server, e.g. localstripe
API_TENANT_KEY_REQUESTS_PER_MINUTE = env.int("API_TENANT_KEY_REQUESTS_PER_MINUTE", default=600)
# Keyless calls to the marketplace API (search, job detail) per client address; more needs a key (ADR 0008).
API_ANONYMOUS_REQUESTS_PER_MINUTE = env.int("API_ANONYMOUS_REQUESTS_PER_MINUTE", default=30)
STRIPE_API_METER_EVENT = env("STRIPE_API_METER_EVENT", default="jobpilot_api_requests")  # API overage meter
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)  # a past-due subscription keeps its plan

# --- HTTP, static and security --------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "src" / "jobpilot" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))

# Drafts (ADR 0026): "local" (deterministic, no network) unless an OpenAI-compatible provider is configured.
DRAFTS_PROVIDER = env("DRAFTS_PROVIDER", default="local")
DRAFTS_OPENAI_BASE_URL = env("DRAFTS_OPENAI_BASE_URL", default="")  # e.g. https://api.openai.com/v1
DRAFTS_OPENAI_API_KEY = env("DRAFTS_OPENAI_API_KEY", default="")
DRAFTS_OPENAI_MODEL = env("DRAFTS_OPENAI_MODEL", default="gpt-4o-mini")
DRAFTS_OPENAI_TIMEOUT = env.float("DRAFTS_OPENAI_TIMEOUT", default=20.0)
# The CV builder's fonts (ADR 0026): DejaVu (fonts-dejavu-core) and, for CJK, Droid Sans Fallback
# (fonts-droid-fallback), both Debian packages that the Dockerfile and `make test` install.
CV_FONT_DIRS = env.list(
    "CV_FONT_DIRS",
    default=[
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/truetype/droid",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/Library/Fonts",
    ],
)
# The marketplace search engine's index (one per host; rebuilt from PostgreSQL when missing, ADR 0015).
SEARCH_INDEX_DIR = Path(env("SEARCH_INDEX_DIR", default=str(DATA_DIR / "search-index")))
# Every web and worker process follows the jobs change log into this host's index (`jobpilot.search.follower`).
SEARCH_FOLLOW = env.bool("SEARCH_FOLLOW", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Production media: a private bucket of any S3-compatible store when MEDIA_BUCKET is set (jobpilot.core.storage);
# the file system under MEDIA_ROOT otherwise. Credentials come from the usual AWS_* variables or the instance role.
MEDIA_BUCKET = env("MEDIA_BUCKET", default="")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "jobpilot.core.storage.PrivateBucketStorage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env("MEDIA_ENDPOINT_URL", default=None),  # e.g. R2, MinIO; None is AWS
            "region_name": env("MEDIA_REGION", default=None),
            "location": env("MEDIA_PREFIX", default=""),
        },
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # platform health checks speak plain HTTP inside the network
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_FORMAT = env(
    "LOG_FORMAT", default="console" if DEBUG else "json"
)  # one JSON object per line in production

from jobpilot.core import logs  # noqa: E402 - needs nothing of these settings

logs.configure()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": logs.formatter(LOG_FORMAT)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},  # the SDK logs every request at INFO
        # One "request_finished" line per request, with its status and the bound context.
        "django_structlog": {"level": env("REQUEST_LOG_LEVEL", default="INFO")},
    },
}
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# The proxy's X-Request-ID (Render and most load balancers send one), so its logs and ours share the id.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=True)

# --- Metrics (jobpilot.core.metrics): /metrics for a bearer of METRICS_TOKEN or callers from the networks ------
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])  # CIDRs, e.g. 10.0.0.0/8
METRICS_CELERY_QUEUES = env.list("METRICS_CELERY_QUEUES", default=["celery"])

# --- Errors ---------------------------------------------------------------------------------------------------------
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        # Channels runs on the ASGI stack; the Django integration instruments it when asgi.py wraps the app.
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
