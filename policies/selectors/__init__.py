"""Who may read what of the policy, and who may do what. Every surface asks here.

| object                                          | who may read it              |
|-------------------------------------------------|------------------------------|
| published and superseded versions, their diffs  | every active employee        |
| drafts                                          | admins                       |
| a quiz's questions and choices                  | every active employee        |
| a quiz's answer key                             | admins (the quiz editor)     |
| the brand account registry, certified people    | every active employee        |
| acknowledgement report, audit log, settings     | admins                       |

The reads by subject: versions (and the settings, the acknowledgement gate, publication),
certification (the public-reply rule, the quiz, representatives), mentors, brand accounts
(and the offboarding preview), report (and the audit log). Callers import from here:
`from policies import selectors`.
"""

from .brand_accounts import (
    OffboardingPreview,
    authorization_history,
    brand_accounts,
    get_brand_account,
    offboarding_preview,
)
from .certification import (
    active_certification,
    current_quiz,
    current_quiz_id,
    is_certified,
    last_attempt,
    may_reply_publicly,
    quiz_of,
    representatives,
)
from .mentors import mentors_of, mentorships, speaks_for_the_brand
from .report import DepartmentRow, acknowledgement_report, acknowledgement_rows, audit_log
from .versions import (
    PENDING,
    acknowledgement_of,
    banner_version,
    current_version,
    diff_versions,
    get_visible_version,
    has_acknowledged_current,
    may_post,
    pending_of,
    pending_policy,
    policy_settings,
    posting_gate,
    publication_of,
    publication_subject,
    visible_versions,
)

__all__ = [
    "DepartmentRow",
    "OffboardingPreview",
    "acknowledgement_of",
    "acknowledgement_report",
    "acknowledgement_rows",
    "active_certification",
    "audit_log",
    "authorization_history",
    "banner_version",
    "brand_accounts",
    "current_quiz",
    "current_quiz_id",
    "current_version",
    "diff_versions",
    "get_brand_account",
    "get_visible_version",
    "has_acknowledged_current",
    "is_certified",
    "last_attempt",
    "may_post",
    "may_reply_publicly",
    "mentors_of",
    "mentorships",
    "offboarding_preview",
    "PENDING",
    "pending_of",
    "pending_policy",
    "policy_settings",
    "posting_gate",
    "publication_of",
    "publication_subject",
    "quiz_of",
    "representatives",
    "speaks_for_the_brand",
    "visible_versions",
]
