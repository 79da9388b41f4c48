"""My data in a browser: Ana asks for her copy from her settings, the notification brings
the link, the zip downloads and holds her post and not Ben's; Ben, in his own browser, gets
404 from the same link. Screenshots at 1366 and 390 px."""

import io
import json
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from feeds import services as feeds
from groups import services as groups
from groups.models import Group

from ..factories import PASSWORD, make_person
from .axe import axe_violations, describe
from .base import BrowserTestCase


class MyDataFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        group = groups.create_group(actor=self.ana, name="Guild", privacy=Group.Privacy.PUBLIC)
        groups.join_group(actor=self.ben, group=group)
        feeds.create_post(actor=self.ana, group=group, body="Ana wrote this")
        feeds.create_post(actor=self.ben, group=group, body="Ben wrote that")

    def build_exports(self) -> None:
        """What the worker does after the request commits (people.tasks.build_data_export)."""
        from people import personal_data
        from people.models import DataExport

        def work():
            pending = DataExport.objects.filter(status=DataExport.Status.PENDING)
            for export_id in pending.values_list("pk", flat=True):
                personal_data.build_data_export(export_id=export_id)

        self.run_as_worker(work)

    def test_ana_downloads_her_copy_and_ben_cannot(self):
        self.sign_in("/people/me/edit/")
        page = self.page
        page.get_by_role("link", name="Get a copy of your data").click()
        expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
        self.shot("my-data-empty-1366")
        page.get_by_role("button", name="Prepare my copy").click()
        expect(page.locator(".messages")).to_contain_text("being prepared")
        self.build_exports()
        page.goto(self.live_server_url + "/notifications/")
        note = page.locator(".notif-row").filter(has_text="ready to download")
        expect(note).to_have_count(1)
        self.shot("my-data-notification-1366")
        with page.expect_download() as download_info:
            note.get_by_role("button").first.click()
        download = download_info.value
        assert download.suggested_filename.startswith("socialhub-data-ana.garcia-")
        archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
        bodies = [p["body"] for p in json.loads(archive.read("posts.json"))]
        assert bodies == ["Ana wrote this"]
        page.goto(self.live_server_url + "/people/me/data/")
        link = page.get_by_role("link", name="Download zip")
        expect(link).to_have_count(1)
        self.shot("my-data-ready-1366")
        url = link.get_attribute("href")

        # Ben, in his own browser, with the very link.
        ben_context = self.browser.new_context(viewport=self.viewport)
        try:
            ben = ben_context.new_page()
            ben.goto(self.live_server_url + "/accounts/login/")
            ben.get_by_label("Username").fill("ben.okafor")
            ben.get_by_label("Password").fill(PASSWORD)
            ben.get_by_role("button", name="Sign in").click()
            expect(ben).to_have_url(self.live_server_url + "/")
            response = ben.request.get(self.live_server_url + url)
            assert response.status == 404
            assert b"Ana wrote this" not in response.body()
        finally:
            ben_context.close()
        assert self.console_errors == []

    def test_page_at_phone_width(self):
        self.context.close()
        self.open_context({"width": 390, "height": 844}, bypass_csp=True)  # axe is injected
        self.sign_in("/people/me/data/")
        self.page.get_by_role("button", name="Prepare my copy").click()
        expect(self.page.locator(".messages")).to_contain_text("being prepared")
        self.build_exports()
        self.page.reload()
        expect(self.page.get_by_role("link", name="Download zip")).to_have_count(1)
        self.shot("my-data-ready-390")
        violations = axe_violations(self.page)
        assert violations == [], describe(violations)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        assert self.console_errors == []
