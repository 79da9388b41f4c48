"""Bulk work out of the request: a job (core.models.BulkJob) done by a task in chunks.

An app registers a kind once (in its AppConfig.ready):

    register_kind("policies.publish", targets=..., apply=..., chunk_size=2000)

- `targets(job)` returns a queryset of the target ids (`values_list("pk", flat=True)`),
  not yet ordered: the job walks it in id order, `chunk_size` at a time, after its cursor.
- `apply(job, ids)` writes for one chunk of ids with a fixed number of queries (bulk
  inserts, one UPDATE ... WHERE id IN): it runs in the chunk's transaction.
- `finish(job)`, optional, runs in the last chunk's transaction (an event, an audit line).

A service starts a job inside its own transaction with `start_job(...)`: the job row is
written with it and its first chunk is enqueued on commit. Each chunk (`run_chunk`) locks
the job row, does nothing if its cursor has moved (a redelivered or repeated task: exactly
once), applies the next chunk, moves the cursor and counts, and on commit enqueues the
next chunk. A chunk lost with the broker is sent again by `resume_stalled` (beat, every
minute: core.tasks.resume_bulk_jobs). Queries per chunk: lock the job, read the ids,
`apply`'s own, save the job.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .after_commit import enqueue_on_commit
from .models import BulkJob

CHUNK_TASK = "core.bulk_chunk"


@dataclass(frozen=True)
class Kind:
    label: str
    targets: Callable
    apply: Callable
    chunk_size: int
    finish: Callable | None
    may_view: Callable | None


_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    label: str,
    targets: Callable,
    apply: Callable,
    chunk_size: int = 2000,
    finish: Callable | None = None,
    may_view: Callable | None = None,
) -> None:
    """`label` says what the job does on its progress bar ("Notifying everyone");
    `may_view(user)` who besides the person who started it may see its progress."""
    _kinds[name] = Kind(
        label=label,
        targets=targets,
        apply=apply,
        chunk_size=chunk_size,
        finish=finish,
        may_view=may_view,
    )


def label_of(job: BulkJob) -> str:
    kind = _kinds.get(job.kind)
    return kind.label if kind is not None else job.kind


def start_job(*, kind: str, subject: str, actor=None, params: dict | None = None) -> BulkJob:
    """A new job, counted (one COUNT), its first chunk enqueued when the caller's
    transaction commits. Call it inside the service's transaction."""
    registered = _kinds[kind]
    job = BulkJob(
        kind=kind,
        subject=subject,
        params=params or {},
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    job.total = registered.targets(job).count()
    job.save(force_insert=True)
    enqueue_on_commit(CHUNK_TASK, job.pk, 0)
    return job


def run_chunk(*, job_id: int, cursor: int) -> bool:
    """Apply the chunk after `cursor`, once; True when it did (and the next one is on its
    way or the job is finished), False when there was nothing to do (finished, or this
    chunk was done already)."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished or job.cursor != cursor:
            return False
        registered = _kinds[job.kind]
        ids = list(
            registered.targets(job).filter(pk__gt=cursor).order_by("pk")[: registered.chunk_size]
        )
        if ids:
            registered.apply(job, ids)
            job.cursor = ids[-1]
            job.done += len(ids)
            job.chunks += 1
        if len(ids) < registered.chunk_size:
            job.status = BulkJob.Status.FINISHED
            job.finished_at = timezone.now()
            if registered.finish is not None:
                registered.finish(job)
        else:
            enqueue_on_commit(CHUNK_TASK, job.pk, job.cursor)
        job.save()
    return True


def resume_stalled(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """The outbox of bulk jobs: enqueue again the next chunk of every running job that has
    not moved for `older_than` (its task was lost). Harmless if the task was only slow:
    the cursor decides. How many were resumed."""
    now = now or timezone.now()
    stalled = list(
        BulkJob.objects.filter(
            status=BulkJob.Status.RUNNING, updated_at__lte=now - older_than
        ).values_list("pk", "cursor")
    )
    for pk, cursor in stalled:
        enqueue_on_commit(CHUNK_TASK, pk, cursor)
    return len(stalled)


def latest_job(subject: str) -> BulkJob | None:
    """The newest job about `subject` (one query)."""
    return BulkJob.objects.filter(subject=subject).order_by("-created_at", "-pk").first()


def may_view(user, job: BulkJob) -> bool:
    """The person who started the job, or whom its kind lets see it."""
    return _may_view(user, job.kind, job.created_by_id)


def _may_view(user, kind_name: str, started_by_id: int | None) -> bool:
    if not user.is_authenticated:
        return False
    kind = _kinds.get(kind_name)
    return started_by_id == user.pk or bool(kind and kind.may_view and kind.may_view(user))


def latest_job_for(user, subject: str, *, kind: str, started_by_id: int | None) -> BulkJob | None:
    """The newest job of `kind` about `subject`, started by `started_by_id`, if `user` may
    see it (may_view); None without a query for anyone else."""
    if not _may_view(user, kind, started_by_id):
        return None
    job = latest_job(subject)
    return job if job is not None and job.kind == kind and may_view(user, job) else None


def job_for(user, job_id: int) -> BulkJob | None:
    """The job if `user` may see it, else None (the page answers 404 for both)."""
    job = BulkJob.objects.filter(pk=job_id).first() if user.is_authenticated else None
    return job if job is not None and may_view(user, job) else None
