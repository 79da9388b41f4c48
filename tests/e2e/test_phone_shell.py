"""On a phone (390 px) the shell still finds things: a Search button and a Menu button open
the search field and the whole navigation, by mouse or keyboard; the pages fit the screen."""

from playwright.sync_api import expect

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase
from .main_pages import WIDTHS


class PhoneShellTest(BrowserTestCase):
    viewport = WIDTHS["phone"]

    def setUp(self):
        super().setUp()
        support = DepartmentFactory(name="Customer Support", slug="customer-support")
        boss = make_person("bo.boss", display_name="Bo Boss", title="Head of Support")
        self.me = make_person(
            "ana.garcia",
            display_name="Ana Garcia",
            department=support,
            title="Support Lead",
            manager=boss,
        )
        self.me.user.is_staff = True
        self.me.user.email = "ana.garcia.customer-support-escalations@subsidiary.example.com"
        self.me.user.save()
        make_person("rae.report", display_name="Rae Report", department=support, manager=self.me)

    def test_search_and_menu_open_from_the_top_bar_by_keyboard(self):
        page = self.page
        self.sign_in("/")
        nav = page.get_by_role("navigation", name="Main")
        search = page.get_by_role("button", name="Search", exact=True)
        menu = page.get_by_role("button", name="Menu")

        # Folded: neither the field nor the links take the small screen.
        expect(page.get_by_role("searchbox", name="Search posts")).to_be_hidden()
        expect(nav.get_by_role("link", name="Policy")).to_be_hidden()
        expect(search).to_have_attribute("aria-expanded", "false")
        self.shot("phone-shell-closed")

        # The menu opens with Enter; every entry, Admin included, is on the screen.
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        for label in ("Feed", "Groups", "People", "Questions", "Policy", "Admin"):
            link = nav.get_by_role("link", name=label)
            expect(link).to_be_in_viewport()
            box = link.bounding_box()
            self.assertLessEqual(box["x"] + box["width"], WIDTHS["phone"]["width"], label)
        self.shot("phone-shell-menu")
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()
        expect(nav.get_by_role("link", name="Policy")).to_be_hidden()

        # The search button opens the field with the caret in it; Enter searches.
        search.click()
        expect(search).to_have_attribute("aria-expanded", "true")
        field = page.get_by_role("searchbox", name="Search posts")
        expect(field).to_be_focused()
        page.keyboard.type("refunds")
        page.keyboard.press("Enter")
        expect(page).to_have_url(self.live_server_url + "/search/?q=refunds")
        expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
        self.assertEqual(self.console_errors, [])

    def test_on_a_wide_screen_nothing_is_folded(self):
        self.page.set_viewport_size(WIDTHS["desktop"])
        self.sign_in("/")
        expect(self.page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(self.page.get_by_role("button", name="Search", exact=True)).to_be_hidden()
        nav = self.page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Admin")).to_be_visible()
        expect(self.page.get_by_role("searchbox", name="Search posts")).to_be_visible()

        # A tablet: the links fit, the search folds; opened, it sits inside the top bar.
        self.page.set_viewport_size({"width": 820, "height": 900})
        expect(nav.get_by_role("link", name="Admin")).to_be_visible()
        self.page.get_by_role("button", name="Search", exact=True).click()
        field = self.page.get_by_role("searchbox", name="Search posts")
        expect(field).to_be_focused()
        bar = self.page.get_by_role("banner").bounding_box()
        box = field.bounding_box()
        self.assertLessEqual(box["y"] + box["height"], bar["y"] + bar["height"])

    def test_the_feed_announces_a_count_not_the_cards(self):
        from feeds.services import create_post
        from groups.services import ensure_company_group

        company = ensure_company_group()
        create_post(actor=self.me.user, group=company, body="Stand-up moves to 10:00 UTC.")
        self.sign_in("/")
        expect(self.page.get_by_text("Stand-up moves to 10:00 UTC.")).to_be_visible()
        expect(self.page.locator("#feed-status")).to_have_attribute("role", "status")
        live_regions = self.page.locator("#feed-list[aria-live], #feed-list [aria-live]")
        self.assertEqual(live_regions.count(), 0)

    def test_people_before_filters_my_place_in_the_org_and_a_long_email(self):
        page = self.page
        self.sign_in("/people/")
        first_person = page.locator(".person-card").first
        departments = page.get_by_role("navigation", name="Departments")
        self.assertLess(first_person.bounding_box()["y"], departments.bounding_box()["y"])
        self.shot("phone-people")

        page.goto(self.live_server_url + "/groups/")
        search = page.get_by_role("search", name="Find groups")
        first_group = page.locator("#group-results > *").first
        kinds = page.get_by_role("navigation", name="Kinds of group")
        self.assertLess(search.bounding_box()["y"], first_group.bounding_box()["y"])
        self.assertLess(first_group.bounding_box()["y"], kinds.bounding_box()["y"])
        self.shot("phone-groups")

        page.goto(self.live_server_url + "/people/org/")
        chain = page.get_by_role("list", name="Reporting line")
        expect(chain.get_by_text("Bo Boss")).to_be_visible()
        expect(chain.locator("[aria-current]")).to_contain_text("Ana Garcia")
        expect(page.get_by_text("Rae Report")).to_be_visible()

        page.goto(self.live_server_url + "/people/ana.garcia/")
        email = page.get_by_role("link", name=self.me.user.email)
        card = page.locator("section.card", has=email)
        email_box, card_box = email.bounding_box(), card.bounding_box()
        self.assertLessEqual(email_box["x"] + email_box["width"], card_box["x"] + card_box["width"])
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0)
        self.shot("phone-profile")
