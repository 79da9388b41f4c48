"""A team leader opens the department queue and gives a question to another expert."""

from playwright.sync_api import expect

from groups.models import Membership
from groups.services import ensure_department_group
from routing import router_cache, services
from routing.models import CustomerQuestion, KeywordRule

from ..factories import DepartmentFactory, make_person
from ..routing.conftest import ALWAYS
from .base import BrowserTestCase


class QueueFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        router_cache.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        self.leader = make_person("lena.lead", display_name="Lena Lead", department=finance).user
        Membership.objects.filter(group=ensure_department_group(finance), user=self.leader).update(
            role=Membership.Role.LEADER
        )
        self.bea = make_person(
            "bea.billing", display_name="Bea Billing", department=finance, **ALWAYS
        ).user
        self.carl = make_person(
            "carl.cash", display_name="Carl Cash", department=finance, **ALWAYS
        ).user
        KeywordRule.objects.create(keyword="refund", department=finance)
        self.question, _ = services.receive_question(
            channel="twitter",
            text="I was charged twice, where is my refund?",
            customer_name="Carla Customer",
            customer_handle="@carla_c",
        )

    def tearDown(self):
        router_cache.forget()
        super().tearDown()

    def test_a_leader_reassigns_a_question_from_the_queue(self):
        page = self.page
        holder = self.question.assigned_to
        other = self.carl if holder == self.bea else self.bea
        self.sign_in("/questions/", username="lena.lead")
        page.get_by_role("link", name="Department queue").click()
        expect(page.get_by_role("heading", name="Department queue · Finance")).to_be_visible()
        row = page.locator(f"#question-{self.question.pk}")
        expect(row.get_by_text(f"Held by {holder.profile.display_name}")).to_be_visible()
        expect(page.get_by_text("Carla Customer")).to_have_count(0)  # not for leaders
        self.shot("questions-queue")
        row.get_by_label(f"Give question {self.question.pk} to").select_option(other.username)
        row.get_by_role("button", name="Reassign").click()
        expect(page.get_by_text(f"is now with {other.profile.display_name}")).to_be_visible()
        expect(row.get_by_text(f"Held by {other.profile.display_name}")).to_be_visible()
        assert CustomerQuestion.objects.get(pk=self.question.pk).assigned_to == other
        assert self.console_errors == []
