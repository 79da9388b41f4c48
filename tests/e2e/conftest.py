"""Browser tests: Playwright drives Debian's Chromium against a real daphne process.

Chromium comes from Debian (`apt-get install chromium`), never from Playwright's own
download. Without it these tests skip, saying why, unless E2E_REQUIRED=1 (as in CI), where
a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    available = Path(CHROMIUM).exists() or shutil.which("chromium")
    for item in items:
        if "tests/e2e/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.e2e)
        if not available:
            if os.environ.get("E2E_REQUIRED") == "1":
                raise pytest.UsageError(
                    f"E2E_REQUIRED=1 but no Chromium at {CHROMIUM}: apt-get install chromium"
                )
            item.add_marker(
                pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
            )


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in the test
    thread while it lives, so it must not outlive the browser tests: other tests use
    async_to_sync in the same thread. Meanwhile the tests' own ORM calls are still plain
    synchronous code, which Django is told to allow."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-gpu",
                    "--no-first-run",
                ],
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def _inject_browser(request, browser):
    """Give unittest-style live-server tests the session's browser."""
    if request.instance is not None:
        request.instance._browser_fixture = browser
