"""The expert finder: who knows about X, best match first."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import make_person

pytestmark = pytest.mark.django_db


def test_skill_beats_title_beats_bio(client_employee):
    make_person("bio", display_name="Bea Bio", bio="I once fixed a billing export.")
    make_person("title", display_name="Tim Title", title="Billing Specialist")
    make_person("skill", display_name="Sal Skill", skills=("billing",))
    make_person("other", display_name="Oz Other", skills=("python",))

    response = client_employee.get(reverse("people:experts"), {"topic": "Billing"})

    experts = response.context["experts"]
    assert [p["display_name"] for p in experts] == ["Sal Skill", "Tim Title", "Bea Bio"]
    assert experts[0]["matched"] == ["skill"]
    assert experts[2]["matched"] == ["bio"]
    assert "Matched in skill</div>" in response.content.decode()


def test_people_away_rank_after_people_in(client_employee):
    make_person(
        "away",
        display_name="Amy Away",
        skills=("gdpr",),
        out_of_office_until=timezone.localdate() + dt.timedelta(days=3),
    )
    make_person("here", display_name="Zoe Here", skills=("gdpr",))
    response = client_employee.get(reverse("people:experts"), {"topic": "gdpr"})
    experts = response.context["experts"]
    assert [p["display_name"] for p in experts] == ["Zoe Here", "Amy Away"]
    page = response.content.decode()
    assert page.index("Zoe Here") < page.index("Amy Away") < page.index("Away until")


def test_departed_people_are_not_experts(client_employee):
    gone = make_person("gone", skills=("vat",))
    gone.user.is_active = False
    gone.user.save()
    response = client_employee.get(reverse("people:experts"), {"topic": "vat"})
    assert response.context["experts"] == [] and "Nobody lists" in response.content.decode()


def test_htmx_returns_the_results_fragment(client_employee):
    make_person("skill", display_name="Sal Skill", skills=("billing",))
    response = client_employee.get(
        reverse("people:experts"), {"topic": "billing"}, headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "people/_experts.html"
    assert b"Sal Skill" in response.content and b"<html" not in response.content


def test_empty_topic_shows_the_form(client_employee):
    response = client_employee.get(reverse("people:experts"))
    assert response.status_code == 200 and response.context["experts"] == []


def test_expert_query_count_constant(client_employee, django_assert_max_num_queries):
    for i in range(25):
        make_person(f"e{i}", skills=("billing", f"x{i}", f"y{i}"))
    # 9: the first page of a fresh cache also asks the viewer's roles for the menu.
    with django_assert_max_num_queries(9):
        client_employee.get(reverse("people:experts"), {"topic": "billing"})


def test_kept_results_are_per_topic_and_follow_a_profile_change(
    client_employee, django_capture_on_commit_callbacks
):
    """Each result is kept per person and topic (people.templatetags.people.expert_items):
    the chip of the skill asked about stands out for that topic only, and an edit to the
    profile shows on the next search."""
    from people import services

    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(
            "kay.kept", display_name="Kay Kept", title="Billing lead", skills=("billing", "python")
        )

    def results(topic: str) -> str:
        return client_employee.get(reverse("people:experts"), {"topic": topic}).content.decode()

    def chip(name: str, page: str) -> str:
        return re.search(rf'<a class="(chip[^"]*)" href="[^"]*">{name}</a>', page).group(1)

    for _ in range(2):  # made, then kept
        billing, python = results("billing"), results("python")
        assert (chip("billing", billing), chip("python", billing)) == ("chip", "chip chip-quiet")
        assert (chip("billing", python), chip("python", python)) == ("chip chip-quiet", "chip")
        assert "Billing lead" in billing and "Matched in skill, title</div>" in billing
    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(actor=person.user, profile=person, data={"title": "Payments lead"})
    billing = results("billing")
    assert "Payments lead" in billing and "Billing lead" not in billing
    assert "Matched in skill</div>" in billing


def test_common_skills_are_searches_for_their_names_shown_as_text(client_employee):
    from tests.xss import assert_inert, payloads

    names = ["C&C ops", *[p for p in payloads() if len(p) <= 60][:5]]  # a skill name's length
    for n, name in enumerate(names):
        make_person(f"chip{n}", skills=(name,))
    response = client_employee.get(reverse("people:experts"))
    page = response.content.decode()
    assert '<a class="chip chip-quiet" href="?topic=C%26C%20ops">C&amp;C ops</a>' in page
    assert set(names) <= {s.name for s in response.context["popular_skills"]}
    assert_inert(page)
