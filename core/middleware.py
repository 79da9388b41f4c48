"""Every page needs a signed-in user (socialhub is an internal network), and an
ApplicationError becomes one answer wherever a page raises it."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.shortcuts import render
from rest_framework.views import APIView

from .errors import ApplicationError


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required middleware, minus DRF views.

    An API client authenticates with a token, which only DRF sees, so redirecting it to the
    login page would be wrong: DRF's own IsAuthenticated default answers 401/403 instead.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    409: "Already changed",
    410: "Expired",
}


class ApplicationErrorMiddleware:
    """The one translator of an ApplicationError raised under an HTML view or htmx fragment:
    the error page (or, for htmx, a small alert the page shows inline) with the error's status
    and message. DRF views never get here: the API's exception handler answers them first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        status = exception.status if exception.status in TITLES else 400
        if getattr(request, "htmx", False):
            return render(
                request, "_error_fragment.html", {"message": exception.message}, status=status
            )
        context = {"title": TITLES[status], "message": exception.message}
        return render(request, "error.html", context, status=status)
