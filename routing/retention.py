"""Routing's retention rule (core.retention), registered in RoutingConfig.ready."""

from django.conf import settings

from .models import RouterVersion


def old_router_versions(now):
    """Router versions (with a model) beyond the RETENTION_ROUTER_VERSIONS_KEEP most
    recently trained; the active one always stays. Questions they routed keep their answer,
    not the link. Challengers that were not activated kept only their figures (a few hundred
    bytes): they stay, so the dashboard shows why each was refused."""
    keep = settings.RETENTION_ROUTER_VERSIONS_KEEP
    if not keep:
        return None
    with_model = RouterVersion.objects.exclude(outcome=RouterVersion.Outcome.REJECTED)
    latest = with_model.order_by("-trained_at", "-id").values("pk")[:keep]
    return with_model.filter(active=False).exclude(pk__in=latest)
