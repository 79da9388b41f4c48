"""CELERY_BEAT_SCHEDULE for config/settings.py: everything the clock (`celery beat`) starts.

Embedded, `make run`'s clock runs each task itself (bin/run.py); with Redis, it enqueues
them for the workers. The intervals and hours are settings read in the modules that
config/settings.py imports them from (config/questions.py, config/mail.py, config/features.py,
config/operations.py) or, for the policy reminders and the SLA check, variables read in
config/settings.py itself; the README lists them all.
"""

from celery.schedules import crontab


def beat_schedule(
    *,
    policy_reminder_check_seconds: float,
    routing_sla_check_seconds: float,
    routing_retrain_hour: int,
    monitoring_scan_seconds: float,
    digest_hour: int,
    feeds_schedule_check_seconds: float,
    message_email_check_seconds: float,
    poll_close_check_seconds: float,
    event_reminder_check_seconds: float,
    outbox_sweep_seconds: float,
    analytics_rollup_hour: int,
    retention_hour: int,
) -> dict:
    """CELERY_BEAT_SCHEDULE: each task with its interval (seconds) or its crontab."""
    return {
        # Policies: remind whoever has not acknowledged the current policy. The task runs
        # often and sends at most one reminder per person per reminder period
        # (PolicySettings.reminder_days).
        "policies-acknowledgement-reminders": {
            "task": "policies.send_acknowledgement_reminders",
            "schedule": policy_reminder_check_seconds,
        },
        "routing-sla": {
            "task": "routing.tasks.check_sla",
            "schedule": routing_sla_check_seconds,
        },
        "routing-waiting": {
            "task": "routing.tasks.assign_waiting_questions",
            "schedule": 60.0,
        },
        # Questions still new ROUTING_NEW_SWEEP_SECONDS after they were stored (their task
        # was lost with the broker or a worker).
        "routing-new": {
            "task": "routing.tasks.route_new_questions",
            "schedule": 60.0,
        },
        "routing-retrain": {
            "task": "routing.tasks.retrain_router_nightly",
            "schedule": crontab(minute=15, hour=routing_retrain_hour),
        },
        "monitoring-scan": {
            "task": "monitoring.scan",
            "schedule": monitoring_scan_seconds,
        },
        "notifications-daily-digest": {
            "task": "notifications.digests",
            "schedule": crontab(minute=0, hour=digest_hour),
            "args": ("daily",),
        },
        "notifications-weekly-digest": {
            "task": "notifications.digests",
            "schedule": crontab(minute=0, hour=digest_hour, day_of_week="mon"),
            "args": ("weekly",),
        },
        "feeds-scheduled-posts": {
            "task": "feeds.publish_due_posts",
            "schedule": feeds_schedule_check_seconds,
        },
        "messaging-unread-email": {
            "task": "messaging.email_unread_messages",
            "schedule": message_email_check_seconds,
        },
        "polls-close": {
            "task": "polls.close_due_polls",
            "schedule": poll_close_check_seconds,
        },
        "agenda-reminders": {
            "task": "agenda.send_due_reminders",
            "schedule": event_reminder_check_seconds,
        },
        "notifications-outbox": {
            "task": "notifications.sweep_outbox",
            "schedule": outbox_sweep_seconds,
        },
        "analytics-rollups": {
            "task": "analytics.roll_up_recent",
            "schedule": crontab(minute=30, hour=analytics_rollup_hour),
        },
        # Bulk jobs (core.bulk) that stalled for BULK_STALLED_SECONDS get their next chunk
        # sent again.
        "core-bulk-resume": {
            "task": "core.resume_bulk_jobs",
            "schedule": 60.0,
        },
        "core-retention": {
            "task": "core.retention",
            "schedule": crontab(minute=30, hour=retention_hour),
        },
    }
