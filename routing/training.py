"""Every write to router versions: keeping a trained router, activating one, and training
on the company's own history. `verb_noun(*, ...)`, like routing.services (which holds the
writes to the questions themselves; this part is about the classifier's artefact).

A stored version becomes the active one; every process picks it up within
ROUTING_ROUTER_CHECK_SECONDS (routing.router_cache), without a restart.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.after_commit import call_on_commit, enqueue_on_commit
from core.errors import ApplicationError
from people.roles import is_admin

from . import router_cache
from .ml.evaluation import OOS, challenger_wins, holdout_figures, time_split
from .models import CustomerQuestion, RouterLabel, RouterVersion, SeedExample, Status

log = logging.getLogger(__name__)


def _metrics(router) -> dict:
    metrics = dict(getattr(router, "metrics", {}) or {})
    metrics.setdefault("threshold", getattr(router, "threshold", None))
    metrics.setdefault("departments", list(getattr(router, "departments", [])))
    return metrics


def store_router_version(
    *,
    router,
    source: str,
    n_examples: int = 0,
    outcome: str = RouterVersion.Outcome.STORED,
    reason: str = "",
    holdout: dict | None = None,
) -> RouterVersion:
    """Keep a trained router (classifier.Router) and make it the active one. Every process
    picks it up within ROUTING_ROUTER_CHECK_SECONDS (routing.router_cache)."""
    metrics = _metrics(router)
    with transaction.atomic():
        RouterVersion.objects.filter(active=True).update(active=False)
        version = RouterVersion.objects.create(
            data=router.dumps(),
            metrics=metrics,
            source=source[:100],
            n_examples=n_examples or int(metrics.get("n_train", 0) or 0),
            trained_at=timezone.now(),
            active=True,
            outcome=outcome,
            reason=reason[:300],
            holdout=holdout or {},
        )
        call_on_commit(router_cache.forget, what="forget the cached router")
    return version


def activate_router_version(*, actor, version: RouterVersion) -> RouterVersion:
    if not is_admin(actor):
        raise ApplicationError("Only admins can change the active router.", status=403)
    if not version.data:
        raise ApplicationError(
            "This version was not activated when it was trained and kept its figures only: "
            "train a new one.",
            field="version",
        )
    with transaction.atomic():
        RouterVersion.objects.filter(active=True).update(active=False)
        RouterVersion.objects.filter(pk=version.pk).update(active=True)
        call_on_commit(router_cache.forget, what="forget the cached router")
    version.active = True
    return version


@dataclass(frozen=True)
class Example:
    """A labelled question: it belongs to `label` (a department slug, or "oos": to none),
    or, `wrong`, it does not belong to that department. `at`: when a person decided."""

    text: str
    label: str
    wrong: bool
    at: object  # datetime


def labelled_examples() -> list[Example]:
    """One example per question, oldest decision first: its latest label (routing.models.
    RouterLabel: every human decision is one), and for questions decided before labels were
    recorded, the department that answered it (at its first answer) or spam (no
    department, at its closing)."""
    latest: dict[int, Example] = {}
    rows = RouterLabel.objects.order_by("created_at", "id").values_list(
        "question_id", "text", "department__slug", "wrong", "created_at"
    )
    for question_id, text, slug, wrong, at in rows.iterator():
        latest[question_id] = Example(text, slug or OOS, wrong, at)
    examples = list(latest.values())
    unlabelled = CustomerQuestion.objects.filter(labels__isnull=True)
    answered = unlabelled.filter(first_answer_at__isnull=False, department__isnull=False)
    for text, slug, at in answered.values_list("text", "department__slug", "first_answer_at"):
        examples.append(Example(text, slug, False, at))
    spam = unlabelled.filter(status=Status.SPAM).values_list("text", "closed_at", "updated_at")
    for text, closed_at, updated_at in spam:
        examples.append(Example(text, OOS, False, closed_at or updated_at))
    examples.sort(key=lambda e: e.at)
    return examples


def seed_examples() -> tuple[list[str], list[str]]:
    """The admins' seed examples (those without a department as "no department")."""
    rows = list(SeedExample.objects.values_list("text", "department__slug"))
    return [text for text, _ in rows], [slug or OOS for _, slug in rows]


def training_examples() -> tuple[list[str], list[str]]:
    """Everything a new router trains on: the labelled history (`labelled_examples`, the
    "wrong department" ones left out) plus the admins' seed examples."""
    examples = [e for e in labelled_examples() if not e.wrong]
    seed_texts, seed_labels = seed_examples()
    return [e.text for e in examples] + seed_texts, [e.label for e in examples] + seed_labels


def training_embedder(mode: str | None = None):
    """The sentence embedder new routers are trained with (routing.ml.embedder), or None for
    TF-IDF-only routers. `mode` (default ROUTING_EMBEDDINGS, "on"): "on" requires it (a
    missing or altered model is an error with the reason), "auto" falls back to TF-IDF with
    a warning, "off" never uses it."""
    from .ml import embedder

    mode = mode or settings.ROUTING_EMBEDDINGS
    if mode == "off" or (mode == "auto" and not embedder.available(settings.ROUTING_MODEL_DIR)):
        return None
    try:
        return embedder.build(settings.ROUTING_MODEL_DIR)
    except embedder.EmbeddingsUnavailable as exc:
        if mode == "on":
            raise ApplicationError(str(exc), field="embeddings") from exc
        log.warning("training without sentence embeddings: %s", exc)
        return None


def _train(texts: list[str], labels: list[str], embedder):
    from .ml.classifier import train

    if len({label for label in labels if label != OOS}) < 2:
        raise ApplicationError(
            "Training needs examples of at least two departments: add seed examples.",
            field="examples",
        )
    try:
        return train(texts, labels, embedder=embedder)
    except ValueError as exc:
        raise ApplicationError(str(exc), field="examples") from exc


def train_router(*, source: str = "history") -> RouterVersion:
    """Train on everything (`training_examples`) and activate the new version, whatever it
    scores: for a first router, or when an admin says so. The schedule uses
    `retrain_router`."""
    texts, labels = training_examples()
    router = _train(texts, labels, training_embedder())
    return store_router_version(router=router, source=source, n_examples=len(texts))


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def retrain_router(*, source: str = "nightly", scheduled: bool = False) -> RouterVersion | None:
    """Champion and challenger: train a new version (the challenger) on the labelled
    history except its most recent labels (a time split: ROUTING_HOLDOUT_FRACTION of them, at
    least ROUTING_HOLDOUT_MIN), and activate it only when it is not worse than the active
    version (the champion) on those labels: its share of them right at least the champion's
    minus ROUTING_CHALLENGER_TOLERANCE.

    Fair to both: the comparison uses the held-out labels that came in after the last label
    the champion trained on (`holdout["trained_until"]`, else its training time), which
    neither saw. Only when fewer than ROUTING_HOLDOUT_MIN of them exist does it use all the
    held-out labels, some of which the champion trained on (doubt favours the champion, and
    the reason says so). The version activated is the one compared, trained without the most
    recent labels; those join at a later retraining, as the window moves on.

    Not activated, its figures are stored with the reason, without the model. With too few
    labels to hold any out (fewer than twice ROUTING_HOLDOUT_MIN), it is trained on all of
    them and activated without a comparison, and says so (seed examples before any history).

    `scheduled` (the nightly beat): nothing happens when no label came in since the last
    version was trained, nor when there is nothing to train on yet (logged, not raised).
    """
    examples = labelled_examples()
    if scheduled:
        last = RouterVersion.objects.order_by("-trained_at").values_list("trained_at", flat=True)
        last = last.first()
        if last is not None and not RouterLabel.objects.filter(created_at__gt=last).exists():
            log.info("router retraining skipped: no new label since %s", last.isoformat())
            return None
    seed_texts, seed_labels = seed_examples()
    cut = time_split(
        len(examples),
        fraction=settings.ROUTING_HOLDOUT_FRACTION,
        minimum=settings.ROUTING_HOLDOUT_MIN,
    )
    fit = [e for e in (examples if cut is None else examples[:cut]) if not e.wrong]
    champion_row = (
        RouterVersion.objects.filter(active=True)
        .only("id", "data", "trained_at", "holdout")
        .first()
    )
    try:
        router = _train(
            [e.text for e in fit] + seed_texts,
            [e.label for e in fit] + seed_labels,
            training_embedder(),
        )
    except ApplicationError as exc:
        if scheduled:
            log.warning("router retraining skipped: %s", exc.message)
            return None
        raise
    n_examples = len(fit) + len(seed_texts)
    trained_until = (examples[cut - 1] if cut else examples[-1]).at if examples else None
    holdout: dict = {"trained_until": trained_until.isoformat() if trained_until else None}
    if cut is None:
        reason = (
            f"Activated without a comparison: {len(examples)} labelled questions, a "
            f"comparison needs {2 * settings.ROUTING_HOLDOUT_MIN}."
            if champion_row is not None
            else "The first version: there was no active one to compare with."
        )
        return store_router_version(
            router=router,
            source=source,
            n_examples=n_examples,
            outcome=RouterVersion.Outcome.ACTIVATED,
            reason=reason,
            holdout=holdout,
        )
    held, unseen_by_both = examples[cut:], True
    if champion_row is not None:
        champion_until = _trained_until(champion_row)
        fresh = [e for e in held if e.at > champion_until]
        if len(fresh) >= settings.ROUTING_HOLDOUT_MIN:
            held = fresh
        else:
            unseen_by_both = len(fresh) == len(held)
    texts, labels, wrong = [e.text for e in held], [e.label for e in held], [e.wrong for e in held]
    challenger = holdout_figures(router, texts, labels, wrong)
    champion = _champion_figures(champion_row, texts, labels, wrong)
    holdout.update(
        n=len(held),
        since=held[0].at.isoformat(),
        unseen_by_both=unseen_by_both,
        challenger=challenger,
        champion=champion,
        champion_id=champion_row.pk if champion_row is not None else None,
    )
    compared = (
        f"{_percent(challenger['accuracy'])} right on the {len(held)} most recent labels it "
        "did not train on"
    )
    if champion is not None:
        compared += f"; the active version v{champion_row.pk} had {_percent(champion['accuracy'])}"
        if not unseen_by_both:
            compared += " (it had trained on some of them)"
    if challenger_wins(challenger, champion, tolerance=settings.ROUTING_CHALLENGER_TOLERANCE):
        return store_router_version(
            router=router,
            source=source,
            n_examples=n_examples,
            outcome=RouterVersion.Outcome.ACTIVATED,
            reason=f"Activated: {compared}.",
            holdout=holdout,
        )
    version = RouterVersion.objects.create(
        data=b"",
        metrics=_metrics(router),
        source=source[:100],
        n_examples=n_examples,
        trained_at=timezone.now(),
        active=False,
        outcome=RouterVersion.Outcome.REJECTED,
        reason=f"Not activated: {compared}."[:300],
        holdout=holdout,
    )
    log.info("router version %s not activated: %s", version.pk, version.reason)
    return version


def _trained_until(row: RouterVersion):
    """The time of the last label `row` trained on (its training time when unknown)."""
    until = (row.holdout or {}).get("trained_until")
    return dt.datetime.fromisoformat(until) if until else row.trained_at


def _champion_figures(row, texts, labels, wrong) -> dict | None:
    """The active version's figures on the held-out labels; None without one (or when this
    process cannot load it: the challenger then wins)."""
    from .ml.classifier import Router

    if row is None or not row.data:
        return None
    try:
        champion = Router.loads(bytes(row.data))
    except Exception:
        log.exception("the active router version %s cannot be loaded to compare with", row.pk)
        return None
    return holdout_figures(champion, texts, labels, wrong)


def request_retraining(*, actor) -> None:
    """An admin asks for a new version now (the dashboard, the API): trained in the worker
    as the nightly one is, champion and challenger."""
    if not is_admin(actor):
        raise ApplicationError("Only admins can retrain the router.", status=403)
    enqueue_on_commit("routing.tasks.train_router", source=f"on demand: {actor.get_username()}")
