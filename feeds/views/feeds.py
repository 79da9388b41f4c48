"""The feeds: a group's feed (its page's first tab; the header and tabs are groups'), topic
and person feeds and following them, and the home feed's part of the home page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from core.sections import sections_for
from groups.views import group_context
from people import selectors as people
from policies.selectors import posting_gate

from .. import selectors, services
from .common import _toggle, back, compose_context, feed_page


@require_GET
def group_feed(request, slug: str):
    context = group_context(request, slug, "feed")
    group = context["group"]
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    posts, next_cursor = feed_page(request, selectors.group_feed(request.user, group))
    context.update({"posts": posts, "next_cursor": next_cursor})
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context.update(compose_context(request, group, membership=context["membership"]))
    context["pinned"] = (
        [] if request.GET.get("cursor") else selectors.pinned_posts(request.user, group)
    )
    return render(request, "groups/detail.html", context)


# --- Topic and person feeds, follows --------------------------------------------------


@require_GET
def topic(request, name: str):
    request.active_section = "feed"
    found = selectors.get_readable_topic(request.user, name)
    posts, next_cursor = feed_page(request, selectors.topic_feed(request.user, found))
    context = {"topic": found, "posts": posts, "next_cursor": next_cursor, "show_group": True}
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context["following"] = selectors.follows_topic(request.user, found)
    # What apps above feeds add about the topic (knowledge: its entries).
    context["sections"] = sections_for("topic", request.user, found)
    return render(request, "feeds/topic.html", context)


@require_POST
def follow_topic(request, name: str):
    found = selectors.get_readable_topic(request.user, name)
    follow = _toggle(request)
    services.follow_topic(actor=request.user, topic=found, follow=follow)
    if not request.htmx:
        return back(request, found.get_absolute_url())
    return render(request, "feeds/_follow_topic.html", {"topic": found, "following": follow})


@require_GET
def person_feed(request, username: str):
    request.active_section = "people"
    person = people.get_visible_profile(viewer=request.user, username=username)
    posts, next_cursor = feed_page(request, selectors.person_feed(request.user, person.user))
    context = {"person": person, "posts": posts, "next_cursor": next_cursor, "show_group": True}
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context["is_me"] = person.user_id == request.user.pk
    context["following"] = selectors.follows_person(request.user, person.user)
    if request.htmx:
        return render(request, "feeds/_person_posts.html", context)
    return render(request, "feeds/person.html", context)


@require_POST
def follow_person(request, username: str):
    person = people.get_visible_profile(viewer=request.user, username=username)
    follow = _toggle(request)
    services.follow_person(actor=request.user, person=person.user, follow=follow)
    if not request.htmx:
        return back(request, person.get_absolute_url())
    return render(request, "feeds/_follow_person.html", {"person": person, "following": follow})


# --- Home ----------------------------------------------------------------------------


def home_feed_context(request) -> dict:
    """The home feed page's feed part (config.views.home renders the page)."""
    posts, next_cursor = feed_page(request, selectors.home_feed(request.user))
    return {
        "posts": posts,
        "next_cursor": next_cursor,
        "show_group": True,
        "compose_gate": posting_gate(request),  # the cards' comment boxes say it first
    }
