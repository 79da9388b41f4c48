"""With DEBUG on (what `make run` shows), a refused post or comment shows its reason inline
and keeps the text: django-htmx's debug script must not replace the page. The policy gate
shows in the compose box before anyone types."""

from django.contrib.auth.models import Group as Role
from django.test import override_settings
from playwright.sync_api import expect

from feeds import services as feeds
from feeds.models import Comment, Post
from groups import services as groups
from policies import services as policies
from policies.models import PolicySettings

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase

TEXT = "A long, careful update I would hate to type twice."


@override_settings(DEBUG=True)  # before the server process forks: it runs with DEBUG on
class ComposeErrorsFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.me = make_person("ana.garcia", display_name="Ana Garcia", department=engineering)
        self.me = self.me.user
        self.admin = make_person("alex.admin", display_name="Alex Admin").user
        self.admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        self.group = groups.create_group(actor=self.me, name="Platform team")
        self.post = feeds.create_post(actor=self.admin, group=self.group, body="Deploy at 5?")
        version = policies.create_version(
            actor=self.admin, title="Social media policy", body="# Rules\n\nBe kind."
        )
        self.policy = policies.publish_version(actor=self.admin, version=version)
        policies.acknowledge_version(actor=self.me, version=self.policy)

    def close_the_gate(self):
        """An admin turns the gate on and publishes a new version meanwhile."""
        policies.update_settings(
            actor=self.admin,
            acknowledgement_gate=PolicySettings.Gate.POSTING,
            engagement_model=PolicySettings.Engagement.COMMAND_AND_CONTROL,
            reminder_days=7,
            designated_departments=[],
        )
        version = policies.create_version(
            actor=self.admin, title="Social media policy", body="# Rules\n\nBe kind. Be brief."
        )
        policies.publish_version(actor=self.admin, version=version)

    def assert_same_styled_page(self):
        page = self.page
        assert page.evaluate("window.__noReload === true"), "the page was replaced"
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        expect(page.get_by_role("heading", name="Platform team")).to_be_visible()

    def test_compose_errors_show_inline_and_keep_the_text(self):
        page = self.page
        self.sign_in(f"/groups/{self.group.slug}/")
        # The debug error script is there: this is the mode that used to lose the text.
        assert page.locator('script[src*="django-htmx.js"][data-debug="True"]').count() == 1
        page.evaluate("window.__noReload = true")
        box = page.get_by_label("Write a post")

        # A bad attachment: the reason under the box, the text still in it.
        box.fill(TEXT)
        page.get_by_label("Attach").set_input_files(
            {"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"}
        )
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("#compose .errorlist")).to_be_visible()
        self.assert_same_styled_page()
        expect(page.get_by_label("Write a post")).to_have_value(TEXT)
        self.shot("compose-error-attachment-debug")

        # The gate closes while she types: the refusal and the way to the policy, inline.
        self.close_the_gate()
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.get_by_text("Read and acknowledge the social media policy")).to_be_visible()
        self.assert_same_styled_page()
        expect(page.get_by_label("Write a post")).to_have_value(TEXT)
        gate = page.locator("#compose-gate")
        expect(gate).to_contain_text("Posting waits for the social media policy")
        expect(gate.get_by_role("link", name="Read and acknowledge")).to_have_attribute(
            "href", "/policies/"
        )
        self.shot("compose-error-gate-debug")
        assert not Post.objects.filter(author=self.me).exists()

        # Reloaded, the box says so before anything is typed.
        page.reload()
        expect(page.locator("#compose-gate")).to_be_visible()
        expect(page.get_by_label("Write a post")).to_have_count(0)

    def test_a_refused_comment_shows_inline_and_keeps_the_text(self):
        page = self.page
        self.sign_in(f"/groups/{self.group.slug}/")
        page.evaluate("window.__noReload = true")
        card = page.locator("article.post").filter(has_text="Deploy at 5?")
        card.get_by_label("Write a comment").fill("Fine by me, if the tests are green.")
        self.close_the_gate()
        card.get_by_role("button", name="Comment", exact=True).click()
        expect(card.get_by_text("Read and acknowledge the social media policy")).to_be_visible()
        self.assert_same_styled_page()
        expect(card.get_by_label("Write a comment")).to_have_value(
            "Fine by me, if the tests are green."
        )
        assert not Comment.objects.filter(author=self.me).exists()

    def test_an_error_without_a_fragment_says_so_beside_the_form(self):
        """The post was deleted while she typed: a 404 (Django's debug 404 page in this
        mode) must not replace the page either."""
        page = self.page
        self.sign_in(f"/groups/{self.group.slug}/")
        page.evaluate("window.__noReload = true")
        card = page.locator("article.post").filter(has_text="Deploy at 5?")
        card.get_by_label("Write a comment").fill("Too late?")
        feeds.delete_post(actor=self.admin, post=self.post)
        card.get_by_role("button", name="Comment", exact=True).click()
        expect(card.locator(".htmx-error")).to_have_text(
            "That is no longer there. Your text is still here."
        )
        self.assert_same_styled_page()
        expect(card.get_by_label("Write a comment")).to_have_value("Too late?")
