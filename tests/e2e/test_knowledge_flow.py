"""The expert turns an answered question into knowledge: checks what the scrubber takes out
(the diff), publishes, finds it in search; the social team starts a reply from it on the next
question like it, which counts as a reuse."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from knowledge import suggestions
from knowledge.models import Entry
from routing import router_cache, services, training
from routing.ml.classifier import train

from ..factories import DepartmentFactory, make_person
from ..routing.conftest import ALWAYS, SEED
from .base import BrowserTestCase


class KnowledgeFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # The first question page builds both similarity indexes and loads the router.
        self.page.set_default_timeout(30_000)
        router_cache.forget()
        suggestions.forget()
        finance = DepartmentFactory(name="Finance", slug="finance")
        DepartmentFactory(name="Engineering", slug="engineering")
        self.social = make_person("sam.social", display_name="Sam Social").user
        self.social.groups.add(Group.objects.get_or_create(name="social team")[0])
        self.expert = make_person(
            "bea.billing", display_name="Bea Billing", department=finance, **ALWAYS
        ).user
        make_person("emma.employee", display_name="Emma Employee")
        texts = [t for texts in SEED.values() for t in texts]
        labels = [label for label, texts in SEED.items() for _ in texts]
        router = train(texts, labels)
        router.threshold = 0.3
        training.store_router_version(router=router, source="e2e seed")
        now = dt.datetime.now(dt.UTC)
        self.questions = []
        for n, (text, name) in enumerate(
            [
                ("Charged twice on my card, where is my refund? Mail jamal@example.net", "Jamal"),
                ("I was charged twice for one order, can I get the refund?", "Priya Raman"),
            ]
        ):
            q, _ = services.receive_question(
                channel="twitter",
                external_id=f"e2e-k{n}",
                text=text,
                customer_name=name,
                customer_handle=f"@cust{n}",
                received_at=now - dt.timedelta(hours=2 - n),
            )
            q.refresh_from_db()
            if q.assigned_to_id != self.expert.pk:
                services.assign_question(actor=self.social, question=q, expert=self.expert)
            self.questions.append(q)
        services.answer_question(
            actor=self.expert,
            question=self.questions[0],
            text="Hi Jamal, a double charge is reversed within five working days.",
        )

    def as_user(self, path: str, username: str) -> None:
        """A fresh browser context signed in as `username`."""
        self.context.close()
        self.open_context(self.viewport)
        self.page.set_default_timeout(30_000)
        self.sign_in(path, username=username)

    def tearDown(self):
        router_cache.forget()
        suggestions.forget()
        super().tearDown()

    def test_publish_from_a_question_then_reuse_it(self):
        page = self.page
        first, second = self.questions
        self.sign_in(f"/questions/{first.pk}/", username="bea.billing")
        page.get_by_role("link", name="Turn this answer into a knowledge entry").click()
        page.get_by_label("The question, as anyone could ask it").fill(
            "Jamal asks: why was I charged twice?"
        )
        page.get_by_label("Topics", exact=True).fill("billing, refunds")
        page.get_by_role("button", name="Check for customer data").click()
        expect(page.get_by_role("heading", name="Customer data taken out")).to_be_visible()
        expect(page.locator("#scrub-result del").first).to_contain_text("Jamal")
        expect(page.get_by_label("The answer")).not_to_have_value("Jamal")
        self.shot("knowledge-check")
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("The entry is published")).to_be_visible()
        expect(
            page.get_by_role("heading", name="[customer] asks: why was I charged twice?")
        ).to_be_visible()
        expect(page.locator(".prose")).not_to_contain_text("Jamal")
        self.shot("knowledge-entry")

        # Everyone finds it: the list and the search.
        self.as_user("/knowledge/", "emma.employee")
        page = self.page
        expect(page.get_by_role("link", name="why was I charged twice")).to_be_visible()
        page.goto(self.live_server_url + "/search/?q=charged+twice&type=knowledge")
        expect(page.locator(".search-hit").first).to_contain_text("reversed within five")

        # The social team answers the next customer from it: one click fills the reply.
        services.answer_question(actor=self.expert, question=second, text="We look into it.")
        self.as_user(f"/questions/{second.pk}/", "sam.social")
        page = self.page
        panel = page.locator(".knowledge-panel")
        expect(panel.get_by_text("Similar entries")).to_be_visible()
        with page.expect_response(lambda r: "/reuse/" in r.url) as reused:
            panel.get_by_role("button", name="Start the reply from it").first.click()
        assert reused.value.status == 204
        expect(page.locator("#id_text")).to_have_value(
            "Hi [customer], a double charge is reversed within five working days."
        )
        self.shot("knowledge-reuse")
        assert Entry.objects.get().reuse_count == 1
