"""The people API: list, detail, me, avatar, departments; bad input is a 400 naming the field."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from people.models import Profile

from ..factories import make_person
from ..images import bomb

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(employee) -> APIClient:
    client = APIClient()
    client.force_authenticate(employee)
    return client


def usernames(response) -> list[str]:
    return [p["username"] for p in response.json()["results"]]


def test_list_people_with_filters(api, colleague):
    assert usernames(api.get("/api/v1/people/")) == ["ana.garcia", "ben.okafor"]
    assert usernames(api.get("/api/v1/people/", {"department": "finance"})) == ["ben.okafor"]
    assert usernames(api.get("/api/v1/people/", {"skill": "python"})) == ["ana.garcia"]
    assert usernames(api.get("/api/v1/people/", {"skill": "Python"})) == ["ana.garcia"]
    assert usernames(api.get("/api/v1/people/", {"q": "okaf"})) == ["ben.okafor"]


def test_list_item_shape(api, colleague):
    item = api.get("/api/v1/people/", {"q": "ben"}).json()["results"][0]
    assert item["display_name"] == "Ben Okafor"
    assert item["department"] == {
        "id": colleague.profile.department_id,
        "name": "Finance",
        "slug": "finance",
    }
    assert item["skills"] == ["billing", "invoices"]
    assert item["working_days"] == [1, 2, 3, 4, 5]
    assert item["url"].endswith("/people/ben.okafor/")


def test_the_people_list_shows_what_the_declared_fields_would(api, colleague, engineering):
    """ProfileSerializer reads its fields directly (issue 18); the same as DRF's generic
    to_representation of the declared fields, for a full and a sparse profile."""
    import datetime as dt

    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from people import api as people_api
    from people import selectors
    from people.serializers import ProfileSerializer

    boss = make_person("boss.full", display_name="Boss Full", department=engineering)
    make_person(
        "full.person",
        display_name="Fülle Person",
        department=engineering,
        title="Engineer",
        manager=boss,
        skills=("go", "rust"),
        location="Berlin",
        bio="Bio",
        ask_me_about="Go",
        out_of_office_until=dt.date.today() + dt.timedelta(days=3),
        working_days="135",
    )
    request = APIRequestFactory().get("/api/v1/people/")
    profiles = selectors.with_skills(
        list(people_api._for_output(selectors.visible_profiles(colleague)))
    )
    assert len(profiles) >= 4
    for profile in profiles:
        serializer = ProfileSerializer(profile, context={"request": request})
        generic = serializers.Serializer.to_representation(serializer, profile)
        assert serializer.to_representation(profile) == dict(generic)
        assert list(serializer.to_representation(profile)) == list(generic)


def test_cursor_pages_cover_everyone_once(api, engineering):
    for i in range(11):
        make_person(f"z{i:02}", display_name=f"Zed {i:02}", department=engineering)
    url, seen = "/api/v1/people/?page_size=5", []
    while url:
        body = api.get(url).json()
        seen += [p["username"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == 12 and len(set(seen)) == 12


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),  # valid base64 JSON of the wrong shape
        ({"page_size": "many"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"department": "nope"}, "department"),
        ({"skill": "underwater basket weaving"}, "skill"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/people/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_people_list_query_count_is_constant(api, engineering, django_assert_num_queries):
    for i in range(30):
        make_person(f"q{i}", department=engineering, skills=("a", "b", f"c{i}"))
    for size in (2, 25):
        # people page (with managers' usernames), the skills of those not kept (people.api:
        # _person_texts), then a page of people all kept: its own query only
        with django_assert_num_queries(2):
            assert api.get("/api/v1/people/", {"page_size": size}).status_code == 200
        with django_assert_num_queries(1):
            assert api.get("/api/v1/people/", {"page_size": size}).status_code == 200


def test_kept_entries_are_what_the_serializer_writes_and_follow_every_change(
    api, employee, colleague, finance, django_capture_on_commit_callbacks
):
    """The list keeps each person's JSON (people.api._person_texts); a kept entry reads as
    ProfileSerializer writes it afresh, and any change to what it shows (a profile, the
    manager's username, the department's name, a skill, an absence) or to who may be shown
    is on the next page; the links follow the address asked."""
    from django.test import RequestFactory
    from django.utils import timezone

    from people.models import Skill
    from people.serializers import ProfileSerializer

    def listed(**extra) -> dict:
        response = api.get("/api/v1/people/", **extra)
        return {p["username"]: p for p in response.json()["results"]}

    def fresh(user, host="testserver") -> dict:
        profile = Profile.objects.select_related("user", "department").get(user=user)
        profile.manager_username = profile.manager.user.username if profile.manager else None
        request = RequestFactory().get("/", HTTP_HOST=host)
        return ProfileSerializer(
            profile, context={"request": request, "today": timezone.localdate()}
        ).data

    profile = colleague.profile
    with django_capture_on_commit_callbacks(execute=True):
        profile.manager = employee.profile
        profile.bio = "Numbers, mostly."
        profile.save()
    first, kept = listed(), listed()
    assert first == kept and kept["ben.okafor"] == fresh(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        employee.username = "ana.g"
        employee.save()
    assert listed()["ben.okafor"]["manager"] == "ana.g"
    with django_capture_on_commit_callbacks(execute=True):
        finance.name = "Money"
        finance.save()
    assert listed()["ben.okafor"]["department"]["name"] == "Money"
    with django_capture_on_commit_callbacks(execute=True):
        skill = Skill.objects.get(slug="billing")
        skill.name = "Billing runs"
        skill.save()
    assert "Billing runs" in listed()["ben.okafor"]["skills"]
    with django_capture_on_commit_callbacks(execute=True):
        profile.out_of_office_until = timezone.localdate() + dt.timedelta(days=2)
        profile.save()
    assert listed()["ben.okafor"]["out_of_office"] is True
    assert listed()["ben.okafor"] == fresh(colleague)
    other = listed(HTTP_HOST="localhost")["ben.okafor"]["url"]
    assert other.startswith("http://localhost/") and other == fresh(colleague, "localhost")["url"]
    colleague.is_active = False  # even before anything is forgotten: the page decides who
    colleague.save()
    assert "ben.okafor" not in listed()


def test_detail_and_unknown(api, colleague):
    assert api.get("/api/v1/people/ben.okafor/").json()["title"] == "Billing Specialist"
    assert api.get("/api/v1/people/ghost/").status_code == 404
    colleague.is_active = False
    colleague.save()
    assert api.get("/api/v1/people/ben.okafor/").status_code == 404


def test_me_get_and_patch(api, employee, finance):
    boss = make_person("boss")
    response = api.patch(
        "/api/v1/people/me/",
        {
            "title": "Staff Engineer",
            "department": "finance",
            "manager": "boss",
            "skills": ["Go", "go", " Rust "],
            "working_days": [1, 3, 5],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Staff Engineer"
    assert body["department"]["slug"] == "finance"
    assert body["manager"] == "boss"
    assert body["skills"] == ["go", "rust"]
    profile = Profile.objects.get(user=employee)
    assert profile.manager == boss
    assert profile.working_days == "135"
    assert api.get("/api/v1/people/me/").json()["title"] == "Staff Engineer"


def test_an_unknown_department_answers_what_the_readme_says(api, employee):
    """README, "API": errors are 4xx with the field at fault, e.g.
    `{"department": ["No department has this slug."]}` — the list and PATCH alike."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = '`{"department": ["No department has this slug."]}`'
    assert documented in readme
    response = api.patch("/api/v1/people/me/", {"department": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"department": ["No department has this slug."]}
    assert api.get("/api/v1/people/", {"department": "nope"}).json() == response.json()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"department": "eng\x00"}, "department", "No department has this slug."),
        ({"department": "ingeniería"}, "department", "No department has this slug."),
        ({"skill": "py\x00thon"}, "skill", "No such skill."),
        ({"skill": "\x00"}, "skill", "No such skill."),
    ],
)
def test_a_filter_no_slug_can_be_is_a_400_naming_it(api, employee, params, field, message):
    """A NUL byte (which PostgreSQL refuses in a text) or a character no slug has in a
    filter answers 400 naming the filter, never a 500."""
    make_person("py.person", skills=("python",))
    response = api.get("/api/v1/people/", params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"department": "no-such-dept"}, "department"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 50_000}, "display_name"),
        ({"bio": "nul \x00 byte"}, "bio"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"work_start": "25:99"}, "work_start"),
        ({"working_days": [0, 9]}, "working_days"),
        ({"working_days": "weekdays"}, "working_days"),
        ({"skills": "python"}, "skills"),
        ({"skills": [{"a": 1}]}, "skills"),
        ({"manager": "ana.garcia"}, "manager"),
        ({"manager": "ghost"}, "manager"),
        ({"is_superuser": True}, "is_superuser"),
        ({"work_start": "18:00", "work_end": "09:00"}, "work_end"),
        ([1, 2, 3], "non_field_errors"),
    ],
)
def test_bad_patch_is_400_naming_the_field_and_saves_nothing(api, employee, body, field):
    response = api.patch("/api/v1/people/me/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    profile = Profile.objects.get(user=employee)
    assert (profile.display_name, profile.title) == ("Ana Garcia", "Backend Engineer")


def test_malformed_json_is_400(api):
    response = api.generic(
        "PATCH", "/api/v1/people/me/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_emoji_and_rtl_text_are_kept(api):
    response = api.patch(
        "/api/v1/people/me/", {"display_name": "نور 🚀", "bio": "مرحبا **world**"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "نور 🚀"


def test_avatar_put_and_delete(api, employee):
    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, format="GIF")
    upload = SimpleUploadedFile("a.gif", out.getvalue(), "image/gif")
    response = api.put("/api/v1/people/me/avatar/", {"avatar": upload}, format="multipart")
    assert response.status_code == 200
    assert response.json()["avatar_url"].startswith("/media/avatars/")
    bad = SimpleUploadedFile("a.gif", b"GIF89a-not-really", "image/gif")
    response = api.put("/api/v1/people/me/avatar/", {"avatar": bad}, format="multipart")
    assert response.status_code == 400 and "avatar" in response.json()
    response = api.put("/api/v1/people/me/avatar/", {"avatar": bomb()}, format="multipart")
    assert response.status_code == 400
    assert "too large in pixels" in response.json()["avatar"][0]
    assert Profile.objects.get(user=employee).avatar  # the good one is still there
    assert api.delete("/api/v1/people/me/avatar/").status_code == 204
    assert not Profile.objects.get(user=employee).avatar


def test_departments(api, engineering, finance, colleague):
    finance.parent = engineering
    finance.description = "Money <b>matters</b>"
    finance.save()
    body = api.get("/api/v1/departments/").json()
    assert [(d["slug"], d["member_count"]) for d in body] == [("engineering", 1), ("finance", 1)]
    assert body[1] == {
        "id": finance.pk,
        "name": "Finance",
        "slug": "finance",
        "description": "Money <b>matters</b>",
        "parent": "engineering",
        "member_count": 1,
    }
    assert body[0]["parent"] is None


def test_token_auth_and_anonymous(employee):
    anonymous = APIClient()
    assert anonymous.get("/api/v1/people/").status_code in (401, 403)
    token = Token.objects.create(user=employee)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/people/me/").json()["username"] == "ana.garcia"


def test_obtain_token_with_password(employee):
    from ..factories import PASSWORD

    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "ana.garcia", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=employee).key
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "ana.garcia", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400


def test_schema_and_docs(client_employee, client):
    schema = client_employee.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/people/", "/api/v1/people/me/", "/api/v1/departments/"):
        assert path in text
    docs = client_employee.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content  # no CDN
    assert client.get("/api/docs/").status_code == 302
    assert client.get("/api/schema/").status_code in (401, 403)


def test_api_docs_group_operations_by_subject(client_employee):
    import yaml

    schema = yaml.safe_load(client_employee.get("/api/schema/").content)
    tags = {
        tag
        for operations in schema["paths"].values()
        for op in operations.values()
        for tag in op.get("tags", [])
    }
    assert "v1" not in tags
    assert {"people", "groups", "posts", "questions", "policies", "notifications"} <= tags
    assert tags <= {t["name"] for t in schema["tags"]}  # each group has a description
    assert schema["paths"]["/api/v1/people/"]["get"]["tags"] == ["people"]
    docs = client_employee.get("/api/docs/").content.decode()
    assert '<html lang="en">' in docs
