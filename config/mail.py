"""The mail settings (config/settings.py lists them): the transport (EMAIL_URL), the sender,
sending once, the outbox sweep and the digests."""

from django.core.exceptions import ImproperlyConfigured

from config.environment import env

# --- Email ----------------------------------------------------------------------------

# EMAIL_URL's settings (django-environ): EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_FILE_PATH, and EMAIL_USE_TLS, EMAIL_USE_SSL or
# OPTIONS when the URL asks for them. Which names depends on the URL: config/settings.py adds
# this dict to its own settings.
email_url_settings = env.email_url("EMAIL_URL", default="consolemail://")
# A directory to write each email into as a file (tests, a worker in a sandbox): overrides
# EMAIL_URL when set.
if env.str("EMAIL_FILE_PATH", default=""):
    email_url_settings["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    email_url_settings["EMAIL_FILE_PATH"] = env.str("EMAIL_FILE_PATH")
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

# --- Digests --------------------------------------------------------------------------

# Digests (notifications): daily at DIGEST_HOUR UTC, weekly on Mondays then.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
# A digest run goes in chunk tasks of this many readers (an id range each), taken by any
# number of workers in parallel.
DIGEST_CHUNK_SIZE = env.int("DIGEST_CHUNK_SIZE", default=500)
if DIGEST_CHUNK_SIZE < 1:
    raise ImproperlyConfigured("DIGEST_CHUNK_SIZE must be 1 or more.")
