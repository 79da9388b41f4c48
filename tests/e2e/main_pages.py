"""The main pages of the product, as each kind of user reaches them.

The accessibility test and the screenshot run (bin/screenshots.py) both walk this list, so a
page added here is checked by axe-core and photographed at both widths for every role. Pages
that need an object (a post, a group, a question) take the first one the user may see, through
the same selectors the pages use, so nobody is sent to a page they may not open.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

# The four demo logins (demo/people/logins.py), one per kind of user.
ROLES = ("emma.employee", "lee.leader", "sam.social", "admin")


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    # The page fetches more after it loads (htmx on load, Swagger UI): wait for the network
    # to settle before judging it. Other pages are judged at their load event.
    settles: bool = False


def main_pages(username: str) -> list[MainPage]:
    from feeds.models import Topic
    from feeds.selectors import visible_posts
    from groups.selectors import can_moderate, my_groups
    from knowledge.selectors import visible_entries
    from routing.selectors import is_leader, is_social_team, visible_questions

    user = get_user_model().objects.get(username=username)
    pages = [
        MainPage("home", reverse("home")),
        MainPage("groups", reverse("groups:directory")),
        MainPage("people", reverse("people:directory")),
        MainPage("profile", reverse("people:profile", args=[user.username]), settles=True),
        MainPage("org-chart", reverse("people:org")),
        MainPage("experts", reverse("people:experts")),
        MainPage("people-search", reverse("people:directory") + "?q=an"),
        MainPage("saved", reverse("feeds:saved")),
        MainPage("drafts", reverse("feeds:drafts")),
        MainPage("notifications", reverse("notifications:center")),
        MainPage("preferences", reverse("notifications:preferences")),
        MainPage("my-data", reverse("people:data")),
        MainPage("search", reverse("search") + "?q=customer"),
        MainPage("policy", reverse("policies:current")),
        MainPage("policy-quiz", reverse("policies:quiz")),
        MainPage("questions", reverse("routing:inbox")),
        MainPage("knowledge", reverse("knowledge:list")),
        MainPage("brand-accounts", reverse("policies:accounts")),
        MainPage("api-docs", reverse("api-docs"), settles=True),
        MainPage("events", reverse("agenda:upcoming")),
        MainPage("new-poll", reverse("polls:new")),
        MainPage("new-event", reverse("agenda:new")),
    ]
    from people.selectors import popular_skills

    for skill in popular_skills(1):  # a skill's page and its experts, read as cards are kept
        pages.append(MainPage("people-skill", reverse("people:directory") + f"?skill={skill.slug}"))
        pages.append(MainPage("experts-topic", reverse("people:experts") + f"?topic={skill.slug}"))
    from agenda.selectors import visible_events
    from polls.models import Poll

    poll = Poll.objects.filter(post__in=visible_posts(user)).order_by("id").first()
    if poll is not None:
        pages.append(MainPage("poll", reverse("feeds:post", args=[poll.post_id])))
    event = visible_events(user).order_by("id").first()
    if event is not None:
        pages.append(MainPage("event", reverse("feeds:post", args=[event.post_id])))
    post = visible_posts(user).filter(group__isnull=False).order_by("-id").first()
    if post is not None:
        pages.append(MainPage("post", reverse("feeds:post", args=[post.pk])))
    group = (
        my_groups(user).filter(kind="department").first()
        or my_groups(user).order_by("name").first()
    )
    if group is not None:
        pages.append(MainPage("group", reverse("groups:detail", args=[group.slug])))
        pages.append(MainPage("group-members", reverse("groups:members", args=[group.slug])))
        pages.append(MainPage("group-files", reverse("library:files", args=[group.slug])))
        led = next((g for g in my_groups(user) if can_moderate(user, g)), None)
        if led is not None:
            pages.append(
                MainPage("group-analytics", reverse("group_analytics:group", args=[led.slug]))
            )
    topic = Topic.objects.order_by("name").first()
    if topic is not None:
        pages.append(MainPage("topic", reverse("feeds:topic", args=[topic.name])))
    entry = visible_entries(user).order_by("id").first()
    if entry is not None:
        pages.append(MainPage("knowledge-entry", reverse("knowledge:detail", args=[entry.pk])))
    question = visible_questions(user).order_by("id").first()
    if question is not None:
        pages.append(MainPage("question", reverse("routing:question", args=[question.pk])))
    if is_leader(user) or is_social_team(user) or user.is_staff:
        pages.append(MainPage("insights", reverse("routing:insights")))
    if is_social_team(user) or user.is_staff:
        pages.append(MainPage("dashboard", reverse("routing:dashboard")))
    if is_leader(user):
        pages.append(MainPage("queue", reverse("routing:queue")))
    if user.is_staff:
        pages += [
            MainPage("policy-versions", reverse("policies:versions")),
            MainPage("policy-report", reverse("policies:report")),
            MainPage("representatives", reverse("policies:representatives")),
            MainPage("policy-settings", reverse("policies:settings")),
            MainPage("offboarding", reverse("policies:offboard")),
            MainPage("policy-audit", reverse("policies:audit")),
            MainPage("scim-tokens", reverse("directory:scim-tokens")),
            MainPage("directory-import", reverse("directory:import")),
            MainPage("company-analytics", reverse("analytics:company")),
        ]
    return pages
