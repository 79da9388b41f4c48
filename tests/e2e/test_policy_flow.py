"""An employee meets the policy banner, reads and acknowledges the policy, passes the
quiz; an admin compares versions, reads the report and manages the brand accounts."""

from django.contrib.auth.models import Group as Role
from playwright.sync_api import expect

from demo.policies import POLICY_V1, POLICY_V2, QUIZ  # the demo's own texts
from policies import services

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase


class PolicyFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        social = DepartmentFactory(name="Social Media", slug="social-media")
        self.admin = make_person(
            "alex.admin", display_name="Alex Admin", department=engineering
        ).user
        self.admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        make_person("ana.garcia", display_name="Ana Garcia", department=engineering)
        make_person("ben.okafor", display_name="Ben Okafor", department=social)
        title = "Speaking for the brand on social networks"
        v1 = services.create_version(actor=self.admin, title=title, body=POLICY_V1)
        services.set_quiz(
            actor=self.admin,
            version=v1,
            pass_mark=80,
            questions=[services.QuestionInput(q, list(c)) for q, c in QUIZ],
        )
        services.publish_version(actor=self.admin, version=v1)
        services.create_version(
            actor=self.admin, title=title, body=POLICY_V2, change_note="Adds a rule on AI."
        )
        account = services.create_brand_account(
            actor=self.admin,
            platform="x",
            handle="@socialhub",
            url="https://x.com/socialhub",
            department=social,
            description="News and product updates",
        )
        services.authorize_person(
            actor=self.admin, account=account, user=make_person("ben.okafor").user
        )

    def test_banner_acknowledge_and_pass_the_quiz(self):
        page = self.page
        self.sign_in("/people/")
        banner = page.get_by_role("region", name="Policy to acknowledge")
        expect(banner).to_contain_text("Please read the social media policy")
        self.shot("policy-banner")

        banner.get_by_role("link", name="Read and acknowledge").click()
        expect(
            page.get_by_role("heading", name="Speaking for the brand on social networks")
        ).to_be_visible()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Policy")).to_have_attribute("aria-current", "page")
        self.shot("policy-page")
        page.get_by_role("button", name="I have read and accept version 1").click()
        expect(page.get_by_text("your acknowledgement is recorded")).to_be_visible()
        expect(page.get_by_role("region", name="Policy to acknowledge")).to_have_count(0)
        expect(page.locator(".badge", has_text="Acknowledged")).to_be_visible()

        page.get_by_role("link", name="Take the quiz").click()
        expect(page.get_by_role("heading", name="Quiz on version 1")).to_be_visible()
        for _question, choices in QUIZ:
            right = next(text for text, correct in choices if correct)
            page.get_by_label(right, exact=True).check()
        page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top
        self.shot("policy-quiz")
        page.get_by_role("button", name="Submit my answers").click()
        expect(page.get_by_role("heading", name="You passed: 100%")).to_be_visible()
        self.shot("policy-quiz-passed")
        assert self.console_errors == []

    def test_admin_compares_reports_and_manages_accounts(self):
        page = self.page
        self.sign_in("/policies/versions/", username="alex.admin")
        page.get_by_role("button", name="Show differences").click()
        expect(page.locator(".diff-added").first).to_contain_text("Label AI-assisted content")
        self.shot("policy-diff")

        page.get_by_role("navigation", name="Policy sections").get_by_role(
            "link", name="Report"
        ).click()
        expect(page.get_by_role("heading", name="Acknowledgement report")).to_be_visible()
        self.shot("policy-report")

        page.get_by_role("navigation", name="Policy sections").get_by_role(
            "link", name="Brand accounts"
        ).click()
        expect(page.get_by_text("belong to the company")).to_be_visible()
        self.shot("policy-accounts")
        page.get_by_role("link", name="@socialhub").click()
        page.get_by_label("Authorize someone").fill("ana.garcia")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_text("ana.garcia may now post on")).to_be_visible()
        self.shot("policy-account")

        page.goto(self.live_server_url + "/policies/settings/")
        expect(page.get_by_role("heading", name="Policy settings")).to_be_visible()
        self.shot("policy-settings")
        page.goto(self.live_server_url + "/policies/versions/2/quiz/")
        self.shot("policy-quiz-editor")
        assert self.console_errors == []
