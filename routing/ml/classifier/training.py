"""Training a router: the data checked, out-of-fold scores by cross-validation (oos rows
held out by topic when there are embeddings), the calibration, then the final fit."""

import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.model_selection import StratifiedKFold

from ..evaluation import OOS, measure
from ..features import Features, l2
from .calibration import _choose_threshold, _fit_gate, _fit_scale, _oos_threshold
from .linear import _clean, _decision, _fit_model, _softmax
from .parameters import (
    COVERAGE_TARGET,
    CV_FOLDS,
    DEFAULT_SCALE,
    DEFAULT_THRESHOLD,
    EMBEDDING_WEIGHT,
    IN_SCOPE_FLOOR,
    MIN_OOS_FOR_EMBEDDINGS,
    OOS_RECALL_TARGET,
    OOS_TOPICS,
)
from .router import Router
from .semantic import _neighbour_similarity, _Semantic


def _validate(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    if len(texts) != len(labels):
        raise ValueError("texts and labels must have the same length")
    labels = [str(label).strip() for label in labels]
    if any(not label for label in labels):
        raise ValueError("every training row needs a department")
    departments = {label for label in labels if label != OOS}
    if len(departments) < 2:
        raise ValueError("training needs examples of at least two departments")
    return [_clean(t) for t in texts], labels


def _out_of_fold(
    blocks: list[sp.csr_matrix], labels: list[str], folds: int, embeddings=None, weight=1.0
):
    """Out-of-fold decision scores (one column per class, sorted) for the training rows,
    which rows have them (a row whose fold left fewer than two classes to learn from has
    none) and, with `embeddings`, each row's similarity to its fold's in-scope rows.

    A class with fewer rows than folds is missing from some folds' training rows; it then
    gets no chance in those folds (a score far below the others).

    `blocks` are the un-normalised feature blocks of all training rows, computed once for
    speed. Held-out rows lose the terms their fold's training rows never use before they are
    normalised, as a new question loses the terms the router has never seen; otherwise their
    confidences (and so the threshold) would come out too low."""
    y = np.array(labels)
    classes = sorted(set(labels))
    scores = np.full((len(labels), len(classes)), -1e3)
    valid = np.zeros(len(labels), dtype=bool)
    similarity = None if embeddings is None else np.zeros(len(labels))
    with warnings.catch_warnings():  # "the least populated class has only n members"
        warnings.simplefilter("ignore", UserWarning)
        if embeddings is None:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
            splits = list(splitter.split(np.zeros(len(y)), y))
        else:
            splits = _splits_by_oos_topic(y, folds, embeddings)

    def fold(rows):
        fit_rows, held_rows = rows
        fit, held = [], []
        for block in blocks:
            seen = np.asarray((block[fit_rows] != 0).sum(axis=0)).ravel() > 0
            fit.append(l2(block[fit_rows]))
            held.append(l2(block[held_rows] @ sp.diags(seen.astype(np.float64))))
        if embeddings is not None:
            fit.append(sp.csr_matrix(weight * embeddings[fit_rows]))
            held.append(sp.csr_matrix(weight * embeddings[held_rows]))
            in_scope_rows = fit_rows[y[fit_rows] != OOS]
            similarity[held_rows] = _neighbour_similarity(
                embeddings[held_rows], embeddings[in_scope_rows]
            )
        fold_classes, coef, intercept = _fit_model(sp.hstack(fit, format="csr"), list(y[fit_rows]))
        columns = [classes.index(c) for c in fold_classes]
        scores[np.ix_(held_rows, columns)] = _decision(
            sp.hstack(held, format="csr"), coef.T, intercept
        )
        valid[held_rows] = True

    usable = [rows for rows in splits if len(set(y[rows[0]])) >= 2]
    # liblinear lets go of the GIL while it fits: the folds share the cores.
    with ThreadPoolExecutor(max_workers=min(len(usable) or 1, os.cpu_count() or 1)) as pool:
        list(pool.map(fold, usable))
    return scores, valid, similarity


def _splits_by_oos_topic(y: np.ndarray, folds: int, embeddings: np.ndarray) -> list:
    """Cross-validation folds: in-scope rows stratified by department; oos rows by topic
    (k-means on their embeddings), whole topics to a fold, so a held-out oos row is about
    something its fold never saw as oos, as a new out-of-scope question usually is.
    Otherwise near-duplicate oos rows on both sides of a fold make the out-of-fold oos
    recall, and so the threshold, far too optimistic."""
    fold_of = np.zeros(len(y), dtype=np.intp)
    in_scope = np.flatnonzero(y != OOS)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for k, (_, held) in enumerate(splitter.split(np.zeros(len(in_scope)), y[in_scope])):
        fold_of[in_scope[held]] = k
    oos_rows = np.flatnonzero(y == OOS)
    n_topics = min(OOS_TOPICS, len(oos_rows) // 5)
    if n_topics >= 2:
        kmeans = KMeans(n_clusters=n_topics, n_init=4, random_state=0)
        topics = kmeans.fit_predict(embeddings[oos_rows])
    else:
        topics = np.arange(len(oos_rows))
    sizes = np.zeros(folds, dtype=np.intp)
    for topic in sorted(set(topics), key=lambda t: (-(topics == t).sum(), t)):
        k = int(np.argmin(sizes))  # biggest topics first, each to the emptiest fold
        fold_of[oos_rows[topics == topic]] = k
        sizes[k] += (topics == topic).sum()
    rows = np.arange(len(y))
    return [(rows[fold_of != k], rows[fold_of == k]) for k in range(folds)]


def train(
    texts: list[str],
    labels: list[str],
    *,
    oos_recall_target: float = OOS_RECALL_TARGET,
    coverage_target: float = COVERAGE_TARGET,
    in_scope_floor: float | None = IN_SCOPE_FLOOR,
    embedder=None,
) -> Router:
    """Train a router on `texts` labelled with departments ("oos" = belongs to no department).

    With an `embedder` (routing.ml.embedder.Embedder) and at least MIN_OOS_FOR_EMBEDDINGS oos
    rows, the router also reads sentence embeddings (see "Sentence embeddings" in the
    package docstring); otherwise it is TF-IDF only.

    Raises ValueError for unusable data (length mismatch, empty label, < 2 departments).
    """
    started = time.perf_counter()
    texts, labels = _validate(list(texts), list(labels))
    counts = {label: labels.count(label) for label in set(labels)}
    folds = min(CV_FOLDS, max(counts.values()))
    classes = sorted(counts)
    if counts.get(OOS, 0) < MIN_OOS_FOR_EMBEDDINGS:
        embedder = None  # with enough oos rows there are folds, so the gate is always fitted
    features = Features.fit(texts)
    blocks = features.weights(texts)
    embeddings = None if embedder is None else embedder.encode(texts)
    x = sp.hstack(
        [l2(block) for block in blocks]
        + ([] if embeddings is None else [sp.csr_matrix(EMBEDDING_WEIGHT * embeddings)]),
        format="csr",
    )
    threshold, scale = DEFAULT_THRESHOLD, DEFAULT_SCALE
    oos_threshold = threshold
    cv: dict = {}
    cv_labels: list[str] = []
    gate: dict = {}
    if folds >= 2:
        scores, valid, similarity = _out_of_fold(
            blocks, labels, folds, embeddings, EMBEDDING_WEIGHT
        )
        scores = scores[valid]
        similarity = None if similarity is None else similarity[valid]
        cv_labels = [label for label, v in zip(labels, valid, strict=True) if v]
    if cv_labels:
        columns = [i for i, c in enumerate(classes) if c != OOS]
        if embedder is None:
            scale = _fit_scale(scores, cv_labels, classes)
            p = _softmax(scores, scale)[:, columns]
            confidence = p.max(axis=1)
        else:
            scale, gate, confidence = _fit_gate(scores, similarity, cv_labels, classes)
            p = scores[:, columns]
        best = np.array(classes)[columns][p.argmax(axis=1)]
        oos_threshold = _oos_threshold(cv_labels, confidence, oos_recall_target, coverage_target)
        threshold = _choose_threshold(
            cv_labels, confidence, oos_recall_target, coverage_target, in_scope_floor, best
        )
        cv = measure(
            cv_labels,
            [b if c >= threshold else None for b, c in zip(best, confidence, strict=True)],
        )
    classes, coef, intercept = _fit_model(x, labels)
    metrics = {
        "n_train": len(texts),
        "n_departments": len({label for label in labels if label != OOS}),
        "n_oos": counts.get(OOS, 0),
        "embeddings": embedder.name if embedder is not None else None,
        "threshold": threshold,
        # What the oos rows alone asked for (before IN_SCOPE_FLOOR could raise it).
        "threshold_from_oos": oos_threshold,
        "scale": scale,
        "cv_folds": folds if cv else 0,
        "cv_in_scope_accuracy": cv.get("in_scope_accuracy"),
        "cv_oos_recall": cv.get("oos_recall"),
        "cv_macro_f1": cv.get("macro_f1"),
    }
    semantic = None
    if embedder is not None:
        in_scope = np.array(labels) != OOS
        semantic = _Semantic(
            embedder=embedder,
            neighbours=embeddings[in_scope],
            gate=gate,
            weight=EMBEDDING_WEIGHT,
        )
    router = Router(
        features=features,
        classes=classes,
        coef=coef,
        intercept=intercept,
        scale=scale,
        threshold=threshold,
        metrics=metrics,
        semantic=semantic,
    )
    router.metrics["train_seconds"] = round(time.perf_counter() - started, 3)
    # The out-of-fold figures the threshold was chosen from, on the object only (never
    # stored): bench/router_oos.py tries other floors on them without training again.
    router.cv_out_of_fold = (cv_labels, confidence, best) if cv_labels else None
    return router
