"""The expert finder: who knows about a topic, ranked in the database (a selector, kept
apart from the people/selectors/ package for its size)."""

import hashlib

from django.core.cache import cache
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone

from .models import Profile
from .selectors import counts_generation, profiles_by_id, visible_profiles, with_skills

EXPERTS_TTL = 120


def find_experts(*, viewer, topic: str, limit: int = 30) -> list[Profile]:
    """Who knows about `topic`: ranked by where it appears, in the database.

    A skill named like the topic counts most, then "ask me about" and the title, then the
    bio. At equal score, people at work rank before people out of office. Each result
    carries `score` and `matched` (the places the topic was found). Two queries.

    The ranking is the same for every viewer (every employee reads every active profile),
    costs a pass over every match, and topics repeat (the popular skills are links), so the
    ranked ids are cached briefly and forgotten with the directory counts (forget_counts);
    the profiles themselves are read afresh through visible_profiles, so someone
    deactivated since never shows.
    """
    topic = " ".join(topic.split())[:100]
    if not topic or not viewer.is_authenticated:
        return []
    generation = counts_generation()
    digest = hashlib.sha256(topic.upper().encode()).hexdigest()[:32]
    key = f"people:experts:{generation}:{timezone.localdate()}:{limit}:{digest}"
    ranked = cache.get(key)
    if ranked is None:
        experts = _rank_experts(viewer=viewer, topic=topic, limit=limit)
        cache.set(key, [(e.pk, e.score, e.matched) for e in experts], EXPERTS_TTL)
        return with_skills(experts)
    found = profiles_by_id(viewer, [pk for pk, _score, _matched in ranked])
    experts = []
    for pk, score, matched in ranked:
        if pk in found:
            expert = found[pk]
            expert.score, expert.matched = score, matched
            experts.append(expert)
    return with_skills(experts)


def _rank_experts(*, viewer, topic: str, limit: int) -> list[Profile]:
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
    annotations = {f"hit_{i}": expr for i, expr in enumerate(places.values())}
    total = sum((F(name) for name in annotations), Value(0))
    away = Case(
        When(out_of_office_until__gte=timezone.localdate(), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    experts = list(
        visible_profiles(viewer)
        .filter(id__in=candidates)
        .annotate(**annotations)
        .annotate(score=ExpressionWrapper(total, output_field=IntegerField()), away=away)
        .order_by("-score", "away", "display_name", "id")[:limit]
    )
    for expert in experts:
        expert.matched = [label for i, label in enumerate(places) if getattr(expert, f"hit_{i}")]
    return experts
