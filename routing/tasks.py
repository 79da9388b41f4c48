"""Celery tasks of routing: each wraps a service that can also be called directly."""

from celery import shared_task

from . import services, training


@shared_task
def check_sla() -> int:
    """Beat, every minute: reminders at 50%, escalations at 100% and 150% of the SLA."""
    return services.check_sla()


@shared_task
def assign_waiting_questions(department_id: int | None = None) -> int:
    """Beat, every minute (and at once when an expert's question is answered or closed):
    waiting questions go to experts who became free."""
    return services.assign_waiting_questions(department_id=department_id)


@shared_task
def train_router(source: str = "history") -> int:
    """On demand (the dashboard, the API, the admin): a challenger trained on the labelled
    history plus seed examples, activated only if it is not worse than the active version on
    the most recent labels (routing.training.retrain_router)."""
    return training.retrain_router(source=source).pk


@shared_task
def retrain_router_nightly() -> int | None:
    """Beat, nightly at ROUTING_RETRAIN_HOUR: the same, when labels came in since the last
    version."""
    version = training.retrain_router(source="nightly", scheduled=True)
    return version.pk if version is not None else None
