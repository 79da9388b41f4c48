from django.conf import settings

from .navigation import navigation_for


def shell(request):
    """What the base template needs on every page."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_login_label": settings.OIDC_LOGIN_LABEL,
        "navigation": navigation_for(user) if user and user.is_authenticated else [],
        "active_section": getattr(request, "active_section", ""),
    }
