"""Many people moving department at once (a directory file, a SCIM group replaced) move
to their department's group out of the request: a bulk job in chunks, a fixed number of
queries per chunk, exactly once however often a chunk runs, its progress on the import page.
A few people move at once, in the import's own transaction."""

import dataclasses

import pytest

from core import bulk
from core.models import BulkJob
from directory import services
from groups import department_sync
from groups.models import Group, Membership
from people.models import Department

from ..conftest import client_for
from ..factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


@pytest.fixture
def small_chunks(monkeypatch, settings):
    """Chunks of 3 people and a job from 4 moved people on, so a handful makes several."""
    settings.DEPARTMENT_SYNC_INLINE = 3
    kinds = dict(bulk._kinds)
    kinds[department_sync.JOB] = dataclasses.replace(kinds[department_sync.JOB], chunk_size=3)
    monkeypatch.setattr(bulk, "_kinds", kinds)


@pytest.fixture
def engineers(engineering):
    return [make_person(f"eng{n}", department=engineering).user for n in range(7)]


def _file(usernames, department: str) -> str:
    return "username,department\n" + "".join(f"{name},{department}\n" for name in usernames)


def _department_members(department) -> set[int]:
    return set(
        Membership.objects.filter(
            group__department=department, source=Membership.Source.DEPARTMENT
        ).values_list("user_id", flat=True)
    )


def _run_to_the_end(job) -> None:
    job.refresh_from_db()
    while not job.finished:
        bulk.run_chunk(job_id=job.pk, cursor=job.cursor)
        job.refresh_from_db()


def test_a_file_moving_many_people_answers_then_a_job_moves_their_groups(
    admin_user, engineers, engineering, finance, small_chunks
):
    names = [user.username for user in engineers]
    plan = services.apply_import(actor=admin_user, text=_file(names, "finance"))
    assert plan.applied
    job = plan.membership_job  # the import committed; on_commit tasks do not run in a test
    assert (job.kind, job.total, job.done) == (department_sync.JOB, 7, 0)
    assert _department_members(engineering) == {u.pk for u in engineers}  # not moved yet
    _run_to_the_end(job)
    assert (job.done, job.chunks) == (7, 3)
    assert _department_members(engineering) == set()
    assert _department_members(finance) == {u.pk for u in engineers}


def test_a_file_moving_a_few_people_moves_their_groups_at_once(
    admin_user, engineers, engineering, finance, small_chunks
):
    plan = services.apply_import(actor=admin_user, text=_file(["eng0", "eng1"], "finance"))
    assert plan.applied and plan.membership_job is None
    assert not BulkJob.objects.exists()
    assert _department_members(finance) == {engineers[0].pk, engineers[1].pk}


def test_a_new_department_has_its_group_before_the_job_fills_it(
    admin_user, engineers, small_chunks
):
    names = [user.username for user in engineers]
    plan = services.apply_import(
        actor=admin_user, text=_file(names, "Research"), create_departments=True
    )
    research = Department.objects.get(name="Research")
    group = Group.objects.get(department=research)
    assert group.kind == Group.Kind.DEPARTMENT
    _run_to_the_end(plan.membership_job)
    assert _department_members(research) == {u.pk for u in engineers}


def test_a_chunk_run_twice_changes_nothing_the_second_time(
    admin_user, engineers, engineering, finance, small_chunks
):
    """A redelivered task finds the cursor moved; the chunk's own writes applied again
    (a worker killed after its writes, before the job's save) leave the same rows."""
    names = [user.username for user in engineers]
    job = services.apply_import(actor=admin_user, text=_file(names, "finance")).membership_job
    assert bulk.run_chunk(job_id=job.pk, cursor=0) is True
    assert bulk.run_chunk(job_id=job.pk, cursor=0) is False
    first = sorted(engineers, key=lambda u: u.pk)[:3]
    rows = sorted(Membership.objects.values_list("group_id", "user_id", "source"))
    department_sync.sync_chunk(job, [u.pk for u in first])
    assert sorted(Membership.objects.values_list("group_id", "user_id", "source")) == rows
    _run_to_the_end(job)
    assert Membership.objects.filter(user__in=engineers, source="department").count() == 7


def test_a_chunk_costs_the_same_queries_whatever_its_size(
    admin_user, engineering, finance, django_assert_num_queries, monkeypatch, settings
):
    """Lock the job, read the chunk's ids, read their profiles, read their departments'
    groups, one DELETE, one INSERT, one UPDATE, save the job; the savepoint pair is the
    test's transaction (a transaction of its own in a worker)."""
    settings.DEPARTMENT_SYNC_INLINE = 0
    people = [make_person(f"many{n}", department=engineering).user.username for n in range(14)]
    job = services.apply_import(actor=admin_user, text=_file(people, "finance")).membership_job
    for size in (2, 10):
        kinds = dict(bulk._kinds)
        kinds[department_sync.JOB] = dataclasses.replace(
            kinds[department_sync.JOB], chunk_size=size
        )
        monkeypatch.setattr(bulk, "_kinds", kinds)
        with django_assert_num_queries(10):
            assert bulk.run_chunk(job_id=job.pk, cursor=job.cursor)
        job.refresh_from_db()


def test_one_who_joined_their_new_department_group_by_hand_now_has_it_from_the_department(
    admin_user, engineers, finance, small_chunks
):
    from groups.services import ensure_department_group

    group = ensure_department_group(finance)
    Membership.objects.create(group=group, user=engineers[0], source=Membership.Source.JOINED)
    names = [user.username for user in engineers]
    plan = services.apply_import(actor=admin_user, text=_file(names, "finance"))
    _run_to_the_end(plan.membership_job)
    assert Membership.objects.get(group=group, user=engineers[0]).source == "department"


def test_the_import_page_shows_the_progress_to_admins_only(
    admin_user, employee, engineers, finance, small_chunks
):
    names = [user.username for user in engineers]
    response = client_for(admin_user).post(
        "/directory/import/", {"text": _file(names, "finance"), "action": "apply"}
    )
    page = response.content.decode()
    job = BulkJob.objects.get()
    # The kind's registered label, escaped like any value (as the polled partial wrote it).
    assert "Moving people to their department&#x27;s group: 0 of 7" in page
    assert f'hx-get="/bulk-jobs/{job.pk}/"' in page
    again = client_for(admin_user).get("/directory/import/").content.decode()
    assert f'hx-get="/bulk-jobs/{job.pk}/"' in again  # still running: shown on a new visit
    bulk.run_chunk(job_id=job.pk, cursor=0)
    assert "3 of 7" in client_for(admin_user).get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert client_for(employee).get(f"/bulk-jobs/{job.pk}/").status_code == 404
    _run_to_the_end(job)
    assert "hx-get" not in client_for(admin_user).get("/directory/import/").content.decode()


def test_everyone_resynced_in_chunks(engineers, engineering):
    Membership.objects.filter(group__department=engineering).delete()
    Membership.objects.filter(group__kind=Group.Kind.COMPANY).delete()
    from groups.services import sync_all_department_memberships

    assert sync_all_department_memberships() == 2 * len(engineers)
    assert _department_members(engineering) == {u.pk for u in engineers}
    assert sync_all_department_memberships() == 0
