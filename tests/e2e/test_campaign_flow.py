"""An employee contributes a story with a photo; the social team picks it; a certified
representative records where they shared it; the campaign report counts it."""

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from campaigns import services
from campaigns.models import Campaign
from people.roles import SOCIAL_TEAM
from policies import services as policies
from policies.models import Quiz

from ..factories import DepartmentFactory, make_person
from .axe import axe_violations, describe
from .base import BrowserTestCase

QUIZ = [("Who owns a brand account's followers?", [("The company", True), ("Me", False)])]


class CampaignFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        sales = DepartmentFactory(name="Sales", slug="sales")
        admin = make_person("alex.admin", display_name="Alex Admin").user
        admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        version = policies.create_version(actor=admin, title="Policy", body="Be kind.")
        policies.set_quiz(
            actor=admin,
            version=version,
            pass_mark=100,
            questions=[policies.QuestionInput(q, list(c)) for q, c in QUIZ],
        )
        version = policies.publish_version(actor=admin, version=version)
        self.social = make_person("sam.social", display_name="Sam Social").user
        self.social.groups.add(Role.objects.get_or_create(name=SOCIAL_TEAM)[0])
        policies.acknowledge_version(actor=self.social, version=version)
        ana = make_person("ana.garcia", display_name="Ana Garcia", department=engineering).user
        policies.acknowledge_version(actor=ana, version=version)
        rita = make_person("rita.rep", display_name="Rita Rep", department=sales).user
        policies.acknowledge_version(actor=rita, version=version)
        quiz = Quiz.objects.get(version=version)
        right = {str(q.pk): q.choices.get(is_correct=True).pk for q in quiz.questions.all()}
        policies.submit_quiz(actor=rita, quiz=quiz, answers=right)
        now = timezone.now()
        self.campaign = services.create_campaign(
            actor=self.social,
            title="Teachers who inspired us",
            brief="For **World Teachers' Day**: tell us about a teacher who changed your path.",
            hashtag="TeachersInspire",
            guidance="Your own story and photos you took yourself. No pupils' faces.",
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(days=14),
        )
        services.open_campaign(actor=self.social, campaign=self.campaign)
        buffer = io.BytesIO()
        Image.new("RGB", (640, 360), (90, 110, 220)).save(buffer, "PNG")
        self.photo = Path(tempfile.mkdtemp()) / "classroom.png"
        self.photo.write_bytes(buffer.getvalue())

    def as_user(self, username: str, path: str, viewport: dict | None = None) -> None:
        self.context.close()
        self.open_context(viewport or self.viewport)
        self.sign_in(path, username=username)

    def test_pick_for_sharing_stays_under_the_pointer_while_the_photo_arrives(self):
        """The story's photo arrives after the page: its box is kept for it, so the manager's
        press on "Pick for sharing" is still on it when the button comes up. (Unreserved,
        the photo pushed the button 360 px down between press and release: the click fell
        on the card, the form stayed shut with its text box hidden.)"""
        campaign = Campaign.objects.get(pk=self.campaign.pk)
        story = services.contribute(
            actor=get_user_model().objects.get(username="ana.garcia"),
            campaign=campaign,
            text="Mr. Duarte stayed after class every Thursday to teach us to code.",
            consent=True,
            image=SimpleUploadedFile(
                "classroom.png", self.photo.read_bytes(), content_type="image/png"
            ),
        )
        self.context.close()
        self.open_context(self.viewport, bypass_csp=True)  # axe is injected
        detail = campaign.get_absolute_url()
        self.sign_in(detail, username="sam.social")
        page = self.page
        held = []  # the photo waits here until the manager has pressed the button
        page.route(f"**{story.get_image_url()}", lambda route: held.append(route))
        page.reload()
        for _ in range(200):
            if held:
                break
            page.wait_for_timeout(25)
        assert held, "the page never asked for the photo"
        summary = page.get_by_text("Pick for sharing")
        summary.scroll_into_view_if_needed()
        pressed = summary.bounding_box()
        page.mouse.move(pressed["x"] + pressed["width"] / 2, pressed["y"] + pressed["height"] / 2)
        page.mouse.down()
        held[0].continue_()
        photo = page.get_by_role("img", name="Photo by Ana Garcia")
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("i => i.naturalWidth") == 640
        page.mouse.up()

        suggested = page.get_by_label("Suggested text")
        expect(suggested).to_be_visible()
        assert summary.bounding_box() == pressed
        suggested.fill("Mr. Duarte taught a whole class to code after hours. #TeachersInspire")
        expect(suggested).to_be_focused()
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top in the shot
        self.shot("campaign-pick-open-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        expect(suggested).to_have_value(
            "Mr. Duarte taught a whole class to code after hours. #TeachersInspire"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.evaluate("window.scrollTo(0, 0)")
        self.shot("campaign-pick-open-390")
        page.get_by_role("button", name="Pick", exact=True).click()
        expect(page.get_by_text("Picked: it is on the share-ready list")).to_be_visible()
        assert self.console_errors == []

    def test_contribute_pick_share_and_count(self):
        page = self.page
        detail = f"/campaigns/{self.campaign.pk}/"
        self.sign_in("/campaigns/")
        page.get_by_role("link", name="Teachers who inspired us").click()
        expect(page.get_by_role("heading", name="Brief")).to_be_visible()
        page.get_by_role("textbox", name="Your story").fill(
            "Mr. Duarte stayed after class every Thursday to teach us to code."
        )
        page.get_by_label("Photo (optional)").set_input_files(str(self.photo))
        page.get_by_label("The brand may share this publicly").check()
        page.get_by_role("button", name="Contribute").click()
        expect(page.get_by_text("Thank you: your story is in.")).to_be_visible()
        expect(page.get_by_text("Mr. Duarte stayed after class")).to_be_visible()
        photo = page.get_by_role("img", name="Photo by Ana Garcia")
        photo.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        assert photo.evaluate("i => i.naturalWidth") == 640
        self.shot("campaign-detail-1366")

        self.as_user("sam.social", detail)
        page = self.page
        page.get_by_text("Pick for sharing").click()
        page.get_by_label("Suggested text").fill(
            "Mr. Duarte taught a whole class to code after hours. #TeachersInspire"
        )
        page.get_by_role("button", name="Pick", exact=True).click()
        expect(page.get_by_text("Picked: it is on the share-ready list")).to_be_visible()

        phone = {"width": 390, "height": 844}
        self.as_user("rita.rep", f"/campaigns/{self.campaign.pk}/shares/", phone)
        page = self.page
        expect(page.get_by_text("taught a whole class to code")).to_be_visible()
        page.get_by_label("Platform").select_option("linkedin")
        page.get_by_label("Link to your post").fill("ftp://nope")
        page.get_by_role("button", name="Record my share").click()
        expect(page.get_by_text("Paste the http(s) link")).to_be_visible()
        page.get_by_label("Link to your post").fill("https://www.linkedin.com/posts/rita-rep-1")
        page.get_by_role("button", name="Record my share").click()
        expect(page.get_by_text("Recorded. Thank you for sharing.")).to_be_visible()
        self.shot("campaign-shares-390")

        self.as_user("ana.garcia", f"/campaigns/{self.campaign.pk}/shares/", phone)
        page = self.page
        expect(page.locator("#share-refusal")).to_contain_text("Only certified")
        expect(page.get_by_role("button", name="Record my share")).to_have_count(0)

        self.as_user("sam.social", f"/campaigns/{self.campaign.pk}/report/")
        page = self.page
        expect(page.get_by_role("heading", name="1 story · 1 picked · 1 share")).to_be_visible()
        report_tab = page.get_by_role("navigation", name="Campaign sections").get_by_role(
            "link", name="Report"
        )
        expect(report_tab).to_have_attribute("aria-current", "page")
        platforms = page.locator("#report-platforms")
        expect(platforms.get_by_role("row", name="LinkedIn 1")).to_be_visible()
        departments = page.locator("#report-departments")
        expect(departments.get_by_role("row", name="Engineering 1 1 0")).to_be_visible()
        expect(departments.get_by_role("row", name="Sales 0 0 1")).to_be_visible()
        self.shot("campaign-report-1366")
        page.set_viewport_size(phone)
        self.shot("campaign-report-390")
        page.goto(self.live_server_url + "/campaigns/")
        self.shot("campaign-list-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(self.live_server_url + detail)
        self.shot("campaign-detail-social-1366")
        page.set_viewport_size(phone)
        self.shot("campaign-detail-390")
        assert self.console_errors == []
