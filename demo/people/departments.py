"""The demo company's departments (name, slug, parent, description) and, per department,
the titles, skills and share of headcount its people get; the departments created or
brought up to date."""

from people.models import Department

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
