"""The shell every page shares: navigation, htmx with CSRF, security headers, static files."""

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_home_greets_and_links_the_sections(client_employee):
    response = client_employee.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Good to see you, Ana Garcia" in body
    labels = [item.label for item in response.context["navigation"]]
    assert labels[:1] == ["Feed"] and "People" in labels
    assert "Admin" not in labels


def test_admins_see_the_admin_link(admin_user):
    response = client_for(admin_user).get("/")
    assert "Admin" in [item.label for item in response.context["navigation"]]
    assert client_for(admin_user).get("/admin/").status_code == 200


def test_employees_cannot_open_the_admin(client_employee):
    response = client_employee.get("/admin/")
    assert response.status_code == 302


def test_htmx_is_served_locally_with_the_csrf_header(client_employee):
    body = client_employee.get("/").content.decode()
    assert "/static/django_htmx/htmx" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert "https://" not in body.split("<body")[0]  # no CDN in the head


def test_static_files_are_served(client_employee):
    from django.test import Client

    body = client_employee.get("/").content.decode()
    assert "/static/css/socialhub.css" in body
    response = Client().get("/static/css/socialhub.css")
    assert response.status_code == 200


def test_security_headers(client_employee):
    response = client_employee.get("/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_profile_completion_prompt(client_employee):
    body = client_employee.get("/").content.decode()
    assert "Complete your profile" in body and "a photo" in body


def test_unsafe_htmx_request_without_csrf_token_is_refused(employee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    response = client.post(reverse("people:token"), headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_admin_manages_people_data(admin_user, employee):
    client = client_for(admin_user)
    assert client.get("/admin/people/profile/?q=ana").status_code == 200
    assert client.get("/admin/people/department/").status_code == 200
    assert client.get(f"/admin/auth/user/{employee.pk}/change/").status_code == 200


def test_the_bar_marks_the_page_s_section_and_nothing_else(client_employee):
    people = client_employee.get("/people/").content.decode()
    assert '<a href="/people/" aria-current="page">People</a>' in people
    assert '<a href="/" aria-current' not in people and '<a href="/">Feed</a>' in people
    feed = client_employee.get("/").content.decode()
    assert '<a href="/" aria-current="page">Feed</a>' in feed
    assert '<a href="/people/">People</a>' in feed


def test_each_person_gets_the_bar_and_menu_of_their_own_roles(admin_user, employee):
    # The admin's markup is kept first; the employee's page must not reuse it.
    admin_page = client_for(admin_user).get("/people/").content.decode()
    assert f'<a href="{reverse("admin:index")}">Admin</a>' in admin_page
    page = client_for(employee).get("/people/").content.decode()
    assert "Admin</a>" not in page and 'aria-current="page">People</a>' in page


def test_the_bell_shows_each_person_s_own_count(employee, colleague):
    from notifications import services

    for n in range(3):
        services.notify(recipient=employee, kind="mention", actor=colleague, text=f"n{n}")
    mine = client_for(employee).get("/people/").content.decode()
    theirs = client_for(colleague).get("/people/").content.decode()
    assert 'data-count="3"' in mine and "3 unread" in mine
    assert 'data-count="0"' in theirs and " unread</span>" not in theirs


def test_every_page_carries_the_configured_policy(client_employee):
    from csp.utils import build_policy

    for url in ("/", "/people/", "/api/v1/people/", "/accounts/login/"):
        response = client_employee.get(url)
        assert response["Content-Security-Policy"] == build_policy(), url
    assert "Content-Security-Policy-Report-Only" not in response


def test_changed_policy_settings_change_the_header(client_employee, settings):
    client_employee.get("/people/")  # the configured policy is kept first
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'none'"]}}
    response = client_employee.get("/people/")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "img-src 'none'" in response["Content-Security-Policy-Report-Only"]


def test_a_response_a_view_changed_keeps_its_own_policy(rf):
    from django.http import HttpResponse

    from core.csp import CSPMiddleware

    middleware = CSPMiddleware(lambda request: response)
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://images.example"]}
    request = rf.get("/")
    middleware.process_request(request)
    policy = middleware.process_response(request, response)["Content-Security-Policy"]
    assert "https://images.example" in policy.split("img-src")[1].split(";")[0]
    exempt = HttpResponse("x")
    exempt._csp_exempt = True
    assert "Content-Security-Policy" not in middleware.process_response(rf.get("/"), exempt)
