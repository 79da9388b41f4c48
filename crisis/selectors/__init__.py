"""Who may read what of the crisis plan, and the reads every surface shares.

| object                                   | who may read it                                   |
|------------------------------------------|---------------------------------------------------|
| published playbook versions, their diffs | the crisis team, department mentors, the social    |
|                                          | team, admins                                       |
| playbook drafts                          | admins and crisis leads (who write it)             |
| an incident, its timeline and report     | the crisis team, the social team, admins, leaders  |
|                                          | and mentors of its linked departments              |
| a customer's personal data on a timeline | routing's rule (routing.selectors.can_see_customer) |
| the org chart, the brand activity feed   | every active employee (no customer personal data)  |

The crisis team is everyone holding a CrisisRole (lead, communications, legal). Writing on an
incident (notes, close) is for the crisis team, the social team and admins; declaring for the
social team and admins; the company-wide announcement for crisis leads and admins.

The reads by responsibility: team (the crisis roles and who may do what), crisis_mode (the
incident that holds it, cached; the banner), incidents (who reads which, the timeline, held
replies), report (the post-incident report), playbook (versions, acknowledgements, holding
statements), social (the org chart, the brand activity feed), and common. Callers import
from here: `from crisis import selectors`.
"""

from .crisis_mode import (
    CRISIS_CACHE_KEY,
    CRISIS_CACHE_SECONDS,
    banner_incident,
    crisis_mode_incident,
    crisis_mode_on,
    declare_from_alert_action,
    forget_crisis_mode,
    remember_no_crisis,
)
from .incidents import (
    get_held_reply,
    get_readable_incident,
    incident_readers,
    incidents_concerning,
    incidents_concerning_alert,
    pending_held_replies,
    readable_incidents,
    timeline,
)
from .playbook import (
    current_playbook,
    diff_playbook,
    get_playbook_version,
    holding_statements,
    playbook_acknowledgement,
    playbook_acknowledgements,
    visible_playbook_versions,
)
from .report import Report, incident_report, report_rows
from .social import OrgChart, brand_activity, org_chart
from .team import (
    crisis_roles_of,
    crisis_team,
    crisis_team_ids,
    is_crisis_lead,
    is_crisis_team,
    is_mentor,
    may_announce,
    may_declare,
    may_read_playbook,
    may_write_incident,
    may_write_playbook,
)

__all__ = [
    "CRISIS_CACHE_KEY",
    "CRISIS_CACHE_SECONDS",
    "OrgChart",
    "Report",
    "banner_incident",
    "brand_activity",
    "crisis_mode_incident",
    "crisis_mode_on",
    "crisis_roles_of",
    "crisis_team",
    "crisis_team_ids",
    "current_playbook",
    "declare_from_alert_action",
    "diff_playbook",
    "forget_crisis_mode",
    "get_held_reply",
    "get_playbook_version",
    "get_readable_incident",
    "holding_statements",
    "incident_readers",
    "incident_report",
    "incidents_concerning",
    "incidents_concerning_alert",
    "is_crisis_lead",
    "is_crisis_team",
    "is_mentor",
    "may_announce",
    "may_declare",
    "may_read_playbook",
    "may_write_incident",
    "may_write_playbook",
    "org_chart",
    "pending_held_replies",
    "playbook_acknowledgement",
    "playbook_acknowledgements",
    "readable_incidents",
    "remember_no_crisis",
    "report_rows",
    "timeline",
    "visible_playbook_versions",
]
