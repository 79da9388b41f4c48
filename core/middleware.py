"""Every page needs a signed-in user: socialhub is an internal network."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from rest_framework.views import APIView


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
