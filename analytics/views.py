"""Community analytics pages: a group's Insights tab (its leaders and admins) and the
company-wide page (admins), each with a CSV of the same figures."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from groups.views import group_context

from . import selectors
from .charts import column_chart
from .export import report_csv

CHARTS = (
    ("active", "Active people", ""),
    ("posts", "Posts", ""),
    ("comments", "Comments", ""),
    ("reactions", "Reactions", ""),
    ("answered", "Questions answered", ""),
    ("median_hours", "Median hours to a first answer", " h"),
)


def _charts(report) -> list[dict]:
    labels = [w.start.strftime("%b %-d") for w in report.weeks]
    return [
        {
            "key": key,
            "title": title,
            "chart": column_chart([getattr(w, key) for w in report.weeks], labels, unit=unit),
        }
        for key, title, unit in CHARTS
    ]


def _group_report(request, slug: str) -> tuple[dict, object]:
    context = group_context(request, slug, "insights")
    if not context["readable"] or not selectors.can_see_group_analytics(
        request.user, context["group"]
    ):
        raise PermissionDenied("Only the group's leaders and admins see its analytics.")
    weeks = selectors.clamp_weeks(request.GET.get("weeks"))
    return context, selectors.community_report(group=context["group"], weeks=weeks)


@require_GET
def group_insights(request, slug: str):
    context, report = _group_report(request, slug)
    context.update(
        {
            "report": report,
            "charts": _charts(report),
            "weeks": len(report.weeks),
            "week_choices": (4, 12, 26, 52),
            "csv_url": f"?weeks={len(report.weeks)}&format=csv",
        }
    )
    if request.GET.get("format") == "csv":
        return _csv(report, f"{context['group'].slug}-analytics.csv")
    return render(request, "analytics/group.html", context)


@require_GET
def company(request):
    if not selectors.can_see_company_analytics(request.user):
        raise PermissionDenied("Only admins see the company's analytics.")
    request.active_section = "insights"
    weeks = selectors.clamp_weeks(request.GET.get("weeks"))
    report = selectors.community_report(group=None, weeks=weeks)
    if request.GET.get("format") == "csv":
        return _csv(report, "company-analytics.csv")
    context = {
        "report": report,
        "charts": _charts(report),
        "weeks": len(report.weeks),
        "week_choices": (4, 12, 26, 52),
        "csv_url": f"?weeks={len(report.weeks)}&format=csv",
    }
    return render(request, "analytics/company.html", context)


def _csv(report, filename: str) -> HttpResponse:
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
