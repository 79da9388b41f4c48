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

The router by part: parameters (the model settings), linear (the SVM and the softmax),
semantic (the embedding part), router (Router and Decision: predictions and storage),
calibration (scale, threshold, gate), training (`train` and its cross-validation).
Callers import from here: `from routing.ml.classifier import Router, train`.
"""

from ..evaluation import OOS
from .parameters import (
    COVERAGE_TARGET,
    CV_FOLDS,
    DEFAULT_SCALE,
    DEFAULT_THRESHOLD,
    EMBEDDING_WEIGHT,
    FORMAT_VERSION,
    IN_SCOPE_FLOOR,
    MAX_TEXT_CHARS,
    MIN_OOS_FOR_EMBEDDINGS,
    NEIGHBOURS,
    OOS_RECALL_TARGET,
    OOS_TOPICS,
    OOS_WEIGHT,
    SCALES,
    C,
)
from .router import Decision, Router
from .training import train

__all__ = [
    "C",
    "COVERAGE_TARGET",
    "CV_FOLDS",
    "DEFAULT_SCALE",
    "DEFAULT_THRESHOLD",
    "EMBEDDING_WEIGHT",
    "FORMAT_VERSION",
    "IN_SCOPE_FLOOR",
    "MAX_TEXT_CHARS",
    "MIN_OOS_FOR_EMBEDDINGS",
    "NEIGHBOURS",
    "OOS",
    "OOS_RECALL_TARGET",
    "OOS_TOPICS",
    "OOS_WEIGHT",
    "SCALES",
    "Decision",
    "Router",
    "train",
]
