"""The post-incident report, once the incident is closed: the page, its Markdown and its
CSV (no spreadsheet formulas from user text)."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .. import selectors
from .common import _section


def _report(request, incident_id: int):
    found = selectors.get_readable_incident(request.user, incident_id)
    if found.is_open:
        raise Http404("The report is ready when the incident closes.")
    return selectors.incident_report(found)


def report(request, incident_id: int):
    _section(request)
    found = _report(request, incident_id)
    return render(request, "crisis/report.html", {"report": found, "incident": found.incident})


def report_markdown(request, incident_id: int):
    found = _report(request, incident_id)
    body = render_to_string(
        "crisis/report.md", {"report": found, "rows": selectors.report_rows(found)}
    )
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident_id}-report.md"'
    return response


def report_csv(request, incident_id: int):
    found = _report(request, incident_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident_id}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "item", "value"])
    for row in selectors.report_rows(found):
        writer.writerow([_csv_safe(v) for v in row])
    return response


def _csv_safe(value: str) -> str:
    """No formula injection in a spreadsheet: a cell never starts with = + - @."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
