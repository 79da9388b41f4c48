"""The product's URLs plus the floor: a bare Django view returning a small JSON body.

It runs through the same middleware as every page (sessions, CSRF, CSP, axes...) but does no
query and renders no template, so it is what the server costs before any app code runs.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path

from config.urls import (  # noqa: F401 - the error handlers are read from the root URLconf
    handler400,
    handler403,
    handler404,
    handler500,
)
from config.urls import urlpatterns as product_urlpatterns


@login_not_required
def bare_json_view(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare_json_view, name="bench-bare"),
    *product_urlpatterns,
]
