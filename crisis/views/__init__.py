"""Crisis pages: incidents (declare, timeline, notes, announcement, close, report), held
replies, the playbook (versions, diff, acknowledgement) and the crisis team.

Who may see what is crisis.selectors'; who may change what is crisis.services'.

The pages by subject: incidents (and the held replies), report (the page, its Markdown and
CSV), playbook, team (the crisis team and the mentors, for admins), and common.
crisis/urls.py reads them from here.
"""

from .incidents import (
    PAGE_SIZE,
    add_note,
    announce,
    close,
    decide_held_reply,
    incident,
    incidents,
    timeline,
)
from .playbook import (
    acknowledge_playbook,
    playbook,
    playbook_diff,
    playbook_version,
    playbook_versions,
    publish_playbook,
)
from .report import report, report_csv, report_markdown
from .team import team, team_remove

__all__ = [
    "PAGE_SIZE",
    "acknowledge_playbook",
    "add_note",
    "announce",
    "close",
    "decide_held_reply",
    "incident",
    "incidents",
    "playbook",
    "playbook_diff",
    "playbook_version",
    "playbook_versions",
    "publish_playbook",
    "report",
    "report_csv",
    "report_markdown",
    "team",
    "team_remove",
    "timeline",
]
