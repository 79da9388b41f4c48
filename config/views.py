"""Project-wide pages: home, sign-in, health and metrics, error pages, API token exchange."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from core import health, metrics
from feeds import selectors as feeds
from feeds.views import compose_context, home_feed_context
from groups import selectors as groups
from people import selectors as people


@require_GET
def home(request):
    """The home feed: my groups, All company, people and topics I follow, newest first."""
    request.active_section = "feed"
    context = home_feed_context(request)
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    me = people.profile_of(request.user)
    context.update(compose_context(request))
    context.update(
        {
            "me": me,
            "missing": _missing_profile_parts(me),
            "my_groups": list(groups.my_groups(request.user)),
            "topics": feeds.popular_topics(request.user, 10),
            "newcomers": people.newest_colleagues(viewer=request.user, limit=5),
        }
    )
    return render(request, "home.html", context)


def _missing_profile_parts(profile) -> list[str]:
    checks = [
        ("a job title", profile.title),
        ("your department", profile.department_id),
        ("your manager", profile.manager_id),
        ("your skills", profile.skills.exists()),
        ("a photo", profile.avatar),
        ("a short bio", profile.bio),
    ]
    return [label for label, present in checks if not present]


@login_not_required
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else (no database), so a database
    outage does not get every healthy process restarted."""
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@login_not_required
@require_GET
def readyz(request):
    """Readiness: 200 when every check passes (database, cache, broker, migrations, the
    active router...), else 503; the body names each check (core.health)."""
    ready, checks = health.readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


@login_not_required
@require_GET
def prometheus_metrics(request):
    """Prometheus text format, for a caller with METRICS_TOKEN and/or from
    METRICS_ALLOWED_NETWORKS (core.metrics.refusal); 401/403 for anyone else."""
    refused = metrics.refusal(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        authorization=request.headers.get("Authorization", ""),
    )
    if refused is not None:
        response = HttpResponse("Not allowed.\n", status=refused, content_type="text/plain")
        if refused == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(
        metrics.exposition(),
        content_type=metrics.CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},
    )


class SiteNameMixin:
    """Django's auth views put the request's host in `site_name` (no sites framework);
    the pages name the site by the SITE_NAME setting instead."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.SITE_NAME
        return context


class LoginView(SiteNameMixin, auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordResetView(SiteNameMixin, auth_views.PasswordResetView):
    """The reset email names the site too (its context comes from `extra_email_context`)."""

    @property
    def extra_email_context(self):
        return {"site_name": settings.SITE_NAME}


@login_not_required
def admin_login(request):
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


def page_not_found(request, exception=None):
    return _error(request, 404, "Page not found", "There is nothing at this address.")


def permission_denied(request, exception=None):
    return _error(request, 403, "Not allowed", "You do not have access to this page.")


def bad_request(request, exception=None):
    message = str(exception) if exception and str(exception) else "That request was not valid."
    return _error(request, 400, "Bad request", message)


def server_error(request):
    # No context processors: the error may come from them.
    return HttpResponse(
        "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"
        "<p>The team has been told. Please try again in a moment.</p>",
        status=500,
    )


def _error(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "error.html", {"title": title, "message": message}, status=status)


class ObtainTokenApi(ObtainAuthToken):
    """Exchange a username and password for an API token (throttled; lockouts apply)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
