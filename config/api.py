"""The API's settings (config/settings.py lists them): Django REST framework, and the OpenAPI
schema (built in config/api_schema.py)."""

from config.api_schema import spectacular_settings
from config.authentication import PROXY_COUNT
from config.environment import env

# --- API ------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: an unauthenticated call then gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, with the user's roles read in the same query.
        "people.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "NUM_PROXIES": PROXY_COUNT or None,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": None,
    # DRF's, its answer kept per Accept header, format and renderers (core/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("THROTTLE_TOKEN", default="10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = spectacular_settings()  # config/api_schema.py
