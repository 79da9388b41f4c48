"""Direct messages in two browsers: Ana writes, Ben sees the unread badge in his top bar and
then the message on the conversation page, live, without a reload; Ana sees "Seen by Ben".
Enter is a new line, Ctrl+Enter sends. Screenshots at 1366 and 390 px."""

from playwright.sync_api import expect

from messaging import services

from ..factories import PASSWORD, make_person
from .base import BrowserTestCase


class MessagesFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        self.cleo = make_person("cleo.lin", display_name="Cleo Lin").user
        self.direct = services.start_conversation(actor=self.ana, people=[self.ben])
        group = services.start_conversation(
            actor=self.ben, people=[self.ana, self.cleo], title="Launch crew"
        )
        seat = services.selectors.get_seat(self.ben, group.pk)
        services.send_message(actor=self.ben, seat=seat, body="Kickoff is **Monday** at 10.")
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

    def sign_in_ben(self):
        page = self.ben_page
        page.goto(self.live_server_url + "/")
        page.get_by_label("Username").fill("ben.okafor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(self.live_server_url + "/")
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        page.evaluate("window.__noReload = true")

    def shot_ben(self, name):
        page, self.page = self.page, self.ben_page
        try:
            self.shot(name)
        finally:
            self.page = page

    def test_ana_writes_and_ben_sees_it_live(self):
        self.sign_in_ben()
        badge = self.ben_page.locator("[data-nav-count=messages]")
        expect(badge).to_be_hidden()

        path = f"/messages/{self.direct.pk}/"
        self.sign_in(path)
        page = self.page
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        box = page.get_by_label("Write a message")
        box.fill("Lunch today?")
        box.press("Enter")  # a new line, not a send
        box.type("Say at 12:30")
        expect(page.locator("#dm-thread li.dm-message")).to_have_count(0)
        box.press("Control+Enter")
        expect(page.locator("#dm-thread li.dm-message")).to_have_count(1)
        expect(page.locator("#dm-thread")).to_contain_text("Say at 12:30")
        expect(box).to_have_value("")
        page.wait_for_timeout(500)
        expect(page.locator("#dm-thread li.dm-message")).to_have_count(1)  # sent once

        # Ben's top bar, on the home page he has not reloaded.
        expect(badge).to_be_visible()
        expect(badge).to_have_text(", 1 unread")
        self.shot_ben("messages-badge-1366")
        assert self.ben_page.evaluate("window.__noReload") is True

        # Ben opens the conversation; Ana's next message arrives there live.
        self.ben_page.get_by_role("link", name="Messages").click()
        expect(self.ben_page.locator(".dm-row.dm-unread")).to_have_count(1)
        self.shot_ben("messages-inbox-1366")
        self.ben_page.get_by_role("link", name="Ana Garcia").click()
        expect(self.ben_page.locator("#dm-thread")).to_contain_text("Lunch today?")
        expect(self.ben_page.locator("html[data-live=open]")).to_have_count(1)
        self.ben_page.evaluate("window.__noReload = true")
        expect(page.locator("#dm-seen")).to_have_text("Seen by Ben Okafor")

        self.ben_page.get_by_label("Write a message").type("Sure")
        expect(page.locator("#dm-typing")).to_have_text("Ben Okafor is typing…")
        box.fill("Great, see you at the *usual* place.")
        page.get_by_role("button", name="Send").click()
        expect(self.ben_page.locator("#dm-thread em")).to_have_text("usual")
        assert self.ben_page.evaluate("window.__noReload") is True
        # My own messages carry Edit/Delete; Ben's copy of Ana's does not.
        expect(page.locator("#dm-thread li.dm-message").last.get_by_text("Edit")).to_be_visible()
        expect(
            self.ben_page.locator("#dm-thread li.dm-message").last.get_by_text("Edit")
        ).to_be_hidden()
        expect(badge).to_be_hidden()
        self.shot("messages-conversation-1366")
        self.shot_ben("messages-conversation-ben-1366")
        assert self.console_errors == [] and self.ben_errors == []

    def test_pages_at_phone_width(self):
        self.context.close()
        self.open_context({"width": 390, "height": 844})
        self.sign_in("/messages/")
        page = self.page
        expect(page.locator(".dm-row")).to_have_count(2)
        # The navigation is folded behind Menu: the unread count shows on the button.
        expect(page.locator(".menu-toggle .nav-count")).to_have_text("1")
        self.shot("messages-inbox-390")
        page.get_by_role("link", name="Launch crew").click()
        expect(page.locator("#dm-thread strong").first).to_have_text("Ben Okafor")
        page.get_by_label("Write a message").fill("On my way")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#dm-thread")).to_contain_text("On my way")
        self.shot("messages-conversation-390")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        assert self.console_errors == []
