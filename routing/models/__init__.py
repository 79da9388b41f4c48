"""Customer questions and everything that happens to them on the way to a public reply.

The status machine lives in TRANSITIONS (questions.py): every service that changes a
status asks `CustomerQuestion.can_move_to` first, so an impossible move is refused in one
place. Customer personal data (name, handle, email, and also the original post's link and
id and the text's own signature, handles and numbers) sits on the question row; pages and
the API show it through routing.selectors.with_customers only (the rule: can_see_customer).

The tables by subject: questions (and the status machine, webhook deliveries), history
(assignments, reroutes, answers, notes, public replies, insight tags), configuration (SLA
targets, keyword rules, seed examples), router (labels, versions). Every model and constant
is imported from here: `from routing.models import CustomerQuestion, Status`.
"""

from .configuration import KeywordRule, SeedExample, SlaTarget
from .history import Answer, Assignment, InsightTag, Note, PublicReply, Reroute
from .questions import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    PRIORITY_RANK,
    TRANSITIONS,
    Channel,
    CustomerQuestion,
    Priority,
    S,
    Status,
    WebhookDelivery,
)
from .router import RouterLabel, RouterVersion

__all__ = [
    "CLOCK_RUNNING",
    "OPEN_STATUSES",
    "PRIORITY_RANK",
    "TRANSITIONS",
    "Answer",
    "Assignment",
    "Channel",
    "CustomerQuestion",
    "InsightTag",
    "KeywordRule",
    "Note",
    "Priority",
    "PublicReply",
    "Reroute",
    "RouterLabel",
    "RouterVersion",
    "S",
    "SeedExample",
    "SlaTarget",
    "Status",
    "WebhookDelivery",
]
