"""Questions imported from a CSV file: each row goes through intake like any other question."""

import datetime as dt

from django.utils import timezone

from core.errors import ApplicationError

from ..models import (
    Priority,
)
from .common import (
    _require_social_team,
)
from .intake import receive_question

IMPORT_MAX_ROWS = 5_000
IMPORT_COLUMNS = (
    "channel",
    "external_id",
    "external_url",
    "text",
    "customer_name",
    "customer_handle",
    "customer_email",
    "priority",
    "received_at",
)


def import_questions(*, actor, lines) -> dict:
    """Import a CSV of questions (an iterable of text lines, header first). Each row goes
    through receive_question, so a row seen before is a duplicate, not a second question;
    a bad row is reported with its line number and field and does not stop the others."""
    import csv

    _require_social_team(actor)
    reader = csv.DictReader(lines)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "text" not in header or "channel" not in header:
        raise ApplicationError(
            "The first line must name the columns channel and text.", field="file"
        )
    reader.fieldnames = header
    result = {"created": 0, "duplicates": 0, "errors": []}
    for number, row in enumerate(reader, start=2):
        if number - 1 > IMPORT_MAX_ROWS:
            result["errors"].append((number, "file", f"Stopped after {IMPORT_MAX_ROWS:,} rows."))
            break
        fields = {k: (row.get(k) or "").strip() for k in IMPORT_COLUMNS if k in row}
        received = fields.pop("received_at", "")
        fields.setdefault("priority", Priority.NORMAL)
        fields["priority"] = fields["priority"] or Priority.NORMAL
        try:
            if received:
                try:
                    moment = dt.datetime.fromisoformat(received)
                except ValueError:
                    raise ApplicationError(
                        "Use ISO 8601, e.g. 2026-03-01T09:30:00+00:00.", field="received_at"
                    ) from None
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment, dt.UTC)
                fields["received_at"] = moment
            _, created = receive_question(actor=actor, **fields)
        except ApplicationError as exc:
            result["errors"].append((number, exc.field or "", exc.message))
            continue
        result["created" if created else "duplicates"] += 1
    return result
