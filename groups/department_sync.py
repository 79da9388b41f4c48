"""Department groups kept up to date for many people at once: a bulk job (core.bulk) in
chunks, out of the request.

One person whose department changes (the profile page, the API, the admin, single sign-on)
moves group at once, in the save's own transaction (groups.receivers): that is what they
and whoever changed it expect to see on the next page, and it costs a handful of queries.
Many people at once (a directory file moving a team, a department re-synced, everyone after
a bulk import) would hold the request for seconds: inside `defer_department_syncs()` the
receivers only note who moved, and `sync_departments(...)` then brings them up to date in
the caller's transaction when they are few (DEPARTMENT_SYNC_INLINE or fewer), or starts a
job whose progress the page that started it shows.

A chunk (`sync_chunk`) makes each of its people a member of their current department's
group and of the company group, turns a membership they had joined by hand into the
department's, and drops the department memberships of any other department: the same
rows whatever state it starts from, so a chunk applied twice changes nothing the second
time. Five queries for any chunk size, plus two for a department that got its group
after the job started.
"""

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from core import bulk, events
from people.models import Department, Profile

from .models import Group, Membership

User = get_user_model()

JOB = "groups.department_sync"
CHUNK = 2000

_moved: ContextVar[set | None] = ContextVar("department_syncs_deferred", default=None)


@contextlib.contextmanager
def defer_department_syncs():
    """Within: a profile whose department changes is noted in the yielded set (user ids)
    instead of being synced on its own; the caller calls `sync_departments` with it."""
    moved: set[int] = set()
    token = _moved.set(moved)
    try:
        yield moved
    finally:
        _moved.reset(token)


def note_moved(user_id: int) -> bool:
    """True when a deferral is open (the user is noted and must not be synced now)."""
    moved = _moved.get()
    if moved is None:
        return False
    moved.add(user_id)
    return True


def sync_departments(*, actor=None, user_ids=None, department=None, everyone=False, subject=""):
    """Bring department memberships up to date for `user_ids`, or `department`'s people
    (those in it and those it still counts), or `everyone`. Call it inside the caller's
    transaction. Returns the job (None when it was done inline, or nobody to sync)."""
    if user_ids is not None:
        user_ids = sorted(set(user_ids))
        if not user_ids:
            return None
        if len(user_ids) <= settings.DEPARTMENT_SYNC_INLINE:
            _ensure_groups(Profile.objects.filter(user_id__in=user_ids))
            sync_chunk(None, user_ids)
            return None
        params = {"user_ids": user_ids}
        scope = Profile.objects.filter(user_id__in=user_ids)
    elif department is not None:
        params = {"department_id": department.pk}
        scope = Profile.objects.filter(department=department)
    else:
        assert everyone, "say whom to sync"
        params = {"everyone": True}
        scope = Profile.objects.all()
    from .services import ensure_company_group

    _ensure_groups(scope)
    params["company_id"] = ensure_company_group().pk
    return bulk.start_job(
        kind=JOB,
        subject=subject or f"department-sync:{params.get('department_id', 'people')}",
        actor=actor,
        params=params,
    )


def _ensure_groups(profiles) -> None:
    """A group for every department these people are in, before the chunks: a new
    department's group exists before anyone is put in it."""
    from .services import ensure_department_group

    missing = Department.objects.filter(
        pk__in=profiles.filter(department__isnull=False).values("department_id"),
        group__isnull=True,
    )
    for department in missing:
        ensure_department_group(department)


def sync_targets(job):
    """The user ids a job covers (core.bulk walks them in id order)."""
    params = job.params
    if "user_ids" in params:
        users = User.objects.filter(pk__in=params["user_ids"])
    elif "department_id" in params:
        department_id = params["department_id"]
        counted = Membership.objects.filter(
            user_id=OuterRef("pk"),
            source=Membership.Source.DEPARTMENT,
            group__department_id=department_id,
        )
        users = User.objects.filter(Q(profile__department_id=department_id) | Exists(counted))
    else:
        users = User.objects.all()
    return users.values_list("pk", flat=True)


def sync_chunk(job, user_ids: list[int]) -> None:
    """One chunk: five queries whatever its size (see the module's docstring)."""
    from .services import ensure_company_group, ensure_department_group

    people = list(
        Profile.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "department_id", "user__is_active"
        )
    )
    departments = {dept for _, dept, _ in people if dept is not None}
    group_of = dict(
        Group.objects.filter(department_id__in=departments).values_list("department_id", "pk")
    )
    for department in Department.objects.filter(pk__in=departments - set(group_of)):
        group_of[department.pk] = ensure_department_group(department).pk  # new since the start
    company_id = job.params["company_id"] if job is not None else ensure_company_group().pk

    own_department = Profile.objects.filter(
        user_id=OuterRef("user_id"), department_id=OuterRef("group__department_id")
    )
    # Department memberships of a department one is no longer in go (a fast DELETE: no
    # signal or cascade hangs on a membership).
    Membership.objects.filter(
        user_id__in=user_ids,
        source=Membership.Source.DEPARTMENT,
        group__kind=Group.Kind.DEPARTMENT,
    ).exclude(Exists(own_department)).delete()
    Membership.objects.bulk_create(
        [
            Membership(group_id=group_of[dept], user_id=uid, source=Membership.Source.DEPARTMENT)
            for uid, dept, active in people
            if dept is not None and active
        ]
        + [
            Membership(group_id=company_id, user_id=uid, source=Membership.Source.COMPANY)
            for uid, _, _ in people
        ],
        ignore_conflicts=True,
    )
    # Who had joined their own department's group by hand now has it from the department.
    Membership.objects.filter(user_id__in=user_ids, group__kind=Group.Kind.DEPARTMENT).exclude(
        source=Membership.Source.DEPARTMENT
    ).filter(Exists(own_department)).update(source=Membership.Source.DEPARTMENT)
    for uid, _, _ in people:
        events.membership_changed(uid)


def sync_everyone_now() -> None:
    """Every person's department groups, chunk by chunk in this process (seeding)."""
    _ensure_groups(Profile.objects.all())
    cursor = 0
    while ids := list(
        User.objects.filter(pk__gt=cursor).order_by("pk").values_list("pk", flat=True)[:CHUNK]
    ):
        with transaction.atomic():
            sync_chunk(None, ids)
        cursor = ids[-1]
