"""The arithmetic of surges, Django-free (the bench runs it on synthetic streams).

A key's count in a window is modelled as Poisson with the mean its baseline expects, that
mean being itself estimated from a few windows of history: the surge test is the upper tail
of the predictive distribution, p = P(X >= observed | history), a negative binomial
(predictive_tail). A count is a surge when p is below MONITORING_SURGE_P (1e-3 by default)
and the count is at least MONITORING_MIN_COUNT.

Baselines:
- seasonal: the mean of the same window at the same hour of the week over the previous
  weeks (up to MONITORING_BASELINE_WEEKS), used once a key has at least
  MONITORING_SEASONAL_MIN_WEEKS weeks of history;
- ewma: otherwise, the larger of two exponentially weighted means, of the key's hourly
  counts over the last MONITORING_EWMA_HOURS hours and of this hour of the day over the last
  MONITORING_EWMA_DAYS days, scaled to the window's length.
Either is raised to MONITORING_MIN_EXPECTED so that a key never seen before does not alert
on its first few questions.
"""

import math
from collections.abc import Sequence

from scipy.stats import nbinom, poisson


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    return float(poisson.sf(observed - 1, expected))


def predictive_tail(observed: int, expected: float, exposure: float) -> float:
    """P(X >= observed) when the mean itself is only estimated: from `exposure` windows'
    worth of history averaging `expected` a window. With a Gamma (Jeffreys) posterior on the
    rate, the next window's count is negative binomial; as the exposure grows it tends to
    poisson_tail(observed, expected). Four weeks of history is four windows: the plain
    Poisson tail would treat their mean as exact and cry wolf whenever the mean came out low
    (bench/monitoring.py measures both)."""
    if observed <= 0:
        return 1.0
    if exposure <= 0 or math.isinf(exposure):
        return poisson_tail(observed, expected)
    shape = expected * exposure + 0.5
    return float(nbinom.sf(observed - 1, shape, exposure / (exposure + 1)))


def effective_samples(available: int, alpha: float) -> float:
    """How many samples an EWMA of weight `alpha` over `available` of them is worth."""
    return min(float(available), (2 - alpha) / alpha)


def seasonal_mean(counts: Sequence[int]) -> float:
    return sum(counts) / len(counts) if counts else 0.0


def ewma(series: Sequence[float], *, alpha: float) -> float:
    """The exponentially weighted mean of `series` (oldest first); 0 for an empty one."""
    value = None
    for x in series:
        value = x if value is None else alpha * x + (1 - alpha) * value
    return value or 0.0


def is_surge(observed: int, p_value: float, *, p_threshold: float, min_count: int) -> bool:
    return observed >= min_count and p_value < p_threshold


def is_normal(p_value: float, *, resolve_p: float) -> bool:
    """Back to normal: a count the baseline finds unremarkable (hysteresis: resolve_p is far
    above the surge threshold, so an alert does not flap on the edge)."""
    return p_value >= resolve_p
