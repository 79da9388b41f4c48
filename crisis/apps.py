from django.apps import AppConfig


class CrisisConfig(AppConfig):
    """The crisis plan: playbook, incidents, crisis mode, one timeline; and the social org
    chart with the brand activity feed."""

    name = "crisis"
    label = "crisis"
    verbose_name = "Crisis response"

    def ready(self):
        from core import session_reads
        from monitoring.hooks import register_alert_action
        from routing import signals

        from . import receivers
        from .gate import crisis_reply_gate, holding_statement_suggestions
        from .selectors import declare_from_alert_action
        from .selectors.crisis_mode import CRISIS_MODE, crisis_mode_of

        register_alert_action("declare-incident", declare_from_alert_action)
        signals.register_reply_gate(crisis_reply_gate)
        signals.register_reply_suggestions(holding_statement_suggestions)
        receivers.connect()
        session_reads.register(CRISIS_MODE, crisis_mode_of)
