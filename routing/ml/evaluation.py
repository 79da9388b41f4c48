"""Labelled questions and how well a router does on them.

The CSV format of `routing_train` / `routing_eval` (columns ``text,department``; the
department ``"oos"`` means "belongs to no department: keep in triage"), and the metrics.
No Django. Works with any router that has ``route(text)``, ``confidences(texts)``,
``threshold`` and ``departments`` (routing.ml.classifier.Router).

Metrics (``evaluate``)
----------------------
- in_scope_accuracy: fraction of in-scope rows (label != "oos") routed to the right department;
  a row sent to triage counts as wrong.
- oos_recall: fraction of oos rows sent to triage.
- macro_f1: F1 averaged over the classes (departments and "oos" = triage), triage standing for
  the prediction "oos".
- per_department: precision and recall per department (and for "oos" = triage).
- curve: the trade-off, {threshold, in_scope_accuracy, oos_recall} for a range of thresholds.
"""

import csv
import math
import time

import numpy as np
from sklearn.metrics import f1_score

OOS = "oos"
CURVE_THRESHOLDS = [round(0.05 * i, 2) for i in range(20)]


# --- labelled CSV files -------------------------------------------------------------------


def read_csv(path) -> tuple[list[str], list[str]]:
    """(texts, labels) from a UTF-8 CSV file with the columns `text,department`.

    Raises ValueError with a message naming the file for: a file that does not exist or cannot
    be read, text that is not UTF-8, missing columns, a row without a department, no rows.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            columns = [c.strip() for c in reader.fieldnames or []]
            if "text" not in columns or "department" not in columns:
                found = ",".join(columns) or "nothing"
                raise ValueError(f"{path}: needs the columns text,department (found {found})")
            reader.fieldnames = columns
            texts, labels = [], []
            for row in reader:
                department = (row.get("department") or "").strip()
                if not department:
                    raise ValueError(f"{path}, line {reader.line_num}: no department")
                texts.append(row.get("text") or "")
                labels.append(department)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except csv.Error as e:
        raise ValueError(f"{path}: not a readable CSV file ({e})") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot be read ({e.strerror})") from None
    if not texts:
        raise ValueError(f"{path}: no rows")
    return texts, labels


# --- evaluation ----------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def measure(labels: list[str], predictions: list[str | None]) -> dict:
    y = np.array(labels, dtype=object)
    pred = np.array([OOS if p is None else p for p in predictions], dtype=object)
    oos = y == OOS
    classes = sorted(set(y) | set(pred))
    per = {}
    for c in classes:
        tp = int(((pred == c) & (y == c)).sum())
        per[c] = {
            "precision": _ratio(tp, int((pred == c).sum())),
            "recall": _ratio(tp, int((y == c).sum())),
            "support": int((y == c).sum()),
        }
    return {
        "in_scope_accuracy": _ratio(int((pred[~oos] == y[~oos]).sum()), int((~oos).sum())),
        "oos_recall": _ratio(int((pred[oos] == OOS).sum()), int(oos.sum())),
        "macro_f1": float(
            f1_score(y.astype(str), pred.astype(str), labels=classes, average="macro")
        )
        if len(y)
        else None,
        "per_department": per,
    }


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def evaluate(router, texts: list[str], labels: list[str]) -> dict:
    """The metrics of the module docstring for `router` on labelled test rows.

    Each row is routed on its own (`router.route`), as a question arriving in the app would be,
    and that single-question latency is reported (predict_ms_p50/p95). The trade-off curve uses
    one batch prediction per threshold.
    """
    texts = list(texts)
    labels = [str(label).strip() for label in labels]
    if len(texts) != len(labels):
        raise ValueError("texts and labels must have the same length")
    predictions: list[str | None] = []
    latencies = []
    for text in texts:
        started = time.perf_counter()
        decision = router.route(text)
        latencies.append((time.perf_counter() - started) * 1000)
        predictions.append(decision.department)
    result = measure(labels, predictions)
    result.update(
        n_test=len(texts),
        n_test_oos=labels.count(OOS),
        threshold=router.threshold,
        predict_ms_p50=_percentile(latencies, 50),
        predict_ms_p95=_percentile(latencies, 95),
    )
    result["curve"] = curve(router, texts, labels)
    return result


def curve(router, texts: list[str], labels: list[str], thresholds=None) -> list[dict]:
    """In-scope accuracy and oos recall at each threshold (the router's own included)."""
    if not texts:
        return []
    thresholds = sorted(set(thresholds or CURVE_THRESHOLDS) | {round(router.threshold, 4)})
    p, confidence = router.confidences(texts)
    best = p.argmax(axis=1)
    names = [router.departments[i] for i in best]
    points = []
    for t in thresholds:
        at = measure(
            labels, [n if c >= t else None for n, c in zip(names, confidence, strict=True)]
        )
        points.append(
            {
                "threshold": t,
                "in_scope_accuracy": at["in_scope_accuracy"],
                "oos_recall": at["oos_recall"],
            }
        )
    return points


def round_floats(value, digits: int = 4):
    """`value` with every float rounded (for printing); NaN becomes None."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, digits)
    if isinstance(value, dict):
        return {k: round_floats(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [round_floats(v, digits) for v in value]
    return value


# --- champion and challenger ---------------------------------------------------------------


def time_split(n: int, *, fraction: float, minimum: int) -> int | None:
    """Where to cut `n` examples in time order so that the most recent ones are held out:
    the index of the first held-out example, or None when there are too few to hold out
    `minimum` and still train on at least as many. At least `minimum`, else `fraction`."""
    held = max(minimum, int(round(fraction * n)))
    if minimum <= 0 or n - held < minimum:
        return None
    return n - held


def holdout_figures(router, texts: list[str], labels: list[str], wrong: list[bool]) -> dict:
    """How a router does on held-out labelled questions. A label is a department (or "oos":
    no department, keep in triage) the question belongs to or, `wrong`, a department it does
    NOT belong to (an expert declined it as the wrong department).

    accuracy: the share of labels the router agrees with (the department for an in-scope
    label, triage for an oos one, anything but the department for a wrong one);
    in_scope_accuracy and oos_recall as in `measure`, over the labels of those kinds."""
    if not texts:
        return {"n": 0, "accuracy": None, "in_scope_accuracy": None, "oos_recall": None}
    decisions = np.array([OOS if d is None else d for d in router.route_many(texts)], dtype=object)
    y = np.array(labels, dtype=object)
    wrong_rows = np.array(wrong, dtype=bool)
    oos = (y == OOS) & ~wrong_rows
    in_scope = (y != OOS) & ~wrong_rows
    agrees = np.where(wrong_rows, decisions != y, decisions == y)
    return {
        "n": len(texts),
        "accuracy": float(agrees.mean()),
        "in_scope_accuracy": _ratio(int(agrees[in_scope].sum()), int(in_scope.sum())),
        "oos_recall": _ratio(int(agrees[oos].sum()), int(oos.sum())),
        "n_wrong_department": int(wrong_rows.sum()),
    }


def challenger_wins(challenger: dict, champion: dict | None, *, tolerance: float = 0.0) -> bool:
    """Whether the challenger is not worse than the champion on the same held-out labels:
    its accuracy at least the champion's minus `tolerance`. No champion (or no figure to
    compare): it wins."""
    if champion is None or champion.get("accuracy") is None:
        return True
    if challenger.get("accuracy") is None:
        return True
    return challenger["accuracy"] >= champion["accuracy"] - tolerance - 1e-12
