"""A file and a reaction on a direct message, in two browsers: Ana attaches a picture and a
text file, Ben sees them arrive live and downloads the file; Ben reacts 🎉 and Ana sees the
count change without a reload. Screenshots at 1366 and 390 px."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from messaging import services

from ..factories import PASSWORD, make_person
from .axe import axe_violations, describe
from .base import BrowserTestCase


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 90), (70, 90, 220)).save(out, format="PNG")
    return out.getvalue()


class MessageFilesFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        self.direct = services.start_conversation(actor=self.ana, people=[self.ben])
        self.ben_context = self.browser.new_context(viewport=self.viewport)
        self.ben_page = self.ben_context.new_page()
        self.ben_page.set_default_timeout(10_000)
        self.ben_errors: list[str] = []
        self.ben_page.on(
            "console", lambda m: self.ben_errors.append(m.text) if m.type == "error" else None
        )

    def tearDown(self):
        self.ben_context.close()
        super().tearDown()

    def test_file_and_reaction_reach_the_other_browser_live(self):
        path = f"/messages/{self.direct.pk}/"
        ben = self.ben_page
        ben.goto(self.live_server_url + path)
        ben.get_by_label("Username").fill("ben.okafor")
        ben.get_by_label("Password").fill(PASSWORD)
        ben.get_by_role("button", name="Sign in").click()
        expect(ben).to_have_url(self.live_server_url + path)
        expect(ben.locator("html[data-live=open]")).to_have_count(1)
        ben.evaluate("window.__noReload = true")

        self.sign_in(path)
        page = self.page
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        page.evaluate("window.__noReload = true")
        page.get_by_label("Write a message").fill("The **chart** and the notes")
        page.locator("#dm-files").set_input_files(
            [
                {"name": "chart.png", "mimeType": "image/png", "buffer": png_bytes()},
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Q3 notes"},
            ]
        )
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#dm-thread li.dm-message")).to_have_count(1)
        expect(page.locator("#dm-thread .attachment-image img")).to_have_count(1)

        # Ben: the message, its picture and its file, live.
        message = ben.locator("#dm-thread li.dm-message")
        expect(message).to_have_count(1)
        expect(message.locator(".attachment-image img")).to_have_attribute("alt", "chart.png")
        expect(message.get_by_role("link", name="notes.txt")).to_be_visible()
        with ben.expect_download() as got:
            message.get_by_role("link", name="notes.txt").click()
        assert Path(got.value.path()).read_bytes() == b"Q3 notes"

        # Ben reacts; Ana's page counts it, live.
        message.get_by_role("button", name="Celebrate").click()
        expect(message.get_by_role("button", name="Celebrate")).to_have_attribute(
            "aria-pressed", "true"
        )
        mine = page.locator("#dm-thread li.dm-message").get_by_role("button", name="Celebrate")
        expect(mine).to_contain_text("1")
        expect(mine).to_have_attribute("aria-pressed", "false")
        mine.click()
        expect(mine).to_have_attribute("aria-pressed", "true")
        expect(message.get_by_role("button", name="Celebrate")).to_contain_text("2")
        assert page.evaluate("window.__noReload") is True
        assert ben.evaluate("window.__noReload") is True
        self.shot("messages-files-ana-1366")
        page_, self.page = self.page, ben
        try:
            self.shot("messages-files-ben-1366")
        finally:
            self.page = page_
        assert self.console_errors == [] and self.ben_errors == []

    def test_files_at_phone_width(self):
        seat = services.selectors.get_seat(self.ben, self.direct.pk)
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.send_message(
            actor=self.ben,
            seat=seat,
            body="Photo from the offsite",
            attachments=[SimpleUploadedFile("offsite.png", png_bytes(), content_type="image/png")],
        )
        self.context.close()
        self.open_context({"width": 390, "height": 844}, bypass_csp=True)  # axe is injected
        self.sign_in(f"/messages/{self.direct.pk}/")
        page = self.page
        expect(page.locator(".attachment-image img")).to_have_count(1)
        page.get_by_role("button", name="Like").click()
        expect(page.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
        self.shot("messages-files-390")
        violations = axe_violations(self.page)
        assert violations == [], describe(violations)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        assert self.console_errors == []
