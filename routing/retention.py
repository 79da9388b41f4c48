"""Routing's retention rule (core.retention), registered in RoutingConfig.ready."""

from django.conf import settings

from .models import RouterVersion


def old_router_versions(now):
    """Router versions beyond the RETENTION_ROUTER_VERSIONS_KEEP most recently trained; the
    active one always stays. Questions they routed keep their answer, not the link."""
    keep = settings.RETENTION_ROUTER_VERSIONS_KEEP
    if not keep:
        return None
    latest = RouterVersion.objects.order_by("-trained_at", "-id").values("pk")[:keep]
    return RouterVersion.objects.filter(active=False).exclude(pk__in=latest)
