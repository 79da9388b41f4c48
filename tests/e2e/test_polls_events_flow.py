"""Polls and events in two browsers: Ana asks from her group's composer ("Poll", "Event"),
Ben votes and answers on his page, and Ana sees the results and the counts change without a
reload. Screenshots at 1366 and 390 px (test-artifacts/)."""

from playwright.sync_api import expect

from groups import services as groups

from ..factories import PASSWORD, make_person
from .base import BrowserTestCase


class PollsAndEventsTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        self.group = groups.create_group(actor=self.ana, name="Platform team", privacy="private")
        groups.invite_member(actor=self.ana, group=self.group, user=self.ben)
        self.ben_context = self.browser.new_context(viewport={"width": 390, "height": 844})
        self.ben_page = self.ben_context.new_page()
        self.ben_page.set_default_timeout(10_000)
        self.ben_errors: list[str] = []
        self.ben_page.on(
            "console", lambda m: self.ben_errors.append(m.text) if m.type == "error" else None
        )

    def tearDown(self):
        self.ben_context.close()
        super().tearDown()

    def ben_opens(self, path):
        page = self.ben_page
        page.goto(self.live_server_url + path)
        page.get_by_label("Username").fill("ben.okafor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(self.live_server_url + path)
        expect(page.locator("html[data-live=open]")).to_have_count(1)

    def shot_ben(self, name):
        page, self.page = self.page, self.ben_page
        try:
            self.shot(name)
        finally:
            self.page = page

    def test_poll_results_and_event_answers_go_live(self):
        page, path = self.page, self.group.get_absolute_url()
        self.sign_in(path)
        # The poll, from the group's composer.
        page.get_by_role("link", name="Poll", exact=True).click()
        expect(page.get_by_role("heading", name="New poll")).to_be_visible()
        page.get_by_label("Question").fill("Which **day** for the retro?")
        page.get_by_label("Option 1", exact=True).fill("Monday")
        page.get_by_label("Option 2", exact=True).fill("Wednesday")
        page.get_by_role("button", name="Add an option").click()  # a fifth box
        page.get_by_label("Option 3", exact=True).fill("Friday")
        self.shot("poll-new-1366")
        page.get_by_role("button", name="Post poll").click()
        expect(page.get_by_text("Your poll is up.")).to_be_visible()
        poll = page.locator("section.poll")
        expect(poll).to_contain_text("0 voted")
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        page.evaluate("window.__noReload = true")

        # Ben, on his phone, votes from the group's feed.
        self.ben_opens(path)
        ben_poll = self.ben_page.locator("section.poll")
        ben_poll.get_by_label("Wednesday").check()
        ben_poll.get_by_role("button", name="Vote").click()
        expect(ben_poll).to_contain_text("You voted.")
        expect(ben_poll.get_by_role("button", name="Change vote")).to_be_visible()
        self.shot_ben("poll-voted-390")

        # Ana's page counts it without a reload.
        expect(poll.locator("[data-voters]")).to_have_text("1")
        expect(poll.locator('.poll-count:has-text("100")')).to_have_count(1)
        assert page.evaluate("window.__noReload") is True
        self.shot("poll-live-1366")
        page.get_by_role("link", name="Who voted").click()
        expect(page.get_by_role("heading", name="Who voted")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Ben Okafor")

        # The event, from the composer too.
        page.goto(self.live_server_url + path)
        page.get_by_role("link", name="Event", exact=True).click()
        page.get_by_label("Title").fill("Retro & pizza")
        page.get_by_label("Starts").fill("2031-03-04T16:00")
        page.get_by_label("Ends").fill("2031-03-04T17:30")
        page.get_by_label("Time zone").select_option("Europe/Madrid")
        page.get_by_label("Place").fill("Room Ada")
        page.get_by_label("Online link").fill("https://meet.example.com/retro")
        self.shot("event-new-1366")
        page.get_by_role("button", name="Post event").click()
        event = page.locator("section.event-card")
        expect(event).to_contain_text("Tue 4 Mar 2031, 16:00")
        expect(event.locator("[data-going]")).to_have_text("1")
        page.evaluate("window.__noReload = true")

        self.ben_page.goto(self.live_server_url + path)
        expect(self.ben_page.locator("html[data-live=open]")).to_have_count(1)
        ben_event = self.ben_page.locator("section.event-card")
        ben_event.get_by_role("button", name="Going", exact=True).click()
        expect(ben_event.get_by_role("button", name="Going", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        self.shot_ben("event-answered-390")
        expect(event.locator("[data-going]")).to_have_text("2")
        assert page.evaluate("window.__noReload") is True
        self.shot("event-live-1366")

        # The .ics and the Events page with the calendar feed.
        ics = page.request.get(
            self.live_server_url + event.get_by_text("Add to calendar").get_attribute("href")
        )
        assert ics.ok and "SUMMARY:Retro & pizza" in ics.text()
        page.goto(self.live_server_url + "/")
        page.get_by_role("link", name="Upcoming", exact=True).click()
        expect(page.get_by_role("heading", name="Events", exact=True)).to_be_visible()
        feed_url = page.get_by_label("Feed address").input_value()
        assert "Retro" in page.request.get(feed_url).text()
        self.shot("events-1366")
        assert self.console_errors == [] and self.ben_errors == []
