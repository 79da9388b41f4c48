"""LOGGING for config/operations.py (named logs.py, not logging.py, so that it can never stand
in for the standard library's module).

Both formats carry the request id (core.request_context): the caller's X-Request-ID or a
new one, carried into Celery tasks and live events. Log lines name ids and counts, never a
customer's data or a message body (tests/ops/test_logs.py). Celery workers and beat log
through the same handlers (config/celery.py: setup_logging).
"""


def logging_config(*, log_format: str, level: str) -> dict:
    """LOGGING: one console handler writing `log_format` ("text" or "json") at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "core.request_context.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "django.channels.server": {"level": "WARNING"},
        },
    }
