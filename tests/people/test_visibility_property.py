"""Lists and details agree: a person appears in a list exactly when their detail answers 200.

Leak class 5 of SECURITY.md, as a property over random companies.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ..factories import make_person

pytestmark = pytest.mark.django_db


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(active=st.lists(st.booleans(), min_size=1, max_size=6))
def test_list_membership_matches_detail(employee, active):
    get_user_model().objects.exclude(pk=employee.pk).delete()
    for i, is_active in enumerate(active):
        profile = make_person(f"h{i}", display_name=f"Hypo {i}")
        profile.user.is_active = is_active
        profile.user.save()
    api = APIClient()
    api.force_authenticate(employee)
    web = Client()
    web.force_login(employee)

    listed = {p["username"] for p in api.get("/api/v1/people/?page_size=100").json()["results"]}
    page = {p["user__username"] for p in web.get("/people/").context["people"]}
    assert listed == page
    for i in range(len(active)):
        username = f"h{i}"
        api_ok = api.get(f"/api/v1/people/{username}/").status_code == 200
        web_ok = web.get(f"/people/{username}/").status_code == 200
        assert api_ok == web_ok == (username in listed) == active[i]
