"""A member uploads a file to the group's library, finds it by name, opens it, uploads a
new version and downloads the first; the group's leader reads the Insights tab. At 1366
and 390 px, with screenshots (tests/e2e/artifacts) looked at by a person."""

import io

from PIL import Image
from playwright.sync_api import expect

from feeds import services as feeds
from groups import services as groups

from ..factories import make_person
from .base import BrowserTestCase

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _png(name: str, colour) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(out, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


class LibraryFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.owner = make_person("olga.owner", display_name="Olga Owner").user
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.group = groups.create_group(
            actor=self.owner, name="Runners", description="We run at lunch.", privacy="private"
        )
        groups.invite_member(actor=self.owner, group=self.group, user=self.ana)
        feeds.create_post(
            actor=self.owner, group=self.group, body="Route for Friday?", kind="question"
        )

    def make_previews(self) -> None:
        """The previews a worker makes after an upload (library.tasks.make_version_preview)."""
        from library import services as library
        from library.models import FileVersion

        def work():
            for version_id in FileVersion.objects.values_list("pk", flat=True):
                library.make_version_preview(version_id=version_id)

        self.run_as_worker(work)

    def test_member_uploads_versions_and_downloads(self):
        for width, viewport in WIDTHS.items():
            self.context.close()
            self.open_context(viewport)
            page = self.page
            self.sign_in(f"/groups/{self.group.slug}/", username="ana.garcia")
            page.get_by_role("link", name="Files", exact=True).click()
            expect(page.get_by_role("heading", name="Files", exact=True)).to_be_visible()
            name = f"route-{width}.png"
            page.get_by_label("File", exact=True).set_input_files(_png(name, (30, 120, 200)))
            page.get_by_label("Description").fill("<b>Lunch</b> loop <script>x</script>")
            page.get_by_role("button", name="Upload", exact=True).click()
            expect(page.get_by_role("heading", name=name)).to_be_visible()
            expect(page.locator(".lib-description")).to_contain_text("<b>Lunch</b> loop")
            self.make_previews()
            page.reload()
            expect(page.locator(".lib-preview img")).to_be_visible()
            # A wrong kind of file is refused with a message beside the field.
            page.get_by_label("New version", exact=True).set_input_files(
                {"name": "evil.html", "mimeType": "text/html", "buffer": b"<script>1</script>"}
            )
            page.get_by_role("button", name="Upload version").click()
            expect(page.locator(".has-error")).to_contain_text("not a kind of file")
            new_version = page.get_by_label("New version", exact=True)
            new_version.set_input_files(_png("route-v2.png", (200, 60, 30)))
            page.get_by_label("What changed").fill("Longer loop")
            page.get_by_role("button", name="Upload version").click()
            expect(page.locator(".lib-versions tbody tr")).to_have_count(2)
            expect(page.locator(".lib-versions")).to_contain_text("Longer loop")
            self.shot(f"library-file-{width}")
            with page.expect_download() as download:
                page.get_by_role("link", name="Download version 1").click()
            assert download.value.suggested_filename == name
            self.make_previews()  # of version 2, now the current one
            page.get_by_role("link", name="Files", exact=True).first.click()
            page.get_by_label("Search file names").fill(width)
            page.get_by_role("search", name="Find files").get_by_role(
                "button", name="Search"
            ).click()
            expect(page.locator(".lib-item")).to_have_count(1)
            expect(page.locator(".lib-thumb img")).to_be_visible()
            page.get_by_label("Search file names").fill("")
            page.get_by_role("search", name="Find files").get_by_role(
                "button", name="Search"
            ).click()
            self.shot(f"library-{width}")
            # The refused upload's page answers 400 (a form with an error), which the
            # browser logs; nothing else may.
            refused = "the server responded with a status of 400"
            assert [e for e in self.console_errors if refused not in e] == []
            assert len(self.console_errors) == 1, self.console_errors

    def test_leader_reads_the_insights_tab(self):
        for width, viewport in WIDTHS.items():
            self.context.close()
            self.open_context(viewport)
            page = self.page
            self.sign_in(f"/groups/{self.group.slug}/", username="olga.owner")
            page.get_by_role("link", name="Insights").click()
            expect(page.get_by_role("heading", name="Top contributors")).to_be_visible()
            expect(page.locator("svg.an-svg").first).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("link", name="Download CSV").click()
            assert download.value.suggested_filename == "runners-analytics.csv"
            self.shot(f"insights-{width}")
            assert not self.console_errors, self.console_errors
