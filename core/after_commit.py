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
from django.core.cache import cache
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


# Coalesced tasks (enqueue_id_coalesced_on_commit): ids wait in a Redis list; one drain task
# is queued at a time per task name, claimed for at most this long (a drain lost with the
# broker or a worker delays the next by at most this, and the app's sweep covers its ids).
COALESCED_CLAIM_SECONDS = 60
COALESCED_BATCH = 100
DRAIN_TASK = "core.drain_coalesced"


def _coalesced_keys(task: str) -> tuple[str, str]:
    return f"coalesced:{task}", f"coalesced:{task}:claimed"


def enqueue_id_coalesced_on_commit(task: str, item_id: int) -> None:
    """After commit, have `task(item_id)` run in a worker, as enqueue_on_commit does, but
    coalesced: on Redis the id joins the task's list and a drain task (`drain_coalesced`) is
    sent only when none is waiting already. A burst of a thousand ids is then a few broker
    messages, not a thousand, and the request pays one round trip to Redis (bench/intake.py).

    Each id still runs `task` once, on its own (a failure is logged and leaves the others
    alone); ids lost with Redis or a worker are the app's sweep's to find, as for a lost
    task. Without Redis (embedded: the local-memory cache, eager Celery) it is
    enqueue_on_commit."""
    transaction.on_commit(lambda: _enqueue_id_coalesced(task, item_id), robust=True)


def _enqueue_id_coalesced(task: str, item_id: int) -> None:
    push_and_claim = getattr(cache, "push_and_claim", None)  # core.cache.RedisCache
    if push_and_claim is None:
        enqueue(task, item_id)
        return
    queue, claim = _coalesced_keys(task)
    try:
        claimed = push_and_claim(queue, item_id, claim, COALESCED_CLAIM_SECONDS)
    except Exception:
        log.exception("could not queue %s(%s); the sweep will pick it up", task, item_id)
        return
    if claimed and not enqueue(DRAIN_TASK, task):
        # Let the next id try to send one, rather than wait for the claim to expire.
        call_logged(lambda: cache.delete(claim), what=f"release the claim on {task}")


def drain_coalesced(task: str) -> int:
    """Run `task` in this process for every id in its list until the list is empty; how
    many ran. The claim is released first, so an id that arrives from then on sends
    another drain (run by another worker, beside this one) rather than wait for this one."""
    queue, claim = _coalesced_keys(task)
    cache.delete(claim)
    run = task_named(task)
    done = 0
    while ids := cache.pop_ids(queue, COALESCED_BATCH):
        for item_id in ids:
            call_logged(lambda item_id=item_id: run(item_id), what=f"run {task}({item_id})")
            done += 1
    return done


def call_logged(func: Callable[[], object], *, what: str) -> None:
    """Call `func` now; log, never raise, if it fails."""
    try:
        func()
    except Exception:
        log.exception("could not %s", what)


def call_on_commit(func: Callable[[], object], *, what: str) -> None:
    """After commit, call `func` (a cache call, a file deletion...); log if it fails."""

    transaction.on_commit(lambda: call_logged(func, what=f"{what} (after commit)"), robust=True)
