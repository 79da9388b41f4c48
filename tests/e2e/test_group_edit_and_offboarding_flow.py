"""A group's owner edits it in the app (privacy consequences read before saving, posting
rule, cover picture) and sees the email menu's state; an admin offboards someone with people
pickers and confirms after reading what will happen. At 1366 and 390 px."""

import io

from django.contrib.auth.models import Group as Role
from PIL import Image
from playwright.sync_api import expect

from groups import services as groups
from groups.models import AuditEntry, Group
from policies import services as policies

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _picture(tmp_name: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1600, 600), (60, 90, 200)).save(out, format="PNG")
    return {"name": tmp_name, "mimeType": "image/png", "buffer": out.getvalue()}


class GroupEditFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.owner = make_person("olga.owner", display_name="Olga Owner").user
        make_person("ana.garcia", display_name="Ana Garcia")
        self.group = groups.create_group(
            actor=self.owner, name="Runners", description="We run at lunch.", privacy="public"
        )

    def test_the_owner_edits_the_group_after_reading_what_changes(self):
        for width, viewport in WIDTHS.items():
            self.context.close()
            self.open_context(viewport)
            page = self.page
            self.sign_in(f"/groups/{self.group.slug}/", username="olga.owner")
            menu = page.locator("details.email-menu")
            expect(menu.locator("summary")).to_have_text("Email: on")
            page.get_by_role("link", name="Edit group").click()
            expect(page.get_by_role("heading", name="Edit the group")).to_be_visible()
            private = page.get_by_label("Private: listed, members read, join by request")
            expect(page.locator("#privacy-secret-effects")).to_contain_text("disappears")
            if width == "desktop":  # public now
                expect(page.locator("#privacy-private-effects")).to_contain_text("are hidden")
            else:  # private since the desktop edit
                expect(page.locator("#privacy-public-effects")).to_contain_text(
                    "while the group was not public"
                )
            new_privacy = "private" if width == "desktop" else "public"
            if width == "desktop":
                private.check()
                page.get_by_label("Only leaders start posts; members comment").check()
                page.get_by_label("Cover picture").set_input_files(_picture("beach.png"))
            else:
                page.get_by_label("Public: anyone reads and joins").check()
            page.get_by_label("Name", exact=True).fill(f"Lunch runners ({width})")
            self.shot(f"group-edit-{width}")
            page.get_by_role("button", name="Save changes").click()
            expect(page.get_by_text("The group is updated.")).to_be_visible()
            expect(page.get_by_role("heading", name=f"Lunch runners ({width})")).to_be_visible()
            group = Group.objects.get(pk=self.group.pk)
            assert group.privacy == new_privacy and group.posting == "leaders"
            expect(page.locator("img.group-cover")).to_be_visible()
            self.shot(f"group-after-edit-{width}")
            page.locator("details.email-menu summary").click()
            page.get_by_role("button", name="Muted: no email from this group").click()
            expect(page.locator("details.email-menu summary")).to_have_text("Email: muted")
            page.locator("details.email-menu summary").click()
            page.get_by_role("button", name="On: email from this group").click()
            expect(page.locator("details.email-menu summary")).to_have_text("Email: on")
            assert self.console_errors == []
        assert AuditEntry.objects.filter(group=self.group, action="edit_group").count() == 2


class OffboardingFlowTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        social = DepartmentFactory(name="Social Media", slug="social-media")
        self.admin = make_person("alex.admin", display_name="Alex Admin").user
        self.admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        self.account = policies.create_brand_account(
            actor=self.admin,
            platform="x",
            handle="@socialhub",
            url="https://x.com/socialhub",
            department=social,
        )
        make_person("ben.okafor", display_name="Ben Okafor", department=social)
        make_person("bella.ortiz", display_name="Bella Ortiz", department=social)

    def _pick(self, label: str, typed: str, name: str) -> None:
        page = self.page
        box = page.get_by_role("combobox", name=label)
        box.click()
        box.press_sequentially(typed, delay=40)
        expect(page.get_by_role("option", name=name).first).to_be_visible()
        for _ in range(5):
            box.press("ArrowDown")
            active = box.get_attribute("aria-activedescendant")
            if active and name in page.locator(f"#{active}").inner_text():
                break
        box.press("Enter")
        expect(box).to_have_value(name)

    def test_offboarding_shows_what_will_happen_and_asks(self):
        for width, viewport in WIDTHS.items():
            leaver = make_person(f"lee.{width}", display_name=f"Lee Leaving {width}").user
            policies.authorize_person(actor=self.admin, account=self.account, user=leaver)
            self.context.close()
            self.open_context(viewport)
            page = self.page
            self.sign_in("/policies/offboard/", username="alex.admin")
            self._pick("Employee who leaves", "Lee", f"Lee Leaving {width}")
            self._pick("Colleague who takes over their accounts", "Be", "Ben Okafor")
            page.get_by_role("button", name="Review what will happen").click()
            confirm = page.get_by_role("heading", name=f"Offboard Lee Leaving {width}?")
            expect(confirm).to_be_visible()
            expect(page.get_by_text("Nothing has changed yet")).to_be_visible()
            expect(page.get_by_text("1 brand-account authorization revoked")).to_be_visible()
            expect(page.get_by_text("@socialhub")).to_be_visible()
            leaver.refresh_from_db()
            assert leaver.is_active, "nothing happens before the confirmation"
            self.shot(f"offboard-confirm-{width}")
            page.get_by_role("button", name=f"Yes, offboard Lee Leaving {width}").click()
            expect(page.get_by_text(f"Lee Leaving {width} is offboarded")).to_be_visible()
            leaver.refresh_from_db()
            assert not leaver.is_active
            assert self.console_errors == []
