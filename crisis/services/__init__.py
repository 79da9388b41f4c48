"""Every write of the crisis plan: crisis roles, the playbook (core.versioning, as the
policy), incidents and their timeline, held replies, the company-wide announcement, brand
posts. `verb_noun(*, actor, ...)`: permission first (ApplicationError 403, nothing written),
validation (400 naming the field), one transaction; live events on commit (core.events).

The writes by responsibility: timeline (an entry, and its readers nudged), roles, playbook,
incidents (declare, notes, close, the announcement), held_replies (the second approval),
brand_activity (brand posts and replies in the feed), and common. Callers import from here:
`from crisis import services`.
"""

from .brand_activity import BRAND_TOPIC, record_brand_post, record_reply_activity
from .held_replies import approve_held_reply, reject_held_reply
from .incidents import add_note, close_incident, declare_incident, publish_announcement
from .playbook import (
    acknowledge_playbook,
    create_playbook_version,
    edit_playbook_version,
    publish_playbook_version,
)
from .roles import name_crisis_role, remove_crisis_role
from .timeline import INCIDENT_TOPIC, add_entry

__all__ = [
    "BRAND_TOPIC",
    "INCIDENT_TOPIC",
    "acknowledge_playbook",
    "add_entry",
    "add_note",
    "approve_held_reply",
    "close_incident",
    "create_playbook_version",
    "declare_incident",
    "edit_playbook_version",
    "name_crisis_role",
    "publish_announcement",
    "publish_playbook_version",
    "record_brand_post",
    "record_reply_activity",
    "reject_held_reply",
    "remove_crisis_role",
]
