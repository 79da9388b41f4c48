"""/healthz and /readyz: what probes, compose and Kubernetes rely on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import health
from routing import router_cache
from routing.models import RouterVersion

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_readyz_names_every_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache", "broker", "migrations", "router"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["router"]["detail"] == "no router trained yet"
    assert response["Cache-Control"] == "no-store"


def test_probes_need_no_sign_in_and_no_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_a_failing_check_makes_readyz_503_and_says_which(client, monkeypatch):
    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health._checks, "cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert "connection refused" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_an_active_router_that_cannot_load_is_not_ready(client):
    RouterVersion.objects.create(
        data=b"not a router", source="test", trained_at="2026-01-01T00:00Z", active=True
    )
    router_cache.forget()
    body = client.get("/readyz").json()
    assert body["checks"]["router"]["ok"] is False
    assert "could not be loaded" in body["checks"]["router"]["error"]


def test_unapplied_migrations_are_not_ready(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    with pytest.raises(RuntimeError, match="1 migrations not applied"):
        health.check_migrations()


def test_readyz_is_cheap(client, django_assert_max_num_queries):
    client.get("/readyz")  # warm: migrations checked once per process
    with django_assert_max_num_queries(3):
        assert client.get("/readyz").status_code == 200
