"""Every main page, for each kind of user, at 1366 and 390 px: axe-core finds no serious or
critical violation, and no page is wider than the screen.

The slowest browser test: one Chromium, one sign-in per role, about 170 page visits over the
demo company (see the report of issue 16 for its time on a loaded two-core machine).
"""

import io

from django.core.management import call_command

from ..factories import PASSWORD
from .axe import axe_violations, describe
from .base import BrowserTestCase
from .main_pages import ROLES, WIDTHS, main_pages


class EveryMainPageTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        call_command("seed_demo", employees=12, password=PASSWORD, stdout=io.StringIO())

    def test_no_serious_violation_and_nothing_wider_than_the_screen(self):
        pages_of = {role: main_pages(role) for role in ROLES}
        problems = []
        for role, pages in pages_of.items():
            context = self.browser.new_context(bypass_csp=True, viewport=WIDTHS["desktop"])
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(self.live_server_url + "/accounts/login/")
            page.get_by_label("Username").fill(role)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(self.live_server_url + "/")
            for viewport in WIDTHS.values():
                page.set_viewport_size(viewport)
                for main_page in pages:
                    where = f"{role} {main_page.name} ({main_page.path}) at {viewport['width']}px"
                    response = page.goto(self.live_server_url + main_page.path)
                    if main_page.settles:
                        page.wait_for_load_state("networkidle")
                    if response is None or response.status != 200:
                        problems.append(f"{where}: HTTP {response.status if response else '?'}")
                        continue
                    violations = axe_violations(page)
                    if violations:
                        problems.append(f"{where}: {describe(violations)}")
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 0:
                        problems.append(f"{where}: {overflow}px wider than the screen")
            context.close()
        self.assertEqual(problems, [], "\n".join(problems))
