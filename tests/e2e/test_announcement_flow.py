"""An announcement to the whole company, as its author lives it: posted from All company's
page, the compose box says the company is being told and links to the post, whose page
shows how far the telling got and follows it without a reload until it is done. axe-core
on the post's page; screenshots at 1366 and 390 px."""

from django.contrib.auth.models import Group as Role
from playwright.sync_api import expect

from core import bulk
from core.models import BulkJob
from groups.services import ensure_company_group

from ..factories import make_person
from .axe import axe_violations, describe
from .base import BrowserTestCase


class AnnouncementFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        admin = make_person("ana.garcia", display_name="Ana Garcia", title="Head of People").user
        admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        for name in ("ben.okafor", "carla.diaz", "dan.berg"):
            make_person(name)
        self.company = ensure_company_group()
        self.context.close()
        self.open_context(self.viewport, bypass_csp=True)  # axe is injected

    def test_the_author_follows_the_company_being_told(self):
        page = self.page
        self.sign_in(self.company.get_absolute_url())
        page.get_by_label("Write a post").fill("We move to the new office on **Monday**.")
        page.get_by_label("Kind").select_option(label="Announcement")
        page.get_by_role("button", name="Post", exact=True).click()
        status = page.locator("#compose-status")
        expect(status).to_contain_text("Your announcement is up. Everyone in the company")
        expect(page.locator("#feed-list")).to_contain_text("We move to the new office")
        self.shot("announcement-posted-1366")

        status.get_by_role("link", name="follow it on the post's page").click()
        progress = page.get_by_role("status").filter(has_text="Telling everyone")
        expect(progress).to_contain_text("Telling everyone in the company: 0 of 3…")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        self.shot("announcement-telling-1366")

        # A worker tells everyone (this stack runs none); the page hears it by itself.
        job = BulkJob.objects.get()
        self.run_as_worker(lambda: bulk.run_chunk(job_id=job.pk, cursor=0), eager=True)
        expect(progress).to_contain_text("Telling everyone in the company: done, 3 of 3.")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        self.shot("announcement-told-390")
        assert not self.console_errors, self.console_errors
