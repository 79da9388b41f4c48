"""The composer as people use it a hundred times a day, at 1366 px and at 390 px: Enter in a
field never publishes, "@" and "#" complete by keyboard and mouse, the policy gate shows before
typing, a draft survives a reload and a lost connection, Preview shows what will be posted,
pictures show before they are sent, and the audience is chosen, not assumed."""

import io

from django.contrib.auth.models import Group as Role
from PIL import Image
from playwright.sync_api import expect

from feeds import services as feeds
from feeds.models import Post
from groups import services as groups
from policies import services as policies
from policies.models import PolicySettings

from ..factories import DepartmentFactory, make_person
from .base import BrowserTestCase


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "#3b3fd8").save(out, "PNG")
    return out.getvalue()


class ComposerFlowTest(BrowserTestCase):
    viewport = {"width": 1366, "height": 900}
    width = "1366"

    def setUp(self):
        super().setUp()
        engineering = DepartmentFactory(name="Engineering", slug="engineering")
        self.me = make_person(
            "ana.garcia", display_name="Ana Garcia", department=engineering, title="Engineer"
        ).user
        self.ben = make_person(
            "ben.okafor", display_name="Ben Okafor", title="Billing Specialist"
        ).user
        make_person("bea.stone", display_name="Bea Stone", title="Designer")
        self.group = groups.create_group(actor=self.me, name="Platform team")
        groups.invite_member(actor=self.me, group=self.group, user=self.ben)
        self.post = feeds.create_post(
            actor=self.ben, group=self.group, body="The #platform release is out."
        )

    def box(self):
        return self.page.get_by_label("Write a post")

    def choose_group(self):
        self.page.get_by_label("Post in").select_option(label="Platform team")

    def test_enter_in_a_field_never_publishes(self):
        page = self.page
        self.sign_in("/")
        self.choose_group()
        self.box().fill("Half a thought")
        # Every field of every form that carries a text: Enter stays in the field.
        fields = page.locator(
            "form:has(textarea) input:visible:not([type=file]):not([type=submit]),"
            " form:has(textarea) select:visible"
        )
        assert fields.count() >= 2  # the audience and the kind, at least
        for i in range(fields.count()):
            fields.nth(i).focus()
            page.keyboard.press("Enter")
        # Enter in the text is a new line, not a post.
        self.box().press("End")
        self.box().press("Enter")
        page.wait_for_timeout(400)
        assert not Post.objects.filter(author=self.me).exists()
        expect(self.box()).to_have_value("Half a thought\n")

        # A text field beside a text anywhere (a planted one stands for any future form).
        page.evaluate(
            """() => {
              const input = document.createElement('input');
              input.type = 'text'; input.id = 'planted'; input.setAttribute('aria-label', 'x');
              document.querySelector('#compose .compose-tools').prepend(input);
            }"""
        )
        page.locator("#planted").press("Enter")
        page.wait_for_timeout(400)
        assert not Post.objects.filter(author=self.me).exists()

        # Ctrl+Enter in the text, like the button, publishes.
        self.box().press("Control+Enter")
        expect(page.locator("article.post").filter(has_text="Half a thought")).to_be_visible()
        assert Post.objects.filter(author=self.me, group=self.group).count() == 1

    def test_mentions_and_topics_by_keyboard_and_mouse(self):
        page = self.page
        self.sign_in(f"/groups/{self.group.slug}/")
        box = self.box()
        box.press_sequentially("Thanks @b", delay=30)
        listbox = page.get_by_role("listbox", name="People to mention")
        expect(listbox).to_be_visible()
        expect(listbox.get_by_role("option")).to_have_count(2)  # Ben and Bea, active people
        expect(listbox.get_by_role("option").first).to_contain_text("Bea Stone")
        expect(listbox).to_contain_text("Billing Specialist")
        expect(box).to_have_attribute("aria-controls", "compose-body-suggestions")
        expect(box).to_have_attribute("aria-activedescendant", "compose-body-suggestions-0")
        self.shot(f"composer-mention-{self.width}")
        page.keyboard.press("ArrowDown")
        expect(listbox.get_by_role("option", name="Ben Okafor")).to_have_attribute(
            "aria-selected", "true"
        )
        page.keyboard.press("Enter")
        expect(listbox).to_be_hidden()
        expect(box).to_have_value("Thanks @ben.okafor ")
        assert not Post.objects.filter(author=self.me).exists()  # Enter picked, not posted

        # Escape closes without changing the text.
        box.press_sequentially("and @be", delay=30)
        expect(listbox).to_be_visible()
        page.keyboard.press("Escape")
        expect(listbox).to_be_hidden()
        expect(box).to_have_value("Thanks @ben.okafor and @be")
        # The mouse picks too.
        box.press_sequentially("a", delay=30)
        listbox.get_by_role("option", name="Bea Stone").click()
        expect(box).to_have_value("Thanks @ben.okafor and @bea.stone ")

        # "#" and a letter: the topics people already use; Tab picks.
        box.press_sequentially("for #pla", delay=30)
        topics = page.get_by_role("listbox", name="Topics")
        expect(topics.get_by_role("option", name="#platform")).to_be_visible()
        page.keyboard.press("Tab")
        expect(box).to_have_value("Thanks @ben.okafor and @bea.stone for #platform ")

        page.get_by_role("button", name="Post", exact=True).click()
        card = page.locator("article.post").filter(has_text="Thanks")
        expect(card.get_by_role("link", name="Ben Okafor")).to_have_attribute(
            "href", "/people/ben.okafor/"
        )
        expect(card.get_by_role("link", name="#platform")).to_be_visible()
        expect(card).not_to_contain_text("@ben.okafor")

        # The same in a comment, on the card as the page renders it. (On the production stack
        # the post's own card can come first over the socket, rendered for no one in
        # particular: its comment box gets the suggestions after a reload; see the README's
        # known limits of live updates.)
        page.reload()
        card = page.locator("article.post").filter(has_text="Thanks")
        comment = card.get_by_label("Write a comment")
        comment.press_sequentially("cc @oka", delay=30)
        expect(card.get_by_role("listbox", name="People to mention")).to_be_visible()
        page.keyboard.press("Enter")
        expect(comment).to_have_value("cc @ben.okafor ")
        card.get_by_role("button", name="Comment", exact=True).click()
        expect(card.locator(".comment").get_by_role("link", name="Ben Okafor")).to_be_visible()
        assert self.console_errors == []

    def test_an_edit_completes_mentions_too(self):
        mine = feeds.create_post(actor=self.me, group=self.group, body="Draft plan")
        page = self.page
        self.sign_in(f"/posts/{mine.pk}/edit/")
        text = page.get_by_label("Text")
        text.press("End")
        text.press_sequentially(" for @bea", delay=30)
        expect(page.get_by_role("listbox", name="People to mention")).to_be_visible()
        page.keyboard.press("Enter")
        expect(text).to_have_value("Draft plan for @bea.stone ")
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator(".post .prose").get_by_role("link", name="Bea Stone")).to_be_visible()
        # The edit's draft went with the save.
        page.goto(f"{self.live_server_url}/posts/{mine.pk}/edit/")
        expect(page.get_by_label("Text")).to_have_value("Draft plan for @bea.stone")

    def test_the_audience_is_chosen_and_then_remembered(self):
        page = self.page
        self.sign_in("/")
        select = page.get_by_label("Post in")
        expect(select).to_have_value("")
        expect(select.locator("option:checked")).to_have_text("Choose where to post…")
        self.box().fill("Where does this go?")
        page.get_by_role("button", name="Post", exact=True).click()
        error = page.get_by_text("Choose where to post: pick a group")
        expect(error).to_be_visible()
        expect(select).to_have_attribute("aria-invalid", "true")
        expect(select).to_be_focused()
        self.shot(f"composer-audience-required-{self.width}")
        assert not Post.objects.filter(author=self.me).exists()

        # The server says the same when the browser's check is bypassed.
        response = page.request.post(
            self.live_server_url + "/posts/new/",
            form={"body": "sneaky", "from": "home", "group": ""},
            headers={
                "X-CSRFToken": page.locator(
                    "#compose input[name=csrfmiddlewaretoken]"
                ).first.input_value(),
                "HX-Request": "true",
            },
        )
        assert response.status == 400
        assert "Choose where to post" in response.text()
        assert not Post.objects.filter(author=self.me).exists()

        self.choose_group()
        expect(error).to_be_hidden()
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("article.post").filter(has_text="Where does this go?")).to_be_visible()
        assert Post.objects.get(author=self.me).group == self.group
        page.reload()
        expect(page.get_by_label("Post in")).to_have_value(self.group.slug)

    def test_a_draft_survives_a_reload_an_error_and_a_lost_connection(self):
        page = self.page
        self.sign_in("/")
        self.box().fill("A long draft I would hate to lose")
        page.reload()
        expect(self.box()).to_have_value("A long draft I would hate to lose")

        # Offline: the post cannot go, the text stays, and says so.
        self.choose_group()
        self.context.set_offline(True)
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("#compose .htmx-error")).to_contain_text("Your text is still here")
        expect(self.box()).to_have_value("A long draft I would hate to lose")
        self.context.set_offline(False)
        page.reload()
        expect(self.box()).to_have_value("A long draft I would hate to lose")

        # Published: the draft is gone.
        self.choose_group()
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("article.post").filter(has_text="A long draft")).to_be_visible()
        expect(self.box()).to_have_value("")
        page.reload()
        expect(self.box()).to_have_value("")

        # A comment's draft too.
        card = page.locator("article.post").filter(has_text="A long draft")
        card.get_by_label("Write a comment").fill("Half a comment")
        page.reload()
        card = page.locator("article.post").filter(has_text="A long draft")
        expect(card.get_by_label("Write a comment")).to_have_value("Half a comment")

    def test_preview_and_pictures_before_posting(self):
        page = self.page
        self.sign_in(f"/groups/{self.group.slug}/")
        self.box().fill("**Big** news for @ben.okafor <script>alert(1)</script>")
        page.get_by_role("tab", name="Preview").click()
        panel = page.get_by_role("tabpanel", name="Preview")
        expect(panel.locator("strong")).to_have_text("Big")
        expect(panel.get_by_role("link", name="Ben Okafor")).to_be_visible()
        expect(panel).to_contain_text("<script>alert(1)</script>")  # shown as text
        expect(self.box()).to_be_hidden()
        page.get_by_label("Attach", exact=True).set_input_files(
            [
                {"name": "chart.png", "mimeType": "image/png", "buffer": png()},
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"},
            ]
        )
        previews = page.get_by_role("list", name="Chosen files")
        expect(previews.get_by_role("img", name="chart.png")).to_be_visible()
        expect(previews).to_contain_text("notes.txt")
        self.shot(f"composer-preview-{self.width}")
        page.get_by_role("tab", name="Write").click()
        expect(self.box()).to_be_focused()
        assert not Post.objects.filter(author=self.me).exists()
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("article.post").filter(has_text="Big news")).to_be_visible()
        expect(previews).to_be_hidden()
        assert Post.objects.get(author=self.me).attachments.count() == 2
        assert self.console_errors == []  # blob: images pass the CSP

    def test_the_policy_gate_shows_before_typing(self):
        admin = make_person("alex.admin", display_name="Alex Admin").user
        admin.groups.add(Role.objects.get_or_create(name="admin")[0])
        policies.update_settings(
            actor=admin,
            acknowledgement_gate=PolicySettings.Gate.POSTING,
            engagement_model=PolicySettings.Engagement.COMMAND_AND_CONTROL,
            reminder_days=7,
            designated_departments=[],
        )
        version = policies.create_version(actor=admin, title="Social media policy", body="Be kind")
        policies.publish_version(actor=admin, version=version)
        page = self.page
        self.sign_in("/")
        gate = page.locator("#compose-gate")
        expect(gate).to_contain_text("Posting waits for the social media policy")
        expect(gate.get_by_role("link", name="Read and acknowledge")).to_have_attribute(
            "href", "/policies/"
        )
        expect(self.box()).to_have_count(0)
        card = page.locator("article.post").filter(has_text="release is out")
        expect(card.get_by_text("Commenting waits for the social media policy")).to_be_visible()
        expect(card.get_by_label("Write a comment")).to_have_count(0)
        self.shot(f"composer-gate-{self.width}")

    def test_the_composer_looks_right(self):
        page = self.page
        self.sign_in("/")
        expect(self.box()).to_be_visible()
        self.shot(f"composer-home-{self.width}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"the page scrolls sideways ({width}px)"
        page.goto(f"{self.live_server_url}/posts/{self.post.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Post by Ben Okafor in Platform team"
        )
        link = page.locator(".post .prose a").first
        assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
        self.shot(f"composer-post-page-{self.width}")


class ComposerPhoneFlowTest(ComposerFlowTest):
    viewport = {"width": 390, "height": 844}
    width = "390"
