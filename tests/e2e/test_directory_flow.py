"""An admin sets up SCIM provisioning (creates a token, sees it once, the provider uses it,
the admin revokes it) and imports the directory from a file: dry run, then apply."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from playwright.sync_api import expect

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase

User = get_user_model()

FILE = b"""username,email,display_name,title,department,manager
ana.garcia,ana@example.com,Ana Garcia,Staff Engineer,engineering,carla.new
carla.new,carla@example.com,Carla New,Head of Engineering,Engineering,
"""


class DirectoryFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}

    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.admin = make_person("alex.admin", display_name="Alex Admin").user
        self.admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        make_person("ana.garcia", display_name="Ana Garcia", department=engineering)

    def test_token_created_used_and_revoked(self):
        page = self.page
        self.sign_in("/directory/scim-tokens/", username="alex.admin")
        page.get_by_label("Name").fill("Entra ID production")
        page.get_by_role("button", name="Create token").click()
        key = page.get_by_label("Token for Entra ID production").input_value()
        assert key.startswith("shscim_")
        expect(page.get_by_label("Tenant URL (SCIM base URL)")).to_have_value(
            self.live_server_url + "/scim/v2/"
        )
        self.shot("directory-scim-token-created")

        users = self.live_server_url + "/scim/v2/Users"
        answer = page.request.get(users, headers={"Authorization": f"Bearer {key}"})
        assert answer.status == 200 and answer.json()["totalResults"] == 2

        page.goto(self.live_server_url + "/directory/scim-tokens/")
        expect(page.get_by_text(key)).to_have_count(0)  # shown once
        page.get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
        self.shot("directory-scim-token-revoked")
        refused = page.request.get(users, headers={"Authorization": f"Bearer {key}"})
        assert refused.status == 401
        assert self.console_errors == []

        self.context.close()
        self.open_context({"width": 390, "height": 844})
        self.sign_in("/directory/scim-tokens/", username="alex.admin")
        expect(self.page.get_by_text("Revoked", exact=True)).to_be_visible()
        self.shot("directory-scim-tokens-390")

    def test_import_dry_run_then_apply(self):
        page = self.page
        self.sign_in("/directory/import/", username="alex.admin")
        page.get_by_label("Directory file (CSV)").set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": FILE}]
        )
        page.get_by_role("button", name="Dry run").click()
        expect(page.get_by_role("heading", name="Dry run: nothing changed yet")).to_be_visible()
        assert not User.objects.filter(username="carla.new").exists()
        self.shot("directory-import-dry-run")

        page.get_by_role("button", name="Apply these changes").click()
        expect(page.get_by_role("heading", name="Imported")).to_be_visible()
        assert User.objects.get(username="carla.new").profile.title == "Head of Engineering"

        self.context.close()
        self.open_context({"width": 390, "height": 844})
        self.sign_in("/directory/import/", username="alex.admin")
        self.page.get_by_label("Directory file (CSV)").set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": FILE + b"x,y\n"}]
        )
        self.page.get_by_role("button", name="Dry run").click()
        expect(self.page.get_by_text("not an email address")).to_be_visible()
        self.shot("directory-import-errors-390")
        # the refused file's page is answered 400, which Chromium logs; nothing else
        assert [e for e in self.console_errors if "status of 400" not in e] == []
