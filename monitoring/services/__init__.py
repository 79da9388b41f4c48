"""Every write of listening, by responsibility: watch rules (rules.py), what intake does with
a new question (intake.py: matches and tone), alerts (alerts.py: raised by a match,
acknowledged, resolved, announced) and the surge scan (scan.py). `verb_noun(*, actor, ...)`.
Callers import from here: `from monitoring import services`."""

from .alerts import (
    acknowledge_alert,
    alert_on_matches,
    announce_alerts,
    resolve_alert,
)
from .intake import listen_to_question
from .rules import create_rule, delete_rule, update_rule
from .scan import ScanResult, scan_volumes

__all__ = [
    "ScanResult",
    "acknowledge_alert",
    "alert_on_matches",
    "announce_alerts",
    "create_rule",
    "delete_rule",
    "listen_to_question",
    "resolve_alert",
    "scan_volumes",
    "update_rule",
]
