"""iCalendar (RFC 5545) text for events: one per .ics download, many in the calendar feed.

Times are written in UTC (every calendar converts), text is escaped (a newline, comma or
semicolon in a title cannot start a property of its own) and lines are folded at 75 octets.
"""

import datetime as dt

from core import markdown

PRODID = "-//socialhub//events//EN"


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(event, *, url: str, host: str, now: dt.datetime) -> list[str]:
    description = markdown.html_text(event.post.body_html)
    if event.online_url:
        description = f"{description}\n\nJoin: {event.online_url}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{_escape(url)}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, *, url_for, host: str, now: dt.datetime, name: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for event in events:
        lines.extend(vevent(event, url=url_for(event), host=host, now=now))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
