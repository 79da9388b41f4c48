"""Authentication and sessions (config/settings.py lists them): the backends, passwords,
lockouts (django-axes), single sign-on over OpenID Connect (mozilla-django-oidc), and where
sessions are kept and how long they last."""

from config.environment import TESTING, env

# --- Authentication -------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, a session's account read with its roles and profile at once.
    "people.authentication.SessionBackend",
]
# A session names the backend that signed it in; one signed in before a backend was renamed
# carries on under the new name (core.sessions).
RENAMED_AUTH_BACKENDS = {"django.contrib.auth.backends.ModelBackend": AUTHENTICATION_BACKENDS[1]}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Under tests only, so a dict that config/settings.py adds to its own settings (Django's
# hashers otherwise).
test_password_hashers = (
    {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]} if TESTING else {}
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
# Lock the pair (account, address): an office behind one NAT is not locked out by one
# person's typos, and a guesser cannot keep trying one account from one machine.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the app that append to X-Forwarded-For: how many to skip to find the
# client's address, for lockouts (django-axes, through django-ipware) and API throttling.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Optional single sign-on over OpenID Connect: on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="Sign in with your company account")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("people.oidc.EmployeeOIDCBackend")

# --- Sessions -------------------------------------------------------------------------

# Django's database sessions, each request's read with a prepared statement (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
