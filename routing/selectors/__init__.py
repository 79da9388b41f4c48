"""Every read of customer questions.

Every active employee may read a question's text, department, status and answers: that is
how product and other teams learn what customers say. The customer's personal data is the
exception, decided in ONE place, `can_see_customer`: the social team and the question's
assigned expert see it, nobody else does (admins and department leaders included). Personal
data is not only the `customer_*` columns: the original post's link (`x.com/<handle>/...`)
and its external id point at the customer, and the text itself carries signatures,
@handles, emails, phone and order numbers. `with_customers` attaches what a viewer may see
of each question (`visible_customer`, `visible_text`, `visible_external_url`,
`visible_external_id`), and `question_detail` does the same for the answers, notes, public
replies and reasons; pages, htmx fragments and the API read those attributes only, never the
raw columns. The email digest never names the customer at all (`questions_waiting_for`).

The reads by responsibility: access (who may, and the customer rule), questions, inbox
(and the department queue), insights (and the dashboard), experts (and what assignment
decides with), digest. Callers import from here: `from routing import selectors`.
"""

from .access import (
    Customer,
    can_see_customer,
    customer_of,
    is_leader,
    is_social_team,
    leads_department,
    led_departments,
    may_work_on,
    queue_departments,
    shown_text,
    with_customers,
)
from .digest import DIGEST_LIMIT, WAITING_STATUSES, WaitingQuestion, questions_waiting_for
from .experts import (
    Candidate,
    ExpertLoad,
    assignment_candidates,
    department_experts,
    department_queue_figures,
    expert_loads,
    matching_keyword_rule,
    pick_expert,
)
from .inbox import (
    DONE_ORDER,
    DONE_TYPES,
    INBOX_ORDER,
    INBOX_TYPES,
    INBOX_VIEWS,
    NO_DEADLINE,
    QUEUE_ORDER,
    QUEUE_TYPES,
    InboxFilters,
    department_queue,
    inbox,
    inbox_counts,
    inbox_order,
    inbox_view_for,
    landing_department,
)
from .insights import (
    accuracy_over_time,
    dashboard,
    department_ids_by_slug,
    insight_counts,
    insights,
    service_figures,
    with_rankings,
    with_tags,
)
from .questions import (
    THREAD_LIMIT,
    customer_thread,
    get_visible_question,
    question_detail,
    visible_questions,
)

__all__ = [
    "Candidate",
    "Customer",
    "DIGEST_LIMIT",
    "DONE_ORDER",
    "DONE_TYPES",
    "ExpertLoad",
    "INBOX_ORDER",
    "INBOX_TYPES",
    "INBOX_VIEWS",
    "InboxFilters",
    "NO_DEADLINE",
    "QUEUE_ORDER",
    "QUEUE_TYPES",
    "THREAD_LIMIT",
    "WAITING_STATUSES",
    "WaitingQuestion",
    "accuracy_over_time",
    "assignment_candidates",
    "can_see_customer",
    "customer_of",
    "customer_thread",
    "dashboard",
    "department_experts",
    "department_ids_by_slug",
    "department_queue",
    "department_queue_figures",
    "expert_loads",
    "get_visible_question",
    "inbox",
    "inbox_counts",
    "inbox_order",
    "inbox_view_for",
    "insight_counts",
    "insights",
    "is_leader",
    "is_social_team",
    "landing_department",
    "leads_department",
    "led_departments",
    "matching_keyword_rule",
    "may_work_on",
    "pick_expert",
    "question_detail",
    "questions_waiting_for",
    "queue_departments",
    "service_figures",
    "shown_text",
    "visible_questions",
    "with_customers",
    "with_rankings",
    "with_tags",
]
