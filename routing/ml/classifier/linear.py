"""The linear model underneath the router: a question's text as it is read, the one-vs-rest
linear SVM, its decision scores and the softmax that turns them into probabilities."""

import numpy as np
from sklearn.svm import LinearSVC

from ..evaluation import OOS
from .parameters import MAX_TEXT_CHARS, OOS_WEIGHT, C


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
