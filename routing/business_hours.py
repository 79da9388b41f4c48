"""Business time: the SLA clock runs only inside the company's business hours.

The hours, days and time zone come from settings (ROUTING_BUSINESS_*). Both functions walk
day by day, so a week-long target costs a few iterations, not one per minute.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

MAX_DAYS = 3660  # a target longer than ten years of business days is a configuration error


@dataclass(frozen=True)
class BusinessHours:
    start: dt.time
    end: dt.time
    days: str  # ISO weekdays, "12345" = Monday to Friday
    tz: zoneinfo.ZoneInfo

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The open interval of `day`, in UTC-aware datetimes, or None on a closed day."""
        if str(day.isoweekday()) not in self.days:
            return None
        return (
            dt.datetime.combine(day, self.start, self.tz),
            dt.datetime.combine(day, self.end, self.tz),
        )


def configured() -> BusinessHours:
    start, _, end = settings.ROUTING_BUSINESS_HOURS.partition("-")
    return BusinessHours(
        start=dt.time.fromisoformat(start.strip()),
        end=dt.time.fromisoformat(end.strip()),
        days=settings.ROUTING_BUSINESS_DAYS,
        tz=zoneinfo.ZoneInfo(settings.ROUTING_BUSINESS_TIMEZONE),
    )


def add_business_time(start: dt.datetime, delta: dt.timedelta, hours=None) -> dt.datetime:
    """The moment `delta` of business time after `start`."""
    hours = hours or configured()
    remaining = delta
    day = start.astimezone(hours.tz).date()
    for _ in range(MAX_DAYS):
        window = hours.window(day)
        if window is not None:
            begin = max(window[0], start)
            if begin < window[1]:
                available = window[1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError("No business hours configured: check ROUTING_BUSINESS_DAYS.")


def business_time_between(a: dt.datetime, b: dt.datetime, hours=None) -> dt.timedelta:
    """Business time elapsed from `a` to `b` (zero when b is before a)."""
    hours = hours or configured()
    total = dt.timedelta()
    if b <= a:
        return total
    day = a.astimezone(hours.tz).date()
    last = b.astimezone(hours.tz).date()
    for _ in range(MAX_DAYS):
        if day > last:
            break
        window = hours.window(day)
        if window is not None:
            begin, end = max(window[0], a), min(window[1], b)
            if end > begin:
                total += end - begin
        day += dt.timedelta(days=1)
    return total
