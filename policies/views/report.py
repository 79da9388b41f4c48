"""What admins read: the acknowledgement report per department, its CSV export (streamed,
no spreadsheet formulas from user text) and the audit log."""

import csv
import datetime as dt

from django.core.exceptions import BadRequest
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import InvalidCursor, paginate_keyset

from .. import selectors
from ..forms import ReportForm
from ..models import PolicyVersion
from .common import _admin_only

AUDIT_PAGE_SIZE = 40


def _report_version(request, form) -> PolicyVersion:
    number = form.cleaned_data.get("version")
    found = (
        selectors.get_visible_version(request.user, number)
        if number
        else selectors.current_version()
    )
    if found is None or found.is_draft:
        raise Http404("No published policy to report on.")
    return found


@require_GET
def report(request):
    _admin_only(request)
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    if selectors.current_version() is None:
        return render(request, "policies/report.html", {"version": None})
    found = _report_version(request, form)
    rows = selectors.acknowledgement_report(request.user, found)
    context = {
        "version": found,
        "rows": rows,
        "total": sum(r.employees for r in rows),
        "acknowledged": sum(r.acknowledged for r in rows),
        "versions": selectors.visible_versions(request.user).exclude(
            status=PolicyVersion.Status.DRAFT
        ),
    }
    context["pending"] = context["total"] - context["acknowledged"]
    return render(request, "policies/report.html", context)


class _Echo:
    def write(self, value):
        return value


@require_GET
def report_csv(request):
    _admin_only(request)
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    found = _report_version(request, form)
    rows = selectors.acknowledgement_rows(
        request.user, found, department=form.cleaned_data["department"]
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["department", "name", "username", "status", "acknowledged_at"])
        for department, name, username, acknowledged_at in rows:
            yield writer.writerow(
                [
                    _cell(department or "No department"),
                    _cell(name),
                    _cell(username),
                    "acknowledged" if acknowledged_at else "pending",
                    acknowledged_at.isoformat() if acknowledged_at else "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"policy-v{found.number}-acknowledgements-{dt.date.today():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value: str) -> str:
    """No spreadsheet formulas from user text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
def audit(request):
    _admin_only(request)
    try:
        page = paginate_keyset(
            selectors.audit_log(request.user),
            ordering=("-created_at", "-id"),
            types=(dt.datetime, int),
            cursor=request.GET.get("cursor") or None,
            size=AUDIT_PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    return render(
        request, "policies/audit.html", {"entries": page.items, "next_cursor": page.next_cursor}
    )
