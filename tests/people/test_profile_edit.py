"""Editing my profile: what saves, and bad input that saves nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.models import Profile

from ..factories import make_person
from ..images import bomb

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "display_name": "Ana García",
        "title": "Staff Engineer",
        "department": "",
        "manager": "",
        "location": "Lisbon",
        "timezone": "Europe/Lisbon",
        "work_start": "08:30",
        "work_end": "16:30",
        "working_days": ["1", "2", "3", "4"],
        "out_of_office_until": "",
        "skills": "Python,  Kubernetes ; PYTHON, data viz",
        "ask_me_about": "Postgres tuning",
        "bio": "Hello **team**",
    }
    data.update(changes)
    return data


def image_bytes(fmt="PNG", size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def test_edit_saves_every_field_and_normalizes_skills(client_employee, employee, finance):
    manager = make_person("boss", display_name="Bo Boss")
    response = client_employee.post(
        reverse("people:edit"), form_data(department=finance.pk, manager="boss")
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=employee)
    assert profile.display_name == "Ana García"
    assert profile.department == finance
    assert profile.manager == manager
    assert profile.timezone == "Europe/Lisbon"
    assert profile.working_days == "1234"
    assert profile.ask_me_about == "Postgres tuning"
    assert sorted(s.name for s in profile.skills.all()) == ["data viz", "kubernetes", "python"]


def test_edit_page_prefills_current_values(client_employee):
    response = client_employee.get(reverse("people:edit"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["display_name"] == "Ana Garcia"
    assert form.initial["skills"] == "postgresql, python"


def test_avatar_upload_is_cropped_square_and_reencoded(client_employee, employee):
    upload = SimpleUploadedFile("me.jpg", image_bytes("JPEG", (400, 300)), "image/jpeg")
    response = client_employee.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    assert response.status_code == 302
    profile = Profile.objects.get(user=employee)
    assert profile.avatar.name.endswith(".png")
    with Image.open(profile.avatar.path) as stored:
        assert stored.size == (256, 256) and stored.format == "PNG"
    served = client_employee.get(profile.avatar.url)
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"


def test_media_needs_sign_in(client, client_employee, employee):
    upload = SimpleUploadedFile("me.png", image_bytes(), "image/png")
    client_employee.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    url = Profile.objects.get(user=employee).avatar.url
    assert client.get(url).status_code == 302  # to the sign-in page


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("evil.png", b"<script>alert(1)</script>", "image/png"),
        ("doc.pdf", b"%PDF-1.4 not an image", "application/pdf"),
        ("pic.bmp", None, "image/bmp"),
    ],
)
def test_wrong_avatar_type_is_a_form_error_and_saves_nothing(
    client_employee, employee, name, content, content_type
):
    if content is None:
        content = image_bytes("BMP")
    upload = SimpleUploadedFile(name, content, content_type)
    response = client_employee.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["avatar"]
    profile = Profile.objects.get(user=employee)
    assert profile.display_name == "Ana Garcia"  # nothing of the form was saved
    assert not profile.avatar


def test_oversize_avatar_is_refused(client_employee, employee, settings):
    settings.AVATAR_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.png", image_bytes(size=(800, 800)), "image/png")
    response = client_employee.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    assert response.status_code == 400
    assert "limit" in response.context["form"].errors["avatar"][0]
    assert not Profile.objects.get(user=employee).avatar


def test_an_avatar_of_too_many_pixels_is_a_form_error_that_says_so(client_employee, employee):
    # Its header claims 30000 x 30000 pixels (3.6 GB decoded); it is refused unread.
    upload = bomb()
    response = client_employee.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["avatar"] == [
        "That image is too large in pixels: up to 40 million are taken."
    ]
    assert not Profile.objects.get(user=employee).avatar


def test_unknown_department_is_a_form_error(client_employee, employee):
    response = client_employee.post(reverse("people:edit"), form_data(department="99999"))
    assert response.status_code == 400
    assert "department" in response.context["form"].errors
    assert Profile.objects.get(user=employee).title == "Backend Engineer"


def test_manager_cycle_is_refused(client_employee, employee):
    report = make_person("rep", display_name="Rae Port", manager=employee.profile)
    response = client_employee.post(reverse("people:edit"), form_data(manager="rep"))
    assert response.status_code == 400
    assert "already reports to" in response.context["form"].errors["manager"][0]
    assert Profile.objects.get(user=employee).manager is None
    assert report.manager == employee.profile


def test_self_and_unknown_managers_are_refused(client_employee):
    me = client_employee.post(reverse("people:edit"), form_data(manager="ana.garcia"))
    assert "own manager" in me.context["form"].errors["manager"][0]
    nobody = client_employee.post(reverse("people:edit"), form_data(manager="ghost"))
    assert "ghost" in nobody.context["form"].errors["manager"][0]


def test_working_hours_must_make_sense(client_employee, employee):
    response = client_employee.post(
        reverse("people:edit"), form_data(work_start="18:00", work_end="09:00")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["work_end"]
    assert Profile.objects.get(user=employee).work_start.hour == 9


def test_empty_name_and_too_many_skills(client_employee):
    assert (
        client_employee.post(reverse("people:edit"), form_data(display_name="  "))
        .context["form"]
        .errors["display_name"]
    )
    many = ", ".join(f"skill{i}" for i in range(40))
    assert (
        client_employee.post(reverse("people:edit"), form_data(skills=many))
        .context["form"]
        .errors["skills"]
    )


def test_api_token_create_replace_revoke(client_employee, employee):
    from rest_framework.authtoken.models import Token

    client_employee.post(reverse("people:token"), {"action": "new"})
    first = Token.objects.get(user=employee).key
    client_employee.post(reverse("people:token"), {"action": "new"})
    second = Token.objects.get(user=employee).key
    assert first != second
    client_employee.post(reverse("people:token"), {"action": "revoke"})
    assert not Token.objects.filter(user=employee).exists()


def test_manager_field_shows_a_name_and_takes_a_picked_name(client_employee, employee):
    boss = make_person("boss", display_name="Bo Boss")
    response = client_employee.post(reverse("people:edit"), form_data(manager="Bo Boss (@boss)"))
    assert response.status_code == 302
    assert Profile.objects.get(user=employee).manager == boss

    page = client_employee.get(reverse("people:edit")).content.decode()
    assert 'value="Bo Boss (@boss)"' in page
    options = client_employee.get(reverse("people:suggest"), {"q": "Bo", "value": "name"})
    assert 'value="Bo Boss (@boss)"' in options.content.decode()
