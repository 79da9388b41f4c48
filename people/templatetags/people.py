import hashlib
import zlib

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import urlencode as urlquote
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.kept_markup import kept
from core.markdown import excerpt as markdown_excerpt
from core.markdown import render_markdown
from core.markdown import shorten as shorten_text
from people import selectors

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 sanitized it


@register.filter
def excerpt(source: str, limit: int = 220) -> str:
    """Markdown as a one-line plain summary, cut between words (core.markdown.excerpt).
    Plain text: autoescaping escapes it once."""
    return markdown_excerpt(source or "", int(limit))


@register.filter
def shorten(text: str, limit: int = 220) -> str:
    """Plain text on one line, cut between words with an ellipsis (core.markdown)."""
    return shorten_text(str(text or ""), int(limit))


# The avatar and the directory's person card are built here in Python rather than as
# included templates: a page of the directory shows 24 cards, each with a photo and up to
# five skill chips, and rendering those through {% include %} and an inclusion tag cost more
# than every query of the page (issue 18). The markup is the one the templates had.


def avatar_html(profile, size: str = "md") -> str:
    """A photo, or initials on a colour that stays the same for the person."""
    if profile.avatar:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="" loading="lazy">',
            size,
            profile.avatar.url,
        )
    hue = zlib.crc32(profile.user.username.encode()) % 360 if profile.user_id else 210
    return format_html(
        '<span class="avatar avatar-{}" style="--hue: {}" aria-hidden="true">{}</span>',
        size,
        hue,
        profile.initials,
    )


@register.simple_tag(takes_context=True)
def own_profile(context):
    """The signed-in person's profile, for the top bar (people.selectors.own_profile)."""
    return selectors.own_profile(context["request"].user)


@register.simple_tag
def avatar(profile, size: str = "md"):
    return avatar_html(profile, size)


def _away_badge(person, today) -> str:
    """ "Away until …" while the person is out of office, else nothing."""
    if not person.is_out_of_office(today):
        return ""
    return format_html(
        '<span class="badge badge-away">Away until {}</span>',
        date_filter(person.out_of_office_until, "M j"),
    )


def _person_card(person, today) -> str:
    department = person.department
    away = _away_badge(person, today)
    if away:
        away = format_html("<span>{}</span>", away)
    skills = ""
    if person.skill_tags:
        skills = format_html(
            '<ul class="chips" aria-label="Skills">{}</ul>',
            format_html_join(
                "",
                '<li><a class="chip" href="{}">{}</a></li>',
                ((s.get_absolute_url(), s.name) for s in person.skill_tags[:5]),
            ),
        )
    return format_html(
        '<article class="card person-card"><a class="person" href="{}">{}'
        '<span style="min-width:0"><span class="person-name">{}</span>'
        '<span class="person-meta" style="display:block">{}</span>{}</span></a>{}{}</article>',
        person.get_absolute_url(),
        avatar_html(person, "md"),
        person.display_name,
        person.title or "—",
        format_html('<span class="person-meta" style="display:block">{}</span>', department.name)
        if department is not None
        else "",
        away,
        skills,
    )


# A card says the same to every employee (every active profile is everyone's to read), so it
# is kept, per person, in the shared cache until the directory's counts are forgotten (a
# profile, an account, a skill list, a skill or a department changed: people.receivers), or
# the day ends (its "away until" badge). Who is on a page is decided before, afresh, by the
# page's own query: a card is only looked up for a person that query found.
CARD_SECONDS = 300


@register.simple_tag(takes_context=True)
def person_cards(context, rows, generation: str):
    """The directory's cards of the people of `rows` (selectors.profile_page's, as rows; a
    search's or a skill's only ids and names), kept per person (selectors.kept_per_person):
    the rows of those neither kept nor read are read for the request's user.

    `generation` is selectors.counts_generation() read before the page's query: a card
    made from rows read before a change is then never kept under the key that follows the
    change."""
    today = timezone.localdate()
    cards = selectors.kept_per_person(
        rows,
        prefix=f"people:card:v1:{generation}:{today}:{get_script_prefix()}",
        make=lambda person: _person_card(person, today),
        seconds=CARD_SECONDS,
        read_for=context["request"].user,
    )
    return mark_safe("".join(cards))  # noqa: S308 - format_html escaped every value


def _expert(person, topic: str, today) -> str:
    department = person.department
    away = _away_badge(person, today)
    ask = ""
    if person.ask_me_about:
        ask = format_html(
            '<p class="small" style="margin:10px 0 0"><strong>Ask me about:</strong> {}</p>',
            person.ask_me_about,
        )
    skills = ""
    if person.skill_tags:
        skills = format_html(
            '<ul class="chips" style="margin-top:10px">{}</ul>',
            format_html_join(
                "",
                '<li><a class="chip{}" href="{}">{}</a></li>',
                (
                    ("" if s.name in topic else " chip-quiet", s.get_absolute_url(), s.name)
                    for s in person.skill_tags
                ),
            ),
        )
    return format_html(
        '<li class="card"><div class="profile-head" style="gap:14px">{}'
        '<div style="flex:1;min-width:200px"><a class="person-name" href="{}">{}</a>'
        '<div class="person-meta">{}{}</div><div class="small muted">Matched in {}</div>'
        "</div>{}</div>{}{}</li>",
        avatar_html(person, "md"),
        person.get_absolute_url(),
        person.display_name,
        person.title,
        format_html(" · {}", department.name) if department is not None else "",
        ", ".join(person.matched),
        away,
        ask,
        skills,
    )


@register.simple_tag(takes_context=True)
def expert_items(context, rows, topic: str, generation: str):
    """The expert finder's results (people.experts.find_experts's rows), as <li>s: a skill
    chip is quiet unless its name is part of the topic. Kept per person and topic as the
    directory's cards are (selectors.kept_per_person), under the counts' `generation` read
    before the rows: a page whose results are all kept builds no profile."""
    today, topic = timezone.localdate(), " ".join(str(topic).split())
    digest = hashlib.sha256(topic.encode()).hexdigest()[:32]
    items = selectors.kept_per_person(
        rows,
        prefix=f"people:expert:v1:{generation}:{today}:{get_script_prefix()}:{digest}",
        make=lambda person: _expert(person, topic.lower(), today),
        seconds=CARD_SECONDS,
        read_for=context["request"].user,
    )
    return mark_safe("".join(items))  # noqa: S308 - format_html escaped every value


# The directory's filters say the same to everyone who chose the same: made once per process
# for each list (the departments with their counts, the popular skills) and choice, and kept
# by exactly what they show, so a renamed skill or a new count is a new entry. Formatting the
# thirty skill chips cost about as much as the page's 24 kept cards (a cProfile of the
# directory at 100,000 people: 0.38 against 0.35 s over 200 pages).
FILTERS_KEPT = 256


@register.simple_tag
def department_filters(departments, department, skill):
    """The directory's department links (<li>s), keeping the chosen skill."""
    return _department_filters(
        tuple((d.pk, d.slug, d.name, d.member_count) for d in departments),
        getattr(department, "pk", None),
        getattr(skill, "slug", None),
    )


@kept(maxsize=FILTERS_KEPT)
def _department_filters(departments: tuple, chosen: int | None, skill_slug: str | None):
    keep = format_html("&amp;skill={}", skill_slug) if skill_slug else ""
    current = mark_safe(' aria-current="true"')  # noqa: S308 - a constant
    return format_html_join(
        "",
        '<li><a href="?department={}{}"{}><span>{}</span><span class="muted">{}</span></a></li>',
        (
            (slug, keep, current if pk == chosen else "", name, count)
            for pk, slug, name, count in departments
        ),
    )


@register.simple_tag
def skill_filters(skills, skill, department):
    """The directory's popular skill chips (<li>s), keeping the chosen department."""
    return _skill_filters(
        tuple((s.pk, s.slug, s.name) for s in skills),
        getattr(skill, "pk", None),
        getattr(department, "slug", None),
    )


@kept(maxsize=FILTERS_KEPT)
def _skill_filters(skills: tuple, chosen: int | None, department_slug: str | None):
    keep = format_html("&amp;department={}", department_slug) if department_slug else ""
    current = mark_safe(' aria-current="true"')  # noqa: S308 - a constant
    return format_html_join(
        "",
        '<li><a class="chip{}" href="?skill={}{}"{}>{}</a></li>',
        (
            (
                "" if pk == chosen else " chip-quiet",
                slug,
                keep,
                current if pk == chosen else "",
                name,
            )
            for pk, slug, name in skills
        ),
    )


@register.simple_tag
def topic_chips(skills):
    """The expert finder's common skills as chips (<li>s), each a search for its name: made
    once per process for each list of names, as the directory's filters are (20 chips in a
    template loop were a sixth of the experts page's Python at 100,000 people)."""
    return _topic_chips(tuple(s.name for s in skills))


@kept(maxsize=FILTERS_KEPT)
def _topic_chips(names: tuple[str, ...]):
    return format_html_join(
        "",
        '<li><a class="chip chip-quiet" href="?topic={}">{}</a></li>',
        ((urlquote(name), name) for name in names),
    )
