"""Ben is mentioned and his post gets reactions: the badge counts them, the notification
center lists them ("and 2 others"), marking read works without a reload, and the email
preferences, a group's email menu and the unsubscribe page are usable."""

from django.utils import timezone
from playwright.sync_api import expect

from feeds import services as feeds
from groups import services as groups
from notifications import digests, emails
from notifications.models import Notification

from ..factories import DepartmentFactory, make_person
from .base import ARTIFACTS, BrowserTestCase


class NotificationFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.ana = make_person("ana.garcia", display_name="Ana Garcia", department=engineering).user
        self.ben = make_person("ben.okafor", display_name="Ben Okafor").user
        self.group = groups.create_group(
            actor=self.ana, name="Platform team", description="Builds and runs the platform."
        )
        groups.invite_member(actor=self.ana, group=self.group, user=self.ben)
        post = feeds.create_post(actor=self.ben, group=self.group, body="Deploys are green again")
        people = []
        for name in ("cara.diaz", "dev.patel", "eve.moreau"):
            person = make_person(name, display_name=name.replace(".", " ").title()).user
            feeds.toggle_reaction(actor=person, post=post, kind="like")
            people.append(person)
        busy = feeds.create_post(
            actor=people[0], group=self.group, body="Proposal: move the **on-call** rota to weekly"
        )
        for person in people[1:]:
            feeds.create_comment(actor=person, post=busy, body="+1, weekly is calmer")
            feeds.toggle_reaction(actor=person, post=busy, kind="insightful")
        feeds.create_post(
            actor=self.ana, group=self.group, body="@ben.okafor can you review the runbook?"
        )
        feeds.create_comment(actor=self.ana, post=post, body="Nice work!")

    def test_badge_center_mark_read_and_preferences(self):
        page = self.page
        self.sign_in("/notifications/", username="ben.okafor")
        badge = page.locator("#notification-badge")
        # Added to Platform team by Ana, her mention, her comment, three reactions in one row.
        expect(badge).to_have_attribute("data-count", "4")
        rows = page.locator(".notif-row")
        expect(rows).to_have_count(4)
        expect(page.get_by_text("added you to Platform team")).to_be_visible()
        expect(page.get_by_text("and 2 others")).to_be_visible()
        self.shot("notifications-center")

        page.locator(".notif-unread").first.locator("button", has_text="Mark read").click()
        expect(page.locator(".notif-unread")).to_have_count(3)
        page.reload()
        expect(badge).to_have_attribute("data-count", "3")
        page.get_by_role("button", name="Mark all read").click()
        expect(page.locator(".notif-unread")).to_have_count(0)
        expect(badge).to_have_attribute("data-count", "0")

        page.get_by_role("link", name="Email preferences").click()
        page.get_by_label("Reactions to my posts").select_option("off")
        page.get_by_label("Daily").check()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
        self.shot("notifications-preferences")

        page.goto(self.live_server_url + f"/groups/{self.group.slug}/")
        page.get_by_text("Email: on", exact=True).click()
        self.shot("notifications-group-email-menu")
        page.get_by_role("button", name="Muted: no email from this group").click()
        expect(page.get_by_text("No more email from Platform team.")).to_be_visible()
        expect(page.get_by_text("Email: muted", exact=True)).to_be_visible()
        self.assertEqual(list(self.console_errors), [])

    def test_unsubscribe_page_and_emails_render(self):
        page = self.page
        (digest,) = digests.build_digests([self.ben.pk], frequency="weekly", now=timezone.now())
        _, _, html, _ = digests.render_digest(digest, frequency="weekly")
        page.set_content(html)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notifications-digest.png"), full_page=True)
        self.assertIn("on-call", digest.posts[0].body)
        token = emails.unsubscribe_token(self.ben.pk, "kind:mention")
        page.goto(self.live_server_url + f"/notifications/unsubscribe/{token}/")
        expect(page.get_by_text("Stop email about mentions?")).to_be_visible()
        self.shot("notifications-unsubscribe")
        page.get_by_role("button", name="Unsubscribe").click()
        expect(page.get_by_text("You will get no more email about mentions.")).to_be_visible()

        # The emails themselves, as a mail client would show their HTML part.
        mention = Notification.objects.get(recipient=self.ben, kind="mention")
        context = {
            "notification": mention,
            "site_name": "socialhub",
            "url": "https://social.example.com/posts/1/",
            "center_url": "#",
            "preferences_url": "#",
            "unsubscribe_url": "#",
            "unsubscribe_what": "mentions",
            "mute_url": "#",
        }
        from django.template.loader import render_to_string

        page.set_content(render_to_string("notifications/email/notification.html", context))
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notifications-email.png"), full_page=True)
