"""The policies API end to end, as an admin and an employee would use it."""

import pytest

from policies import selectors
from policies.models import PolicyVersion

from ..conftest import client_for
from .conftest import right_answers

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_admin_drafts_attaches_a_quiz_and_publishes(admin_user, employee):
    client = client_for(admin_user)
    created = client.post(
        "/api/v1/policies/versions/",
        {"title": "Policy", "body": "# Rules\n\nBe kind.", "change_note": "First"},
        content_type=JSON,
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    number = created.json()["number"]
    quiz = {
        "pass_mark": 100,
        "questions": [
            {"text": "Kind?", "choices": [{"text": "Yes", "correct": True}, {"text": "No"}]}
        ],
    }
    response = client.put(f"/api/v1/policies/versions/{number}/quiz/", quiz, content_type=JSON)
    assert response.status_code == 200
    assert "correct" not in response.content.decode()
    edited = client.patch(
        f"/api/v1/policies/versions/{number}/", {"title": "Our policy"}, content_type=JSON
    )
    assert edited.json()["title"] == "Our policy"
    published = client.post(f"/api/v1/policies/versions/{number}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client.post(f"/api/v1/policies/versions/{number}/publish/").status_code == 400

    me = client_for(employee)
    current = me.get("/api/v1/policies/current/").json()
    assert (current["number"], current["acknowledged_at"], current["has_quiz"]) == (1, None, True)
    assert "<h" in current["body_html"]
    ack = me.post(f"/api/v1/policies/versions/{number}/acknowledge/")
    assert ack.status_code == 201 and ack.json()["version"] == 1
    quiz_body = me.get("/api/v1/policies/quiz/").json()
    question = quiz_body["questions"][0]
    yes = next(c["id"] for c in question["choices"] if c["text"] == "Yes")
    attempt = me.post(
        "/api/v1/policies/quiz/attempts/",
        {"answers": {str(question["id"]): yes}},
        content_type=JSON,
    )
    assert attempt.status_code == 201
    assert attempt.json() | {"created_at": None} == {
        "score": 100,
        "passed": True,
        "pass_mark": 100,
        "certified": True,
        "created_at": None,
    }
    reps = me.get("/api/v1/policies/representatives/").json()["results"]
    assert [r["person"]["username"] for r in reps] == [employee.username]
    status = me.get("/api/v1/policies/me/").json()
    assert status == {
        "current_version": 1,
        "acknowledged": True,
        "may_post": True,
        "may_reply_publicly": False,  # command and control by default
        "certified": True,
    }


def test_no_policy_yet(client_employee):
    assert client_employee.get("/api/v1/policies/current/").status_code == 404
    assert client_employee.get("/api/v1/policies/quiz/").status_code == 404
    assert client_employee.get("/policies/").status_code == 200
    assert client_employee.get("/api/v1/policies/me/").json()["current_version"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T"}, "body"),
        ({"title": "T", "body": "x" * 50_001}, "body"),
        ({"title": "T", "body": "ok", "extra": 1}, "extra"),
        ({"title": ["T"], "body": "ok"}, "title"),
        (
            {"title": "T", "body": "ok", "requires_recertification": "maybe"},
            "requires_recertification",
        ),
    ],
)
def test_bad_version_input_is_a_400_naming_the_field(admin_user, body, field):
    response = client_for(admin_user).post("/api/v1/policies/versions/", body, content_type=JSON)
    assert response.status_code == 400 and field in response.json()
    assert not PolicyVersion.objects.exists()


def test_nul_bytes_emoji_and_rtl_are_kept_or_cleaned_never_a_500(admin_user):
    response = client_for(admin_user).post(
        "/api/v1/policies/versions/",
        {"title": "Politique 🌍 سياسة", "body": "Texte\u0000 avec émoji 🎉 et עברית"},
        content_type=JSON,
    )
    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert "\x00" not in response.json()["body"]


def test_version_list_queries_do_not_grow(admin_user, policy, django_assert_num_queries):
    from policies import services

    client = client_for(admin_user)
    client.get("/api/v1/policies/versions/")
    # session, user, the page of versions (admins are superusers here: no roles query)
    with django_assert_num_queries(3):
        client.get("/api/v1/policies/versions/")
    for i in range(10):
        services.create_version(actor=admin_user, title=f"Draft {i}", body="text")
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/policies/versions/").json()["results"]) == 11


def test_representatives_list_queries_do_not_grow(
    admin_user, employee, policy, django_assert_num_queries
):
    from policies import services

    from ..factories import make_person

    def certify(user):
        services.acknowledge_version(actor=user, version=policy)
        services.submit_quiz(actor=user, quiz=policy.quiz, answers=right_answers(policy.quiz))

    certify(employee)
    client = client_for(employee)
    client.get("/api/v1/policies/representatives/")
    with django_assert_num_queries(3):  # session, user, the page with profiles
        client.get("/api/v1/policies/representatives/")
    for i in range(10):
        certify(make_person(f"rep{i}").user)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/policies/representatives/").json()["results"]) == 11
    assert selectors.is_certified(employee)
