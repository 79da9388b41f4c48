"""The social team works the question inbox; an expert answers; the dashboard draws it."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from routing import router_cache, training
from routing.ml.classifier import train

from ..factories import DepartmentFactory, make_person, receive_and_route
from ..routing.conftest import ALWAYS, SEED
from .base import BrowserTestCase


class QuestionsFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        router_cache.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        DepartmentFactory(name="Engineering", slug="engineering")
        self.social = make_person("sam.social", display_name="Sam Social").user
        self.social.groups.add(Group.objects.get_or_create(name="social team")[0])
        self.expert = make_person(
            "bea.billing",
            display_name="Bea Billing",
            department=finance,
            skills=("refund", "invoice"),
            **ALWAYS,
        ).user
        texts = [t for texts in SEED.values() for t in texts]
        labels = [label for label, texts in SEED.items() for _ in texts]
        router = train(texts, labels)
        router.threshold = 0.3
        training.store_router_version(router=router, source="e2e seed")
        now = dt.datetime.now(dt.UTC)
        for n, (text, priority) in enumerate(
            [
                ("I was charged twice on my card, where is my refund for the invoice?", "high"),
                ("My invoice shows the wrong amount again", "normal"),
                ("The app crashes when I open settings", "urgent"),
                ("who won the football match yesterday", "low"),
            ]
        ):
            receive_and_route(
                channel="twitter",
                external_id=f"e2e-{n}",
                text=text,
                customer_name="Carla Customer",
                customer_handle="@carla_c",
                received_at=now - dt.timedelta(hours=n + 1),
                priority=priority,
            )

    def tearDown(self):
        router_cache.forget()
        super().tearDown()

    def test_inbox_question_page_triage_answer_and_dashboard(self):
        page = self.page
        self.sign_in("/questions/", username="sam.social")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Questions")).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", name="Customer questions")).to_be_visible()
        expect(page.get_by_text("Carla Customer").first).to_be_visible()
        self.shot("questions-inbox")

        # Triage: the top guesses with their confidence; one click routes it.
        page.get_by_role("link", name="Triage").click()
        expect(page.get_by_text("Best guesses").first).to_be_visible()
        self.shot("questions-triage")
        page.get_by_role("link", name="who won the football match yesterday").click()
        expect(page.get_by_role("heading", name="Triage")).to_be_visible()
        page.get_by_label("Or choose").select_option("finance")
        page.get_by_role("button", name="Route").click()
        expect(page.locator(".q-row-head .chip", has_text="Finance")).to_be_visible()

        # The question page: timers, the customer (Sam may see them), history.
        page.goto(self.live_server_url + "/questions/?view=open")
        page.get_by_role("link", name="charged twice").click()
        expect(page.get_by_role("heading", name="Clock")).to_be_visible()
        expect(page.get_by_text("@carla_c")).to_be_visible()
        expect(page.get_by_text("Bea Billing").first).to_be_visible()
        self.shot("questions-question")
        question_url = page.url
        page.get_by_role("button", name="+ Complaint").click()
        expect(page.get_by_role("button", name="Complaint ×")).to_be_visible()

        # The expert answers from "My questions".
        self.context.clear_cookies()
        self.sign_in("/questions/", username="bea.billing")
        page.get_by_role("link", name="charged twice").click()
        page.get_by_role("textbox", name="Answer").fill("Refund sent today; 3–5 days to show.")
        page.get_by_role("button", name="Send answer to the social team").click()
        expect(page.get_by_text("Refund sent today; 3–5 days to show.")).to_be_visible()
        self.shot("questions-answered-by-expert")

        # Back as the social team: reply publicly, then the dashboard.
        self.context.clear_cookies()
        self.sign_in("/questions/dashboard/", username="sam.social")
        expect(page.get_by_role("heading", name="Questions dashboard")).to_be_visible()
        expect(page.locator("svg.q-chart").first).to_be_visible()
        self.shot("questions-dashboard")
        page.get_by_role("link", name="Insights").click()
        expect(page.locator(".q-tag-complaint")).to_be_visible()
        self.shot("questions-insights")
        page.goto(question_url)
        page.get_by_role("button", name="Post and record the reply").click()
        expect(page.locator("article.q-question .q-status", has_text="Replied")).to_be_visible()
        assert self.console_errors == []
