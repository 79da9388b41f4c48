"""Security values that take more than a line to build: the Content Security Policy (for
config/web_security.py), and the networks allowed to scrape /metrics (for
config/operations.py)."""

import ipaddress

from django.core.exceptions import ImproperlyConfigured


def content_security_policy(*, sign_in_endpoints: list[str]) -> dict:
    """CONTENT_SECURITY_POLICY; forms may also post to `sign_in_endpoints` (the OpenID
    Connect provider's authorization endpoint when single sign-on is on)."""
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            # blob: shows the images a person picks to attach, before they are sent.
            "img-src": ["'self'", "data:", "blob:"],
            "connect-src": ["'self'", "ws:", "wss:"],
            "font-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'", *sign_in_endpoints],
            "frame-ancestors": ["'none'"],
        }
    }


def metrics_networks(values: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOWED_NETWORKS parsed (CIDRs or single addresses; empty items skipped)."""
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values if value]
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {exc}") from exc
