"""Demo watch rules, so that the demo questions show matches and alerts."""

from django.contrib.auth import get_user_model

from monitoring import services
from monitoring.models import WatchRule

User = get_user_model()

RULES = (
    ("Security scare", ["data breach", "hacked", "leak", "stolen"], "high"),
    ("Legal threat", ["lawsuit", "lawyer", "sue you", "court"], "high"),
    ("Billing trouble", ["charged twice", "refund", "double payment"], "low"),
)


def seed_watch_rules() -> int:
    """The rules above, each once. Returns how many were new."""
    social = User.objects.filter(username="sam.social").first()
    if social is None:
        return 0
    created = 0
    for name, terms, severity in RULES:
        if WatchRule.objects.filter(name=name).exists():
            continue
        services.create_rule(actor=social, name=name, terms=terms, severity=severity)
        created += 1
    return created
