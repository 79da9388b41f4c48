"""What routing adds to /metrics (core.metrics) and /readyz (core.health): registered in
RoutingConfig.ready."""

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from . import router_cache, selectors


def question_figures():
    by_status, overdue = selectors.service_figures(now=timezone.now())
    questions = GaugeMetricFamily(
        "socialhub_questions", "Customer questions, by status.", labels=["status"]
    )
    for status, n in sorted(by_status.items()):
        questions.add_metric([status], n)
    breached = GaugeMetricFamily(
        "socialhub_questions_sla_breached",
        "Customer questions past their SLA deadline with no expert answer yet.",
    )
    breached.add_metric([], overdue)
    return [questions, breached]


def router_ready() -> str:
    """Ready when the active router is loaded in this process, or when none is trained."""
    router, version = router_cache.current_router()
    if router is not None:
        return f"router version {version} loaded"
    failed = router_cache.active_version_not_loaded()
    if failed:
        raise RuntimeError(f"the active router (version {failed}) could not be loaded")
    return "no router trained yet"
