"""The expert finder: who knows about a topic, ranked in the database (a selector, kept
apart from the people/selectors/ package for its size)."""

import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone

from core import compiled

from .models import Profile
from .selectors import counts_generation, profiles_by_id, visible_profiles
from .selectors.profiles import PAGE_RELATED

EXPERTS_TTL = 120


class Experts(NamedTuple):
    """find_experts's answer: `rows` (profile rows as profile_page(as_rows=True) gives them,
    or only ids and names when the ranking was kept, best first, each with `score` and
    `matched`, the places the topic was found) and the directory counts' `generation` read
    before them (what people.templatetags' expert_items keeps each person's result under,
    reading the rows of those it lacks)."""

    rows: list[dict]
    generation: str


def find_experts(*, viewer, topic: str, limit: int = 30, generation: str | None = None) -> Experts:
    """Who knows about `topic`: ranked by where it appears, in the database.

    A skill named like the topic counts most, then "ask me about" and the title, then the
    bio. At equal score, people at work rank before people out of office. One query.

    The ranking is the same for every viewer (every employee reads every active profile),
    costs a pass over every match, and topics repeat (the popular skills are links), so the
    ranked ids are cached briefly and forgotten with the directory counts (forget_counts);
    who of them may be shown is read afresh through visible_profiles (their ids and names:
    the results are kept per person, expert_items), so someone deactivated since never
    shows. `generation`: counts_generation(), when the caller read it already (with other
    cached values, in one round trip).
    """
    topic = " ".join(topic.split())[:100]
    if not topic or not viewer.is_authenticated:
        return Experts([], "")
    generation = generation or counts_generation()  # before the rows: a change forgets them
    digest = hashlib.sha256(topic.upper().encode()).hexdigest()[:32]
    key = f"people:experts:{generation}:{timezone.localdate()}:{limit}:{digest}"
    ranked = cache.get(key)
    if ranked is None:
        rows = _rank_experts(viewer=viewer, topic=topic, limit=limit)
        cache.set(key, [(row["id"], row["score"], row["matched"]) for row in rows], EXPERTS_TTL)
        return Experts(rows, generation)
    ids = [pk for pk, _score, _matched in ranked]
    found = profiles_by_id(viewer, ids, as_rows=True, names_only=True)
    rows = [
        found[pk] | {"score": score, "matched": matched}
        for pk, score, matched in ranked
        if pk in found
    ]
    return Experts(rows, generation)


def _rank_experts(*, viewer, topic: str, limit: int) -> list[dict]:
    from .services import normalize_skill_name

    skill_name = normalize_skill_name(topic)
    has_skill = Profile.skills.through.objects.values("profile_id")
    exact = Q(id__in=has_skill.filter(skill__name=skill_name))
    partial_skill = has_skill.filter(skill__name__icontains=skill_name)
    in_text = Q(ask_me_about__icontains=topic) | Q(title__icontains=topic) | Q(bio__icontains=topic)
    # The candidates as a UNION: the skill holders, and the profiles whose text matches (one
    # BitmapOr of trigram indexes on PostgreSQL). An OR of the two would read every profile.
    candidates = partial_skill.order_by().union(
        Profile.objects.filter(in_text).order_by().values("id")
    )
    places = {
        "skill": Case(
            When(exact, then=Value(6)),
            When(Q(id__in=partial_skill), then=Value(3)),
            default=Value(0),
        ),
        "ask me about": Case(When(ask_me_about__icontains=topic, then=Value(3)), default=Value(0)),
        "title": Case(When(title__icontains=topic, then=Value(2)), default=Value(0)),
        "bio": Case(When(bio__icontains=topic, then=Value(1)), default=Value(0)),
    }
    hits = {f"hit_{i}": expr for i, expr in enumerate(places.values())}
    total = sum((F(name) for name in hits), Value(0))
    away = Case(
        When(out_of_office_until__gte=timezone.localdate(), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        visible_profiles(viewer)
        .filter(id__in=candidates)
        .annotate(**hits)
        .annotate(score=ExpressionWrapper(total, output_field=IntegerField()), away=away)
        .order_by("-score", "away", "display_name", "id")
        .values(*compiled.related_fields(Profile, PAGE_RELATED), "score", *hits)[:limit]
    )
    return [
        {key: value for key, value in row.items() if key not in hits}
        | {"matched": [label for label, name in zip(places, hits, strict=True) if row[name]]}
        for row in rows
    ]
