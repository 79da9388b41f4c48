"""The notification center page, the badge in the shell, and marking read."""

import pytest

from notifications import services
from notifications.models import Notification
from tests.conftest import client_for
from tests.xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


def make(recipient, n=1, actor=None, **kw):
    return [
        services.notify(recipient=recipient, kind="mention", actor=actor, text=f"note {i}", **kw)
        for i in range(n)
    ]


def test_the_badge_shows_my_unread_count_on_every_page(employee, colleague):
    make(employee, 3, actor=colleague)
    make(colleague, 2, actor=employee)
    page = client_for(employee).get("/groups/").content.decode()
    assert 'id="notification-badge"' in page
    assert 'data-count="3"' in page


def test_the_count_url_returns_the_badge_fragment(employee, colleague):
    make(employee, 2, actor=colleague)
    response = client_for(employee).get("/notifications/count/")
    body = response.content.decode()
    assert body.lstrip().startswith('<a id="notification-badge"')
    assert 'data-count="2"' in body
    assert "<html" not in body


def test_the_center_lists_my_notifications_only(employee, colleague):
    make(employee, 1, actor=colleague, url="/groups/")
    services.notify(recipient=colleague, kind="mention", actor=employee, text="for ben only")
    body = client_for(employee).get("/notifications/").content.decode()
    assert "note 0" in body
    assert "for ben only" not in body


def test_load_more_walks_every_notification_once(employee, colleague):
    make(employee, 45, actor=colleague)
    client = client_for(employee)
    seen, url = [], "/notifications/"
    first = client.get(url).context
    seen += [n.pk for n in first["notifications"]]
    cursor = first["next_cursor"]
    while cursor:
        response = client.get(f"/notifications/?cursor={cursor}", HTTP_HX_REQUEST="true")
        assert b"<html" not in response.content
        seen += [n.pk for n in response.context["notifications"]]
        cursor = response.context["next_cursor"]
    assert len(seen) == len(set(seen)) == 45


def test_a_bad_cursor_is_a_400_not_a_500(client_employee):
    assert client_employee.get("/notifications/?cursor=%%%").status_code == 400


def test_unread_only_filter(employee, colleague):
    a, b = make(employee, 2, actor=colleague)
    services.mark_read(actor=employee, notification=a)
    response = client_for(employee).get("/notifications/?unread=on")
    assert [n.pk for n in response.context["notifications"]] == [b.pk]


def test_opening_a_notification_marks_it_read_and_follows_it(employee, colleague):
    (n,) = make(employee, actor=colleague, url="/groups/")
    response = client_for(employee).post(f"/notifications/{n.pk}/read/", {"go": "1"})
    assert response.status_code == 302 and response.url == "/groups/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_by_htmx_returns_the_row(employee, colleague):
    (n,) = make(employee, actor=colleague)
    response = client_for(employee).post(f"/notifications/{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert f'id="notification-{n.pk}"' in response.content.decode()
    assert "notif-unread" not in response.content.decode()


def test_someone_elses_notification_is_a_404_and_stays_unread(employee, colleague):
    (theirs,) = make(colleague, actor=employee)
    assert client_for(employee).post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(employee, colleague):
    make(employee, 3, actor=colleague)
    response = client_for(employee).post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=employee, read_at__isnull=True).exists()


def test_notification_text_is_inert(employee, colleague):
    for payload in payloads()[:40]:
        services.notify(recipient=employee, kind="mention", actor=colleague, text=payload)
    assert_inert(client_for(employee).get("/notifications/").content.decode())


# Session, user (its roles, own profile, the badge's count and the policy banner's version
# with it: people.authentication.session_user, core.session_reads), then the page: one query
# for the page of notifications with actors and their profiles (select_related), whatever its
# length.
CENTER_QUERIES = 3


def test_center_queries_do_not_grow_with_notifications(
    employee, colleague, django_assert_num_queries
):
    client = client_for(employee)
    make(employee, 2, actor=colleague)
    client.get("/notifications/")
    with django_assert_num_queries(CENTER_QUERIES):
        client.get("/notifications/")
    make(employee, 15, actor=colleague)
    with django_assert_num_queries(CENTER_QUERIES):
        client.get("/notifications/")


def test_opening_never_redirects_off_site(employee, colleague):
    (n,) = make(employee, actor=colleague, url="//evil.example.com/")
    response = client_for(employee).post(f"/notifications/{n.pk}/read/", {"go": "1"})
    assert response.url == "/notifications/"
