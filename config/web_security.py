"""The web's security settings (config/settings.py lists them): HTTPS (secure cookies,
redirects, HSTS, a TLS-terminating proxy), the cookies' and pages' headers, and the Content
Security Policy (built in config/security.py)."""

from config.authentication import OIDC_ENABLED, OIDC_OP_AUTHORIZATION_ENDPOINT
from config.environment import TESTING, env
from config.security import content_security_policy

# --- Security -------------------------------------------------------------------------

HTTPS = env.bool("HTTPS", default=not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# Probes and Prometheus talk plain HTTP to the pod itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Behind a TLS-terminating proxy (BEHIND_PROXY), its X-Forwarded-Proto and X-Forwarded-Host
# are trusted. Set only then, so a dict that config/settings.py adds to its own settings.
proxy_settings = (
    {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "USE_X_FORWARDED_HOST": True}
    if env.bool("BEHIND_PROXY", default=False)
    else {}
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a per-domain decision for the operator, not a default.
    "security.W021",
]

CONTENT_SECURITY_POLICY = content_security_policy(
    sign_in_endpoints=[OIDC_OP_AUTHORIZATION_ENDPOINT] if OIDC_ENABLED else []
)
