"""The social team's open alerts page: a surge of questions arriving through the intake
API raises an alert that appears on the page without a reload; the alert page shows the
volume beside the usual level and the questions behind it."""

from django.contrib.auth.models import Group
from django.test import override_settings
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from monitoring import services
from routing import router_cache
from routing.models import KeywordRule

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase

SURGE = 7


# The live server is forked with these settings: a scan after every intake (at most every
# second), as production does every MONITORING_SCAN_ON_INTAKE_SECONDS.
@override_settings(MONITORING_SCAN_ON_INTAKE_SECONDS=1)
class ListeningFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        router_cache.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        KeywordRule.objects.create(keyword="invoice", department=finance)
        self.sam = make_person("sam.social", display_name="Sam Social").user
        self.sam.groups.add(Group.objects.get_or_create(name="social team")[0])
        self.token = Token.objects.create(user=self.sam).key
        services.create_rule(
            actor=self.sam, name="Security scare", terms=["data breach", "hacked"], severity="high"
        )

    def tearDown(self):
        router_cache.forget()
        super().tearDown()

    def ask(self, text: str) -> None:
        response = self.context.request.post(
            self.live_server_url + "/api/v1/questions/",
            data={"channel": "email", "text": text, "customer_name": "Carla Customer"},
            headers={"Authorization": f"Token {self.token}"},
        )
        assert response.status == 201, response.text()

    def run_the_schedule(self) -> None:
        """What the beat and a worker do every minute: the routing sweep (the intake answered
        before routing), the scan, then its announcements, eagerly; the alert then reaches
        the open page over Redis."""
        import datetime as dt

        from monitoring import tasks
        from routing import services as routing

        def schedule():
            # The routing tasks the intake queued (no worker takes them here), at once.
            routing.route_new_questions(older_than=dt.timedelta(0))
            tasks.scan()

        self.run_as_worker(schedule, eager=True)

    def test_a_surge_shows_on_the_open_alerts_page_live(self):
        page = self.page
        self.sign_in("/listening/alerts/", username="sam.social")
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        expect(page.get_by_text("No open alerts. All quiet.")).to_be_visible()
        page.evaluate("window.__noReload = true")
        for i in range(SURGE):
            self.ask(f"My invoice is wrong again, number {i}")
        page.wait_for_timeout(1200)  # past the scan's one-second spacing
        self.ask("Another wrong invoice")
        self.run_the_schedule()
        alert = page.locator("article.m-alert").filter(has_text="Questions for Finance")
        expect(alert).to_be_visible()
        assert page.evaluate("window.__noReload") is True  # the same page, not reloaded
        self.shot("listening-alerts-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        self.shot("listening-alerts-390")
        page.set_viewport_size(self.viewport)

        alert.get_by_role("link", name="Questions for Finance").click()
        expect(page.get_by_role("heading", name="Questions for Finance")).to_be_visible()
        expect(page.get_by_text("Volume per hour beside the usual level")).to_be_visible()
        expect(page.locator("svg.q-chart")).to_have_count(1)
        expect(page.get_by_text("Another wrong invoice")).to_be_visible()
        self.shot("listening-alert-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        self.shot("listening-alert-390")
        page.set_viewport_size(self.viewport)
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Acknowledged.")).to_be_visible()

        page.get_by_role("link", name="Alerts", exact=True).first.click()
        page.get_by_role("navigation", name="Listening views").get_by_role(
            "link", name="Watch rules"
        ).click()
        page.get_by_label("Name").fill("Legal threat")
        page.get_by_label("Terms").fill("the")
        page.get_by_role("button", name="Save the rule").click()
        expect(page.get_by_text("too common")).to_be_visible()
        # The browser logs the 400 the refused form was answered; nothing else may go wrong.
        assert [e for e in self.console_errors if "400 (Bad Request)" not in e] == []
        self.console_errors.clear()
        page.get_by_label("Terms").fill("lawsuit\nsue you")
        page.get_by_role("button", name="Save the rule").click()
        expect(page.get_by_text("Rule saved")).to_be_visible()
        expect(page.locator("article.m-rule")).to_have_count(2)
        self.shot("listening-rules-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        self.shot("listening-rules-390")
        assert self.console_errors == []
