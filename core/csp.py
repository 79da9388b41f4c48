"""django-csp's middleware, with the two headers worked out once per process.

Every response carries the Content-Security-Policy built from CONTENT_SECURITY_POLICY (and
the report-only one, when set). django-csp builds both strings again for each response
(dataclasses.asdict of the policy parts, the directives merged and joined): about 14% of a
signed-in request's Python on the people bench's bare view, the same for every response
that neither a view decorator (csp_update, csp_replace, csp...) nor a nonce changed. Those
two strings depend on the settings alone, so they are kept, and worked out again when a test
changes the settings. A response a view did change, or a request that asked for a nonce,
goes through django-csp's own path, unchanged.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorators set on its response (django-csp's get_policy_parts reads them).
_CHANGED_BY_VIEW = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _policies() -> tuple[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]:
    """(header, excluded path prefixes) for the policy and for the report-only one, as
    django-csp builds them with no view's change and no nonce."""
    enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    reported = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
    return (
        (build_policy(), tuple(enforced.get("EXCLUDE_URL_PREFIXES", None) or ())),
        (build_policy(report_only=True), tuple(reported.get("EXCLUDE_URL_PREFIXES", None) or ())),
    )


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    """MIDDLEWARE's CSP: django-csp's, answering a plain response from the kept headers."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CHANGED_BY_VIEW
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # the debug pages, as django-csp leaves them
        path = request.path_info
        enforced, reported = _policies()
        for header, (policy, excluded), exempt in (
            (HEADER, enforced, "_csp_exempt"),
            (HEADER_REPORT_ONLY, reported, "_csp_exempt_ro"),
        ):
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not path.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp does: asking for a nonce from now on is an error, not a silent no-op.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
