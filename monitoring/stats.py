"""The arithmetic of surges, Django-free (the bench runs it on synthetic streams).

A key's count in a window is modelled as Poisson with the mean its baseline expects. The
surge test is the upper tail: p = P(X >= observed | mean). A count is a surge when p is
below MONITORING_SURGE_P (1e-3 by default: about one false alarm per thousand independent
windows of a steady key) and the count is at least MONITORING_MIN_COUNT.

Baselines:
- seasonal: the mean of the same window at the same hour of the week over the previous
  weeks (up to MONITORING_BASELINE_WEEKS), used once a key has at least
  MONITORING_SEASONAL_MIN_WEEKS weeks of history;
- ewma: otherwise, an exponentially weighted mean of the key's hourly counts over the last
  MONITORING_EWMA_HOURS whole hours before the window, scaled to the window's length.
Either is raised to MONITORING_MIN_EXPECTED so that a key never seen before does not alert
on its first few questions.
"""

import math
from collections.abc import Sequence

from scipy.stats import poisson


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    return float(poisson.sf(observed - 1, expected))


def seasonal_mean(counts: Sequence[int]) -> float:
    return sum(counts) / len(counts) if counts else 0.0


def ewma(series: Sequence[float], *, alpha: float) -> float:
    """The exponentially weighted mean of `series` (oldest first); 0 for an empty one."""
    value = None
    for x in series:
        value = x if value is None else alpha * x + (1 - alpha) * value
    return value or 0.0


def is_surge(observed: int, expected: float, *, p_threshold: float, min_count: int) -> bool:
    return observed >= min_count and poisson_tail(observed, expected) < p_threshold


def is_normal(observed: int, expected: float, *, resolve_p: float) -> bool:
    """Back to normal: a count the baseline finds unremarkable (hysteresis: resolve_p is far
    above the surge threshold, so an alert does not flap on the edge)."""
    return poisson_tail(observed, expected) >= resolve_p


def threshold_count(expected: float, *, p_threshold: float, min_count: int) -> int:
    """The smallest count that is a surge for this mean (for the chart's threshold line)."""
    k = max(min_count, math.floor(expected))
    while poisson_tail(k, expected) >= p_threshold:
        k += 1
    return k
