"""The four people a demo signs in as (one per kind of user), and their password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from people import roles
from people.models import Profile

from .departments import ROLES

User = get_user_model()

DEMO_PASSWORD = "socialhub-demo"  # noqa: S105 - printed for the demo logins


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    department: str
    title: str


DEMO_LOGINS = (
    DemoLogin("admin", "Alex Admin", roles.ADMIN, "it", "IT Administrator"),
    DemoLogin(
        "sam.social", "Sam Social", roles.SOCIAL_TEAM, "social-media", "Social Media Specialist"
    ),
    DemoLogin("lee.leader", "Lee Leader", "team leader", "customer-support", "Support Team Lead"),
    DemoLogin("emma.employee", "Emma Employee", roles.EMPLOYEE, "engineering", "Backend Engineer"),
)


def _demo_logins(departments, all_skills, password) -> None:
    """The four people a demo signs in as; their password is reset on every run."""
    lead = (
        Profile.objects.filter(
            department=departments["customer-support"],
            title="Support Team Lead",
            user__username__startswith="demo.",
        )
        .select_related("manager")
        .first()
    )
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(
            username=login.username,
            defaults={"email": f"{login.username}@example.com"},
        )
        user.set_password(password)
        user.is_active = True
        if login.role == roles.ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
        profile = Profile.objects.get(user=user)
        profile.display_name = login.display_name
        profile.title = login.title
        profile.department = departments[login.department]
        profile.timezone = "Europe/Berlin"
        profile.location = "Berlin, Germany"
        if login.username == "lee.leader" and lead is not None:
            profile.manager = lead.manager
        elif login.username == "emma.employee":
            profile.manager = Profile.objects.filter(
                department=departments["engineering"], title="Engineering Manager"
            ).first()
        elif login.username == "sam.social":
            profile.manager = Profile.objects.filter(
                department=departments["social-media"], title="Head of Social Media"
            ).first()
        profile.save()
        if login.role in roles.ROLES and login.role != roles.EMPLOYEE:
            user.groups.add(Group.objects.get(name=login.role))
        user.groups.add(Group.objects.get(name=roles.EMPLOYEE))
        skill_names = ROLES[login.department][3][:3]
        profile.skills.add(*[all_skills[s] for s in skill_names])
    # Lee leads a real team: a few support specialists report to them.
    lee = Profile.objects.get(user__username="lee.leader")
    if not lee.reports.exists():
        team = Profile.objects.filter(
            department=departments["customer-support"],
            title__startswith="Support Specialist",
            user__username__startswith="demo.",
        ).order_by("id")[:5]
        Profile.objects.filter(pk__in=[p.pk for p in team]).update(manager=lee)
