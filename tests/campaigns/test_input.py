"""Bad input gets a 400 naming the field; user text comes out inert; photos follow the
file rules; shares take only http(s) links."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns import services
from campaigns.models import Contribution, Share
from tests.images import bomb

from ..conftest import client_for
from ..xss import assert_inert, payloads
from .api_routes import ROUTES
from .conftest import CREATE_FIELDS, make_campaign, png

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("brief", "x" * 50_000),
        ("hashtag", "two words"),
        ("hashtag", "#"),
        ("guidance", "\x00"),
        ("starts_at", "tomorrow"),
        ("ends_at", "2029-12-31T09:00:00+01:00"),
        ("ends_at", 7),
        ("title", "مرحبا 👋" * 40),
    ],
)
def test_bad_campaign_input_names_the_field(social, field, value):
    body = {**CREATE_FIELDS, field: value}
    response = client_for(social).post("/api/v1/campaigns/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_field_is_named(social):
    body = {**CREATE_FIELDS, "hashtagg": "x"}
    response = client_for(social).post("/api/v1/campaigns/", body, content_type="application/json")
    assert response.status_code == 400
    assert "hashtagg" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "ok", "consent": "perhaps"}, "consent"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_contribution_names_the_field(employee, campaign, body, field):
    url = f"/api/v1/campaigns/{campaign.pk}/contributions/"
    response = client_for(employee).post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_photo_must_be_a_readable_image(employee, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(employee)
    url = f"/api/v1/campaigns/{campaign.pk}/contributions/"
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(url, {"text": "With a photo", "image": fake})
    assert response.status_code == 400
    assert "image" in response.json()
    html = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    assert "image" in client.post(url, {"text": "x", "image": html}).json()
    huge = client.post(url, {"text": "x", "image": bomb()})  # 30000 x 30000: never decoded
    assert huge.status_code == 400
    assert huge.json()["image"] == [
        "The photo is too large in pixels: images of up to 89 million pixels are taken."
    ]
    assert not Contribution.objects.exists()


def test_photo_is_stored_under_a_random_name_and_served_through_its_row(
    employee, colleague, campaign
):
    response = client_for(employee).post(
        f"/api/v1/campaigns/{campaign.pk}/contributions/",
        {"text": "My class of 1998", "consent": "true", "image": png("../../etc/passwd.png")},
    )
    assert response.status_code == 201
    item = Contribution.objects.get()
    assert re.fullmatch(r"campaigns/\d{4}/\d{2}/[0-9a-f]{32}\.png", item.image.name)
    photo = client_for(colleague).get(response.json()["image_url"])
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert photo["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    ("size", "orientation", "box"),
    [
        ((640, 360), None, (640, 360)),
        ((1200, 1600), None, (315, 420)),  # scaled to the 420 px the page shows at most
        ((1600, 1200), 6, (315, 420)),  # a camera's quarter turn: shown upright
    ],
)
def test_a_photo_keeps_its_size_so_the_page_reserves_its_box(
    employee, social, campaign, size, orientation, box
):
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("RGB", size, "blue").save(buffer, "JPEG", exif=exif)
    photo = SimpleUploadedFile("class.jpg", buffer.getvalue(), content_type="image/jpeg")
    item = services.contribute(
        actor=employee, campaign=campaign, text="My class", consent=True, image=photo
    )
    item.refresh_from_db()
    assert item.image_box == box
    page = client_for(social).get(campaign.get_absolute_url()).content.decode()
    name = employee.profile.display_name
    assert f'alt="Photo by {name}" width="{box[0]}" height="{box[1]}"' in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"platform": "myspace", "url": "https://myspace.com/x"}, "platform"),
        ({"platform": "x", "url": "javascript:alert(1)"}, "url"),
        ({"platform": "x", "url": "ftp://x.com/a"}, "url"),
        ({"platform": "x", "url": "https://"}, "url"),
        ({"platform": "x", "url": "https://x.com/" + "a" * 600}, "url"),
        ({"platform": "x", "url": "https://x.com/a b"}, "url"),
        ({"platform": "x"}, "url"),
    ],
)
def test_bad_share_names_the_field(rep, share_post, body, field):
    url = f"/api/v1/campaigns/{share_post.campaign_id}/posts/{share_post.pk}/shares/"
    response = client_for(rep).post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Share.objects.exists()


def test_the_same_link_is_recorded_once(rep, share_post):
    url = f"/api/v1/campaigns/{share_post.campaign_id}/posts/{share_post.pk}/shares/"
    body = {"platform": "linkedin", "url": "https://www.linkedin.com/posts/rita-1"}
    client = client_for(rep)
    assert client.post(url, body, content_type="application/json").status_code == 201
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 400
    assert "url" in second.json()
    assert Share.objects.count() == 1


def test_page_form_errors_are_shown_not_500(rep, share_post):
    response = client_for(rep).post(
        f"/campaigns/{share_post.campaign_id}/shares/{share_post.pk}/record/",
        {"platform": "x", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert b"Paste the http(s) link" in response.content


def test_xss_vectors_are_inert_on_brief_story_and_suggested_text(social, employee, rep):
    vectors = payloads()
    campaign = make_campaign(social, brief="\n\n".join(vectors), guidance="\n".join(vectors))
    for vector in vectors[:40]:
        item = services.contribute(actor=employee, campaign=campaign, text=vector, consent=True)
        services.pick_contribution(actor=social, contribution=item, suggested_text=vector)
    for client in (client_for(social), client_for(rep), client_for(employee)):
        for path in ("", "shares/", "report/"):
            response = client.get(f"/campaigns/{campaign.pk}/{path}")
            if response.status_code == 200:
                assert_inert(response.content.decode())
    data = client_for(employee).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert_inert(data["brief_html"], fragment=True)


def test_csv_report_cells_cannot_start_a_formula(social, campaign):
    from people.models import Department

    profile = social.profile
    profile.department = Department.objects.create(name="=HYPERLINK(1)", slug="evil")
    profile.save()
    services.contribute(actor=social, campaign=campaign, text="story", consent=True)
    body = client_for(social).get(f"/campaigns/{campaign.pk}/report.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_every_campaigns_route_is_in_the_schema(openapi_schema):
    schema = openapi_schema
    for route in ROUTES:
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        assert path in schema["paths"], route
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["campaigns"]


def test_too_long_suggested_text_on_the_page_says_so(social, contribution):
    client = client_for(social)
    response = client.post(
        f"/campaigns/{contribution.campaign_id}/contributions/{contribution.pk}/pick/",
        {"suggested_text": "x" * 2001},
        follow=True,
    )
    assert b"Suggested text is at most 2,000 characters." in response.content
    assert not hasattr(Contribution.objects.get(), "share_post")
