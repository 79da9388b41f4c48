"""socialhub settings: the table of contents. Django reads every setting from this module
(DJANGO_SETTINGS_MODULE=config.settings); each responsibility's settings are read from the
environment, checked and explained in the module beside it that this one imports them from.

With nothing set, socialhub runs embedded: a SQLite file, the in-memory channel layer,
Celery tasks executed eagerly in-process (scheduled ones in `make run`'s `celery beat`
process, see bin/run.py), email printed to the console. Setting
DATABASE_URL switches to PostgreSQL; REDIS_URL switches the channel layer, the cache and
Celery's broker/result backend to Redis. Every variable is listed, with its default, in
the README's configuration table.

The values that take more than a line to build are built by the modules beside them, one per
setting: config/databases.py (DATABASES), config/caches.py, config/channel_layers.py,
config/schedule.py (CELERY_BEAT_SCHEDULE, built at the end of this module from the intervals
and hours of the others), config/security.py (CONTENT_SECURITY_POLICY,
METRICS_ALLOWED_NETWORKS), config/logs.py (LOGGING), config/api_schema.py
(SPECTACULAR_SETTINGS); config/environment.py also keeps the generated secret key.
"""

# Every upper-case name imported below is a setting: Django reads it from here, this module
# does not use it (hence F401). The modules come in the order they build on each other, which
# is the order they run in (hence I001).
# ruff: noqa: F401, I001

# --- Environment: where the project and its state are, whether the tests run ----------

from config.environment import BASE_DIR, VAR_DIR, TESTING, env

# --- Application: key, debug, hosts, apps, middleware, templates, language ------------

from config.application import (
    SECRET_KEY,
    DEBUG,
    ALLOWED_HOSTS,
    CSRF_TRUSTED_ORIGINS,
    SITE_URL,
    SITE_NAME,
    INSTALLED_APPS,
    MIDDLEWARE,
    ROOT_URLCONF,
    WSGI_APPLICATION,
    ASGI_APPLICATION,
    TEMPLATES,
    LANGUAGE_CODE,
    TIME_ZONE,
    USE_I18N,
    USE_TZ,
)

# --- Data: the database and its replica, Redis, the channel layer, the cache ----------

from config.data import (
    DATABASE_PREPARED_STATEMENTS,
    DATABASE_REPLICA_URL,
    DATABASE_REPLICA_APPS,
    DATABASE_REPLICA_PIN_SECONDS,
    DATABASES,
    DATABASE_ROUTERS,
    DEFAULT_AUTO_FIELD,
    REDIS_URL,
    CHANNEL_LAYER,
    CHANNEL_LAYERS,
    CACHES,
    SOCKET_REVALIDATE_SECONDS,
)

# --- Celery: broker and results, acknowledgements, redelivery, time limits ------------

from config.celery_settings import (
    CELERY_BROKER_URL,
    CELERY_RESULT_BACKEND,
    CELERY_TASK_IGNORE_RESULT,
    CELERY_TASK_ALWAYS_EAGER,
    CELERY_WORKER_REDIRECT_STDOUTS,
    CELERY_TASK_EAGER_PROPAGATES,
    CELERY_TASK_ACKS_LATE,
    CELERY_TASK_REJECT_ON_WORKER_LOST,
    CELERY_VISIBILITY_TIMEOUT,
    CELERY_TASK_TIME_LIMIT,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS,
    CELERY_BROKER_CONNECTION_TIMEOUT,
    CELERY_TASK_PUBLISH_RETRY_POLICY,
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP,
    CELERY_BROKER_CONNECTION_MAX_RETRIES,
    CELERY_WORKER_PREFETCH_MULTIPLIER,
    CELERY_TASK_SERIALIZER,
    CELERY_ACCEPT_CONTENT,
    CELERY_TIMEZONE,
)

# --- Authentication: backends, passwords, lockouts, single sign-on, sessions ----------

from config.authentication import (
    AUTHENTICATION_BACKENDS,
    RENAMED_AUTH_BACKENDS,
    LOGIN_URL,
    LOGIN_REDIRECT_URL,
    LOGOUT_REDIRECT_URL,
    AUTH_PASSWORD_VALIDATORS,
    AXES_FAILURE_LIMIT,
    AXES_COOLOFF_TIME,
    AXES_LOCKOUT_PARAMETERS,
    AXES_RESET_ON_SUCCESS,
    AXES_LOCKOUT_TEMPLATE,
    PROXY_COUNT,
    AXES_IPWARE_PROXY_COUNT,
    AXES_ENABLE_ACCESS_FAILURE_LOG,
    AXES_VERBOSE,
    OIDC_RP_CLIENT_ID,
    OIDC_ENABLED,
    OIDC_RP_CLIENT_SECRET,
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_OP_JWKS_ENDPOINT,
    OIDC_RP_SIGN_ALGO,
    OIDC_RP_SCOPES,
    OIDC_CREATE_USER,
    OIDC_LOGIN_LABEL,
    LOGIN_REDIRECT_URL_FAILURE,
    SESSION_ENGINE,
    SESSION_COOKIE_AGE,
    test_password_hashers,
)

# --- Security: HTTPS, the cookies' and pages' headers, the CSP ------------------------

from config.web_security import (
    HTTPS,
    SESSION_COOKIE_SECURE,
    CSRF_COOKIE_SECURE,
    SECURE_SSL_REDIRECT,
    SECURE_HSTS_SECONDS,
    SECURE_HSTS_INCLUDE_SUBDOMAINS,
    SECURE_HSTS_PRELOAD,
    SECURE_REDIRECT_EXEMPT,
    SESSION_COOKIE_HTTPONLY,
    CSRF_COOKIE_HTTPONLY,
    SECURE_REFERRER_POLICY,
    SECURE_CROSS_ORIGIN_OPENER_POLICY,
    X_FRAME_OPTIONS,
    SILENCED_SYSTEM_CHECKS,
    CONTENT_SECURITY_POLICY,
    proxy_settings,
)

# --- API: Django REST framework, the OpenAPI schema -----------------------------------

from config.api import REST_FRAMEWORK, SPECTACULAR_SETTINGS

# --- Files: static files, uploaded media and who delivers them, upload sizes ----------

from config.files import (
    STATIC_URL,
    STATIC_ROOT,
    STATICFILES_DIRS,
    MEDIA_URL,
    MEDIA_ROOT,
    STORAGES,
    WHITENOISE_USE_FINDERS,
    MEDIA_DELIVERY,
    MEDIA_ACCEL_PREFIX,
    AVATAR_MAX_BYTES,
    LIBRARY_MAX_UPLOAD_BYTES,
    FILE_UPLOAD_MAX_MEMORY_SIZE,
    DATA_UPLOAD_MAX_MEMORY_SIZE,
)

# --- Email: the transport, the sender, sending once, the outbox, the digests ----------

from config.mail import (
    DEFAULT_FROM_EMAIL,
    SERVER_EMAIL,
    EMAIL_TIMEOUT,
    EMAIL_SENDING_GRACE_SECONDS,
    OUTBOX_SWEEP_SECONDS,
    OUTBOX_GRACE_SECONDS,
    OUTBOX_HORIZON_HOURS,
    DIGEST_HOUR,
    DIGEST_CHUNK_SIZE,
    email_url_settings,
)

# --- Customer questions: routing, the knowledge they become, listening ----------------

from config.questions import (
    ROUTING_WEBHOOK_SECRET,
    ROUTING_WEBHOOK_TOLERANCE_SECONDS,
    ROUTING_EXPERT_CAPACITY,
    ROUTING_BUSINESS_HOURS,
    ROUTING_BUSINESS_DAYS,
    ROUTING_BUSINESS_TIMEZONE,
    CRISIS_MODE_SEVERITY,
    ROUTING_CONNECTOR,
    ROUTING_ROUTER_CHECK_SECONDS,
    ROUTING_EMBEDDINGS,
    ROUTING_MODEL_DIR,
    ROUTING_INTAKE_RATE,
    ROUTING_NEW_SWEEP_SECONDS,
    ROUTING_RETRAIN_HOUR,
    ROUTING_HOLDOUT_FRACTION,
    ROUTING_HOLDOUT_MIN,
    ROUTING_CHALLENGER_TOLERANCE,
    KNOWLEDGE_INDEX_CHECK_SECONDS,
    KNOWLEDGE_INDEX_BACKGROUND_FROM,
    MONITORING_SCAN_SECONDS,
    MONITORING_WINDOWS,
    MONITORING_BASELINE_WEEKS,
    MONITORING_SEASONAL_MIN_WEEKS,
    MONITORING_EWMA_HOURS,
    MONITORING_EWMA_ALPHA,
    MONITORING_EWMA_DAYS,
    MONITORING_EWMA_DAILY_ALPHA,
    MONITORING_SURGE_P,
    MONITORING_RESOLVE_P,
    MONITORING_MIN_COUNT,
    MONITORING_MIN_EXPECTED,
    MONITORING_DETRACTOR_THRESHOLD,
    MONITORING_SCAN_ON_INTAKE_SECONDS,
    MONITORING_RULES_CHECK_SECONDS,
)

# --- Features: my data, scheduled posts, messages, polls and events, analytics --------

from config.features import (
    DATA_EXPORT_DAYS,
    FEEDS_SCHEDULE_CHECK_SECONDS,
    MESSAGE_RETENTION_DAYS,
    MESSAGE_EMAIL_CHECK_SECONDS,
    POLL_CLOSE_CHECK_SECONDS,
    EVENT_REMINDER_MINUTES,
    EVENT_REMINDER_CHECK_SECONDS,
    ANALYTICS_ROLLUP_HOUR,
    ANALYTICS_ROLLUP_REFRESH_WEEKS,
    ANALYTICS_CURRENT_WEEK_SECONDS,
)

# --- Running the service: metrics, retention, bulk jobs, backups, logs ----------------

from config.operations import (
    METRICS_TOKEN,
    METRICS_ALLOWED_NETWORKS,
    WORKER_METRICS_PORT,
    RETENTION_READ_NOTIFICATIONS_DAYS,
    RETENTION_EMAIL_DELIVERIES_DAYS,
    RETENTION_ROUTER_VERSIONS_KEEP,
    RETENTION_AUDIT_YEARS,
    RETENTION_RESOLVED_ALERTS_DAYS,
    RETENTION_BATCH_SIZE,
    RETENTION_HOUR,
    BULK_STALLED_SECONDS,
    DEPARTMENT_SYNC_INLINE,
    BACKUP_DIR,
    LOG_FORMAT,
    LOGGING,
)

# --- The clock ------------------------------------------------------------------------

from config.schedule import beat_schedule

# Everything `celery beat` starts (config/schedule.py), at the intervals and hours imported
# above.
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

# --- Set only in some environments ----------------------------------------------------

# A few settings exist only in some environments (Django must not see the name otherwise), so
# their modules give them as dicts: EMAIL_URL's (EMAIL_BACKEND, EMAIL_HOST... and, as the URL
# says, EMAIL_USE_TLS, EMAIL_USE_SSL, OPTIONS), PASSWORD_HASHERS under tests, and
# SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST behind a proxy (BEHIND_PROXY).
vars().update(email_url_settings)
vars().update(test_password_hashers)
vars().update(proxy_settings)
