"""The surge decision, given a key's counts: its figures per window (what the same hour of
the previous weeks expected, or an EWMA of its hourly counts while the key is too young for
that), whether they make a surge, and whether volume is back to normal. No queries: the
scan (monitoring.services.scan) reads the counts and applies the decisions."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from .. import stats


@dataclass
class Figures:
    observed: int
    expected: float
    p_value: float
    # How many windows' worth of history the expectation rests on.
    exposure: float
    window: int
    method: str


def ewma_hours(*, now: dt.datetime, hour_end: dt.datetime) -> list[dt.datetime]:
    """The hourly buckets (UTC starts) the EWMA baseline reads: the last
    MONITORING_EWMA_HOURS whole hours before the windows, and this hour of the day on each
    of the last MONITORING_EWMA_DAYS days."""
    this_hour = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    recent = [
        hour_end - dt.timedelta(hours=i) for i in range(settings.MONITORING_EWMA_HOURS, 0, -1)
    ]
    daily = [this_hour - dt.timedelta(days=d) for d in range(settings.MONITORING_EWMA_DAYS, 0, -1)]
    return sorted(set(recent) | set(daily))


def _seasonal_weeks(key_start, *, now, windows) -> list[int]:
    """The previous weeks whose same windows lie wholly inside the key's history."""
    return [
        k
        for k in range(1, settings.MONITORING_BASELINE_WEEKS + 1)
        if key_start is not None
        and now - dt.timedelta(weeks=k) - dt.timedelta(minutes=max(windows)) >= key_start
    ]


def needs_ewma(key_start, *, now, windows) -> bool:
    """Too little history for the seasonal baseline."""
    weeks = _seasonal_weeks(key_start, now=now, windows=windows)
    return len(weeks) < settings.MONITORING_SEASONAL_MIN_WEEKS


def key_figures(counts, hourly, *, key_start, now, windows, hour_end) -> list[Figures]:
    """The figures of one key in every window. `counts`: {(window, weeks back): count};
    `hourly`: {hour start (UTC): count} over ewma_hours(); `key_start`: when the key began
    (its history before that is no evidence)."""
    s = settings
    seasonal_weeks = _seasonal_weeks(key_start, now=now, windows=windows)
    use_seasonal = len(seasonal_weeks) >= s.MONITORING_SEASONAL_MIN_WEEKS
    rate = exposure_hours = 0.0
    if not use_seasonal:
        # The larger of two hourly rates: recent hours (follows a level that moved) and this
        # hour of the day on previous days of the same kind, weekday or weekend (knows the
        # morning is busier than the night).
        def since_start(hours):
            return [
                hourly.get(h, 0)
                for h in hours
                if key_start is None or h + dt.timedelta(hours=1) > key_start
            ]

        recent = since_start(
            hour_end - dt.timedelta(hours=i) for i in range(s.MONITORING_EWMA_HOURS, 0, -1)
        )
        this_hour = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        weekend = this_hour.weekday() >= 5
        daily = since_start(
            h
            for d in range(s.MONITORING_EWMA_DAYS, 0, -1)
            if ((h := this_hour - dt.timedelta(days=d)).weekday() >= 5) == weekend
        )
        rate, exposure_hours = max(
            (
                stats.ewma(recent, alpha=s.MONITORING_EWMA_ALPHA),
                stats.effective_samples(len(recent), s.MONITORING_EWMA_ALPHA),
            ),
            (
                stats.ewma(daily, alpha=s.MONITORING_EWMA_DAILY_ALPHA),
                stats.effective_samples(len(daily), s.MONITORING_EWMA_DAILY_ALPHA),
            ),
        )
    counts = counts or {}
    out = []
    for w in windows:
        observed = counts.get((w, 0), 0)
        if use_seasonal:
            expected = stats.seasonal_mean([counts.get((w, k), 0) for k in seasonal_weeks])
            exposure = float(len(seasonal_weeks))
        else:
            expected = rate * w / 60
            exposure = exposure_hours * 60 / w
        expected = max(expected, s.MONITORING_MIN_EXPECTED)
        out.append(
            Figures(
                observed=observed,
                expected=round(expected, 3),
                p_value=stats.predictive_tail(observed, expected, exposure),
                exposure=exposure,
                window=w,
                method="seasonal" if use_seasonal else "ewma",
            )
        )
    return out


def surging(figs: list[Figures]) -> bool:
    """A surge in any window: unlikely under the baseline and at least the minimum count."""
    return any(
        stats.is_surge(
            f.observed,
            f.p_value,
            p_threshold=settings.MONITORING_SURGE_P,
            min_count=settings.MONITORING_MIN_COUNT,
        )
        for f in figs
    )


def back_to_normal(figs: list[Figures]) -> bool:
    """Every window unremarkable again (the alert resolves once it has also been quiet for
    the shortest window)."""
    return all(stats.is_normal(f.p_value, resolve_p=settings.MONITORING_RESOLVE_P) for f in figs)
