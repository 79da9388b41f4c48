"""The question router: predicts the department that should answer a customer question.

Pure Python + numpy/scipy/scikit-learn (+ ONNX Runtime with embeddings); no Django, no
models, nothing downloaded. The app
(`routing.services`, the Celery training task) stores a trained router as bytes (`dumps`) and
every process loads the current version (`Router.loads`).

How it decides
--------------
Features are TF-IDF word 1-2 grams plus character 2-5 grams inside word boundaries (robust to
typos and word forms), sublinear tf, l2-normalised per block. A one-vs-rest linear SVM is
trained over the departments plus, when the training data has any, the explicit class ``"oos"``
("belongs to no department"). Its decision scores become probabilities by a softmax whose
sharpness (``scale``) is fitted to out-of-fold scores (least log-loss): a calibrated linear
model. A question's *confidence* for a department is that department's probability in the
full distribution, so the mass given to ``"oos"`` lowers every department's confidence.
``route()`` sends the question to the top department when its confidence is at least
``threshold``, else keeps it in triage (``department=None``).

The scale and the threshold are chosen on the TRAINING data only, by stratified
cross-validation (``CV_FOLDS``): out-of-fold confidences are computed for every training row,
and the threshold is the lowest one whose out-of-fold oos recall reaches ``oos_recall_target``
(so in-scope accuracy is as high as it can be at that recall), then raised, if it can be, to
the highest one that still keeps ``IN_SCOPE_FLOOR`` of the out-of-fold in-scope rows right
(calibration on the in-scope side). The oos rows of the training data are a few kinds of
off-topic text; real traffic brings others, which a threshold set only to catch the known
kinds lets through (68% recall on unseen kinds, issue 15). The in-scope side does not depend
on which off-topic kinds were seen: bench/router_oos.py measures it with topics held out.
With no ``oos`` rows in the training data there is nothing to aim at; the threshold then keeps
``coverage_target`` of the out-of-fold in-scope questions out of triage.

Sentence embeddings
-------------------
With an embedder (``routing.ml.embedder``: part of the default install, ``ROUTING_EMBEDDINGS``)
and at least ``MIN_OOS_FOR_EMBEDDINGS`` oos rows, each question is also encoded by a small
sentence transformer (all-MiniLM-L6-v2, int8, ONNX Runtime), and two things change:

- the SVM reads the embedding beside the TF-IDF blocks (weight ``EMBEDDING_WEIGHT``), so it
  routes paraphrases that share no word with the training rows;
- the triage decision is an *in-scope gate*: the SVM's margin of the best department over
  ``"oos"`` and the mean similarity to the ``NEIGHBOURS`` nearest in-scope training questions
  are standardised and added, and a logistic regression fitted on out-of-fold scores turns
  that into the probability that the question belongs to some department. That probability
  is the *confidence* compared with the threshold; a department's confidence in the ranking
  is its softmax share of it.

Its cross-validation holds oos rows out by topic (``_splits_by_oos_topic``): otherwise near
duplicates on both sides of a fold make the out-of-fold oos recall far too optimistic, and the
threshold too low for the new kinds of unrelated questions real traffic brings.

Metrics and labelled CSV files: ``routing.ml.evaluation``.

Serialisation
-------------
``dumps()`` writes plain arrays and JSON in a numpy ``.npz`` archive; ``loads()`` reads it with
``allow_pickle=False``, so no code runs while loading. Still, ``loads()`` is only ever called on
bytes our own app trained and stored in its database; it is not meant for untrusted uploads.
"""

from __future__ import annotations

import io
import json
import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from threadpoolctl import ThreadpoolController

from .evaluation import OOS, measure
from .features import Block, Features, l2

_BLAS = ThreadpoolController()
FORMAT_VERSION = 1

# Model settings (kept here, not in Django settings: they belong to the trained artefact).
C = 1.0  # LinearSVC regularisation
OOS_WEIGHT = 1.0  # weight of an "oos" training row against an in-scope one
DEFAULT_SCALE = 5.0  # softmax sharpness when there is too little data to fit it
SCALES = np.geomspace(0.5, 50.0, 41)
CV_FOLDS = 5
OOS_RECALL_TARGET = 0.85
# The threshold may go higher than OOS_RECALL_TARGET needs, as long as this share of the
# out-of-fold in-scope questions still reaches its department ("calibration on in-scope
# quantiles"): off-topic traffic of kinds the training data never showed is caught by a
# threshold set from the in-scope side, which does not depend on which off-topic kinds were
# seen (bench/router_oos.py, leave-topic-out). None: the oos rows alone decide.
IN_SCOPE_FLOOR = 0.975
COVERAGE_TARGET = 0.95
DEFAULT_THRESHOLD = 0.5
MAX_TEXT_CHARS = 5000  # a routing decision reads the start of a very long question only
# With an embedder (see "Sentence embeddings" above):
EMBEDDING_WEIGHT = 0.7  # the embedding block's weight beside the two l2-normalised TF-IDF blocks
# (the best cross-validated accuracy on CLINC150's training file among 0.3 to 3)
NEIGHBOURS = 5  # in-scope training questions whose mean similarity says "we have seen this"
MIN_OOS_FOR_EMBEDDINGS = 20  # fewer oos rows cannot calibrate the in-scope gate
OOS_TOPICS = 20  # oos training rows are held out by topic (k-means clusters), at most this many


@dataclass(frozen=True)
class Decision:
    department: str | None  # None: keep in the triage queue
    ranking: list[tuple[str, float]]  # top departments with confidence, best first
    confidence: float  # the top department's confidence, 0..1


def _clean(text: str) -> str:
    return (text or "")[:MAX_TEXT_CHARS].lower()


def _fit_model(x, y: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(classes, coef, intercept) of a one-vs-rest linear SVM, one row per class."""
    weights = {OOS: OOS_WEIGHT} if OOS in y else None
    model = LinearSVC(C=C, tol=1e-4, max_iter=5000, class_weight=weights)
    model.fit(x, y)
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # sklearn keeps one row for classes[1]
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.concatenate([-intercept / 2, intercept / 2])
    return [str(c) for c in model.classes_], coef, intercept


def _decision(x, coef_t: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.asarray(x @ coef_t) + intercept


def _softmax(scores: np.ndarray, scale: float) -> np.ndarray:
    z = scores * scale
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


class _Semantic:
    """The embedding part of a router: the embedder, the in-scope training questions'
    embeddings (for the neighbour similarity) and the in-scope gate."""

    def __init__(self, *, embedder, neighbours: np.ndarray, gate: dict, weight: float):
        self.embedder = embedder
        # Stored as float16 (half the bytes): use the same rounded vectors before and after
        # dumps()/loads(), as for the coefficients.
        self.neighbours = np.ascontiguousarray(np.asarray(neighbours, np.float16), np.float32)
        self.gate = {key: float(value) for key, value in gate.items()}
        self.weight = float(weight)

    def similarity(self, embeddings: np.ndarray) -> np.ndarray:
        return _neighbour_similarity(embeddings, self.neighbours)

    def in_scope(self, margin: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """The probability that a question belongs to some department (the gate)."""
        g = self.gate
        z = _gate_score(margin, similarity, g)
        return 1.0 / (1.0 + np.exp(-(g["slope"] * z + g["intercept"])))


def _neighbour_similarity(embeddings: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Mean cosine similarity of each row to its NEIGHBOURS nearest in-scope questions."""
    k = min(NEIGHBOURS, len(neighbours))
    if k == 0:
        return np.zeros(len(embeddings))
    similarities = embeddings @ neighbours.T
    return np.partition(similarities, -k, axis=1)[:, -k:].mean(axis=1)


def _gate_score(margin: np.ndarray, similarity: np.ndarray, g: dict) -> np.ndarray:
    """The two signals standardised on the training data and added with equal weight."""
    return (margin - g["margin_mean"]) / g["margin_sd"] + (similarity - g["similarity_mean"]) / g[
        "similarity_sd"
    ]


class Router:
    """A trained router. Build it with `train()` or `Router.loads()`."""

    def __init__(
        self,
        *,
        features: Features,
        classes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        scale: float,
        threshold: float,
        metrics: dict,
        semantic: _Semantic | None = None,
    ):
        self.features = features
        self.semantic = semantic
        self.classes = list(classes)
        # Stored as float32 (half the bytes): use the same rounded weights before and after
        # dumps()/loads() so a loaded router decides exactly as the one that was trained.
        self.coef = np.asarray(coef, dtype=np.float32).astype(np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.scale = float(scale)
        self.threshold = float(threshold)
        self.metrics = dict(metrics)
        self.cv_out_of_fold = None  # set by train() (see there); never stored
        self.departments = [c for c in self.classes if c != OOS]
        self._department_columns = np.array(
            [i for i, c in enumerate(self.classes) if c != OOS], dtype=np.intp
        )
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._n_terms = sum(len(block.idf) for block in features.blocks)
        self._oos_column = self.classes.index(OOS) if OOS in self.classes else None

    # --- predictions -----------------------------------------------------------------------

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Department confidences, one row per text, columns in `self.departments` order."""
        return self.confidences(texts)[0]

    def confidences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(department confidences, the confidence the threshold is compared with), for
        many texts at once."""
        texts = [_clean(t) for t in texts]
        scores = _decision(self.features.transform(texts), self._coef_t[: self._n_terms], 0.0)
        embeddings = None
        if self.semantic is not None:
            embeddings = self.semantic.embedder.encode(texts)
            scores += (self.semantic.weight * embeddings) @ self._coef_t[self._n_terms :]
        return self._confidences(scores + self.intercept, embeddings)

    def _one(self, text: str) -> tuple[np.ndarray, float]:
        """`confidences([text])` for a single question, without building sparse matrices,
        on one BLAS thread: a pool's wake-ups cost more than these small products."""
        with _BLAS.limit(limits=1, user_api="blas"):
            return self._one_unlimited(text)

    def _one_unlimited(self, text: str) -> tuple[np.ndarray, float]:
        text = _clean(text)
        scores = self.intercept.copy()
        offset = 0
        for block in self.features.blocks:
            indices, weights = block.one(text)
            scores += weights @ self._coef_t[indices + offset]
            offset += len(block.idf)
        embedding = None
        if self.semantic is not None:
            embedding = self.semantic.embedder.encode_one(text)[np.newaxis, :]
            scores += ((self.semantic.weight * embedding) @ self._coef_t[self._n_terms :])[0]
        p, confidence = self._confidences(scores[np.newaxis, :], embedding)
        return p[0], float(confidence[0])

    def _confidences(self, scores: np.ndarray, embeddings) -> tuple[np.ndarray, np.ndarray]:
        if self.semantic is None:
            p = _softmax(scores, self.scale)[:, self._department_columns]
            return p, p.max(axis=1)
        departments = scores[:, self._department_columns]
        margin = departments.max(axis=1) - scores[:, self._oos_column]
        in_scope = self.semantic.in_scope(margin, self.semantic.similarity(embeddings))
        return _softmax(departments, self.scale) * in_scope[:, np.newaxis], in_scope

    def probabilities_one(self, text: str) -> np.ndarray:
        """`probabilities([text])[0]`, computed faster for a single question."""
        return self._one(text)[0]

    def rank(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The top-k departments with their confidence (0..1), best first."""
        return self._ranking(self.probabilities_one(text), k)

    def _ranking(self, p: np.ndarray, k: int) -> list[tuple[str, float]]:
        order = np.argsort(-p, kind="stable")[: max(k, 0)]
        return [(self.departments[i], float(p[i])) for i in order]

    def route(self, text: str) -> Decision:
        """The department to send the question to, or None to keep it in triage."""
        p, confidence = self._one(text)
        ranking = self._ranking(p, 3)
        department = ranking[0][0] if ranking and confidence >= self.threshold else None
        return Decision(department=department, ranking=ranking, confidence=confidence)

    def route_many(self, texts: list[str], threshold: float | None = None) -> list[str | None]:
        """Batch decisions (department or None) for many texts at once."""
        threshold = self.threshold if threshold is None else threshold
        p, confidence = self.confidences(texts)
        best = p.argmax(axis=1)
        return [
            self.departments[j] if confidence[i] >= threshold else None for i, j in enumerate(best)
        ]

    # --- storage ---------------------------------------------------------------------------

    def dumps(self) -> bytes:
        """Plain arrays + JSON in an .npz archive (see the module docstring)."""
        meta = {
            "format": FORMAT_VERSION,
            "classes": self.classes,
            "scale": self.scale,
            "threshold": self.threshold,
            "metrics": self.metrics,
            "blocks": [
                {
                    "analyzer": b.analyzer,
                    "ngram_range": list(b.ngram_range),
                    "terms": sorted(b.vocabulary, key=b.vocabulary.__getitem__),
                }
                for b in self.features.blocks
            ],
        }
        arrays = {f"idf{i}": b.idf for i, b in enumerate(self.features.blocks)}
        if self.semantic is not None:
            embedder = self.semantic.embedder
            meta["semantic"] = {
                "embedder": embedder.name,
                "tokenizer": embedder.tokenizer_json,
                "gate": self.semantic.gate,
                "weight": self.semantic.weight,
            }
            arrays["embedder_model"] = np.frombuffer(embedder.model, dtype=np.uint8)
            arrays["neighbours"] = self.semantic.neighbours.astype(np.float16)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept,
            **arrays,
        )
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> Router:
        """Read what `dumps()` wrote. Only for bytes our own app stored (no pickle is used)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode())
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"unknown router format {meta.get('format')!r}")
            blocks = [
                Block(
                    b["analyzer"],
                    tuple(b["ngram_range"]),
                    {term: i for i, term in enumerate(b["terms"])},
                    archive[f"idf{i}"],
                )
                for i, b in enumerate(meta["blocks"])
            ]
            semantic = None
            if "semantic" in meta:
                from .embedder import Embedder

                semantic = _Semantic(
                    embedder=Embedder(
                        model=archive["embedder_model"].tobytes(),
                        tokenizer=meta["semantic"]["tokenizer"],
                        name=meta["semantic"]["embedder"],
                    ),
                    neighbours=archive["neighbours"],
                    gate=meta["semantic"]["gate"],
                    weight=meta["semantic"]["weight"],
                )
            return cls(
                features=Features(blocks),
                classes=meta["classes"],
                coef=archive["coef"],
                intercept=archive["intercept"],
                scale=meta["scale"],
                threshold=meta["threshold"],
                metrics=meta["metrics"],
                semantic=semantic,
            )


# --- training ------------------------------------------------------------------------------


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


def _fit_scale(scores: np.ndarray, labels: list[str], classes: list[str]) -> float:
    """The softmax sharpness that makes out-of-fold confidences honest (least log-loss)."""
    truth = np.array([classes.index(label) for label in labels])
    rows = np.arange(len(labels))
    losses = [-np.log(_softmax(scores, s)[rows, truth] + 1e-12).mean() for s in SCALES]
    return float(SCALES[int(np.argmin(losses))])


def _choose_threshold(
    labels, confidence, oos_recall_target, coverage_target, in_scope_floor=None, best=None
) -> float:
    """The threshold from out-of-fold confidences: the lowest one reaching the oos-recall
    target, raised (never lowered) to the highest one that still keeps `in_scope_floor` of
    the in-scope rows right (`best`: each row's top department), when that is reachable."""
    threshold = _oos_threshold(labels, confidence, oos_recall_target, coverage_target)
    if in_scope_floor is None or best is None:
        return threshold
    y = np.array(labels)
    in_scope = y != OOS
    right = np.sort(confidence[in_scope & (np.asarray(best) == y)])[::-1]
    needed = int(np.ceil(in_scope_floor * in_scope.sum()))
    if needed == 0 or needed > len(right):
        return threshold
    return max(threshold, float(right[needed - 1]))


def _oos_threshold(labels, confidence, oos_recall_target, coverage_target) -> float:
    y = np.array(labels)
    oos = y == OOS
    if oos.any():
        # The lowest threshold reaching the oos-recall target: oos recall only grows with the
        # threshold while in-scope accuracy only falls.
        candidates = np.unique(np.concatenate([confidence[oos], [0.0]]))
        for t in candidates:
            t_next = float(np.nextafter(t, 1.0)) if t > 0 else 0.0
            if (confidence[oos] < t_next).mean() >= oos_recall_target:
                return t_next
        return float(np.nextafter(confidence[oos].max(), 1.0))
    in_scope = confidence[~oos]
    return float(np.quantile(in_scope, 1.0 - coverage_target)) if len(in_scope) else 0.0


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
    rows, the router also reads sentence embeddings (see "Sentence embeddings" above);
    otherwise it is TF-IDF only.

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


def _fit_gate(scores, similarity, labels, classes) -> tuple[float, dict, np.ndarray]:
    """(softmax scale over the departments, the in-scope gate, out-of-fold in-scope
    probabilities) from out-of-fold decision scores and neighbour similarities."""
    y = np.array(labels)
    in_scope = y != OOS
    columns = [i for i, c in enumerate(classes) if c != OOS]
    departments = [classes[i] for i in columns]
    scale = _fit_scale(scores[in_scope][:, columns], list(y[in_scope]), departments)
    margin = scores[:, columns].max(axis=1) - scores[:, classes.index(OOS)]
    gate = {
        "margin_mean": float(margin.mean()),
        "margin_sd": float(margin.std()) or 1.0,
        "similarity_mean": float(similarity.mean()),
        "similarity_sd": float(similarity.std()) or 1.0,
    }
    z = _gate_score(margin, similarity, gate)[:, np.newaxis]
    logistic = LogisticRegression().fit(z, in_scope.astype(int))
    gate.update(slope=float(logistic.coef_[0, 0]), intercept=float(logistic.intercept_[0]))
    return scale, gate, logistic.predict_proba(z)[:, 1]
