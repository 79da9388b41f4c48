"""The application's settings (config/settings.py lists them): its key, debug mode, hosts and
site, installed apps, middleware, entry points and templates; its language and time zone."""

from config.data import DATABASE_REPLICA_URL
from config.environment import BASE_DIR, VAR_DIR, env, secret_key

# --- Core -----------------------------------------------------------------------------

SECRET_KEY = secret_key(env, VAR_DIR)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="socialhub")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_htmx",
    "csp",
    "axes",
    "mozilla_django_oidc",
    "core",
    "people",
    "notifications",
    "groups",
    "feeds",
    "routing",
    "policies",
    "directory",
    "monitoring",
    "knowledge",
    "crisis",
    "messaging",
    "campaigns",
    "polls",
    "agenda",
    "library",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    # First: every later log line carries the request id, and the timing covers the rest.
    "core.request_context.RequestIdMiddleware",
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ApplicationErrorMiddleware",
    "core.csp.CSPMiddleware",  # django-csp's, its headers kept
    # Axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]
if DATABASE_REPLICA_URL:
    # First: a request's reads may go to the replica until it writes (config/data.py).
    MIDDLEWARE.insert(0, "core.replicas.ReplicaMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.shell",
            ],
        },
    },
]

# --- Internationalization -------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
