"""A person's profile, the org chart, and what they wrote shown safely."""

import pytest
from django.urls import reverse

from ..factories import make_person
from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


def test_profile_shows_the_person(client_employee, colleague):
    response = client_employee.get(reverse("people:profile", args=["ben.okafor"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ben Okafor" in body and "Billing Specialist" in body and "Finance" in body
    assert "billing" in body and "invoices" in body


def test_my_profile_redirects_to_mine(client_employee):
    response = client_employee.get(reverse("people:me"))
    assert response.status_code == 302
    assert response.url == reverse("people:profile", args=["ana.garcia"])


def test_unknown_and_departed_people_are_404(client_employee, colleague):
    assert client_employee.get(reverse("people:profile", args=["nobody"])).status_code == 404
    colleague.is_active = False
    colleague.save()
    assert client_employee.get(reverse("people:profile", args=["ben.okafor"])).status_code == 404


def test_org_chart_shows_manager_chain_and_reports(client_employee):
    ceo = make_person("ceo", display_name="Cleo Chief", title="CEO")
    vp = make_person("vp", display_name="Victor Vice", title="VP", manager=ceo)
    me = make_person("mid", display_name="Mia Middle", title="Lead", manager=vp)
    make_person("r1", display_name="Rae One", manager=me)
    make_person("r2", display_name="Rex Two", manager=me)

    response = client_employee.get(reverse("people:org-person", args=["mid"]))

    assert [p.display_name for p in response.context["chain"]] == ["Cleo Chief", "Victor Vice"]
    assert [p.display_name for p in response.context["reports"]] == ["Rae One", "Rex Two"]
    top = client_employee.get(reverse("people:org") + "?start=top")
    assert [p.display_name for p in top.context["roots"]] == ["Cleo Chief"]


def test_org_chart_opens_on_me_with_my_manager_and_reports(client_employee, employee):
    boss = make_person("boss", display_name="Bo Boss", title="Head of Engineering")
    employee.profile.manager = boss
    employee.profile.save()
    make_person("rep", display_name="Rae Report", manager=employee.profile)

    page = client_employee.get(reverse("people:org"))

    assert page.context["person"] == employee.profile
    assert [p.display_name for p in page.context["chain"]] == ["Bo Boss"]
    assert [p.display_name for p in page.context["reports"]] == ["Rae Report"]
    assert "Where you sit" in page.content.decode()


def test_bio_markdown_is_rendered(client_employee, colleague):
    colleague.profile.bio = "I know **billing** and [our wiki](https://wiki.example.com)."
    colleague.profile.save()
    body = client_employee.get(reverse("people:profile", args=["ben.okafor"])).content.decode()
    assert "<strong>billing</strong>" in body
    assert 'href="https://wiki.example.com"' in body
    assert 'rel="nofollow noopener noreferrer"' in body


@pytest.mark.parametrize("payload", payloads())
def test_profile_fields_render_inert(client_employee, colleague, payload):
    profile = colleague.profile
    profile.bio = payload
    profile.display_name = payload[:120]
    profile.title = payload[:120]
    profile.ask_me_about = payload[:300]
    profile.save()
    body = client_employee.get(reverse("people:profile", args=["ben.okafor"])).content.decode()
    assert_inert(body)
    directory = client_employee.get(reverse("people:directory")).content.decode()
    assert_inert(directory)


@pytest.mark.parametrize("username", ["ana.garcia", "first+last@corp", "o'brien", "x y"])
def test_profile_links_match_the_url_resolver(username):
    from django.urls import reverse

    profile = make_person(username)
    assert profile.get_absolute_url() == reverse("people:profile", args=[username])
