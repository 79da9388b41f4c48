"""Question pages: the inbox (the social team's queues, everyone's "my questions"), the
question page and its actions, intake by form and CSV, insights and the dashboard.

Who may see the customer behind a question is routing.selectors.customer_of; templates
read `visible_customer` only. Who may do what is routing.services (ApplicationError).

The pages by responsibility: inbox, question, queue, insights (and common). routing/urls.py
reads them from here.
"""

from .inbox import INBOX_PAGE_SIZE, bulk, experts, import_csv, inbox, new_question
from .insights import INSIGHTS_PAGE_SIZE, dashboard, insights, retrain
from .question import answer, assign, close, decline, note, question, reply, reroute, route, tag
from .queue import QUEUE_PAGE_SIZE, queue, queue_assign

__all__ = [
    "INBOX_PAGE_SIZE",
    "INSIGHTS_PAGE_SIZE",
    "QUEUE_PAGE_SIZE",
    "answer",
    "assign",
    "bulk",
    "close",
    "dashboard",
    "decline",
    "experts",
    "import_csv",
    "inbox",
    "insights",
    "new_question",
    "note",
    "question",
    "queue",
    "queue_assign",
    "reply",
    "reroute",
    "retrain",
    "route",
    "tag",
]
