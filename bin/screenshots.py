#!/usr/bin/env python3
"""Photograph every main page for every demo role at 1366 and 390 px, and run axe-core on it.

    bin/screenshots.py --base-url http://127.0.0.1:8000 [--role emma.employee] [--page home]

Run it against a server holding the demo company (`make run`), with the same environment
(database) as the server: the pages come from tests/e2e/main_pages.py. PNGs go to
test-artifacts/pages/<role>-<page>-<width>.png; serious and critical axe violations are
printed, and the exit status is 1 when there are any.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default=None, help="Demo password (default: the demo's)")
    parser.add_argument("--role", action="append", help="Only these logins (repeatable)")
    parser.add_argument("--page", action="append", help="Only these page names (repeatable)")
    parser.add_argument("--all-impacts", action="store_true", help="Report minor and moderate too")
    parser.add_argument("--no-shots", action="store_true", help="Only run axe-core")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from demo.people import DEMO_PASSWORD
    from tests.e2e.axe import BLOCKING, axe_violations, describe
    from tests.e2e.main_pages import ROLES, WIDTHS, main_pages

    roles = args.role or ROLES
    impacts = ("minor", "moderate", "serious", "critical") if args.all_impacts else BLOCKING
    # Read the database before Playwright's event loop starts (Django refuses ORM calls inside it).
    pages_of = {
        role: [p for p in main_pages(role) if not args.page or p.name in args.page]
        for role in roles
    }
    out = ROOT / "test-artifacts" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for role, pages in pages_of.items():
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            page.goto(args.base_url + "/accounts/login/")
            page.get_by_label("Username").fill(role)
            page.get_by_label("Password").fill(args.password or DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(args.base_url + "/")
            for viewport in WIDTHS.values():
                page.set_viewport_size(viewport)
                for main_page in pages:
                    response = page.goto(args.base_url + main_page.path)
                    page.wait_for_load_state("networkidle")
                    name = f"{role}-{main_page.name}-{viewport['width']}"
                    if not args.no_shots:
                        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    violations = axe_violations(page, impacts=impacts)
                    status = response.status if response else "?"
                    if violations or status != 200:
                        failures += 1
                        print(f"{name} [{status}]: {describe(violations)}")
            context.close()
        browser.close()
    print(f"screenshots in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
