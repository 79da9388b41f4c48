"""SPECTACULAR_SETTINGS for config/api.py: the OpenAPI schema of /api/v1/ and its
documentation pages (drf-spectacular)."""


def spectacular_settings() -> dict:
    """SPECTACULAR_SETTINGS: the schema's title, tags and enum names, and the docs pages'."""
    return {
        "TITLE": "socialhub API",
        "DESCRIPTION": (
            "The internal social network's API: people, departments and (as they ship) groups, "
            "feeds, customer questions and policies. Authenticate with a session or with "
            "`Authorization: Token <key>` (create a token on your profile page)."
        ),
        "VERSION": "1",
        "SERVE_INCLUDE_SCHEMA": False,
        # Operations are tagged by the first path segment after /api/v1/ (people, groups, posts,
        # questions...), so the docs group them by subject instead of under one "v1" heading.
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "TAGS": [
            {"name": "auth", "description": "API tokens."},
            {"name": "people", "description": "Profiles, skills and the directory."},
            {"name": "departments", "description": "The company's departments."},
            {"name": "groups", "description": "Groups, members, join requests and moderation."},
            {"name": "feed", "description": "The home feed: what the caller may read."},
            {"name": "posts", "description": "Posts, reactions, answers and moderation."},
            {"name": "comments", "description": "Comments on posts."},
            {"name": "topics", "description": "#topics and who follows them."},
            {"name": "search", "description": "Ranked search over what the caller may read."},
            {"name": "questions", "description": "Customer questions: intake, routing, answers."},
            {
                "name": "knowledge",
                "description": "Answered customer questions as searchable, scrubbed knowledge.",
            },
            {
                "name": "policies",
                "description": "The social media policy, quiz and brand accounts.",
            },
            {
                "name": "campaigns",
                "description": "Advocacy campaigns: contributions, picks and recorded shares.",
            },
            {"name": "notifications", "description": "The notification center and preferences."},
            {
                "name": "monitoring",
                "description": (
                    "Listening: watch rules and alerts (the social team, leaders, mentors)."
                ),
            },
            {
                "name": "crisis",
                "description": "The crisis playbook, incidents, their timeline and report.",
            },
            {"name": "social", "description": "Who does what in social: the org chart."},
            {
                "name": "messages",
                "description": "Direct and group conversations (participants only).",
            },
            {"name": "reports", "description": "Reports of posts and comments to moderators."},
            {"name": "polls", "description": "Polls in posts: votes, live results, who voted."},
            {
                "name": "events",
                "description": "Events in posts: RSVPs, .ics files and the personal calendar feed.",
            },
            {
                "name": "files",
                "description": "A group's file library: uploads, versions, post attachments.",
            },
            {
                "name": "analytics",
                "description": "Community analytics for group leaders and admins (weekly figures).",
            },
        ],
        "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
        "SWAGGER_UI_DIST": "SIDECAR",
        # No deep links: Swagger UI puts them inside the operation's toggle button, a link inside a
        # button that screen readers and keyboards cannot use (axe-core: nested-interactive).
        "SWAGGER_UI_SETTINGS": {"deepLinking": False},
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "COMPONENT_SPLIT_REQUEST": True,
        # Several models have a `kind`: give each list of choices its own schema name.
        "ENUM_NAME_OVERRIDES": {
            "GroupKindEnum": "groups.models.Group.Kind",
            "GroupPrivacyEnum": "groups.models.Group.Privacy",
            "MembershipRoleEnum": "groups.models.Membership.Role",
            "PostKindEnum": "feeds.models.WRITABLE_POST_KINDS",
            "ReactionKindEnum": "feeds.models.Reaction.Kind",
            "WatchRuleSeverityEnum": "monitoring.models.Severity",
            "IncidentSeverityEnum": "crisis.models.Severity",
            "KnowledgeStateEnum": "knowledge.models.State",
            "BrandAccountPlatformEnum": "policies.models.BrandAccount.Platform",
            "SharePlatformEnum": "campaigns.models.Share.Platform",
        },
    }
