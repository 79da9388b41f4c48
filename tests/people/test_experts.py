"""The expert finder: who knows about X, best match first."""

import datetime as dt

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
    assert [p.display_name for p in experts] == ["Sal Skill", "Tim Title", "Bea Bio"]
    assert experts[0].matched == ["skill"]
    assert experts[2].matched == ["bio"]


def test_people_away_rank_after_people_in(client_employee):
    make_person(
        "away",
        display_name="Amy Away",
        skills=("gdpr",),
        out_of_office_until=timezone.localdate() + dt.timedelta(days=3),
    )
    make_person("here", display_name="Zoe Here", skills=("gdpr",))
    experts = client_employee.get(reverse("people:experts"), {"topic": "gdpr"}).context["experts"]
    assert [p.display_name for p in experts] == ["Zoe Here", "Amy Away"]
    assert experts[1].is_out_of_office()


def test_departed_people_are_not_experts(client_employee):
    gone = make_person("gone", skills=("vat",))
    gone.user.is_active = False
    gone.user.save()
    assert client_employee.get(reverse("people:experts"), {"topic": "vat"}).context["experts"] == []


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
