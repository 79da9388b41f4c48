"""WhiteNoise answers /static/ from its own list of collected files: no form of a path that
leaves STATIC_ROOT reaches the project's sources or the system (a sibling of leak class 8)."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/%252e%252e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2fsocialhub%2fsettings.py",
        "/static/..\\..\\pyproject.toml",
        "/static/..%5c..%5cpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/x%00.css",
    ],
)
def test_static_paths_stay_in_static(employee, client, path):
    for visitor in (client, client_for(employee)):
        response = visitor.get(path)
        assert response.status_code in (302, 404), path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"[project]" not in body and b"SECRET_KEY" not in body and b"root:" not in body
