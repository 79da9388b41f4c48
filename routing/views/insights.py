"""Insights and the dashboard."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.sections import sections_for
from people.roles import is_admin
from people.selectors import (
    all_departments,
    get_department,
)

from .. import charts, selectors, training
from ..models import InsightTag, Status
from .common import _page, _section

INSIGHTS_PAGE_SIZE = 25


@require_GET
def insights(request):
    _section(request)
    slug = request.GET.get("department", "")[:100]
    tag = request.GET.get("tag", "")
    if tag and tag not in InsightTag.Tag.values:
        raise BadRequest("Unknown tag.")
    department = get_department(slug)
    if slug and department is None:
        raise Http404("No such department.")
    page = _page(
        selectors.insights(request.user, department=department, tag=tag),
        request.GET.get("cursor", "")[:500],
        INSIGHTS_PAGE_SIZE,
    )
    questions = selectors.with_customers(request.user, selectors.with_tags(page.items))
    leader = selectors.is_leader(request.user)
    return render(
        request,
        "routing/insights.html",
        {
            "questions": questions,
            "next_cursor": page.next_cursor,
            "department": department,
            "departments": all_departments(),
            "tag": tag,
            "tags": InsightTag.Tag.choices,
            "counts": selectors.inbox_counts(request.user, leader=leader),
            "tag_counts": selectors.insight_counts(department),
            "social": selectors.is_social_team(request.user),
            "leader": leader,
            # What apps above routing add (knowledge: the themes that come back).
            "sections": sections_for("question-insights", request.user, department),
        },
    )


@require_GET
def dashboard(request):
    _section(request)
    social = selectors.is_social_team(request.user)
    if not (social or selectors.is_leader(request.user)):
        raise PermissionDenied("The dashboard is for the social team and leaders.")
    figures = selectors.dashboard()
    accuracy = selectors.accuracy_over_time(figures)
    return render(
        request,
        "routing/dashboard.html",
        {
            "figures": figures,
            "open_chart": charts.stacked_bars(figures["open_by_department"], Status),
            "accuracy_chart": charts.line(accuracy),
            "versions": accuracy[::-1],
            "may_retrain": is_admin(request.user),
            "sla": charts.gauge(figures["sla_compliance"]),
            "wait_chart": charts.bars(
                [
                    (name, row["median_hours"], f"{row['median_hours']:.1f} h")
                    for name, row in figures["by_department"].items()
                    if row["median_hours"] is not None
                ]
            ),
            "sla_chart": charts.bars(
                [
                    (
                        name,
                        row["sla_compliance"],
                        "—" if row["sla_compliance"] is None else f"{row['sla_compliance']:.0%}",
                    )
                    for name, row in figures["by_department"].items()
                ],
                peak=1.0,
            ),
            "counts": selectors.inbox_counts(request.user, leader=not social),
            "social": social,
            "leader": True,
            "reroutes": charts.gauge(figures["reroute_rate"]),
        },
    )


@require_POST
def retrain(request):
    """An admin asks for a new router version now: trained in the worker, activated only if
    it is not worse than the active one on the most recent labels (the table says)."""
    _section(request)
    with transaction.atomic():
        training.request_retraining(actor=request.user)
    messages.success(
        request,
        "Training started. The new version appears below in a few minutes, activated or "
        "not, with the reason.",
    )
    return redirect("routing:dashboard")
