"""socialhub settings: one module, everything read from the environment.

With nothing set, socialhub runs embedded: a SQLite file, the in-memory channel layer,
Celery tasks executed eagerly in-process (scheduled ones in `make run`'s `celery beat`
process, see bin/run.py), email printed to the console. Setting
DATABASE_URL switches to PostgreSQL; REDIS_URL switches the channel layer, the cache and
Celery's broker/result backend to Redis. Every variable is listed, with its default, in
the README's configuration table.

This module is the list of settings; the values that take more than a line to build are
built by the modules beside it, one per setting: config/databases.py (DATABASES),
config/caches.py, config/channel_layers.py, config/schedule.py (CELERY_BEAT_SCHEDULE),
config/security.py (CONTENT_SECURITY_POLICY, METRICS_ALLOWED_NETWORKS), config/logs.py
(LOGGING), config/api_schema.py (SPECTACULAR_SETTINGS); config/environment.py reads the
environment and keeps the generated secret key.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.api_schema import spectacular_settings
from config.caches import caches
from config.channel_layers import channel_layers
from config.databases import databases
from config.environment import read_env, secret_key
from config.logs import logging_config
from config.schedule import beat_schedule
from config.security import content_security_policy, metrics_networks

BASE_DIR = Path(__file__).resolve().parent.parent

env = read_env(BASE_DIR)

VAR_DIR = Path(env.str("SOCIALHUB_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The test suite runs with this same module; only defaults that would get in its way differ
# (plain-HTTP live servers, no collectstatic step, a fast password hasher).
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

# --- Core -----------------------------------------------------------------------------

SECRET_KEY = secret_key(env, VAR_DIR)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="socialhub")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
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
    "channels",
    "django_htmx",
    "csp",
    "axes",
    "mozilla_django_oidc",
    "core",
    "people",
    "notifications",
    "groups",
    "feeds",
    "routing",
    "policies",
    "directory",
    "monitoring",
    "knowledge",
    "crisis",
    "messaging",
    "campaigns",
    "polls",
    "agenda",
    "library",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    # First: every later log line carries the request id, and the timing covers the rest.
    "core.request_context.RequestIdMiddleware",
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ApplicationErrorMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.shell",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------

# The hottest reads (core/compiled.py: the API token, the home feed page, knowledge
# suggestions) are prepared statements on each PostgreSQL connection, planned once per
# connection. Off for a transaction-pooling PgBouncer older than 1.21 (README, "Production").
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# A read replica (README, "Read replicas"): feed, search and directory reads of web requests
# go to it; writes, and reads that must see a write, stay on the primary (core/replicas.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# The apps whose reads may be served by the replica: feeds (feeds and search), people (the
# directory).
DATABASE_REPLICA_APPS = env.list("DATABASE_REPLICA_APPS", default=["feeds", "people"])
# After a client writes, its reads stay on the primary this long (the replica's worst lag).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
# From DATABASE_URL: a SQLite file in VAR_DIR when unset (config/databases.py).
DATABASES = databases(
    env,
    var_dir=VAR_DIR,
    testing=TESTING,
    prepared_statements=DATABASE_PREPARED_STATEMENTS,
    replica_url=DATABASE_REPLICA_URL,
)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
    # First: a request's reads may go to the replica until it writes.
    MIDDLEWARE.insert(0, "core.replicas.ReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# pubsub: one PUBLISH per group whatever its size; it delivered an All-company post to 1,000
# sockets faster than core in bench/realtime.py (README, "Live updates").
CHANNEL_LAYER = env.str("CHANNEL_LAYER", default="pubsub")
# Redis with REDIS_URL, else in memory (config/channel_layers.py, config/caches.py).
CHANNEL_LAYERS = channel_layers(env, redis_url=REDIS_URL, layer=CHANNEL_LAYER)
CACHES = caches(env, redis_url=REDIS_URL)

# An open WebSocket re-reads its user and session from the database at most this often, and
# only while events arrive for it: the backstop if an access.changed message is lost (the
# wire is best effort). Deactivation, sign-out, password and role changes close or re-scope
# sockets at once through that message (feeds/consumers.py).
SOCKET_REVALIDATE_SECONDS = env.float("SOCKET_REVALIDATE_SECONDS", default=30.0)

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Nothing reads a task's result. Storing none also means publishing a task never touches the
# result backend: with results on, `.delay()` subscribed to the result and, with Redis down,
# retried that for 19 s before raising into the request.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
# Embedded, the clock is `celery beat` alone (bin/run.py, started by `make run`): eager, it
# runs each due task itself. Its output (console emails) then stays plain stdout.
CELERY_WORKER_REDIRECT_STDOUTS = not CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# acks_late on Redis: a task stays in Redis's "unacked" set until it finishes; a worker killed
# mid-task (kill -9, OOM, a lost host) leaves it there until this many seconds after delivery,
# when any live worker puts it back on the queue (kombu's default is 3,600 s: an email waited an
# hour). It must exceed the longest task, or a task still running is delivered to a second worker:
# the longest are a digest chunk (500 emails; the whole 10,000-user run is meant to take under
# 2 minutes, bench/digest.py) and training the router with embeddings (about a minute on
# CLINC150, bench/router.py). Ten minutes leaves room for a slow SMTP relay; the hard time limit
# below ends any task before its message can be redelivered (README, "Background tasks").
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_TASK_TIME_LIMIT = env.int(
    "CELERY_TASK_TIME_LIMIT", default=max(CELERY_VISIBILITY_TIMEOUT - 60, 1)
)
if CELERY_TASK_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT.")
# Publishing happens in web requests (after commit): with Redis unreachable it must fail in
# about a second, not hang; core.after_commit logs it and the outbox sweep enqueues later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for such tasks: kombu scans every 10 s x 10 (a task came back
    # up to 100 s after its timeout); one small ZRANGE every 10 s per worker instead.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A worker keeps retrying the broker after a lost connection (and at startup) instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# CELERY_BEAT_SCHEDULE: at the end, from the intervals and hours below.

# --- Customer question routing --------------------------------------------------------

# Shared secret of the social-listening webhook (HMAC-SHA256); empty refuses every delivery.
ROUTING_WEBHOOK_SECRET = env.str("ROUTING_WEBHOOK_SECRET", default="")
ROUTING_WEBHOOK_TOLERANCE_SECONDS = env.int("ROUTING_WEBHOOK_TOLERANCE_SECONDS", default=300)
ROUTING_EXPERT_CAPACITY = env.int("ROUTING_EXPERT_CAPACITY", default=5)
ROUTING_BUSINESS_HOURS = env.str("ROUTING_BUSINESS_HOURS", default="09:00-17:00")
ROUTING_BUSINESS_DAYS = env.str("ROUTING_BUSINESS_DAYS", default="12345")
ROUTING_BUSINESS_TIMEZONE = env.str(
    "ROUTING_BUSINESS_TIMEZONE", default=env.str("TIME_ZONE", default="UTC")
)
# Incidents of this severity or above switch on crisis mode while open (low, medium, high,
# critical).
CRISIS_MODE_SEVERITY = env.str("CRISIS_MODE_SEVERITY", default="high")
if CRISIS_MODE_SEVERITY not in ("low", "medium", "high", "critical"):
    raise ImproperlyConfigured("CRISIS_MODE_SEVERITY must be low, medium, high or critical.")
ROUTING_CONNECTOR = env.str("ROUTING_CONNECTOR", default="routing.connectors.LoggingConnector")
ROUTING_ROUTER_CHECK_SECONDS = env.float("ROUTING_ROUTER_CHECK_SECONDS", default=5)
# Sentence embeddings in newly trained routers (routing/ml/embedder.py; the model is a
# dependency): "on" uses them and fails with the reason when the model cannot be used, "auto"
# falls back to TF-IDF then, "off" trains TF-IDF-only routers.
ROUTING_EMBEDDINGS = env.str("ROUTING_EMBEDDINGS", default="on")
if ROUTING_EMBEDDINGS not in ("auto", "on", "off"):
    raise ImproperlyConfigured("ROUTING_EMBEDDINGS must be auto, on or off.")
# Where the embedding model, quantised once per machine, is cached.
ROUTING_MODEL_DIR = Path(env.str("ROUTING_MODEL_DIR", default=str(VAR_DIR / "models")))
ROUTING_INTAKE_RATE = env.str("ROUTING_INTAKE_RATE", default="6000/min")
# Intake routes each question in a task after commit; the beat routes those still new this
# long after they were stored (their task was lost with the broker or a worker).
ROUTING_NEW_SWEEP_SECONDS = env.float("ROUTING_NEW_SWEEP_SECONDS", default=30.0)
# The router keeps learning (routing.training.retrain_router): every night at this hour a
# challenger is trained and activated only if it is not worse than the active version on the
# most recent labels it did not train on: ROUTING_HOLDOUT_FRACTION of them, at least
# ROUTING_HOLDOUT_MIN (fewer labels than twice that: activated without a comparison);
# "not worse": its share right at least the active one's minus ROUTING_CHALLENGER_TOLERANCE.
ROUTING_RETRAIN_HOUR = env.int("ROUTING_RETRAIN_HOUR", default=2)
ROUTING_HOLDOUT_FRACTION = env.float("ROUTING_HOLDOUT_FRACTION", default=0.2)
ROUTING_HOLDOUT_MIN = env.int("ROUTING_HOLDOUT_MIN", default=20)
ROUTING_CHALLENGER_TOLERANCE = env.float("ROUTING_CHALLENGER_TOLERANCE", default=0.0)
if not 0 < ROUTING_HOLDOUT_FRACTION < 1 or ROUTING_HOLDOUT_MIN < 1:
    raise ImproperlyConfigured(
        "ROUTING_HOLDOUT_FRACTION must be between 0 and 1, ROUTING_HOLDOUT_MIN at least 1."
    )

# --- Knowledge -------------------------------------------------------------------------

# How often (seconds) a process asks whether its similarity indexes are stale (a small query
# per kind): a new entry waits at most this long to be suggested. 0: on every question page.
KNOWLEDGE_INDEX_CHECK_SECONDS = env.float(
    "KNOWLEDGE_INDEX_CHECK_SECONDS", default=0.0 if TESTING else 5.0
)
# A knowledge similarity index over this many texts or more is rebuilt in a background thread
# when it goes stale (the stale one answers meanwhile); a smaller one in the request.
KNOWLEDGE_INDEX_BACKGROUND_FROM = env.int("KNOWLEDGE_INDEX_BACKGROUND_FROM", default=2000)

# --- Listening (monitoring) -----------------------------------------------------------

# The surge scan (monitoring.services.scan): how often, the windows it counts in (minutes),
# the baseline (same hour of the week over this many weeks once a key has at least
# MONITORING_SEASONAL_MIN_WEEKS of them, else the larger of two EWMAs: of its hourly counts
# over the last MONITORING_EWMA_HOURS (weight MONITORING_EWMA_ALPHA) and of this hour of the
# day over the last MONITORING_EWMA_DAYS (weight MONITORING_EWMA_DAILY_ALPHA)), and the test:
# an alert opens
# when P(X >= count | baseline) < MONITORING_SURGE_P and count >= MONITORING_MIN_COUNT, and
# resolves when every window is back above MONITORING_RESOLVE_P. The baseline never expects
# fewer than MONITORING_MIN_EXPECTED questions per window.
MONITORING_SCAN_SECONDS = env.float("MONITORING_SCAN_SECONDS", default=60.0)
MONITORING_WINDOWS = [int(w) for w in env.list("MONITORING_WINDOWS", default=["15", "60"])]
MONITORING_BASELINE_WEEKS = env.int("MONITORING_BASELINE_WEEKS", default=4)
MONITORING_SEASONAL_MIN_WEEKS = env.int("MONITORING_SEASONAL_MIN_WEEKS", default=2)
MONITORING_EWMA_HOURS = env.int("MONITORING_EWMA_HOURS", default=48)
MONITORING_EWMA_ALPHA = env.float("MONITORING_EWMA_ALPHA", default=0.1)
MONITORING_EWMA_DAYS = env.int("MONITORING_EWMA_DAYS", default=14)
MONITORING_EWMA_DAILY_ALPHA = env.float("MONITORING_EWMA_DAILY_ALPHA", default=0.3)
MONITORING_SURGE_P = env.float("MONITORING_SURGE_P", default=1e-3)
MONITORING_RESOLVE_P = env.float("MONITORING_RESOLVE_P", default=0.05)
MONITORING_MIN_COUNT = env.int("MONITORING_MIN_COUNT", default=5)
MONITORING_MIN_EXPECTED = env.float("MONITORING_MIN_EXPECTED", default=1.0)
# A question whose VADER compound sentiment is at or below this is a detractor: its priority
# goes up one step before its SLA clock starts.
MONITORING_DETRACTOR_THRESHOLD = env.float("MONITORING_DETRACTOR_THRESHOLD", default=-0.5)
# A scan also runs after an intake, at most this often (0: only on the schedule; tests keep
# it off so that their questions never open a surge alert they did not ask for).
MONITORING_SCAN_ON_INTAKE_SECONDS = env.float(
    "MONITORING_SCAN_ON_INTAKE_SECONDS", default=0.0 if TESTING else 10.0
)
# How often a process checks whether the watch rules changed (a cache get).
MONITORING_RULES_CHECK_SECONDS = env.float("MONITORING_RULES_CHECK_SECONDS", default=5.0)

# Digests (notifications): daily at DIGEST_HOUR UTC, weekly on Mondays then.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
# A digest run goes in chunk tasks of this many readers (an id range each), taken by any
# number of workers in parallel.
DIGEST_CHUNK_SIZE = env.int("DIGEST_CHUNK_SIZE", default=500)
if DIGEST_CHUNK_SIZE < 1:
    raise ImproperlyConfigured("DIGEST_CHUNK_SIZE must be 1 or more.")

# --- My data ---------------------------------------------------------------------------

# How long a copy of someone's data (and its download link) lasts, in days, before the file
# is deleted (the "data-exports" rule of core.retention).
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)
if DATA_EXPORT_DAYS < 1:
    raise ImproperlyConfigured("DATA_EXPORT_DAYS must be 1 or more.")

# --- Scheduled posts --------------------------------------------------------------------

# How often the clock publishes scheduled posts whose time has come (feeds.drafts).
FEEDS_SCHEDULE_CHECK_SECONDS = env.float("FEEDS_SCHEDULE_CHECK_SECONDS", default=60.0)

# --- Direct messages ------------------------------------------------------------------

# How long messages are kept, in days; 0 keeps them (the "messages" rule of core.retention).
MESSAGE_RETENTION_DAYS = env.int("MESSAGE_RETENTION_DAYS", default=0)
# How often the unread-message email looks for messages unread longer than each person's delay.
MESSAGE_EMAIL_CHECK_SECONDS = env.float("MESSAGE_EMAIL_CHECK_SECONDS", default=60.0)

# --- Polls and events -----------------------------------------------------------------

# How often the clock closes the polls whose closing time has passed.
POLL_CLOSE_CHECK_SECONDS = env.float("POLL_CLOSE_CHECK_SECONDS", default=60.0)
# How long before an event its reminder goes to the people going or maybe, and how often the
# clock looks for reminders due.
EVENT_REMINDER_MINUTES = env.int("EVENT_REMINDER_MINUTES", default=60)
EVENT_REMINDER_CHECK_SECONDS = env.float("EVENT_REMINDER_CHECK_SECONDS", default=60.0)

# --- Email ----------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A directory to write each email into as a file (tests, a worker in a sandbox): overrides
# EMAIL_URL when set.
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="socialhub <socialhub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds any one SMTP step may take (Django's default waits forever on a stuck server).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# An email claim still "sending" this long after it was taken belongs to an attempt that died
# (a killed worker): it is sent once more with the same Message-ID (README, "Sent once"). Well
# above the time one send may take with EMAIL_TIMEOUT per step; below CELERY_VISIBILITY_TIMEOUT,
# after which a killed worker's task comes back.
EMAIL_SENDING_GRACE_SECONDS = env.int("EMAIL_SENDING_GRACE_SECONDS", default=300)
# The outbox sweep (notifications.sweep_outbox, every OUTBOX_SWEEP_SECONDS): a notification
# whose email task has not run OUTBOX_GRACE_SECONDS after it was written (the broker was down
# when it committed, the task was lost) is enqueued again; after OUTBOX_HORIZON_HOURS it is
# no longer news and is dropped from the outbox without an email (it stays in the center).
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=60.0)
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=300)
OUTBOX_HORIZON_HOURS = env.int("OUTBOX_HORIZON_HOURS", default=24)

# --- Authentication -------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, a session's account read with its roles and profile at once.
    "people.authentication.SessionBackend",
]
# A session names the backend that signed it in; one signed in before a backend was renamed
# carries on under the new name (core.sessions).
RENAMED_AUTH_BACKENDS = {"django.contrib.auth.backends.ModelBackend": AUTHENTICATION_BACKENDS[1]}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
# Lock the pair (account, address): an office behind one NAT is not locked out by one
# person's typos, and a guesser cannot keep trying one account from one machine.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the app that append to X-Forwarded-For: how many to skip to find the
# client's address, for lockouts (django-axes, through django-ipware) and API throttling.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Optional single sign-on over OpenID Connect: on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="Sign in with your company account")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("people.oidc.EmployeeOIDCBackend")

# --- API ------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: an unauthenticated call then gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, with the user's roles read in the same query.
        "people.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "NUM_PROXIES": PROXY_COUNT or None,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": None,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("THROTTLE_TOKEN", default="10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = spectacular_settings()  # config/api_schema.py

# --- Files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Who sends the bytes of an uploaded file once a view has authorised it (core/files.py):
# Django itself, nginx (X-Accel-Redirect to an internal location) or Apache/lighttpd
# (X-Sendfile).
MEDIA_DELIVERY = env.str("MEDIA_DELIVERY", default="django")
if MEDIA_DELIVERY not in ("django", "nginx", "sendfile"):
    raise ImproperlyConfigured("MEDIA_DELIVERY must be django, nginx or sendfile.")
MEDIA_ACCEL_PREFIX = env.str("MEDIA_ACCEL_PREFIX", default="/protected-media/")
if not (MEDIA_ACCEL_PREFIX.startswith("/") and MEDIA_ACCEL_PREFIX.endswith("/")):
    raise ImproperlyConfigured("MEDIA_ACCEL_PREFIX must start and end with '/'.")
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
# The largest file (each version) a group's library takes (library.services.check_upload).
LIBRARY_MAX_UPLOAD_BYTES = env.int("LIBRARY_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# Community analytics stores the figures of each week that is over (analytics.models): the
# clock rolls up the week that just ended, and the ANALYTICS_ROLLUP_REFRESH_WEEKS before it
# again (late deletions), every night at ANALYTICS_ROLLUP_HOUR:30 UTC (CELERY_TIMEZONE).
ANALYTICS_ROLLUP_HOUR = env.int("ANALYTICS_ROLLUP_HOUR", default=2)
ANALYTICS_ROLLUP_REFRESH_WEEKS = env.int("ANALYTICS_ROLLUP_REFRESH_WEEKS", default=2)
# The current week's figures are read from its own rollup, counted again by a task once they
# are older than this (seconds); the report says "as of" when. 0: counted on every request.
ANALYTICS_CURRENT_WEEK_SECONDS = env.int("ANALYTICS_CURRENT_WEEK_SECONDS", default=600)
if LIBRARY_MAX_UPLOAD_BYTES < 1:
    raise ImproperlyConfigured("LIBRARY_MAX_UPLOAD_BYTES must be 1 or more.")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# --- Security -------------------------------------------------------------------------

HTTPS = env.bool("HTTPS", default=not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# Probes and Prometheus talk plain HTTP to the pod itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, each request's read with a prepared statement (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a per-domain decision for the operator, not a default.
    "security.W021",
]

CONTENT_SECURITY_POLICY = content_security_policy(
    sign_in_endpoints=[OIDC_OP_AUTHORIZATION_ENDPOINT] if OIDC_ENABLED else []
)

# --- Running the service: metrics, retention, backups ---------------------------------

# /metrics (core.metrics) is closed unless one of these is set: a bearer token Prometheus
# sends (`Authorization: Bearer <token>`), and/or the networks it scrapes from (CIDRs, the
# TCP peer's address). With both, both must pass.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = metrics_networks(env.list("METRICS_ALLOWED_NETWORKS", default=[]))
# A Celery worker serves its own /metrics and /healthz on this port (0: none).
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)

# Retention (core.retention; `manage.py retention`, and the beat task daily at
# RETENTION_HOUR UTC). 0 keeps that kind of row forever.
RETENTION_READ_NOTIFICATIONS_DAYS = env.int("RETENTION_READ_NOTIFICATIONS_DAYS", default=90)
RETENTION_EMAIL_DELIVERIES_DAYS = env.int("RETENTION_EMAIL_DELIVERIES_DAYS", default=30)
RETENTION_ROUTER_VERSIONS_KEEP = env.int("RETENTION_ROUTER_VERSIONS_KEEP", default=5)
RETENTION_AUDIT_YEARS = env.int("RETENTION_AUDIT_YEARS", default=7)
RETENTION_RESOLVED_ALERTS_DAYS = env.int("RETENTION_RESOLVED_ALERTS_DAYS", default=365)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=1000)
RETENTION_HOUR = env.int("RETENTION_HOUR", default=3)
for _name in (
    "RETENTION_READ_NOTIFICATIONS_DAYS",
    "RETENTION_EMAIL_DELIVERIES_DAYS",
    "RETENTION_ROUTER_VERSIONS_KEEP",
    "RETENTION_AUDIT_YEARS",
    "RETENTION_RESOLVED_ALERTS_DAYS",
    "MESSAGE_RETENTION_DAYS",
):
    if vars()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 (keep forever) or more.")
if RETENTION_BATCH_SIZE < 1:
    raise ImproperlyConfigured("RETENTION_BATCH_SIZE must be 1 or more.")
# An email claim is what stops a redelivered task from sending twice: it must outlive
# every redelivery (CELERY_VISIBILITY_TIMEOUT, the outbox horizon).
if 0 < RETENTION_EMAIL_DELIVERIES_DAYS < 2:
    raise ImproperlyConfigured("RETENTION_EMAIL_DELIVERIES_DAYS must be 0 or at least 2.")
# Bulk jobs (core.bulk): a running job that has not moved for this long gets its next chunk
# sent again by the beat (its task was lost with the broker or a worker).
BULK_STALLED_SECONDS = env.float("BULK_STALLED_SECONDS", default=120.0)
# Department groups (groups.department_sync): a directory file or SCIM change moving up to
# this many people syncs their groups in its own transaction; more, in a bulk job.
DEPARTMENT_SYNC_INLINE = env.int("DEPARTMENT_SYNC_INLINE", default=200)

# Where `manage.py backup` writes its archives when no --output is given.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

# --- Internationalization -------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Logging --------------------------------------------------------------------------

# LOG_FORMAT=json writes one JSON object per line (python-json-logger) for a log collector;
# text (the default) is for people reading a terminal. Both carry the request id
# (config/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# --- The clock ------------------------------------------------------------------------

# Everything `celery beat` starts (config/schedule.py), at the intervals and hours above.
CELERY_BEAT_SCHEDULE = beat_schedule(
    # How often the policy reminders task looks for whom to remind.
    policy_reminder_check_seconds=env.float("POLICY_REMINDER_CHECK_SECONDS", default=3600.0),
    # How often the SLA clock checks the open questions' deadlines.
    routing_sla_check_seconds=env.float("ROUTING_SLA_CHECK_SECONDS", default=60.0),
    routing_retrain_hour=ROUTING_RETRAIN_HOUR,
    monitoring_scan_seconds=MONITORING_SCAN_SECONDS,
    digest_hour=DIGEST_HOUR,
    feeds_schedule_check_seconds=FEEDS_SCHEDULE_CHECK_SECONDS,
    message_email_check_seconds=MESSAGE_EMAIL_CHECK_SECONDS,
    poll_close_check_seconds=POLL_CLOSE_CHECK_SECONDS,
    event_reminder_check_seconds=EVENT_REMINDER_CHECK_SECONDS,
    outbox_sweep_seconds=OUTBOX_SWEEP_SECONDS,
    analytics_rollup_hour=ANALYTICS_ROLLUP_HOUR,
    retention_hour=RETENTION_HOUR,
)
