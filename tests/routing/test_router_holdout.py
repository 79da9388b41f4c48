"""The Django-free parts of champion and challenger (routing/ml/evaluation.py) and of the
threshold calibrated on the in-scope side (routing/ml/classifier/)."""

import numpy as np
import pytest

from routing.ml.classifier import calibration
from routing.ml.evaluation import OOS, challenger_wins, time_split


def test_the_most_recent_examples_are_held_out():
    assert time_split(100, fraction=0.2, minimum=10) == 80
    assert time_split(30, fraction=0.2, minimum=10) == 20  # at least `minimum`
    assert time_split(19, fraction=0.2, minimum=10) is None  # too few to train on as many


def test_a_challenger_wins_when_not_worse():
    assert challenger_wins({"accuracy": 0.8}, {"accuracy": 0.8})
    assert challenger_wins({"accuracy": 0.79}, {"accuracy": 0.8}, tolerance=0.02)
    assert not challenger_wins({"accuracy": 0.7}, {"accuracy": 0.8})
    assert challenger_wins({"accuracy": 0.1}, None)  # nothing to compare with


def _rows(in_scope_conf, right, oos_conf):
    labels = ["a"] * len(in_scope_conf) + [OOS] * len(oos_conf)
    best = ["a" if r else "b" for r in right] + ["a"] * len(oos_conf)
    return labels, np.array(in_scope_conf + oos_conf), best


def test_the_threshold_rises_while_the_in_scope_floor_holds():
    # Ten in-scope rows (all right) and four oos rows easy to catch at 0.35.
    labels, confidence, best = _rows(
        [0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.91, 0.5], [True] * 10, [0.3] * 4
    )
    from_oos = calibration._choose_threshold(labels, confidence, 0.85, 0.95)
    assert from_oos <= 0.31
    # 90% must stay right: the 9th best in-scope confidence.
    raised = calibration._choose_threshold(labels, confidence, 0.85, 0.95, 0.9, best)
    assert raised == pytest.approx(0.91)


def test_an_unreachable_floor_leaves_the_oos_threshold():
    labels, confidence, best = _rows([0.9, 0.8], [True, False], [0.3, 0.2])
    from_oos = calibration._choose_threshold(labels, confidence, 0.85, 0.95)
    assert calibration._choose_threshold(labels, confidence, 0.85, 0.95, 0.9, best) == from_oos


def test_the_floor_never_lowers_the_threshold():
    labels, confidence, best = _rows([0.5, 0.4, 0.3], [True] * 3, [0.95, 0.9])
    from_oos = calibration._choose_threshold(labels, confidence, 0.85, 0.95)
    assert from_oos > 0.9
    assert calibration._choose_threshold(labels, confidence, 0.85, 0.95, 0.9, best) == from_oos
