"""A webhook delivery's rows, written in as few round trips as the database allows.

A delivery is the question (unique per channel and external id) and the delivery row (unique
per delivery id), both or neither. On PostgreSQL a new question is one statement in its own
transaction: the question's insert (`ON CONFLICT DO NOTHING`) in a WITH clause, the delivery's
insert from its RETURNING. A repeated delivery id fails that statement, so neither row is
kept; a known question inserts nothing and the caller records the delivery against the row
that is there. The transaction, savepoint and ORM save it replaced were four of the intake's
six round trips (bench/intake.py). Other databases (SQLite, the embedded tests) do the same
in a transaction of two statements.

The statement's text is the same for every question (its values are parameters), so it is
compiled once per process and database, and on PostgreSQL prepared once per connection
(core.prepared.prepared_cursor): compiling it cost about 110 us of the ORM per delivery, and
PostgreSQL parsed and planned it at every delivery.

Only routing.services.intake calls this.
"""

import threading

from django.db import IntegrityError, connections, router, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone

from core.prepared import prepared_cursor

from ..models import CustomerQuestion, WebhookDelivery


def insert_new(question: CustomerQuestion, delivery_id: str) -> bool:
    """Insert `question` (unsaved, checked) and its delivery row together: True (and
    question.pk set) when the question is new; False and nothing written when its channel
    and external id are there already. IntegrityError, nothing written, when the delivery
    id was received before."""
    db = router.db_for_write(CustomerQuestion)
    connection = connections[db]
    sql, params = _question_insert(question, db)
    delivery = WebhookDelivery._meta
    received_at = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        delivery_id_col, received_col, question_col = (
            _column(connection, delivery, name)
            for name in ("delivery_id", "received_at", "question")
        )
        table = _name(connection, delivery.db_table)
        pk = _column(connection, CustomerQuestion._meta, "id")
        # Names from the models, values as parameters.
        sql = f"WITH q AS ({sql}) INSERT INTO {table} ({delivery_id_col}, {received_col}, "  # noqa: S608
        sql += f"{question_col}) SELECT %s, %s, q.{pk} FROM q RETURNING {question_col}"  # noqa: S608
        row = _alone(
            db, lambda: _fetch(connection, sql, [*params, delivery_id, received_at], prepared=True)
        )
        question_id = row[0] if row else None
    else:

        def both():
            found = _fetch(connection, sql, params)
            if found is not None:
                WebhookDelivery.objects.using(db).create(
                    delivery_id=delivery_id, question_id=found[0]
                )
            return found[0] if found else None

        with transaction.atomic(using=db):
            question_id = both()
    if question_id is None:
        return False
    question.pk = question_id
    question._state.adding = False
    question._state.db = db
    return True


def insert_known(question: CustomerQuestion, delivery_id: str) -> CustomerQuestion:
    """The question already stored for `question`'s channel and external id, with this
    delivery recorded against it. IntegrityError, nothing written, when the delivery id was
    received before (or the other question's insert was rolled back meanwhile)."""
    db = router.db_for_write(CustomerQuestion)
    existing = (
        CustomerQuestion.objects.using(db)
        .filter(channel=question.channel, external_id=question.external_id)
        .first()
    )
    if existing is None:
        raise IntegrityError("The question's other delivery was rolled back.")
    _alone(
        db,
        lambda: WebhookDelivery.objects.using(db).create(
            delivery_id=delivery_id, question=existing
        ),
    )
    return existing


_inserts: dict[tuple[str, str], tuple[str, list]] = {}
_inserts_lock = threading.Lock()


def _question_insert(question: CustomerQuestion, db: str) -> tuple[str, list]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id for `question`, as the ORM writes it
    (every concrete field, auto_now values set on the instance): the SQL compiled once, the
    values prepared as SQLInsertCompiler prepares them (pre_save, get_db_prep_save)."""
    connection = connections[db]
    key = (db, connection.vendor)
    compiled = _inserts.get(key)
    if compiled is None:
        with _inserts_lock:
            compiled = _inserts.get(key) or _compile_insert(question, db)
            _inserts[key] = compiled
    sql, fields = compiled
    params = []
    for field in fields:
        value = field.pre_save(question, True)
        if hasattr(value, "resolve_expression"):  # an expression is SQL, not a value
            return _compile_insert(question, db, params=True)
        params.append(field.get_db_prep_save(value, connection))
    return sql, params


def _compile_insert(question: CustomerQuestion, db: str, *, params: bool = False):
    """(sql, fields) of the ORM's insert (checked to be one "%s" per field, so that the
    values can be prepared without it); (sql, params) with `params`."""
    meta = CustomerQuestion._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    query = InsertQuery(CustomerQuestion, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [question])
    compiler = query.get_compiler(using=db)
    compiler.returning_fields = [meta.pk]
    [(sql, values)] = compiler.as_sql()
    if params:
        return sql, list(values)
    placeholders = ", ".join(["%s"] * len(fields))
    if len(values) != len(fields) or f"VALUES ({placeholders})" not in sql:
        raise ValueError("The question's insert has placeholders other than one per field.")
    return sql, fields


def _alone(db: str, work):
    """`work()` as its own transaction: a bare statement in autocommit (no BEGIN or COMMIT
    round trip), a savepoint inside a transaction (a failure must not break the caller's)."""
    if connections[db].in_atomic_block:
        with transaction.atomic(using=db):
            return work()
    return work()


def _fetch(connection, sql: str, params: list, *, prepared: bool = False):
    with prepared_cursor(connection) if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _name(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def _column(connection, meta, field: str) -> str:
    return connection.ops.quote_name(meta.get_field(field).column)
