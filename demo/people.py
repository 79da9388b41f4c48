"""A believable demo company: departments, a management tree, titles, skills, four logins.

Deterministic (a seeded random generator) and idempotent: running it again adds only what
is missing, so `--employees N` can grow an existing demo. Writes in bulk so that 10,000
employees take seconds, not minutes.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from core.after_commit import call_on_commit
from people import roles
from people.models import Department, Profile, sync_search_words
from people.selectors import forget_counts
from people.services import get_or_create_skills

User = get_user_model()

DEPARTMENTS = {
    "Marketing": ("marketing", None, "Brand, campaigns, content and market research."),
    "Social Media": (
        "social-media",
        "marketing",
        "The brand's voice on social networks: publishing, community and customer replies.",
    ),
    "Customer Support": (
        "customer-support",
        None,
        "Helps customers by chat, email and phone; owns the help center.",
    ),
    "Sales": ("sales", None, "New business, account management and partnerships."),
    "Product": ("product", None, "Product management, design and research."),
    "Engineering": ("engineering", None, "Builds and runs the product and its platform."),
    "HR": ("hr", None, "People operations, recruiting, learning and wellbeing."),
    "Legal": ("legal", None, "Contracts, privacy, compliance and intellectual property."),
    "Finance": ("finance", None, "Billing, accounting, payroll, planning and procurement."),
    "IT": ("it", None, "Laptops, accounts, networks and internal tools."),
}

# department slug -> (head title, lead title, member titles, skills, share of headcount)
ROLES = {
    "marketing": (
        "VP Marketing",
        "Marketing Lead",
        [
            "Content Marketer",
            "Campaign Manager",
            "SEO Specialist",
            "Brand Designer",
            "Marketing Analyst",
            "Events Manager",
        ],
        [
            "seo",
            "content strategy",
            "copywriting",
            "campaigns",
            "brand",
            "google ads",
            "market research",
            "events",
            "email marketing",
            "analytics",
        ],
        10,
    ),
    "social-media": (
        "Head of Social Media",
        "Social Media Lead",
        [
            "Community Manager",
            "Social Media Specialist",
            "Social Content Creator",
            "Social Listening Analyst",
        ],
        [
            "community management",
            "social listening",
            "twitter",
            "instagram",
            "linkedin",
            "tiktok",
            "crisis communication",
            "copywriting",
        ],
        5,
    ),
    "customer-support": (
        "Director of Customer Support",
        "Support Team Lead",
        [
            "Support Specialist",
            "Senior Support Specialist",
            "Technical Support Engineer",
            "Knowledge Base Editor",
        ],
        [
            "troubleshooting",
            "returns",
            "shipping",
            "account access",
            "zendesk",
            "refunds",
            "order status",
            "warranty",
            "escalations",
        ],
        18,
    ),
    "sales": (
        "VP Sales",
        "Sales Team Lead",
        [
            "Account Executive",
            "Sales Development Rep",
            "Account Manager",
            "Solutions Consultant",
            "Partner Manager",
        ],
        [
            "pricing",
            "enterprise plans",
            "quotes",
            "negotiation",
            "crm",
            "partnerships",
            "discounts",
            "demos",
            "procurement",
        ],
        14,
    ),
    "product": (
        "VP Product",
        "Group Product Manager",
        ["Product Manager", "Product Designer", "UX Researcher", "Product Analyst"],
        [
            "roadmap",
            "user research",
            "ux design",
            "figma",
            "feature requests",
            "accessibility",
            "product analytics",
            "pricing",
        ],
        9,
    ),
    "engineering": (
        "VP Engineering",
        "Engineering Manager",
        [
            "Backend Engineer",
            "Frontend Engineer",
            "Site Reliability Engineer",
            "Mobile Engineer",
            "Data Engineer",
            "QA Engineer",
            "Security Engineer",
        ],
        [
            "python",
            "django",
            "postgresql",
            "kubernetes",
            "react",
            "api",
            "security",
            "mobile apps",
            "outages",
            "performance",
            "data pipelines",
        ],
        22,
    ),
    "hr": (
        "Head of People",
        "HR Business Partner",
        [
            "Recruiter",
            "People Operations Specialist",
            "Learning Specialist",
            "Compensation Analyst",
        ],
        [
            "recruiting",
            "jobs",
            "internships",
            "onboarding",
            "benefits",
            "payroll questions",
            "training",
            "diversity",
        ],
        6,
    ),
    "legal": (
        "General Counsel",
        "Senior Counsel",
        ["Legal Counsel", "Privacy Officer", "Compliance Analyst", "Paralegal"],
        [
            "contracts",
            "gdpr",
            "privacy",
            "trademarks",
            "compliance",
            "terms of service",
            "data requests",
        ],
        4,
    ),
    "finance": (
        "CFO",
        "Finance Manager",
        [
            "Accountant",
            "Billing Specialist",
            "Financial Analyst",
            "Payroll Specialist",
            "Procurement Specialist",
        ],
        ["billing", "invoices", "refunds", "payments", "taxes", "budgeting", "procurement", "vat"],
        7,
    ),
    "it": (
        "Head of IT",
        "IT Team Lead",
        ["IT Support Specialist", "Systems Administrator", "Network Engineer", "Identity Engineer"],
        ["laptops", "sso", "vpn", "accounts", "microsoft 365", "networking", "device management"],
        5,
    ),
}

LOCATIONS = [
    ("Berlin, Germany", "Europe/Berlin"),
    ("London, UK", "Europe/London"),
    ("Lisbon, Portugal", "Europe/Lisbon"),
    ("New York, USA", "America/New_York"),
    ("Austin, USA", "America/Chicago"),
    ("Toronto, Canada", "America/Toronto"),
    ("Remote (Madrid)", "Europe/Madrid"),
    ("Singapore", "Asia/Singapore"),
]

FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kai",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amara",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Emma",
    "Felix",
    "Giulia",
    "Hana",
    "Ivan",
    "Jana",
    "Kenji",
    "Laila",
    "Marco",
    "Nadia",
    "Oscar",
    "Paula",
    "Rafael",
    "Sara",
    "Tomas",
    "Valeria",
    "William",
    "Aylin",
    "Beatriz",
    "Chen",
    "Daniel",
    "Esther",
    "Fatima",
    "Gabriel",
    "Helena",
    "Isaac",
    "Julia",
    "Karim",
    "Lucia",
    "Mei",
    "Nico",
    "Olivia",
    "Pedro",
    "Rania",
    "Samuel",
    "Tessa",
    "Ulla",
    "Vera",
    "Leon",
    "Maya",
    "Arjun",
    "Ingrid",
    "Malik",
    "Noah",
    "Eva",
]
LAST = [
    "Garcia",
    "Muller",
    "Smith",
    "Rossi",
    "Novak",
    "Silva",
    "Kowalski",
    "Jensen",
    "Haddad",
    "Tanaka",
    "Okafor",
    "Schmidt",
    "Dubois",
    "Costa",
    "Nielsen",
    "Fischer",
    "Moreau",
    "Patel",
    "Kim",
    "Nguyen",
    "Ivanova",
    "Berg",
    "Lopez",
    "Weber",
    "Romano",
    "Santos",
    "Andersen",
    "Yilmaz",
    "Kaur",
    "Mendes",
    "Laurent",
    "Ortiz",
    "Hoffmann",
    "Lindqvist",
    "Sato",
    "Mensah",
    "Brown",
    "Martin",
    "Clarke",
    "Fernandes",
    "Petrov",
    "Horvat",
    "Ali",
    "Keller",
    "Costa",
    "Baker",
    "Reyes",
    "Vogel",
    "Rahman",
    "Duarte",
]

BIOS = [
    "I work on {skill} and {skill2}. Happy to help anyone who is stuck — send me a message.",
    "Before joining I spent a few years in consulting. These days it is mostly **{skill}**.",
    "Ask me anything about {skill}. Outside work: climbing, bread baking and too many podcasts.",
    "I keep our {skill} work running and document what I learn so nobody has to ask twice.",
    "Colleagues come to me for {skill}; I come to them for everything else.",
]

EXTRA_SKILLS = {"leadership", "strategy"}
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


def seed_demo(
    *, employees: int = 220, password: str = DEMO_PASSWORD, rng_seed: int = 2026, stdout=None
) -> dict:
    """Create (or complete) the demo company. Returns counts of what it created. Each stage
    is written to `stdout` (a file-like object) with the seconds since the start, if given."""
    rng = random.Random(rng_seed)
    created = {"departments": 0, "employees": 0}
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"  {message} ({time.monotonic() - started:.0f} s)\n")
            stdout.flush()

    with transaction.atomic():
        departments = _departments(created)
        for role in roles.ROLES:
            Group.objects.get_or_create(name=role)
        names = sorted({s for r in ROLES.values() for s in r[3]} | EXTRA_SKILLS)
        all_skills = dict(zip(names, get_or_create_skills(names), strict=True))
        existing = Profile.objects.filter(user__username__startswith="demo.").count()
        plan = _plan(rng, max(employees, 20))
        missing = plan[existing:]
        say(f"planned {len(plan):,} people, {existing:,} there, {len(missing):,} to create")
        if missing:
            _bulk_create(missing, plan, departments, all_skills, rng, say)
            created["employees"] = len(missing)
        _demo_logins(departments, all_skills, password)
        call_on_commit(forget_counts, what="forget the directory counts")
    return created


def _departments(created: dict) -> dict[str, Department]:
    result = {}
    for name, (slug, _parent, description) in DEPARTMENTS.items():
        department, was_created = Department.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        created["departments"] += was_created
        result[slug] = department
    for slug, parent_slug, _description in DEPARTMENTS.values():
        if parent_slug and result[slug].parent_id != result[parent_slug].pk:
            result[slug].parent = result[parent_slug]
            result[slug].save(update_fields=["parent"])
    return result


@dataclass
class _Person:
    index: int
    username: str
    name: str
    department: str | None
    title: str
    manager: int | None  # index into the plan
    skills: tuple[str, ...]
    location: tuple[str, str]


def _plan(rng: random.Random, count: int) -> list[_Person]:
    """The whole company as a list; the first people are the top of the tree, so growing
    `count` only appends people below existing managers."""
    people: list[_Person] = []
    used: set[str] = set()
    team_sizes: dict[str | None, int] = dict.fromkeys(ROLES, 0)

    def add(department, title, manager, skills) -> int:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"demo.{first}.{last}".lower()
        username, n = base, 1
        while username in used:
            n += 1
            username = f"{base}{n}"
        used.add(username)
        team_sizes[department] = team_sizes.get(department, 0) + 1
        people.append(
            _Person(
                len(people),
                username,
                f"{first} {last}",
                department,
                title,
                manager,
                tuple(skills),
                rng.choice(LOCATIONS),
            )
        )
        return len(people) - 1

    ceo = add(None, "Chief Executive Officer", None, ("strategy", "leadership"))
    heads = {}
    for slug, (head, _lead, _titles, skills, _share) in ROLES.items():
        heads[slug] = add(slug, head, ceo, rng.sample(skills, 3) + ["leadership"])
    leads: dict[str, list[int]] = {slug: [] for slug in ROLES}
    for slug, (_head, lead, _titles, skills, _share) in ROLES.items():
        leads[slug].append(add(slug, lead, heads[slug], rng.sample(skills, 3) + ["leadership"]))
    total_share = sum(r[4] for r in ROLES.values())
    weights = [r[4] / total_share for r in ROLES.values()]
    slugs = list(ROLES)
    while len(people) < count:
        slug = rng.choices(slugs, weights)[0]
        _head, lead_title, titles, skills, _share = ROLES[slug]
        # A new team lead for every ~8 people, so teams stay a believable size. (Counted as
        # people are added: counting the list each time made 100,000 people take hours.)
        if team_sizes[slug] > 8 * len(leads[slug]) + 1:
            leads[slug].append(
                add(slug, lead_title, heads[slug], rng.sample(skills, 3) + ["leadership"])
            )
            continue
        add(
            slug, rng.choice(titles), rng.choice(leads[slug]), rng.sample(skills, rng.randint(2, 5))
        )
    return people[:count]


def _bulk_create(missing, plan, departments, all_skills, rng, say) -> None:
    now = timezone.now()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=p.username,
                email=f"{p.username.removeprefix('demo.')}@example.com",
                first_name=p.name.split()[0],
                last_name=p.name.split()[-1],
                password=unusable,
                date_joined=now - dt.timedelta(days=rng.randint(1, 3000)),
            )
            for p in missing
        ],
        batch_size=2000,
    )
    users = {u.username: u for u in users}  # bulk_create returns primary keys here
    say(f"{len(users):,} accounts")
    profiles = []
    for p in missing:
        skill = rng.choice(p.skills)
        profiles.append(
            Profile(
                user=users[p.username],
                display_name=p.name,
                title=p.title,
                department=departments.get(p.department),
                location=p.location[0],
                timezone=p.location[1],
                bio=rng.choice(BIOS).format(skill=skill, skill2=rng.choice(p.skills)),
                ask_me_about=", ".join(p.skills[:2]),
                out_of_office_until=(timezone.localdate() + dt.timedelta(days=rng.randint(1, 14)))
                if rng.random() < 0.05
                else None,
            )
        )
    for profile in profiles:
        profile.fill_search_keys()  # bulk_create skips save(), which keeps them
    Profile.objects.bulk_create(profiles, batch_size=2000)
    sync_search_words(profiles, new=True)  # bulk_create skips save(), which keeps them too
    say(f"{len(profiles):,} profiles")
    by_username = {
        pr.user.username: pr
        for pr in Profile.objects.filter(user__username__startswith="demo.").select_related("user")
    }
    managers = [
        (by_username[p.username].pk, by_username[plan[p.manager].username].pk)
        for p in missing
        if p.manager is not None
    ]
    _set_managers(managers)
    say(f"{len(managers):,} managers")
    Through = Profile.skills.through
    Through.objects.bulk_create(
        [
            Through(profile_id=by_username[p.username].pk, skill_id=all_skills[s].pk)
            for p in missing
            for s in p.skills
            if s in all_skills
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    employee = Group.objects.get(name=roles.EMPLOYEE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=users[p.username].pk, group_id=employee.pk) for p in missing],
        batch_size=5000,
        ignore_conflicts=True,
    )
    say("skills and roles")


def _set_managers(pairs: list[tuple[int, int]]) -> None:
    """profile id -> manager's profile id. On PostgreSQL one UPDATE ... FROM (VALUES ...) per
    10,000 people: bulk_update's CASE per row took six minutes for 100,000."""
    if connection.vendor != "postgresql":
        Profile.objects.bulk_update(
            [Profile(pk=pk, manager_id=manager) for pk, manager in pairs],
            ["manager"],
            batch_size=2000,
        )
        return
    table = Profile._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10_000):
            batch = pairs[start : start + 10_000]
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET manager_id = v.manager FROM (VALUES {values})"  # noqa: S608 - our table, values are parameters
                f" AS v(id, manager) WHERE {table}.id = v.id",
                [n for pair in batch for n in pair],
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
