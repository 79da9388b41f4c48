"""What every browser test shares: a live daphne process, a fresh browser context with its
console errors collected, screenshots, and signing in through the real form."""

import time

from channels.testing import ChannelsLiveServerTestCase
from django.core.management.base import CommandError
from django.db import connection
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import ARTIFACTS


class BrowserTestCase(ChannelsLiveServerTestCase):
    serve_static = True
    viewport = {"width": 1280, "height": 900}

    def setUp(self):
        self.browser = self._browser_fixture  # the module's browser, see conftest
        self.open_context(self.viewport)

    def open_context(self, viewport: dict, **options) -> None:
        self.context = self.browser.new_context(viewport=viewport, **options)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.set_default_timeout(10_000)

    def tearDown(self):
        self.context.close()

    def _fixture_teardown(self):
        """Empty the database once the live server is quiet. Closing the browser's context
        ends its sockets and aborts its requests, but the server may still be doing their
        work (a socket's disconnect, a request half-way through a transaction), holding a
        table the flush's TRUNCATE must lock while waiting for one it holds: PostgreSQL
        then cancels the flush as a deadlock (seen once in CI). So wait for the server's
        connections to be idle first, and flush once more if it was cancelled anyway."""
        _wait_for_idle_connections()
        try:
            super()._fixture_teardown()
        except CommandError:
            _wait_for_idle_connections()
            super()._fixture_teardown()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def run_as_worker(self, work, *, eager: bool = False) -> None:
        """What a Celery worker would do after a request committed (`work()`): the
        production-stack suite runs no worker, so the test process does it, in a thread of
        its own (Playwright runs an event loop in this one, where Django refuses queries and
        events are not published). `eager`: tasks `work` queues run at once, in the thread."""
        import threading

        from celery import current_app
        from django.db import connection

        def job():
            try:
                work()
            finally:
                connection.close()

        was = current_app.conf.task_always_eager
        current_app.conf.task_always_eager = eager or was
        try:
            worker = threading.Thread(target=job)
            worker.start()
            worker.join(60)
        finally:
            current_app.conf.task_always_eager = was

    def sign_in(self, path: str = "/", username: str = "ana.garcia") -> None:
        """Open `path` signed out, sign in on the page it sends us to, land back on `path`."""
        page = self.page
        page.goto(self.live_server_url + path)
        expect(page).to_have_url(self.live_server_url + f"/accounts/login/?next={path}")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(self.live_server_url + path)


def _wait_for_idle_connections(seconds: float = 5.0) -> None:
    """Until no other connection to the test database is running a statement or holding a
    transaction open, for at most `seconds` (PostgreSQL; the browser lane's database)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)
