"""An employee signs in, finds the shell, opens a colleague's profile and edits their own."""

import io

from PIL import Image
from playwright.sync_api import expect

from people.models import Profile

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase


class ProfileFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.engineering = DepartmentFactory(name="Engineering", slug="engineering")
        finance = DepartmentFactory(name="Finance", slug="finance")
        self.me = make_person(
            "ana.garcia",
            display_name="Ana Garcia",
            department=self.engineering,
            title="Backend Engineer",
            skills=("python",),
        )
        make_person(
            "ben.okafor",
            display_name="Ben Okafor",
            department=finance,
            title="Billing Specialist",
            skills=("billing", "invoices"),
            bio="I answer **billing** questions.",
        )

    def test_sign_in_open_a_profile_and_edit_mine(self):
        page = self.page
        self.sign_in("/people/")

        # The shell: main navigation, the account menu, the directory.
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="People")).to_have_attribute("aria-current", "page")
        expect(nav.get_by_role("link", name="Feed")).to_be_visible()
        expect(page.get_by_role("heading", name="People")).to_be_visible()
        self.shot("directory")

        # Filter by skill, open a colleague.
        page.get_by_role("link", name="billing").first.click()
        expect(page.get_by_text("1 match")).to_be_visible()
        page.get_by_role("link", name="Ben Okafor").click()
        expect(page.get_by_role("heading", name="Ben Okafor")).to_be_visible()
        expect(page.get_by_text("Billing Specialist")).to_be_visible()
        expect(page.locator(".prose strong")).to_have_text("billing")
        self.shot("profile")

        # Edit my own profile through the account menu.
        page.locator("summary", has_text="Your account").click()
        page.get_by_role("link", name="Edit profile").click()
        expect(page.get_by_role("heading", name="Edit your profile")).to_be_visible()
        page.get_by_label("Job title").fill("Staff Engineer")
        page.get_by_label("Skills").fill("Python, Kubernetes, incident response")
        page.get_by_label("Ask me about").fill("on-call, Postgres")
        page.get_by_label("Upload a new photo").set_input_files(
            files=[{"name": "me.png", "mimeType": "image/png", "buffer": _png()}]
        )
        page.get_by_role("button", name="Save profile").click()

        expect(page.get_by_text("Your profile is saved.")).to_be_visible()
        expect(page.get_by_role("heading", name="Ana Garcia")).to_be_visible()
        expect(page.get_by_text("Staff Engineer")).to_be_visible()
        expect(page.get_by_role("link", name="kubernetes")).to_be_visible()
        photo = page.locator(".profile-head img.avatar")
        expect(photo).to_be_visible()
        # Visible is not loaded: wait for the browser to have decoded the served image.
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
        )
        assert page.evaluate("(img) => img.naturalWidth", photo.element_handle()) == 256
        self.shot("my-profile")

        profile = Profile.objects.get(user__username="ana.garcia")
        assert profile.title == "Staff Engineer"
        assert {s.name for s in profile.skills.all()} == {
            "python",
            "kubernetes",
            "incident response",
        }
        assert self.console_errors == []  # no CSP violations, no script errors

    def test_bad_upload_shows_a_form_error_and_keeps_my_input(self):
        page = self.page
        self.sign_in("/people/")
        page.goto(self.live_server_url + "/people/me/edit/")
        page.get_by_label("Job title").fill("Changed Title")
        page.get_by_label("Upload a new photo").set_input_files(
            files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not an image"}]
        )
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Nothing was saved")).to_be_visible()
        expect(page.get_by_label("Job title")).to_have_value("Changed Title")
        assert Profile.objects.get(user__username="ana.garcia").title == "Backend Engineer"

    def test_small_screen_keeps_navigation_usable(self):
        self.context.close()
        self.open_context({"width": 390, "height": 844})
        self.sign_in("/people/")
        # The navigation folds behind the Menu button (tests/e2e/test_phone_shell.py).
        self.page.get_by_role("button", name="Menu").click()
        nav = self.page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="People")).to_be_visible()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
        self.shot("phone-directory")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (59, 63, 216)).save(out, format="PNG")
    return out.getvalue()
