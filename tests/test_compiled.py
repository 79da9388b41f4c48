"""core.compiled: a queryset compiled once and run with other values gives what the ORM
gives for those values, and refuses a value its SQL does not carry."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Upper

from core import compiled

pytestmark = pytest.mark.django_db


def test_values_of_every_kind_are_swapped_in(db):
    User = get_user_model()
    old = User.objects.create(username="old", date_joined=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    new = User.objects.create(username="new", date_joined=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))

    def build(min_id, name, since):
        return User.objects.filter(id__gte=min_id, username=name, date_joined__gte=since).values(
            "id", "date_joined"
        )

    def run(min_id, name, since):
        values = {"min_id": min_id, "name": name, "since": since}
        return compiled.run(("tests.users",), build, values)

    after_2021 = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    assert run(0, "new", after_2021) == [{"id": new.pk, "date_joined": new.date_joined}]
    assert run(0, "old", after_2021) == []
    assert run(0, "old", after_2021 - dt.timedelta(days=900)) == [
        {"id": old.pk, "date_joined": old.date_joined}
    ]
    assert run(new.pk + 1, "new", after_2021) == []


def test_a_value_the_sql_does_not_carry_is_an_error(db):
    def build(user_id):
        return get_user_model().objects.filter(is_active=True).values("id")

    with pytest.raises(ValueError, match="user_id"):
        compiled.run(("tests.forgot",), build, {"user_id": 1})


def test_a_contains_pattern_takes_its_value_escaped_as_the_orm_escapes_it(db):
    """A marker inside a LIKE pattern (icontains: "%marker%") is swapped in with the
    pattern's wildcards escaped: "50%" finds "50% off", not "500 off"."""
    User = get_user_model()
    for name in ("sale_50%_off", "sale_500_off", "other"):
        User.objects.create(username=name)

    def build(part):
        return User.objects.filter(username__icontains=part).order_by("username").values("id")

    def names(part):
        rows = compiled.rows(
            ("tests.like",), build, {"part": part}, wrap="SELECT COUNT(*) FROM ({}) s"
        )
        orm = User.objects.filter(username__icontains=part).count()
        assert rows == [(orm,)]
        return orm

    assert names("SALE") == 2
    assert names("50%") == 1
    assert names("5_0") == 0  # "_" is not a wildcard either ("500")
    assert names("_50%_") == 1


def test_rows_wrap_the_compiled_sql_and_plan_it_per_run_when_asked(db):
    User = get_user_model()
    first = User.objects.create(username="wrap-a")
    User.objects.create(username="wrap-b")

    def build(min_id):
        return User.objects.filter(id__gte=min_id).values("id")

    def count(min_id):
        return compiled.rows(
            ("tests.wrap",),
            build,
            {"min_id": min_id},
            wrap="SELECT COUNT(*) FROM ({}) s",
            prepare=False,
        )[0][0]

    assert count(first.pk) == 2
    assert count(first.pk + 1) == 1
    assert count(first.pk + 2) == 0


def test_a_row_becomes_the_instance_the_orm_loads(db):
    User = get_user_model()
    someone = User.objects.create(username="row", email="row@example.com", is_staff=True)

    def build(user_id):
        # Columns in another order than the model's, and an annotation.
        return (
            User.objects.filter(id=user_id)
            .annotate(shouting=Upper("username"))
            .values("email", "username", "id", "shouting")
        )

    (row,) = compiled.run(("tests.instance",), build, {"user_id": someone.pk})
    user = compiled.instance(User, row)
    assert (user.pk, user.username, user.email) == (someone.pk, "row", "row@example.com")
    assert user.shouting == "ROW"
    assert not user._state.adding and user._state.db == "default"
    assert user.get_deferred_fields() >= {"is_staff", "password"}
    assert user.is_staff is True  # a deferred field loads as the ORM loads it


def test_related_values_become_the_instances_select_related_loads(db, django_assert_num_queries):
    """A row of the model's fields and its relations' ("user__username") becomes the model
    with each relation loaded both ways, as select_related leaves them; an empty nullable
    relation is None. Reading any of it costs no query."""
    from people.models import Department, Profile

    from .factories import make_person

    sales = Department.objects.create(name="Sales", slug="sales")
    placed = make_person("placed", display_name="Placed One", department=sales, title="Rep")
    unplaced = make_person("unplaced", display_name="Unplaced One")
    related = ("user", "department")

    def build(min_id):
        return (
            Profile.objects.filter(id__gte=min_id)
            .order_by("display_name")
            .values(*compiled.related_fields(Profile, related))
        )

    rows = compiled.run(("tests.related",), build, {"min_id": min(placed.pk, unplaced.pk)})
    with django_assert_num_queries(0):
        first, second = (compiled.loaded(Profile, row, related=related) for row in rows)
        assert (first.pk, first.title, first.user.username) == (placed.pk, "Rep", "placed")
        assert first.department.name == "Sales" and first.department.pk == sales.pk
        assert first.user.profile is first and first.user.email == placed.user.email
        assert (second.pk, second.user.username, second.department) == (
            unplaced.pk,
            "unplaced",
            None,
        )
        assert not first.user._state.adding and first.get_deferred_fields() == set()
        assert first.user.get_deferred_fields() == set()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_on_postgresql_the_query_is_a_prepared_statement_planned_once_and_counted(
    db, django_assert_num_queries
):
    User = get_user_model()
    someone = User.objects.create(username="someone")

    def build(user_id):
        return User.objects.filter(id=user_id).values("username")

    with django_assert_num_queries(3) as captured:
        for _ in range(3):
            rows = compiled.run(("tests.prepared",), build, {"user_id": someone.pk})
    assert rows == [{"username": "someone"}]
    # The query log shows each run's SQL with its value (core.postgresql), not None.
    expected = f'"auth_user"."id" = {someone.pk}'
    assert all(expected in q["sql"] for q in captured), [q["sql"] for q in captured]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        statements = cursor.fetchall()
    # Prepared on its second run, then planned once: every run since used the generic plan.
    assert [
        (plans, custom)
        for sql, plans, custom in statements
        if '"auth_user"."username"' in sql and "$1" in sql
    ] == [(2, 0)], statements


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_prepared_statements_can_be_turned_off(db, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    User = get_user_model()
    someone = User.objects.create(username="plain")

    def build(user_id):
        return User.objects.filter(id=user_id, is_staff=False).values("username")

    assert compiled.run(("tests.plain",), build, {"user_id": someone.pk}) == [{"username": "plain"}]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert not any('"auth_user"."is_staff"' in s for s in statements), statements


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_query_planned_per_run_is_never_prepared_and_reads_the_orms_datetimes(db):
    """prepare=False (a search: its plan depends on its values) binds on the client however
    often it runs, and reads timestamps with psycopg's compiled loader: the same aware
    datetimes as the ORM's."""
    User = get_user_model()
    joined = dt.datetime(2021, 6, 1, 12, 30, 15, 123456, tzinfo=dt.UTC)
    someone = User.objects.create(username="planned", date_joined=joined)

    def build(key):
        return User.objects.filter(username__contains=key).values("date_joined", "last_login")

    for _ in range(7):  # past psycopg's threshold for preparing on its own (5)
        rows = compiled.run(("tests.planned",), build, {"key": "plann"}, prepare=False)
    orm = User.objects.filter(pk=someone.pk).values("date_joined", "last_login")
    assert rows == list(orm) == [{"date_joined": joined, "last_login": None}]
    assert rows[0]["date_joined"].utcoffset() == dt.timedelta(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert not any('"auth_user"."date_joined"' in s for s in statements), statements


def test_a_marker_inside_a_string_that_is_no_like_pattern_is_refused(db):
    """Only a LIKE pattern's value is swapped into a longer string: anywhere else the value
    could not be escaped rightly, so the query is refused as not carrying it."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    User = get_user_model()

    def build(name):
        return User.objects.filter(username=Concat(Value("x"), Value(name))).values("id")

    def build_text(name):  # the marker inside one literal string
        return User.objects.filter(username=f"user-{name}").values("id")

    with pytest.raises(ValueError, match="name"):
        compiled.rows(("tests.embedded",), build_text, {"name": "a"}, wrap="{}")
    assert compiled.rows(("tests.concat",), build, {"name": "a"}, wrap="{}") == []


def test_rows_as_tuples_hold_what_the_dicts_hold_in_the_columns_order(db):
    User = get_user_model()
    someone = User.objects.create(username="tuples", is_staff=True)

    def build(user_id):
        return User.objects.filter(id=user_id).values("id", "date_joined", staff=F("is_staff"))

    values = {"user_id": someone.pk}
    columns = ("id", "date_joined", "staff")
    as_dicts = compiled.run(("tests.tuples",), build, values)
    as_tuples = compiled.run_tuples(("tests.tuples",), build, values, columns=columns)
    assert [tuple(row) for row in as_tuples] == [tuple(row.values()) for row in as_dicts]
    # Converted as the ORM converts them (on SQLite a boolean and a datetime are read back).
    assert tuple(as_tuples[0]) == (someone.pk, someone.date_joined, True)
    with pytest.raises(ValueError, match="staff"):
        compiled.run_tuples(("tests.tuples",), build, values, columns=("id", "staff"))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_connection_keeps_one_cursor_for_its_compiled_queries_and_a_new_one_gets_its_own(db):
    User = get_user_model()
    someone = User.objects.create(username="kept")

    def build(user_id):
        return User.objects.filter(id=user_id).values("username")

    def run():
        return compiled.run(("tests.kept",), build, {"user_id": someone.pk})

    assert run() == [{"username": "kept"}]
    kept = connection._compiled_cursor
    # The ORM's own queries in between do not disturb it; it answers each query anew.
    assert User.objects.filter(pk=someone.pk).exists()
    assert run() == run() == [{"username": "kept"}]
    assert connection._compiled_cursor is kept and not kept.closed
    with pytest.raises(DatabaseError), transaction.atomic():
        bad = "SELECT 1/0 FROM ({}) s"
        compiled.rows(("tests.kept-bad",), build, {"user_id": someone.pk}, wrap=bad)
    assert run() == [{"username": "kept"}]  # after an error: the same cursor, still usable
    other = connections.create_connection("default")  # another thread's, say
    try:
        with compiled.prepared_cursor(other) as cursor:
            cursor.execute("SELECT %s::int", [7])
            assert cursor.fetchall() == [(7,)]
        assert other._compiled_cursor is not kept
        assert other._compiled_cursor.connection is other.connection
    finally:
        other.close()


def test_two_reads_joined_give_the_first_row_and_the_second_read_of_its_value(
    db, django_assert_num_queries
):
    """run_joined: the second read takes the first's column for its linked marker; one
    statement on PostgreSQL (two on SQLite, which has no LATERAL); no first row, no rows."""
    User = get_user_model()
    ana = User.objects.create(username="ana", first_name="Ana", is_staff=True)
    other_ana = User.objects.create(username="ana.2", first_name="Ana")
    ben = User.objects.create(username="ben", first_name="Ben")

    def first(name):
        return User.objects.filter(username=name).values("id", "first_name")

    def then(given, since_id):
        return User.objects.filter(first_name=given, id__gte=since_id).values("id", "username")

    def run(name, since_id=0):
        return compiled.run_joined(
            ("tests.joined",),
            first,
            {"name": name},
            then,
            {"given": "", "since_id": since_id},
            link={"given": "first_name"},
            columns=("id", "username"),
        )

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        row, rows = run("ana")
    assert row == {"id": ana.pk, "first_name": "Ana"}
    assert sorted(rows) == [(ana.pk, "ana"), (other_ana.pk, "ana.2")]
    assert run("ana", since_id=other_ana.pk)[1] == [(other_ana.pk, "ana.2")]
    assert run("ben", since_id=ben.pk + 1) == ({"id": ben.pk, "first_name": "Ben"}, [])
    assert run("nobody") == (None, [])
    with pytest.raises(ValueError, match="username"):
        compiled.run_joined(
            ("tests.joined",), first, {"name": "ana"}, then, {"given": "", "since_id": 0},
            link={"given": "first_name"}, columns=("id",),
        )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="generic plans are PostgreSQL's")
def test_constants_are_written_into_the_sql_and_only_the_markers_are_parameters(db):
    """A prepared statement's generic plan knows its constants (a partial index whose
    condition names one can be used): choices, booleans and numbers the ORM would send as
    parameters are literals; a constant with a percent sign stays what it was."""
    User = get_user_model()
    User.objects.create(username="50%", is_active=True)

    def build(user_id):
        return User.objects.filter(
            pk__gte=user_id, is_active=True, username__in=["50%", "x'y"]
        ).values("username")

    assert compiled.run(("tests.constants",), build, {"user_id": 0}) == [{"username": "50%"}]
    template = next(t for k, t in compiled._templates.items() if k[0] == ("tests.constants",))
    assert template.slots == ["user_id"]
    assert "'50%%'" in template.sql and "'x''y'" in template.sql
