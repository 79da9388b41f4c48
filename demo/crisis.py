"""The demo crisis plan: a published playbook with holding statements, the crisis team and a
mentor per department that has a brand account. No incident: declaring one is the demo."""

from django.contrib.auth import get_user_model
from django.db import transaction

from crisis import services
from crisis.models import PlaybookVersion
from policies import services as policy_services
from policies.models import BrandAccount

User = get_user_model()

PLAYBOOK = """# Crisis playbook

When something about us spreads fast online, we follow this page instead of improvising.

## Roles

- **Crisis lead**: declares the incident with the social team, decides, speaks to the
  leadership, publishes the company-wide announcement.
- **Communications**: writes every public word; the social team posts it.
- **Legal**: reads anything that admits fault or mentions customer data before it goes out.
- **Department mentors**: gather the facts in their department and brief the crisis team.

## Contact tree

1. The social team member on duty calls the crisis lead.
2. The crisis lead calls communications and legal, then the mentors of the departments
   involved.
3. Mentors tell their department leaders.

## While crisis mode is on

- Only the social team replies in public; certified representatives pause.
- Everyone else: do not comment publicly; send questions to the social team.

## Holding statements

### Service outage
We know some of you cannot use our service right now. We are working on it and will post
an update here within the hour.

### Billing error
Some customers were charged incorrectly. We are refunding everyone affected; you do not
need to do anything. We will confirm here when it is done.

### Data incident
We are investigating a report about customer data. We take it seriously and will share what
we learn as soon as we can.
"""


def seed_crisis() -> int:
    """Create the demo crisis plan. Returns 1 when made, 0 when present."""
    if PlaybookVersion.objects.exists():
        return 0
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    logins = {u.username: u for u in User.objects.filter(username__in=["lee.leader", "sam.social"])}
    with transaction.atomic():
        version = services.create_playbook_version(
            actor=admin, title="Crisis playbook", body=PLAYBOOK, change_note="First version."
        )
        services.publish_playbook_version(actor=admin, version=version)
        if "lee.leader" in logins:
            services.name_crisis_role(actor=admin, user=logins["lee.leader"], role="lead")
        services.name_crisis_role(actor=admin, user=admin, role="legal")
        for account in BrandAccount.objects.select_related("department"):
            mentor = (
                User.objects.filter(is_active=True, profile__department=account.department)
                .order_by("pk")
                .first()
            )
            if mentor is not None:
                policy_services.name_mentor(actor=admin, department=account.department, user=mentor)
    return 1
