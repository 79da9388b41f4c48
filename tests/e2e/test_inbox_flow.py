"""The social team works the inbox as a queue: filters it, ticks questions and gives them to
an expert picked by keyboard, sees which one was refused; on a phone the question page puts
what to do before the history. At 1366 and 390 px."""

import datetime as dt

from django.contrib.auth.models import Group as Role
from django.utils import timezone
from playwright.sync_api import expect

from routing import router_cache, services
from routing.models import CustomerQuestion

from ..factories import DepartmentFactory, make_person, receive_and_route
from ..routing.conftest import ALWAYS
from .base import BrowserTestCase

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class InboxFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        router_cache.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        sam = make_person("sam.social", display_name="Sam Social")
        sam.user.groups.add(Role.objects.get_or_create(name="social team")[0])
        self.bea = make_person(
            "bea.billing", display_name="Bea Billing", department=finance, **ALWAYS
        ).user

    def tearDown(self):
        router_cache.forget()
        super().tearDown()

    def _ask(self, text, channel, hours, handle):
        question, _ = receive_and_route(
            channel=channel, text=text, customer_name="Carla", customer_handle=handle
        )
        CustomerQuestion.objects.filter(pk=question.pk).update(
            sla_due_at=timezone.now() + dt.timedelta(hours=hours)
        )
        return question

    def test_filter_then_assign_in_bulk_with_a_result_per_question(self):
        for width, viewport in WIDTHS.items():
            CustomerQuestion.objects.all().delete()
            late = self._ask(f"Overdue invoice question ({width})", "email", -3, "@late")
            soon = self._ask(f"Invoice due soon ({width})", "email", 2, "@soon")
            tweet = self._ask(f"The app crashes ({width})", "twitter", 1, "@tweet")
            self.context.close()
            self.open_context(viewport)
            page = self.page
            self.sign_in("/questions/", username="sam.social")
            rows = page.locator("article.q-row")
            # Nearest deadline first: the overdue question leads.
            expect(rows.first).to_contain_text("Overdue invoice question")
            expect(rows.first).to_contain_text("overdue by")
            page.get_by_label("Channel").select_option("email")
            page.get_by_role("button", name="Filter").click()
            expect(rows).to_have_count(2)
            expect(page.get_by_text("The app crashes")).to_have_count(0)
            tabs = page.get_by_role("navigation", name="Question views")
            expect(tabs.get_by_role("link", name="All open")).to_contain_text("2")
            page.get_by_label("Select all on this page").check()
            expect(page.get_by_text("2 questions selected")).to_be_visible()
            picker = page.get_by_role("combobox", name="Give the selected questions to")
            picker.click()
            picker.press_sequentially("bea", delay=40)
            expect(page.get_by_role("listbox").get_by_role("option").first).to_contain_text(
                "Bea Billing"
            )
            picker.press("ArrowDown")
            picker.press("Enter")
            expect(picker).to_have_value("Bea Billing")
            self.shot(f"inbox-bulk-{width}")
            # Meanwhile a colleague closes one of them: it is refused, the other goes through.
            services.close_question(actor=_social(), question=soon)
            with page.expect_navigation():
                page.get_by_role("button", name="Apply").click()
            expect(page.get_by_text("1 question given to Bea Billing.")).to_be_visible()
            expect(page.get_by_text(f"Question {soon.pk} was not changed:")).to_be_visible()
            assert CustomerQuestion.objects.get(pk=late.pk).assigned_to == self.bea
            assert CustomerQuestion.objects.get(pk=tweet.pk).assigned_to is None
            self.shot(f"inbox-after-bulk-{width}")

            page.goto(self.live_server_url + late.get_absolute_url())
            actions = page.get_by_role("heading", name="Expert", exact=True).bounding_box()
            history = page.get_by_role("heading", name="History").bounding_box()
            question = page.locator(".q-question").bounding_box()
            if width == "phone":
                assert question["y"] < actions["y"] < history["y"], "actions before history"
            else:
                assert actions["x"] > question["x"] + question["width"] - 1, "a side column"
            self.shot(f"question-page-{width}")
            assert self.console_errors == []


def _social():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="sam.social")
