"""Calibration from out-of-fold scores: the softmax scale, the threshold (the oos-recall
target, raised by the in-scope floor) and, with embeddings, the in-scope gate."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..evaluation import OOS
from .linear import _softmax
from .parameters import SCALES
from .semantic import _gate_score


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
