"""The social team declares an incident: crisis mode turns on, the banner shows on every page
of the social team, and a certified representative's public reply is refused with the
reason; the refusal appears on the incident's timeline without a reload."""

from django.contrib.auth.models import Group as Role
from playwright.sync_api import expect

from crisis import services as crisis
from policies import services as policies
from policies.models import PolicySettings
from routing.models import CustomerQuestion, KeywordRule, Status

from ..factories import DepartmentFactory, make_person, receive_and_route
from ..policies.conftest import questions, right_answers
from .base import BrowserTestCase

PLAYBOOK = """# Crisis playbook

## Holding statements

### Billing outage
We know some of you were charged twice. Refunds are on their way; we will update here.
"""


class CrisisFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        finance = DepartmentFactory(name="Finance", slug="finance")
        admin = make_person("alex.admin", display_name="Alex Admin").user
        admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        self.social = make_person("sam.social", display_name="Sam Social").user
        self.social.groups.add(Role.objects.get_or_create(name="social team")[0])
        rep = make_person("rita.rep", display_name="Rita Rep", department=finance).user
        version = policies.create_version(actor=admin, title="Policy", body="# Be kind")
        quiz = policies.set_quiz(actor=admin, version=version, pass_mark=75, questions=questions())
        version = policies.publish_version(actor=admin, version=version)
        for person in (rep, self.social, admin):
            policies.acknowledge_version(actor=person, version=version)
        assert policies.submit_quiz(actor=rep, quiz=quiz, answers=right_answers(quiz)).passed
        policies.update_settings(
            actor=admin,
            acknowledgement_gate=PolicySettings.Gate.NONE,
            engagement_model=PolicySettings.Engagement.DECENTRALIZED,
            reminder_days=7,
        )
        playbook = crisis.create_playbook_version(
            actor=admin, title="Crisis playbook", body=PLAYBOOK
        )
        crisis.publish_playbook_version(actor=admin, version=playbook)
        KeywordRule.objects.create(keyword="invoice", department=finance)
        question, _ = receive_and_route(
            channel="twitter",
            text="My invoice charged me twice!",
            customer_name="Carla Customer",
            customer_handle="@carla_c",
        )
        CustomerQuestion.objects.filter(pk=question.pk).update(status=Status.ANSWERED)
        self.question = question

    def test_declaring_turns_on_crisis_mode_and_refuses_a_representative(self):
        page = self.page
        self.sign_in("/crisis/", username="sam.social")
        expect(page.get_by_role("region", name="Crisis mode")).to_have_count(0)
        page.get_by_label("Title").fill("Double charges on invoices")
        page.get_by_label("Severity").select_option("high")
        page.get_by_label("Summary (Markdown)").fill("Customers are **charged twice**.")
        page.get_by_role("button", name="Declare").click()
        expect(page.get_by_role("heading", name="Double charges on invoices")).to_be_visible()
        banner = page.get_by_role("region", name="Crisis mode")
        expect(banner).to_contain_text("public replies go through the social team only")
        self.shot("crisis-incident-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        self.shot("crisis-incident-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        expect(page.locator("html")).to_have_attribute("data-live", "open")

        # The banner follows the social team to every page; the reply form offers the
        # playbook's holding statements.
        page.goto(self.live_server_url + f"/questions/{self.question.pk}/")
        expect(page.get_by_role("region", name="Crisis mode")).to_be_visible()
        page.get_by_text("Holding statements (1)").click()
        expect(page.get_by_text("Refunds are on their way")).to_be_visible()
        self.shot("crisis-reply-form-1366")
        page.go_back()

        # A certified representative, in their own browser, is refused with the reason.
        rep_context = self.browser.new_context(viewport={"width": 390, "height": 844})
        self.page = rep_context.new_page()
        try:
            self.sign_in(f"/questions/{self.question.pk}/", username="rita.rep")
            # Whoever speaks for the brand is told before writing (the incident itself is
            # not theirs to open unless it concerns a department they lead or mentor).
            banner = self.page.get_by_role("region", name="Crisis mode")
            expect(banner).to_contain_text("public replies go through the social team only")
            expect(banner.get_by_role("link", name="Open the incident")).to_have_count(0)
            self.page.get_by_role("textbox", name="Public reply").fill("So sorry, refund coming!")
            self.page.get_by_role("button", name="Post and record the reply").click()
            expect(self.page.get_by_role("status")).to_contain_text("Crisis mode is on")
            self.shot("crisis-refused-390")
        finally:
            self.page = page
        # The social team's open incident page heard of it without a reload.
        expect(page.locator("#timeline")).to_contain_text("Reply refused")
        expect(page.locator("#timeline")).to_contain_text("Rita Rep")
        self.shot("crisis-timeline-live-1366")
        rep_context.close()
        assert not self.console_errors, self.console_errors

    def test_every_employee_reads_who_does_what_and_the_brand_activity(self):
        from routing.services import record_public_reply

        make_person("eve.employee", display_name="Eve Employee")
        record_public_reply(
            actor=self.social,
            question=self.question,
            text="Hi Carla Customer, the refund is on its way (@carla_c).",
        )
        page = self.page
        self.sign_in("/social/", username="eve.employee")
        expect(page.get_by_role("heading", name="Who does what in social")).to_be_visible()
        expect(page.get_by_text("Decentralized: any certified employee")).to_be_visible()
        self.shot("social-org-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        self.shot("social-org-390")
        page.get_by_role("link", name="Brand activity").click()
        expect(page.locator("#brand-activity")).to_contain_text("the refund is on its way")
        expect(page.locator("#brand-activity")).not_to_contain_text("Carla")
        self.shot("social-activity-390")
        assert not self.console_errors, self.console_errors
