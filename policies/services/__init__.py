"""Every write to policies, certifications and brand accounts, by responsibility: versions
(and the policy settings), the quiz and certification, reminders, brand accounts, offboarding.
`verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError 403, nothing changed), validates
(ApplicationError 400 naming the field), writes in one transaction and records the change
in the policies audit log. Notifications are written in the same transaction.
Callers import from here: `from policies import services`.
"""

from .brand_accounts import (
    authorize_person,
    complete_handover,
    create_brand_account,
    edit_brand_account,
    revoke_authorization,
)
from .common import MAX_BODY, MAX_CHOICES, MAX_QUESTIONS, NOTIFY_BATCH
from .offboarding import check_offboarding, offboard_employee, revoke_access_of_departed
from .quiz import (
    QUIZ_FORMAT_HELP,
    QuestionInput,
    parse_quiz_text,
    quiz_as_text,
    revoke_certification,
    set_quiz,
    submit_quiz,
)
from .reminders import send_acknowledgement_reminders
from .versions import (
    acknowledge_version,
    create_version,
    edit_version,
    publish_version,
    update_settings,
)

__all__ = [
    "MAX_BODY",
    "MAX_CHOICES",
    "MAX_QUESTIONS",
    "NOTIFY_BATCH",
    "QUIZ_FORMAT_HELP",
    "QuestionInput",
    "acknowledge_version",
    "authorize_person",
    "complete_handover",
    "create_brand_account",
    "create_version",
    "edit_brand_account",
    "edit_version",
    "check_offboarding",
    "offboard_employee",
    "parse_quiz_text",
    "publish_version",
    "quiz_as_text",
    "revoke_access_of_departed",
    "revoke_authorization",
    "revoke_certification",
    "send_acknowledgement_reminders",
    "set_quiz",
    "submit_quiz",
    "update_settings",
]
