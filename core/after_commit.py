"""What runs after a write commits, and may never fail the request that made it.

Once a transaction has committed, the person's change exists: an error from the broker, the
cache or the channel layer raised after that point would turn a write that happened into a
500 (and, with Redis down, keep the request waiting). So every on-commit side effect goes
through here: it is tried once, quickly, and any failure is logged. What was lost is not
lost for good: the rows in the database are the outbox, and a beat task finds the work that
was not done (notifications.tasks.sweep_outbox for emails; routing's
`routing-waiting` task for questions waiting for an expert). README, "Background tasks".
"""

import logging
from collections.abc import Callable

from celery import Task, current_app
from django.db import transaction

log = logging.getLogger(__name__)

# Publishing in a request: one quick retry, not kombu's default three with back-off.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


def task_named(name: str) -> Task:
    """The registered Celery task called `name`. A web process imports the apps' tasks
    modules only when something asks for one (a worker imports them all at start), so the
    first lookup of a name not seen yet imports them: Celery's autodiscovery."""
    try:
        return current_app.tasks[name]
    except KeyError:
        current_app.loader.import_default_modules()
        return current_app.tasks[name]


def enqueue(task: Task | str, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the broker now; False (and a log line) if it could
    not be sent. Results are never stored (nothing reads them), so publishing touches only
    the broker.

    `task` is a Celery task or its registered name ("routing.tasks.check_sla"): a service
    names the task it schedules, so a services module never imports its app's tasks module
    (the tasks import the services, never the other way round)."""
    name = task if isinstance(task, str) else task.name
    try:
        if isinstance(task, str):
            task = task_named(task)
        task.apply_async(
            args,
            kwargs,
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:
        # Eager mode runs the task here: its own errors land here too, for the same reason.
        log.exception("could not enqueue %s; the outbox sweep will pick it up", name)
        return False
    return True


def enqueue_on_commit(task: Task | str, *args, **kwargs) -> None:
    """After the current transaction commits, enqueue `task(*args, **kwargs)` (see
    `enqueue`). Outside a transaction it is enqueued at once."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), robust=True)


def call_on_commit(func: Callable[[], object], *, what: str) -> None:
    """After commit, call `func` (a cache call, a file deletion...); log if it fails."""

    def call() -> None:
        try:
            func()
        except Exception:
            log.exception("after commit: could not %s", what)

    transaction.on_commit(call, robust=True)
