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
    labels = [item["label"] for item in response.context["navigation"]]
    assert labels[:1] == ["Feed"] and "People" in labels
    assert "Admin" not in labels


def test_admins_see_the_admin_link(admin_user):
    response = client_for(admin_user).get("/")
    assert "Admin" in [item["label"] for item in response.context["navigation"]]
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
