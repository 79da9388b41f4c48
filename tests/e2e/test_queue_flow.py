"""A team leader with nothing assigned opens Questions and lands on the department queue
that needs them, then gives a question to another expert with the people picker, by
keyboard, at 1366 and 390 px."""

from playwright.sync_api import expect

from groups.models import Membership
from groups.services import ensure_department_group
from routing import router_cache
from routing.models import CustomerQuestion, KeywordRule, Status

from ..factories import DepartmentFactory, make_person, receive_and_route
from ..routing.conftest import ALWAYS, NEVER
from .base import BrowserTestCase

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class QueueFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        router_cache.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        self.leader = make_person(  # NEVER at work: the router gives her nothing
            "lena.lead", display_name="Lena Lead", department=finance, **NEVER
        ).user
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
        self.question, _ = receive_and_route(
            channel="twitter",
            text="I was charged twice, where is my refund?",
            customer_name="Carla Customer",
            customer_handle="@carla_c",
        )
        CustomerQuestion.objects.filter(pk=self.question.pk).update(status=Status.ESCALATED)

    def tearDown(self):
        router_cache.forget()
        super().tearDown()

    def test_a_leader_lands_on_the_queue_and_reassigns_by_keyboard(self):
        for width, viewport in WIDTHS.items():
            self.context.close()
            self.open_context(viewport)
            page = self.page
            holder = CustomerQuestion.objects.get(pk=self.question.pk).assigned_to
            other = self.carl if holder == self.bea else self.bea
            self.sign_in("/", username="lena.lead")
            # The Questions entry of the main menu (on phones behind the Menu button).
            page.goto(self.live_server_url + "/questions/")
            # Nothing is assigned to Lena; Finance has an escalated question: she lands there.
            expect(page).to_have_url(self.live_server_url + "/questions/queue/?department=finance")
            expect(page.get_by_role("heading", name="Department queue · Finance")).to_be_visible()
            tab = page.get_by_role("navigation", name="Question views").get_by_role(
                "link", name="Department queue"
            )
            expect(tab).to_contain_text("1")
            row = page.locator(f"#question-{self.question.pk}")
            expect(row.get_by_text(f"Held by {holder.profile.display_name}")).to_be_visible()
            expect(page.get_by_text("Carla Customer")).to_have_count(0)  # not for leaders
            picker = row.get_by_role("combobox", name=f"Give question {self.question.pk} to")
            picker.click()
            picker.press_sequentially(other.profile.display_name.split()[0][:3], delay=40)
            listbox = row.get_by_role("listbox")
            expect(listbox.get_by_role("option").first).to_contain_text(other.profile.display_name)
            expect(listbox).to_contain_text("At work")
            picker.press("ArrowDown")
            expect(picker).to_have_attribute(
                "aria-activedescendant", f"reassign-{self.question.pk}-list-0"
            )
            self.shot(f"queue-picker-{width}")
            picker.press("Enter")
            expect(picker).to_have_value(other.profile.display_name)
            expect(listbox).to_be_hidden()
            row.get_by_role("button", name="Reassign").click()
            expect(page.get_by_text(f"is now with {other.profile.display_name}")).to_be_visible()
            expect(row.get_by_text(f"Held by {other.profile.display_name}")).to_be_visible()
            assert CustomerQuestion.objects.get(pk=self.question.pk).assigned_to == other
            self.shot(f"queue-after-{width}")
            assert self.console_errors == []
