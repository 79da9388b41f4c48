"""Every write to customer questions, by responsibility: intake (and classification),
assignment, answers (notes, public replies, closing, tags), the SLA clock and the CSV import.
Router versions are routing.training. `verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError 403, nothing written), validates
(ApplicationError naming the field), changes rows in one transaction with the question row
locked, and sends notifications in that transaction and events after it commits.
Notification and event text never carries the customer's personal data.

The reads these decisions rest on (the expert to pick, the keyword rule that matches) are
routing.selectors. Callers import from here: `from routing import services`.
"""

from .answers import add_note, answer_question, close_question, record_public_reply, tag_question
from .assignment import (
    assign_question,
    assign_waiting_questions,
    decline_question,
    reroute_question,
    route_to_department,
)
from .bulk import BULK_ACTIONS, BULK_LIMIT, BulkResult, apply_bulk_action
from .csv_import import IMPORT_COLUMNS, IMPORT_MAX_ROWS, import_questions
from .intake import (
    Received,
    receive_question,
    receive_webhook,
    route_new_questions,
    route_question,
)
from .sla import DEFAULT_SLA_HOURS, STAGE_FRACTIONS, advance_sla, check_sla, sla_target

__all__ = [
    "BULK_ACTIONS",
    "BULK_LIMIT",
    "BulkResult",
    "DEFAULT_SLA_HOURS",
    "IMPORT_COLUMNS",
    "IMPORT_MAX_ROWS",
    "STAGE_FRACTIONS",
    "Received",
    "add_note",
    "advance_sla",
    "answer_question",
    "apply_bulk_action",
    "assign_question",
    "assign_waiting_questions",
    "check_sla",
    "close_question",
    "decline_question",
    "import_questions",
    "receive_question",
    "receive_webhook",
    "record_public_reply",
    "reroute_question",
    "route_new_questions",
    "route_question",
    "route_to_department",
    "sla_target",
    "tag_question",
]
