"""Settings come from the environment: embedded with nothing set, services when set.

Each case runs a fresh Python process, because settings are read once at start-up.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.urls import reverse
out = {
    "engine": settings.DATABASES["default"]["ENGINE"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "backends": settings.AUTHENTICATION_BACKENDS,
}
try:
    out["oidc_url"] = reverse("oidc_authentication_init")
except Exception:
    out["oidc_url"] = None
print(json.dumps(out))
"""

SERVICE_VARS = ("DATABASE_URL", "REDIS_URL", "DEBUG", "HTTPS", "SECRET_KEY", "EMAIL_URL")


def run_django(tmp_path, args: list[str], **env) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with only `env` of socialhub's settings set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in SERVICE_VARS and not k.startswith(("OIDC_", "PYTEST", "CELERY_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", SOCIALHUB_VAR_DIR=str(tmp_path))
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def probe(tmp_path, **env) -> dict:
    result = run_django(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.single_run
def test_nothing_set_runs_embedded_and_safe(tmp_path):
    s = probe(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["layer"] == "channels.layers.InMemoryChannelLayer"
    assert s["cache"].endswith("LocMemCache")
    assert s["eager"] is True
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["debug"] is False
    assert s["secure_cookies"] is True
    assert s["oidc_url"] is None
    # A secret key was made and kept, never a known default.
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert probe(tmp_path)["engine"]  # a second start reuses it
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.single_run
def test_services_switch_on_from_urls(tmp_path):
    s = probe(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/socialhub",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_URL="smtp://mail.example.com:587",
    )
    assert s["engine"] == "core.postgresql"  # Django's, health-checked without a round trip
    assert s["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert s["cache"] == "core.cache.RedisCache"  # Django's, one client per pool
    assert s["eager"] is False
    assert s["broker"] == "redis://127.0.0.1:6379/3"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.single_run
def test_oidc_switches_on_with_its_client_id(tmp_path):
    s = probe(
        tmp_path,
        OIDC_RP_CLIENT_ID="socialhub",
        OIDC_RP_CLIENT_SECRET="s3cret",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example.com/auth",
        OIDC_OP_TOKEN_ENDPOINT="https://idp.example.com/token",
        OIDC_OP_USER_ENDPOINT="https://idp.example.com/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://idp.example.com/jwks",
    )
    assert s["oidc_url"] == "/oidc/authenticate/"
    assert s["backends"][-1] == "people.oidc.EmployeeOIDCBackend"
    # Local accounts keep working beside SSO.
    assert "people.authentication.SessionBackend" in s["backends"]


def check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    production = {
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "socialhub.example.com",
    }
    return run_django(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**production, **overrides},
    )


@pytest.mark.single_run
def test_check_deploy_passes_in_production(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.single_run
def test_check_deploy_catches_debug_in_production(tmp_path):
    result = check_deploy(tmp_path, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.single_run
def test_media_delivery_is_checked_at_start(tmp_path):
    shown = "from django.conf import settings as s; print(s.MEDIA_DELIVERY, s.MEDIA_ACCEL_PREFIX)"
    setup = "import django; django.setup(); "
    result = run_django(tmp_path, ["-c", setup + shown], MEDIA_DELIVERY="nginx")
    assert result.stdout.split() == ["nginx", "/protected-media/"], result.stderr
    result = run_django(tmp_path, ["-c", setup + shown], MEDIA_DELIVERY="apache")
    assert result.returncode != 0
    assert "MEDIA_DELIVERY must be django, nginx or sendfile" in result.stderr
    result = run_django(tmp_path, ["-c", setup + shown], MEDIA_ACCEL_PREFIX="media")
    assert result.returncode != 0
    assert "MEDIA_ACCEL_PREFIX" in result.stderr


POOL_PROBE = """
import json, threading, django
django.setup()
from django.conf import settings
from django.db import connection, connections

backends = set()

def request():
    # one request's worth of work in its own thread, then the connection is given back
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backends.add(cursor.fetchone()[0])
    connections.close_all()

for _ in range(5):
    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
print(json.dumps({"pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
                  "backends": len(backends)}))
"""


def pool_probe(tmp_path, **env) -> dict:
    result = run_django(tmp_path, ["-c", POOL_PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (the services suite sets DATABASE_URL)",
)
def test_the_connection_pool_hands_one_connection_from_request_to_request(tmp_path):
    url = os.environ["DATABASE_URL"]
    off = pool_probe(tmp_path, DATABASE_URL=url)
    assert off["pool"] is None
    assert off["backends"] == 5  # without the pool, each request opens its own connection

    on = pool_probe(tmp_path, DATABASE_URL=url, DATABASE_POOL_MAX_SIZE="4")
    assert on["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10.0}
    assert on["backends"] < off["backends"]  # the pool handed the same connections again


@pytest.mark.single_run
@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_POOL_MAX_SIZE": "4", "DATABASE_CONN_MAX_AGE": "60"},
            "DATABASE_POOL_MAX_SIZE and DATABASE_CONN_MAX_AGE exclude each other",
        ),
        (
            {"DATABASE_PARALLEL_WORKERS": "-1"},
            "DATABASE_PARALLEL_WORKERS must be 0 (none) or more.",
        ),
    ],
)
def test_database_settings_that_cannot_hold_are_refused_at_start(tmp_path, env, message):
    result = run_django(
        tmp_path,
        ["-c", "import django; django.setup()"],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/socialhub",
        **env,
    )
    assert result.returncode != 0
    assert message in result.stderr


SESSION_PROBE = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
    parallel = cursor.fetchone()[0]
    cursor.execute("SELECT current_setting('jit')")
    jit = cursor.fetchone()[0]
print(json.dumps({"parallel": parallel, "jit": jit}))
"""


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (the services suite sets DATABASE_URL)",
)
def test_served_connections_run_without_parallel_workers_or_jit_unless_asked(tmp_path):
    url = os.environ["DATABASE_URL"]
    result = run_django(tmp_path, ["-c", SESSION_PROBE], DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"parallel": "0", "jit": "off"}

    asked = run_django(
        tmp_path,
        ["-c", SESSION_PROBE],
        DATABASE_URL=url,
        DATABASE_PARALLEL_WORKERS="2",
        DATABASE_JIT="true",
        DATABASE_PREPARED_STATEMENTS="false",
    )
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout.strip().splitlines()[-1]) == {"parallel": "2", "jit": "on"}
