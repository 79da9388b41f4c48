"""Saved posts, shares, drafts and scheduled posts, and praise, as an employee uses them:
save from a card and find it under Saved; share a secret group's post into a public group
(a colleague outside sees only "a post you can't see"); keep a draft, schedule it, and let
the clock publish it; praise a colleague and see it on their profile. Screenshots at 1366
and 390 px."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from feeds import drafts as draft_services
from feeds import services as feeds
from feeds import sharing
from feeds.models import Draft, Post, SavedPost
from groups import services as groups

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class PostingFlowTest(BrowserTestCase):
    viewport = DESKTOP

    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.me = make_person(
            "ana.garcia", display_name="Ana Garcia", department=engineering, title="Engineer"
        ).user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor", title="Billing").user
        self.carla = make_person("carla.diaz", display_name="Carla Diaz", title="Support").user
        self.team = groups.create_group(
            actor=self.me, name="Platform team", description="Runs the platform."
        )
        for person in (self.ben, self.carla):
            groups.invite_member(actor=self.me, group=self.team, user=person)
        self.vault = groups.create_group(
            actor=self.me, name="Skunkworks", description="Quiet project.", privacy="secret"
        )
        self.post = feeds.create_post(
            actor=self.ben, group=self.team, body="The **deploy** pipeline is green again."
        )
        self.hidden = feeds.create_post(
            actor=self.me, group=self.vault, body="Prototype vaultword is ready."
        )

    def _phone(self, name: str, path: str, username: str = "ana.garcia") -> None:
        self.context.close()
        self.open_context(PHONE)
        self.sign_in(path, username)
        self.shot(f"{name}-390")

    def test_save_a_post_and_find_it_under_saved(self):
        page = self.page
        self.sign_in(self.team.get_absolute_url())
        card = page.locator(f"#post-{self.post.pk}")
        save = card.get_by_role("button", name="Save")
        expect(save).to_have_attribute("aria-pressed", "false")
        save.click()
        expect(card.get_by_role("button", name="Saved")).to_have_attribute("aria-pressed", "true")
        assert SavedPost.objects.filter(user=self.me, post=self.post).exists()
        page.goto(self.live_server_url + "/")
        page.get_by_role("link", name="Saved posts").click()
        expect(page.get_by_role("heading", name="Saved posts")).to_be_visible()
        expect(page.locator("article.post").filter(has_text="pipeline is green")).to_be_visible()
        self.shot("saved-1366")
        self._phone("saved", "/posts/saved/")
        assert self.console_errors == []

    def test_a_secret_post_shared_into_a_public_group_shows_nothing_to_outsiders(self):
        page = self.page
        self.sign_in(self.hidden.get_absolute_url())
        page.get_by_role("link", name="Share").click()
        page.get_by_label("Share in").select_option(self.team.slug)
        page.get_by_label("Add a comment (optional)").fill("Have a look, team")
        page.get_by_role("button", name="Share", exact=True).click()
        share = Post.objects.get(shared_post=self.hidden)
        expect(page).to_have_url(self.live_server_url + share.get_absolute_url())
        expect(page.locator(".shared-original")).to_contain_text("vaultword")
        self.shot("share-member-1366")
        # Ben reads the platform team but not Skunkworks.
        self.context.close()
        self.open_context(DESKTOP)
        self.sign_in(self.team.get_absolute_url(), "ben.okafor")
        card = self.page.locator(f"#post-{share.pk}")
        expect(card).to_contain_text("Have a look, team")
        expect(card.locator(".shared-original")).to_have_text("Shared a post you can't see.")
        expect(self.page.locator("body")).not_to_contain_text("vaultword")
        expect(self.page.locator("body")).not_to_contain_text("Skunkworks")
        self.shot("share-outsider-1366")
        self._phone("share-outsider", share.get_absolute_url(), "ben.okafor")
        expect(self.page.locator("body")).not_to_contain_text("vaultword")

    def test_keep_a_draft_schedule_it_and_the_clock_publishes_it(self):
        page = self.page
        self.sign_in(self.team.get_absolute_url())
        page.get_by_label("Write a post").fill("Release notes, first cut")
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator("#compose-status")).to_contain_text("Saved in your drafts")
        draft = Draft.objects.get(author=self.me)
        assert draft.group == self.team and draft.state == "draft"
        page.goto(self.live_server_url + "/posts/drafts/")
        expect(page.get_by_role("heading", name="In Platform team")).to_be_visible()
        page.get_by_role("link", name="Open draft").click()
        page.get_by_label("Text").fill("Release notes, final")
        when = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        page.get_by_label("Publish at (UTC)").fill(when)
        page.get_by_role("button", name="Schedule").click()
        expect(page.get_by_role("heading", name="Drafts and scheduled posts")).to_be_visible()
        expect(page.locator(".draft-card")).to_contain_text("Scheduled")
        self.shot("drafts-1366")
        draft.refresh_from_db()
        assert draft.state == "scheduled" and draft.body == "Release notes, final"
        Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now())
        assert draft_services.publish_due_posts() == 1
        page.goto(self.live_server_url + self.team.get_absolute_url())
        expect(page.locator("article.post").filter(has_text="Release notes, final")).to_be_visible()
        # A second one, scheduled by someone who then leaves: not published, and told why.
        other = draft_services.save_draft(
            actor=self.carla,
            body="Carla's news",
            group=self.team,
            publish_at=timezone.now() + dt.timedelta(hours=1),
        )
        groups.leave_group(actor=self.carla, group=self.team)
        Draft.objects.filter(pk=other.pk).update(publish_at=timezone.now())
        draft_services.publish_due_posts()
        self._phone("drafts", "/posts/drafts/", "carla.diaz")
        expect(self.page.locator(".draft-card")).to_contain_text("no longer a member")

    def test_praise_a_colleague_and_see_it_on_their_profile(self):
        page = self.page
        self.sign_in("/praise/new/")
        who = page.get_by_label("Who")
        who.fill("@ben")
        page.get_by_role("option", name="Ben Okafor").click()
        page.get_by_label("Problem solver").check()
        page.get_by_label("What for").fill("Fixed the **deploy** pipeline overnight")
        page.get_by_label("Post in").select_option(self.team.slug)
        self.shot("praise-form-1366")
        page.get_by_role("button", name="Give praise").click()
        praise = Post.objects.get(kind="praise")
        expect(page).to_have_url(self.live_server_url + praise.get_absolute_url())
        expect(page.locator(".praise-block")).to_contain_text("Problem solver")
        expect(page.locator(".praise-block")).to_contain_text("Ben Okafor")
        page.goto(self.live_server_url + "/people/ben.okafor/")
        section = page.locator(".profile-praise")
        expect(section).to_contain_text("Problem solver × 1")
        expect(section).to_contain_text("Fixed the deploy pipeline overnight")
        self.shot("praise-profile-1366")
        self._phone("praise-profile", "/people/ben.okafor/", "ben.okafor")
        expect(self.page.locator(".profile-praise")).to_contain_text("Ana Garcia")
        self._phone("praise-form", "/praise/new/")
        sharing.save_post(actor=self.me, post=praise)  # the Saved page with praise on it
        self._phone("saved-praise", "/posts/saved/")
        assert self.console_errors == []
