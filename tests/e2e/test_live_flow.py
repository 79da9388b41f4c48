"""Two people, two Chromium pages, one daphne: what one does shows on the other's page
without a reload — a new post, a comment, reaction counts, an edit, a moderator's removal —
and a tab whose socket dropped catches up over HTTP when it comes back.

Every action goes through a browser: the live server is another process with its own
channel layer, so only its own requests publish to its sockets."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from feeds import services as feeds
from feeds.models import Post
from groups import services as groups

from ..factories import PASSWORD, make_person
from .axe import axe_violations, describe
from .base import BrowserTestCase


class LiveFeedTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.ana = make_person("ana.garcia", display_name="Ana Garcia").user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        self.group = groups.create_group(actor=self.ana, name="Platform team")
        groups.invite_member(actor=self.ana, group=self.group, user=self.ben)
        start = timezone.now() - dt.timedelta(days=2)
        for i in range(12):
            post = feeds.create_post(
                actor=self.ana, group=self.group, body=f"Older platform note number {i}."
            )
            Post.objects.filter(pk=post.pk).update(created_at=start + dt.timedelta(hours=i))
        # Ben's tab: a second browser context, signed in through the form.
        self.ben_context = self.browser.new_context(viewport=self.viewport)
        self.ben_page = self.ben_context.new_page()
        self.ben_page.set_default_timeout(10_000)
        self.ben_errors: list[str] = []
        self.ben_page.on(
            "console", lambda m: self.ben_errors.append(m.text) if m.type == "error" else None
        )
        self.socket_blocked = False
        self.ben_sockets = []
        self.ben_page.route_web_socket("**/ws/", self._ben_socket)

    def tearDown(self):
        self.ben_context.close()
        super().tearDown()

    def _ben_socket(self, route):
        """Ben's socket goes through here, so the test can cut it like a flaky network."""
        if self.socket_blocked:
            route.close(code=1012, reason="network down")
            return
        route.connect_to_server()
        self.ben_sockets.append(route)

    def sign_in_ben(self):
        page = self.ben_page
        page.goto(self.live_server_url + "/")
        page.get_by_label("Username").fill("ben.okafor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(self.live_server_url + "/")
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        page.evaluate("window.__noReload = true")

    def shot_ben(self, name):
        self.ben_page.wait_for_timeout(500)  # let the arrival animation end
        page, self.page = self.page, self.ben_page
        try:
            self.shot(name)
        finally:
            self.page = page

    def ana_posts(self, text):
        page = self.page
        page.get_by_label("Write a post").fill(text)
        page.get_by_role("button", name="Post", exact=True).click()
        shown = text.replace("**", "")
        expect(page.locator("article.post").filter(has_text=shown)).to_be_visible()

    def test_a_post_and_what_follows_it_reach_the_other_page_live(self):
        self.sign_in_ben()
        ben = self.ben_page
        self.sign_in(self.group.get_absolute_url())
        ana = self.page
        expect(ana.locator("html[data-live=open]")).to_have_count(1)

        # Ana posts; Ben's home feed shows it on top, without a reload.
        self.ana_posts("Deploy freeze starts **Friday** at noon")
        on_ben = ben.locator("article.post").filter(has_text="Deploy freeze starts Friday")
        expect(on_ben).to_be_visible()
        expect(ben.locator("#feed-list > article.post").first).to_contain_text("Deploy freeze")
        expect(on_ben.locator(".post-group")).to_have_text("Platform team")
        assert ben.evaluate("window.__noReload") is True
        self.shot_ben("live-ben-new-post")

        # Ben comments and celebrates from his card; Ana's card follows.
        on_ben.get_by_label("Write a comment").fill("Noted, thanks!")
        on_ben.get_by_role("button", name="Comment").click()
        on_ana = ana.locator("article.post").filter(has_text="Deploy freeze starts Friday")
        expect(on_ana.locator(".comment").filter(has_text="Noted, thanks!")).to_be_visible()
        expect(on_ana.locator(".reaction-link")).to_have_text("1 comment")
        on_ben.get_by_role("button", name="Celebrate").click()
        expect(on_ana.get_by_role("button", name="Celebrate")).to_contain_text("1")
        # A count only: Ana did not celebrate, and her button says so.
        expect(on_ana.get_by_role("button", name="Celebrate")).to_have_attribute(
            "aria-pressed", "false"
        )
        # Ben's comment and reaction notified Ana: her bell refreshed on the badge event.
        expect(ana.locator("#notification-badge .notif-count")).to_have_text("2")
        self.shot("live-ana-comment-and-reaction")

        # Ben has scrolled down: the next post waits behind an "N new posts" bar.
        ben.mouse.wheel(0, 2500)
        ben.wait_for_function(
            "document.getElementById('feed-list').getBoundingClientRect().top < 0"
        )
        self.ana_posts("Second news: the runbook moved")
        bar = ben.get_by_role("button", name="1 new post")
        expect(bar).to_be_visible()
        expect(ben.locator("article.post").filter(has_text="the runbook moved")).to_have_count(0)
        self.shot_ben("live-ben-new-posts-bar")
        bar.click()
        expect(ben.locator("#feed-list > article.post").first).to_contain_text("the runbook moved")
        expect(bar).to_have_count(0)

        # Ben's network drops; Ana posts meanwhile; when it is back, Ben's tab catches up.
        self.socket_blocked = True
        for route in self.ben_sockets:
            route.close(code=1012, reason="network down")
        expect(ben.locator("html[data-live=closed]")).to_have_count(1)
        self.ana_posts("Posted while Ben was offline")
        self.socket_blocked = False
        expect(
            ben.locator("article.post").filter(has_text="Posted while Ben was offline")
        ).to_be_visible(timeout=20_000)
        expect(ben.locator("html[data-live=open]")).to_have_count(1)

        # Ana edits the first post; Ben's card shows the new text.
        post = Post.objects.get(body__startswith="Deploy freeze")
        ana.goto(self.live_server_url + f"/posts/{post.pk}/edit/")
        ana.locator("textarea[name=body]").fill("Deploy freeze starts **Monday** at noon")
        ana.get_by_role("button", name="Save changes").click()
        expect(ben.locator(f"#post-{post.pk} .post-body")).to_contain_text(
            "Deploy freeze starts Monday"
        )

        # A moderator removes it: it disappears from Ben's page.
        ana.goto(self.live_server_url + self.group.get_absolute_url())
        card = ana.locator(f"#post-{post.pk}")
        card.get_by_label("Post actions").click()
        card.get_by_label("Remove, telling the author why").fill("Superseded by the runbook")
        card.get_by_role("button", name="Remove post").click()
        expect(ben.locator(f"#post-{post.pk}")).to_have_count(0)
        assert ben.evaluate("window.__noReload") is True
        self.shot_ben("live-ben-after-removal")
        # The cut socket is the only thing allowed to complain.
        assert [e for e in self.ben_errors if "WebSocket" not in e] == []
        assert self.console_errors == []

    def test_a_live_card_explains_the_policy_gate_before_typing(self):
        """Cards arrive rendered once for everyone; a reader the social media policy keeps
        from commenting sees why on the new card, not a box that refuses what they type."""
        from policies import services as policies
        from policies.models import PolicySettings

        admin = make_person("ada.admin", display_name="Ada Admin").user
        admin.is_superuser = admin.is_staff = True
        admin.save()
        version = policies.create_version(actor=admin, title="Social media policy", body="Be kind.")
        version = policies.publish_version(actor=admin, version=version)
        policies.update_settings(
            actor=admin,
            acknowledgement_gate=PolicySettings.Gate.POSTING,
            engagement_model=PolicySettings.Engagement.COMMAND_AND_CONTROL,
            reminder_days=7,
            designated_departments=[],
        )
        policies.acknowledge_version(actor=self.ana, version=version)
        self.sign_in_ben()
        ben = self.ben_page
        self.sign_in(self.group.get_absolute_url())
        self.ana_posts("Townhall on Thursday")
        on_ben = ben.locator("article.post").filter(has_text="Townhall on Thursday")
        expect(on_ben).to_be_visible()
        expect(on_ben.locator(".comment-gate")).to_contain_text(
            "Commenting waits for the social media policy"
        )
        expect(on_ben.get_by_label("Write a comment")).to_have_count(0)
        expect(on_ben.get_by_role("link", name="read and acknowledge it")).to_have_attribute(
            "href", "/policies/"
        )
        assert self.ben_errors == []

    def test_a_tab_signed_out_from_elsewhere_says_so_and_stops(self):
        self.sign_in_ben()
        sockets_before = len(self.ben_sockets)
        # Ben, on another computer (another session), signs out everywhere else.
        self.sign_in("/people/me/edit/", username="ben.okafor")
        self.page.get_by_role("button", name="Sign out everywhere else").click()
        notice = self.ben_page.locator("#signed-out-notice")
        expect(notice).to_contain_text("You have been signed out")
        expect(self.ben_page.locator("html[data-live=closed]")).to_have_count(1)
        self.shot_ben("live-signed-out")
        # Nothing posted afterwards reaches the tab, and it does not try to reconnect.
        self.ana_context = self.browser.new_context(viewport=self.viewport)
        try:
            page, self.page = self.page, self.ana_context.new_page()
            self.sign_in("/", username="ana.garcia")
            self.page.get_by_label("Post in").select_option(label="Platform team")
            self.page.get_by_label("Write a post").fill("Posted after Ben signed out")
            self.page.get_by_role("button", name="Post", exact=True).click()
            expect(self.page.locator("article.post").first).to_contain_text("after Ben signed out")
            self.page = page
        finally:
            self.ana_context.close()
        self.ben_page.wait_for_timeout(1500)
        expect(self.ben_page.get_by_text("Posted after Ben signed out")).to_have_count(0)
        assert len(self.ben_sockets) == sockets_before, "the tab reconnected after sign-out"
        self.ben_page.get_by_role("link", name="Sign in again").click()
        expect(self.ben_page).to_have_url(self.live_server_url + "/accounts/login/?next=%2F")
        assert self.ben_errors == []

    def test_a_long_thread_opens_a_page_at_a_time_and_stays_live(self):
        """A post with more threads than a page: the latest 50 first, the earlier ones in
        place on asking, a thread's earlier replies likewise; an old link to a comment opens
        its page; a reply and a comment from another tab arrive where they belong."""
        from feeds.models import Comment
        from feeds.selectors import REPLY_PAGE, THREAD_PAGE

        post = feeds.create_post(actor=self.ana, group=self.group, body="Ideas for the offsite")
        start = timezone.now() - dt.timedelta(days=1)
        heads = Comment.objects.bulk_create(
            Comment(
                post=post,
                author=self.ben,
                body=f"Idea {i}",
                body_html=f"<p>Idea {i}</p>",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(THREAD_PAGE + 5)
        )
        replies = Comment.objects.bulk_create(
            Comment(
                post=post,
                author=self.ana,
                parent=heads[0],
                body=f"Answer {k}",
                body_html=f"<p>Answer {k}</p>",
                created_at=start + dt.timedelta(seconds=k + 1),
            )
            for k in range(REPLY_PAGE + 2)
        )
        self.context.close()  # Ana's tab runs axe-core: see tests/e2e/axe.py
        self.open_context(self.viewport, bypass_csp=True)
        self.sign_in_ben()
        self.sign_in(post.get_absolute_url())
        ana = self.page
        items = ana.locator("#thread > .thread-item")
        expect(items).to_have_count(THREAD_PAGE)
        expect(items.first).to_contain_text("Idea 5")
        violations = axe_violations(ana)
        assert violations == [], describe(violations)
        ana.get_by_role("link", name="Show earlier comments").click()
        expect(items).to_have_count(THREAD_PAGE + 5)
        expect(items.first).to_contain_text("Idea 0")
        expect(ana.get_by_role("link", name="Show earlier comments")).to_have_count(0)
        expect(ana.locator(".comment")).to_have_count(THREAD_PAGE + 5 + REPLY_PAGE)
        oldest = items.first
        oldest.get_by_role("link", name="Show earlier replies").click()
        expect(oldest.locator(".replies > .comment")).to_have_count(REPLY_PAGE + 2)
        expect(oldest.locator(".replies > .comment").first).to_contain_text("Answer 0")
        self.shot("thread-all-pages-open")

        # Ben replies to the oldest thread from a link in an old notification (no ?comment=):
        # the page of its thread opens, the reply lands under it on Ana's page, live.
        ben = self.ben_page
        ben.goto(self.live_server_url + f"{post.get_absolute_url()}#comment-{replies[0].pk}")
        expect(ben).to_have_url(self.live_server_url + replies[0].get_absolute_url())
        thread = ben.locator(".thread-item").filter(has=ben.locator(f"#comment-{heads[0].pk}"))
        expect(thread.locator(f"#comment-{replies[0].pk}")).to_be_visible()
        thread.locator("summary", has_text="Reply").click()
        thread.get_by_label("Reply to Ben Okafor").fill("One more answer")
        thread.get_by_role("button", name="Reply").click()
        expect(oldest.locator(".replies > .comment").last).to_contain_text("One more answer")
        # A new comment goes to the end of Ana's thread, which shows the latest.
        ben.goto(self.live_server_url + post.get_absolute_url())
        ben.get_by_label("Write a comment").fill("Last idea")
        ben.get_by_role("button", name="Comment", exact=True).click()
        expect(items.last).to_contain_text("Last idea")
        expect(items).to_have_count(THREAD_PAGE + 6)
        assert ana.evaluate("document.querySelectorAll('[id^=comment-]').length") == len(
            set(ana.evaluate("[...document.querySelectorAll('[id^=comment-]')].map(e => e.id)"))
        ), "a comment shown twice"
        self.shot("thread-live-arrivals")
        assert [e for e in self.ben_errors if "WebSocket" not in e] == []
        assert self.console_errors == []
