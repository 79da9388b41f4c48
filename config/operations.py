"""The settings of running the service (config/settings.py lists them): metrics, retention,
bulk jobs, backups, and the logs."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.environment import VAR_DIR, env
from config.features import MESSAGE_RETENTION_DAYS
from config.logs import logging_config
from config.security import metrics_networks

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
for _name, _kept in (
    ("RETENTION_READ_NOTIFICATIONS_DAYS", RETENTION_READ_NOTIFICATIONS_DAYS),
    ("RETENTION_EMAIL_DELIVERIES_DAYS", RETENTION_EMAIL_DELIVERIES_DAYS),
    ("RETENTION_ROUTER_VERSIONS_KEEP", RETENTION_ROUTER_VERSIONS_KEEP),
    ("RETENTION_AUDIT_YEARS", RETENTION_AUDIT_YEARS),
    ("RETENTION_RESOLVED_ALERTS_DAYS", RETENTION_RESOLVED_ALERTS_DAYS),
    # config/features.py's, the "messages" rule of core.retention.
    ("MESSAGE_RETENTION_DAYS", MESSAGE_RETENTION_DAYS),
):
    if _kept < 0:
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

# --- Logging --------------------------------------------------------------------------

# LOG_FORMAT=json writes one JSON object per line (python-json-logger) for a log collector;
# text (the default) is for people reading a terminal. Both carry the request id
# (config/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))
