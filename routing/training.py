"""Every write to router versions: keeping a trained router, activating one, and training
on the company's own history. `verb_noun(*, ...)`, like routing.services (which holds the
writes to the questions themselves; this part is about the classifier's artefact).

A stored version becomes the active one; every process picks it up within
ROUTING_ROUTER_CHECK_SECONDS (routing.router_cache), without a restart.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.after_commit import call_on_commit
from core.errors import ApplicationError
from people.roles import is_admin

from . import router_cache
from .ml.evaluation import OOS
from .models import CustomerQuestion, RouterVersion, SeedExample, Status

log = logging.getLogger(__name__)


def store_router_version(*, router, source: str, n_examples: int = 0) -> RouterVersion:
    """Keep a trained router (classifier.Router) and make it the active one. Every process
    picks it up within ROUTING_ROUTER_CHECK_SECONDS (routing.router_cache)."""
    metrics = dict(getattr(router, "metrics", {}) or {})
    metrics.setdefault("threshold", getattr(router, "threshold", None))
    metrics.setdefault("departments", list(getattr(router, "departments", [])))
    with transaction.atomic():
        RouterVersion.objects.filter(active=True).update(active=False)
        version = RouterVersion.objects.create(
            data=router.dumps(),
            metrics=metrics,
            source=source[:100],
            n_examples=n_examples or int(metrics.get("n_train", 0) or 0),
            trained_at=timezone.now(),
            active=True,
        )
        call_on_commit(router_cache.forget, what="forget the cached router")
    return version


def activate_router_version(*, actor, version: RouterVersion) -> RouterVersion:
    if not is_admin(actor):
        raise ApplicationError("Only admins can change the active router.", status=403)
    with transaction.atomic():
        RouterVersion.objects.filter(active=True).update(active=False)
        RouterVersion.objects.filter(pk=version.pk).update(active=True)
        call_on_commit(router_cache.forget, what="forget the cached router")
    version.active = True
    return version


def training_examples() -> tuple[list[str], list[str]]:
    """The company's history (the department that finally answered each question, after
    reroutes; spam as "no department") plus the admins' seed examples (those without a
    department as "no department")."""
    texts: list[str] = []
    labels: list[str] = []
    answered = CustomerQuestion.objects.filter(
        first_answer_at__isnull=False, department__isnull=False
    ).values_list("text", "department__slug")
    for text, slug in answered.iterator():
        texts.append(text)
        labels.append(slug)
    for (text,) in CustomerQuestion.objects.filter(status=Status.SPAM).values_list("text"):
        texts.append(text)
        labels.append(OOS)
    for text, slug in SeedExample.objects.values_list("text", "department__slug"):
        texts.append(text)
        labels.append(slug or OOS)
    return texts, labels


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


def train_router(*, source: str = "history") -> RouterVersion:
    from .ml.classifier import train

    texts, labels = training_examples()
    if len({label for label in labels if label != OOS}) < 2:
        raise ApplicationError(
            "Training needs examples of at least two departments: add seed examples.",
            field="examples",
        )
    try:
        router = train(texts, labels, embedder=training_embedder())
    except ValueError as exc:
        raise ApplicationError(str(exc), field="examples") from exc
    return store_router_version(router=router, source=source, n_examples=len(texts))
