"""An employee signs in, opens a group, posts with a #topic, reacts and comments without a
reload, and loads older posts."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from feeds import services as feeds
from feeds.models import Comment, Post, Reaction
from groups import services as groups

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase


class FeedFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.me = make_person(
            "ana.garcia",
            display_name="Ana Garcia",
            department=engineering,
            title="Backend Engineer",
        ).user
        ben = make_person("ben.okafor", display_name="Ben Okafor", title="Billing Specialist").user
        self.group = groups.create_group(
            actor=self.me,
            name="Platform team",
            description="Builds and runs the platform everyone ships on.",
        )
        groups.invite_member(actor=self.me, group=self.group, user=ben)
        start = timezone.now() - dt.timedelta(days=2)
        for i in range(12):
            post = feeds.create_post(
                actor=ben if i % 2 else self.me,
                group=self.group,
                body=f"Platform note {i}: the **deploy** pipeline is green. #platform",
            )
            Post.objects.filter(pk=post.pk).update(created_at=start + dt.timedelta(hours=i))
        question = feeds.create_post(
            actor=ben, group=self.group, body="Who owns the *billing* service?", kind="question"
        )
        answer = feeds.create_comment(actor=self.me, post=question, body="We do, ask @ana.garcia")
        feeds.accept_answer(actor=ben, post=question, comment=answer)
        feeds.toggle_reaction(actor=self.me, post=question, kind="like")

    def test_post_react_comment_and_load_more(self):
        page = self.page
        self.sign_in("/groups/")

        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Groups")).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", name="Groups", exact=True)).to_be_visible()
        self.shot("groups-directory")

        page.get_by_role("link", name="Platform team").click()
        expect(page.get_by_role("heading", name="Platform team")).to_be_visible()
        group_url = page.url
        # A marker that a full page load would wipe out.
        page.evaluate("window.__noReload = true")

        # Post with a #topic: the card appears on top, no navigation.
        page.get_by_label("Write a post").fill("Shipping the new **search** today #launch")
        page.get_by_role("button", name="Post", exact=True).click()
        card = page.locator("article.post").filter(has_text="Shipping the new search")
        expect(card).to_be_visible()
        expect(card.get_by_role("link", name="#launch").first).to_be_visible()
        expect(page.get_by_label("Write a post")).to_have_value("")
        post = Post.objects.get(body__startswith="Shipping the new")

        # React: the count and my state change in place.
        celebrate = card.get_by_role("button", name="Celebrate")
        expect(celebrate).to_have_attribute("aria-pressed", "false")
        celebrate.click()
        expect(card.get_by_role("button", name="Celebrate")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(card.get_by_role("button", name="Celebrate")).to_contain_text("1")
        assert Reaction.objects.filter(post=post, user=self.me, kind="celebrate").exists()

        # Comment inline.
        card.get_by_label("Write a comment").fill("Great work, team!")
        card.get_by_role("button", name="Comment", exact=True).click()
        expect(card.locator(".comment").filter(has_text="Great work, team!")).to_be_visible()
        expect(card.get_by_label("Write a comment")).to_have_value("")
        assert Comment.objects.filter(post=post, body="Great work, team!").exists()

        # Bad input comes back in place, with the message.
        page.get_by_label("Write a post").evaluate("el => el.removeAttribute('maxlength')")
        page.get_by_label("Write a post").fill("x" * 10_001)
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.get_by_text("Keep it under 10,000 characters")).to_be_visible()
        page.get_by_label("Write a post").fill("")
        # The browser logs the 400 it was answered; nothing else may have gone wrong.
        assert [e for e in self.console_errors if "400 (Bad Request)" not in e] == []
        self.console_errors.clear()
        self.shot("group-feed")

        # Load older posts by cursor.
        expect(page.get_by_text("Platform note 0:")).to_have_count(0)
        page.get_by_role("link", name="Load more posts").click()
        expect(page.get_by_text("Platform note 0:")).to_be_visible()
        assert page.url == group_url
        assert page.evaluate("window.__noReload") is True
        assert self.console_errors == []  # no CSP violations, no script errors

        # The post page: the question, its accepted answer.
        question = Post.objects.get(kind="question")
        page.goto(f"{self.live_server_url}/posts/{question.pk}/")
        expect(page.locator(".comment.is-accepted")).to_contain_text("We do, ask")
        self.shot("post-page")

        # The home feed and the topic page.
        page.goto(self.live_server_url + "/")
        expect(page.get_by_text("Shipping the new")).to_be_visible()
        self.shot("home-feed")
        page.goto(self.live_server_url + "/topics/launch/")
        page.get_by_role("button", name="Follow #launch").click()
        expect(page.get_by_role("button", name="Following")).to_have_attribute(
            "aria-pressed", "true"
        )
        self.shot("topic-page")

        # The leaders' tab.
        page.goto(group_url)
        page.get_by_role("link", name="Manage").click()
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
        self.shot("group-moderation")
        page.goto(group_url + "members/")
        self.shot("group-members")
        assert self.console_errors == []

    def test_small_screen_group_page(self):
        self.context.close()
        self.open_context({"width": 390, "height": 844})
        self.sign_in(f"/groups/{self.group.slug}/")
        expect(self.page.get_by_role("heading", name="Platform team")).to_be_visible()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
        self.shot("phone-group")
        self.page.goto(self.live_server_url + "/")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"home scrolls sideways on a phone ({width}px)"
        self.shot("phone-home")
