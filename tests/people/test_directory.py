"""The people directory page: filters, keyset pages, constant query counts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import make_person

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [p["display_name"] for p in response.context["people"]]  # the page's rows


def test_directory_lists_active_colleagues(client_employee, colleague):
    gone = make_person("old.timer", display_name="Old Timer")
    gone.user.is_active = False
    gone.user.save()

    response = client_employee.get(reverse("people:directory"))

    assert response.status_code == 200
    assert names(response) == ["Ana Garcia", "Ben Okafor"]
    assert b"Old Timer" not in response.content


def test_filter_by_department(client_employee, colleague, finance):
    response = client_employee.get(reverse("people:directory"), {"department": "finance"})
    assert names(response) == ["Ben Okafor"]
    assert response.context["total"] == 1


def test_filter_by_skill(client_employee, colleague):
    response = client_employee.get(reverse("people:directory"), {"skill": "billing"})
    assert names(response) == ["Ben Okafor"]


def test_search_by_name_or_title(client_employee, colleague):
    assert names(client_employee.get(reverse("people:directory"), {"q": "billing spec"})) == [
        "Ben Okafor"
    ]
    assert names(client_employee.get(reverse("people:directory"), {"q": "ana"})) == ["Ana Garcia"]


def test_unknown_department_is_404(client_employee):
    response = client_employee.get(reverse("people:directory"), {"department": "no-such"})
    assert response.status_code == 404


def test_invalid_cursor_is_400(client_employee):
    response = client_employee.get(reverse("people:directory"), {"cursor": "not-a-cursor"})
    assert response.status_code == 400


def test_load_more_pages_through_everyone_once(client_employee, engineering):
    for i in range(30):
        make_person(f"p{i:02}", display_name=f"Person {i:02}", department=engineering)
    seen = []
    response = client_employee.get(reverse("people:directory"))
    seen += names(response)
    cursor = response.context["next_cursor"]
    assert cursor
    response = client_employee.get(
        reverse("people:directory"), {"cursor": cursor}, headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "people/_directory_page.html"
    seen += names(response)
    assert response.context["next_cursor"] is None
    assert len(seen) == 31 and len(set(seen)) == 31
    assert seen == sorted(seen)


def count_queries(client, url, params=None, *, cold: bool = True) -> int:
    """Queries of one request; `cold` empties the cache of company-wide counts first (the
    crisis banner's flag stays known: it is not a count)."""
    if cold:
        from crisis.selectors import remember_no_crisis

        cache.clear()
        remember_no_crisis()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


# session, user (with the viewer's roles, for the menu, own profile, for the top bar, the
# unread notifications and the policy banner's version: people.authentication.session_user,
# core.session_reads), page of people, their skills, and, when the cache of company-wide
# counts is cold: everyone's count, departments, popular skills. Warm, the page's cards are
# kept (person_cards), so their skills are not read.
DIRECTORY_QUERIES = 7
DIRECTORY_QUERIES_WARM = 3


def test_directory_queries_do_not_grow_with_people_or_skills(client_employee, engineering):
    url = reverse("people:directory")
    make_person("one", department=engineering, skills=("a",))
    few = count_queries(client_employee, url)
    for i in range(40):
        make_person(f"m{i}", department=engineering, skills=("a", "b", "c", f"s{i}"))
    many = count_queries(client_employee, url)
    warm = count_queries(client_employee, url, cold=False)
    filtered = count_queries(client_employee, url, {"department": "engineering", "skill": "a"})
    assert few == many == DIRECTORY_QUERIES
    assert warm == DIRECTORY_QUERIES_WARM
    # The skill's lookup (the department is in the list), and a skill's page is read in two
    # statements: its ids, then the rows of those whose cards are not kept (all of them,
    # cold: people.selectors.kept_per_person).
    assert filtered == DIRECTORY_QUERIES + 2


def test_directory_query_count_pinned(client_employee, django_assert_num_queries, engineering):
    make_person("x", department=engineering, skills=("a",))
    with django_assert_num_queries(DIRECTORY_QUERIES):
        client_employee.get(reverse("people:directory"))
    with django_assert_num_queries(DIRECTORY_QUERIES_WARM):
        client_employee.get(reverse("people:directory"))


def test_counts_follow_profile_changes_at_once(
    client_employee, employee, finance, django_capture_on_commit_callbacks
):
    before = client_employee.get(reverse("people:directory"))
    assert {d.slug: d.member_count for d in before.context["departments"]} == {
        "engineering": 1,
        "finance": 0,
    }
    profile = employee.profile
    with django_capture_on_commit_callbacks(execute=True):
        profile.department = finance  # as the admin pages or the API would
        profile.save()
    after = client_employee.get(reverse("people:directory"), {"department": "finance"})
    assert {d.slug: d.member_count for d in after.context["departments"]} == {
        "engineering": 0,
        "finance": 1,
    }
    assert after.context["total"] == 1
    skills = {s.name: s.people for s in after.context["popular_skills"]}
    with django_capture_on_commit_callbacks(execute=True):
        profile.skills.clear()
    again = client_employee.get(reverse("people:directory"))
    assert skills["python"] == 1
    assert "python" not in {s.name for s in again.context["popular_skills"]}


def test_kept_cards_follow_every_change_they_show_at_once(
    client_employee, colleague, finance, django_capture_on_commit_callbacks
):
    """The directory's cards are kept (person_cards), and a change to anything a card shows
    (title, department name, skills, a skill's name) or to who may be shown (offboarding)
    shows on the next page; a sign-in forgets nothing."""
    from people.models import Skill
    from people.selectors import counts_generation

    def cards() -> str:
        return client_employee.get(reverse("people:directory")).content.decode()

    assert "Billing Specialist" in cards() and "Ben Okafor" in cards()
    generation = counts_generation()
    with django_capture_on_commit_callbacks(execute=True):
        client_employee.force_login(colleague)  # Django saves last_login only
    assert counts_generation() == generation
    profile = colleague.profile
    with django_capture_on_commit_callbacks(execute=True):
        profile.title = "Head of Billing"
        profile.save()
    assert "Head of Billing" in cards()
    with django_capture_on_commit_callbacks(execute=True):
        finance.name = "Money"
        finance.save()
    assert "Money" in cards()
    with django_capture_on_commit_callbacks(execute=True):
        skill = Skill.objects.get(slug="billing")
        skill.name = "Billing runs"
        skill.save()
    assert "Billing runs" in cards()
    with django_capture_on_commit_callbacks(execute=True):
        profile.skills.clear()
    assert "Billing runs" not in cards()
    colleague.is_active = False  # even before anything is forgotten: the page decides who
    colleague.save()
    assert "Ben Okafor" not in cards()


def test_someone_away_shows_until_when_on_the_card_and_among_experts(client_employee, colleague):
    from django.utils import timezone

    profile = colleague.profile
    profile.out_of_office_until = timezone.localdate() + dt.timedelta(days=3)
    profile.save()
    until = profile.out_of_office_until
    badge = f'<span class="badge badge-away">Away until {until:%b} {until.day}</span>'
    page = client_employee.get(reverse("people:directory")).content.decode()
    assert page.count(badge) == 1  # the colleague's card only, not Ana's
    experts = client_employee.get(reverse("people:experts"), {"topic": "billing"})
    assert "Ben Okafor" in experts.content.decode()
    assert experts.content.decode().count(badge) == 1


def test_the_compiled_page_is_the_page_the_orm_reads_for_every_filter_and_cursor(
    employee, colleague, engineering, finance
):
    """people.selectors.profile_page, compiled once per shape and run with each request's
    values, gives what page_query gives over directory_profiles (the ORM, built anew) for
    the same filters and cursor: the same people in the same order, their accounts,
    departments and managers' usernames, and nobody offboarded."""
    from django.db.models import F

    from core.pagination import page_query
    from people import selectors

    boss = make_person("zoe.boss", display_name="Zoé Boss", department=finance, skills=("go",))
    for i in range(12):
        make_person(
            f"ann.{i}",
            display_name=f"Ann Ström {i:02}",
            department=engineering if i % 2 else finance,
            title="Analyst" if i % 3 else "Designer",
            manager=boss,
            skills=("go", "sql") if i % 4 else ("sql",),
        )
    gone = make_person("ann.gone", display_name="Ann Gone", department=engineering)
    gone.user.is_active = False
    gone.user.save()
    go = selectors.get_skill("go")

    def seen(profiles, manager):
        return [
            (p.pk, p.user.username, getattr(p.department, "name", None))
            + ((p.manager_username,) if manager else ())
            for p in profiles
        ]

    filters = [
        {},
        {"department": engineering},
        {"skill": go},
        {"query": "strom"},
        {"query": "ANALYST", "department": finance},
        {"query": "design", "skill": go},
        {"query": "nobody"},
    ]
    checked = 0
    for manager in (False, True):
        for found in filters:
            expected = selectors.directory_profiles(viewer=employee, **found)
            if manager:
                expected = expected.annotate(manager_username=F("manager__user__username"))
            after = None
            while True:
                page = selectors.profile_page(
                    viewer=employee, **found, after=after, size=4, manager_username=manager
                )
                orm = page_query(expected, ordering=selectors.PAGE_ORDER, after=after, size=4)
                assert seen(page, manager) == seen(orm, manager), (found, after)
                assert gone.pk not in [p.pk for p in page]
                checked += len(page)
                if len(page) <= 4:
                    break
                after = [page[3].display_name, page[3].pk]
    assert checked > 60


def test_a_new_or_renamed_department_filters_at_once(
    client_employee, colleague, finance, django_capture_on_commit_callbacks
):
    """The chosen department is picked from the cached list of departments (no query of
    its own), which a department's change forgets."""
    url = reverse("people:directory")
    assert names(client_employee.get(url, {"department": "finance"})) == ["Ben Okafor"]
    with django_capture_on_commit_callbacks(execute=True):
        finance.slug = "money"
        finance.save()
    assert client_employee.get(url, {"department": "finance"}).status_code == 404
    assert names(client_employee.get(url, {"department": "money"})) == ["Ben Okafor"]
    with django_capture_on_commit_callbacks(execute=True):
        type(finance).objects.create(name="Legal", slug="legal")
    response = client_employee.get(url, {"department": "legal"})
    assert response.status_code == 200 and names(response) == []


def _filters(response) -> tuple[str, str]:
    """The page's department links and skill chips, as HTML."""
    html = response.content.decode()
    departments = html.split('aria-label="Departments"', 1)[1].split("</nav>", 1)[0]
    skills = html.split('aria-label="Skills"', 1)[1].split("</nav>", 1)[0]
    return departments, skills


def test_the_filters_show_the_choice_and_follow_every_change(
    client_employee, colleague, finance, django_capture_on_commit_callbacks
):
    """The filter links are made once per process for what they show: the chosen department
    and skill are marked and kept in each other's links, and a renamed skill, a new count or
    a new choice is shown at once, never an earlier page's links."""
    url = reverse("people:directory")
    departments, skills = _filters(client_employee.get(url, {"department": "finance"}))
    assert '<a href="?department=finance" aria-current="true"><span>Finance</span>' in departments
    assert 'href="?skill=billing&amp;department=finance">billing</a>' in skills
    assert "aria-current" not in skills

    departments, skills = _filters(client_employee.get(url, {"skill": "billing"}))
    assert '<a href="?department=finance&amp;skill=billing"><span>Finance</span>' in departments
    assert '<a class="chip" href="?skill=billing" aria-current="true">billing</a>' in skills
    assert '<a class="chip chip-quiet" href="?skill=invoices">invoices</a>' in skills

    from people.models import Skill

    with django_capture_on_commit_callbacks(execute=True):
        Skill.objects.filter(slug="invoices").update(name="Invoicing")
        make_person("cy.finance", display_name="Cy Finance", department=finance)
    departments, skills = _filters(client_employee.get(url))
    assert ">Invoicing</a>" in skills and ">invoices</a>" not in skills
    assert '<span>Finance</span><span class="muted">2</span>' in departments


def test_no_skills_card_when_nobody_lists_a_skill(client_employee):
    """A company where nobody has listed a skill yet shows no empty Skills card."""
    from people.models import Profile

    for profile in Profile.objects.all():
        profile.skills.clear()
    cache.clear()
    html = client_employee.get(reverse("people:directory")).content.decode()
    assert 'aria-label="Departments"' in html
    assert 'aria-label="Skills"' not in html
