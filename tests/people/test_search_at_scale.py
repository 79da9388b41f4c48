"""Search at company scale keeps its behaviour: names found by any word's prefix, without
regard to accents or case, on every surface (directory, API, "@" autocomplete, expert finder);
renamed people found by their new name; deactivated people never; counts capped; pages stable;
query counts pinned. The same on SQLite and PostgreSQL (folded keys, people/models.fold)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from people import selectors, services
from people.models import fold

from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(employee) -> APIClient:
    client = APIClient()
    client.force_authenticate(employee)
    return client


def directory_names(client, **params) -> list[str]:
    response = client.get(reverse("people:directory"), params)
    assert response.status_code == 200
    return [p["display_name"] for p in response.context["people"]]  # the page's rows


def suggested(client, q: str) -> str:
    return client.get("/people/suggest/", {"q": q, "as": "listbox"}).content.decode()


def test_fold_drops_accents_case_and_extra_spaces():
    assert fold("  José   ÁLVAREZ ") == "jose alvarez"
    assert fold("Straße") == "strasse"
    assert fold("Søren Łukasz Ærø") == "soren lukasz aero"  # letters NFKD keeps whole
    assert fold("") == ""


def test_accents_and_case_do_not_matter_on_any_surface(client_employee, api):
    make_person("jose.alvarez", display_name="José Álvarez", title="Señor Analyst")
    for q in ("jose", "JOSÉ", "álvarez", "alva", "senor anal"):
        assert directory_names(client_employee, q=q) == ["José Álvarez"], q
        found = api.get("/api/v1/people/", {"q": q}).json()["results"]
        assert [p["username"] for p in found] == ["jose.alvarez"], q
    for q in ("@jos", "@Álv", "alvarez", "jose.a"):
        assert 'data-insert="jose.alvarez"' in suggested(client_employee, q), q


def test_autocomplete_matches_the_start_of_a_word_not_the_middle(client_employee):
    make_person("ben.okafor", display_name="Ben Okafor")
    assert 'data-insert="ben.okafor"' in suggested(client_employee, "@oka")
    assert 'data-insert="ben.okafor"' not in suggested(client_employee, "@kafor")
    # the directory search still finds any part of a name
    assert directory_names(client_employee, q="kafor") == ["Ben Okafor"]


def test_a_renamed_person_is_found_by_the_new_name_only(client_employee, employee):
    person = make_person("ana.old", display_name="Ana Oldname")
    services.update_profile(actor=person.user, profile=person, data={"display_name": "Ana Newname"})
    assert directory_names(client_employee, q="newname") == ["Ana Newname"]
    assert directory_names(client_employee, q="oldname") == []
    user = person.user
    user.username = "ana.renamed"
    user.save(update_fields=["username"])  # as SCIM renames an account
    assert 'data-insert="ana.renamed"' in suggested(client_employee, "@ana.ren")
    assert "ana.old" not in suggested(client_employee, "@ana.old")


def test_deactivated_people_are_not_found_anywhere(client_employee, api):
    gone = make_person("zed.gone", display_name="Zed Gone", title="Zed", skills=("zedology",))
    gone.user.is_active = False
    gone.user.save()
    assert directory_names(client_employee, q="zed") == []
    assert api.get("/api/v1/people/", {"q": "zed"}).json()["results"] == []
    assert "zed.gone" not in suggested(client_employee, "@zed")
    experts = client_employee.get(reverse("people:experts"), {"topic": "zedology"})
    assert experts.context["experts"] == []


def test_a_broad_search_says_how_many_up_to_the_cap(client_employee, monkeypatch):
    for i in range(4):
        make_person(f"kim.{i}", display_name=f"Kim Lee {i}")
    response = client_employee.get(reverse("people:directory"), {"q": "kim"})
    assert response.context["total"] == 4
    # The cap where the count stops (selectors/counts.py) and where the page reads it.
    monkeypatch.setattr(selectors.counts, "TOTAL_CAP", 3)
    monkeypatch.setattr(selectors, "TOTAL_CAP", 3)
    response = client_employee.get(reverse("people:directory"), {"q": "kim"})
    assert "<p>3+ match</p>" in response.content.decode()  # as "4 match"
    assert len(response.context["people"]) == 4  # the cap is on the count, not the list


def test_search_pages_cover_every_match_once_in_name_order(api, engineering):
    for i in range(30):
        make_person(f"sam.{i:02}", display_name=f"Sam Søren {i:02}", department=engineering)
    make_person("other.one", display_name="Other One")
    seen, url, params = [], "/api/v1/people/", {"q": "soren", "page_size": 7}
    while url:
        body = api.get(url, params).json()
        seen += [p["display_name"] for p in body["results"]]
        url, params = body["next"], None
    assert seen == [f"Sam Søren {i:02}" for i in range(30)]


def test_experts_are_found_by_skill_and_text_and_ranked_as_before(client_employee):
    make_person("skilled", display_name="Skilled Person", skills=("kubernetes",))
    make_person("titled", display_name="Titled Person", title="Kubernetes admin")
    make_person("bio", display_name="Bio Person", bio="I once used kubernetes.")
    make_person("none", display_name="No Match", title="Chef")
    response = client_employee.get(reverse("people:experts"), {"topic": "kubernetes"})
    assert [p["display_name"] for p in response.context["experts"]] == [
        "Skilled Person",
        "Titled Person",
        "Bio Person",
    ]


# Query counts: session, user (its roles, own profile, base.html's unread count and policy
# banner with it, as tests/people/test_directory.py explains), the page's own queries.
def test_surface_query_counts_are_pinned(client_employee, api, django_assert_num_queries):
    for i in range(30):
        make_person(f"gar.{i}", display_name=f"Gary Garcia {i}", skills=("python", f"s{i}"))
    client_employee.get(reverse("people:directory"), {"q": "garcia"})  # warm caches
    client_employee.get(reverse("people:experts"), {"topic": "python"})
    # search: the unfiltered page's 3 (test_directory.py: its cards kept), its page's ids
    # planned for the text, whose cards were kept by the first search: no row read (issue
    # 18); the capped count of matches was kept by it too (the count read every match's row)
    with django_assert_num_queries(3):
        client_employee.get(reverse("people:directory"), {"q": "garcia"})
    # the page's ids, their rows, skills (nobody here has a manager, whose username a search
    # reads apart)
    with django_assert_num_queries(3):
        api.get("/api/v1/people/", {"q": "gar", "page_size": 25})
    # session, user; then the words starting "ga" counted up to SUGGEST_SORT_CAP, the first
    # of them by name, their people (a narrow prefix: sorting its words beats walking every
    # profile in name order, issue 18)
    with django_assert_num_queries(5):
        client_employee.get("/people/suggest/", {"q": "@ga", "as": "listbox"})
    # as the unfiltered directory (3): its page query is here the experts' rows (from the
    # cached ranking); each result is kept as the directory's cards are, so no skills query
    with django_assert_num_queries(3):
        client_employee.get(reverse("people:experts"), {"topic": "python"})


def test_a_cached_expert_search_follows_deactivation_and_new_skills(
    client_employee, django_capture_on_commit_callbacks
):
    first = make_person("first.expert", display_name="First Expert", skills=("rust",))
    url, topic = reverse("people:experts"), {"topic": "rust"}
    assert [p["display_name"] for p in client_employee.get(url, topic).context["experts"]] == [
        "First Expert"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        make_person("second.expert", display_name="Second Expert", skills=("rust",))
    names = [p["display_name"] for p in client_employee.get(url, topic).context["experts"]]
    assert names == ["First Expert", "Second Expert"]
    first.user.is_active = False
    first.user.save()  # even before the cache is forgotten, the profile is read afresh
    names = [p["display_name"] for p in client_employee.get(url, topic).context["experts"]]
    assert names == ["Second Expert"]


def suggested_names(client, q: str) -> list[str]:
    response = client.get("/people/suggest/", {"q": q, "as": "listbox"})
    return [p.display_name for p in response.context["people"]]


@pytest.mark.parametrize("cap", [selectors.SUGGEST_SORT_CAP, 1])  # sorted words; name walk
def test_autocomplete_lists_each_match_once_by_name_past_offboarded_people(
    client_employee, monkeypatch, cap
):
    monkeypatch.setattr(selectors.suggest, "SUGGEST_SORT_CAP", cap)
    monkeypatch.setattr(selectors.suggest, "SUGGEST_BATCH", 2)  # the gone ones fill whole batches
    make_person("quin.quade", display_name="Quin Quade")  # two words start with "qu"
    make_person("zoe.quarry", display_name="Zoë Quarry")
    make_person("ann.quill", display_name="Ann Quill")
    for i in range(4):
        gone = make_person(f"gone.{i}", display_name=f"Bea Quorn {i}")
        gone.user.is_active = False
        gone.user.save()
    make_person("ted.equal", display_name="Ted Equal")  # "qu" inside a word only
    assert suggested_names(client_employee, "@qu") == ["Ann Quill", "Quin Quade", "Zoë Quarry"]
    assert suggested_names(client_employee, "@zoe qu") == ["Zoë Quarry"]
    assert suggested_names(client_employee, "@quin.q") == ["Quin Quade"]  # the username
    assert suggested_names(client_employee, "@bea") == []


def test_autocomplete_follows_a_rename_a_deactivation_and_a_deletion(
    client_employee, employee, django_capture_on_commit_callbacks
):
    """A prefix's words are kept (people.selectors.suggest), and forgotten when the change
    commits; who may be shown is read afresh, so someone deactivated leaves at once."""
    person = make_person("ana.old", display_name="Ana Oldname")
    assert suggested_names(client_employee, "@oldn") == ["Ana Oldname"]
    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(
            actor=person.user, profile=person, data={"display_name": "Ana Newname"}
        )
    assert suggested_names(client_employee, "@oldn") == []
    assert suggested_names(client_employee, "@newn") == ["Ana Newname"]
    person.user.is_active = False
    person.user.save()  # its forgetting not run yet: the kept words still name her
    assert suggested_names(client_employee, "@newn") == []
    person.user.is_active = True
    with django_capture_on_commit_callbacks(execute=True):
        person.user.save()
    assert suggested_names(client_employee, "@newn") == ["Ana Newname"]
    with django_capture_on_commit_callbacks(execute=True):
        person.user.delete()
    assert suggested_names(client_employee, "@newn") == []


def test_a_search_count_follows_new_and_offboarded_people(
    client_employee, django_capture_on_commit_callbacks
):
    def total() -> int:
        return client_employee.get(reverse("people:directory"), {"q": "countme"}).context["total"]

    with django_capture_on_commit_callbacks(execute=True):
        first = make_person("kai.one", display_name="Kai Countme")
        make_person("kai.two", display_name="Kai Countme Two")
    assert total() == 2
    with django_capture_on_commit_callbacks(execute=True):
        make_person("kai.three", display_name="Kai Countme Three")
    assert total() == 3
    with django_capture_on_commit_callbacks(execute=True):
        first.user.is_active = False
        first.user.save()
    assert total() == 2


def test_the_search_keys_keep_fine_statistics_so_the_plan_of_a_search_holds():
    """people/migrations/0008: the folded keys' statistics target (PostgreSQL), which keeps
    the planner's estimate of LIKE '%word%' from swinging with each ANALYZE's sample."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statistics targets are PostgreSQL's: the services suite checks them")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute"
            " WHERE attrelid = 'people_profile'::regclass AND attname LIKE '%%_key'"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"name_key": 1000, "title_key": 1000, "username_key": 1000}


def test_a_search_or_a_skill_through_the_api_reads_its_managers_in_a_fixed_number_of_queries(
    api, django_assert_num_queries
):
    """A search's or a skill's page is planned at each run, so it reads its ids alone, then
    their rows with their managers' usernames joined, prepared (people.selectors.profiles.
    _two_step_page): two queries whatever the number of managers."""
    bosses = [make_person(f"boss.{i}", display_name=f"Boss Number {i}") for i in range(3)]
    for i in range(9):
        make_person(
            f"gar.m{i}", display_name=f"Gail Garner {i}", manager=bosses[i % 3], skills=("kiln",)
        )
    make_person("gar.alone", display_name="Gus Garner", skills=("kiln",))
    expected = {f"gar.m{i}": f"boss.{i % 3}" for i in range(9)} | {"gar.alone": None}
    for params, lookups in (({"q": "garner"}, 0), ({"skill": "kiln"}, 1)):
        api.get("/api/v1/people/", params)  # the session, the compiled queries
        cache.clear()  # no entry kept: each is made from its row
        # the page's ids, their rows with their managers, their skills
        with django_assert_num_queries(3 + lookups):  # a skill is looked up by its slug
            body = api.get("/api/v1/people/", params | {"page_size": 25}).json()
        assert {p["username"]: p["manager"] for p in body["results"]} == expected
        with django_assert_num_queries(1 + lookups):  # every entry kept: the page's ids
            again = api.get("/api/v1/people/", params | {"page_size": 25}).json()
        assert again == body


def test_someone_leaving_between_a_search_s_two_reads_is_left_out_and_nobody_else(
    client_employee, api, monkeypatch
):
    """A search reads its page's ids, then the rows of those whose card or entry is not
    kept: someone offboarded in between is left out of the page, and the next page starts
    after the page's last id, so nobody else is lost or shown twice (people.selectors.
    profiles.kept_per_person). Without kept texts (profile_page's Profiles) the page is
    read again in one statement, never short of a person (_two_step_page)."""
    from people.selectors import profiles

    people = [make_person(f"quin.{i}", display_name=f"Gina Quintero {i:02}") for i in range(30)]
    read_rows = profiles.profiles_by_id

    def offboarding_meanwhile(viewer, ids, **kwargs):
        if people[0].user.is_active:
            people[0].user.is_active = False
            people[0].user.save()
        return read_rows(viewer, ids, **kwargs)

    monkeypatch.setattr(profiles, "profiles_by_id", offboarding_meanwhile)
    response = client_employee.get(reverse("people:directory"), {"q": "quintero"})
    assert shown(response) == [f"Gina Quintero {i:02}" for i in range(1, 24)]
    rest = client_employee.get(
        reverse("people:directory"), {"q": "quintero", "cursor": response.context["next_cursor"]}
    )
    assert shown(rest) == [f"Gina Quintero {i:02}" for i in range(24, 30)]

    _reactivate(people[0])
    body = api.get("/api/v1/people/", {"q": "quintero", "page_size": 10}).json()
    assert [p["display_name"] for p in body["results"]] == [
        f"Gina Quintero {i:02}" for i in range(1, 10)
    ]
    assert body["next"]

    _reactivate(people[0])
    page = profiles.profile_page(viewer=people[5].user, query="quintero", after=None, size=24)
    assert [p.display_name for p in page] == [f"Gina Quintero {i:02}" for i in range(1, 26)]


def shown(response) -> list[str]:
    """The names on the directory's cards, as the page shows them."""
    return re.findall(r'<span class="person-name">([^<]*)</span>', response.content.decode())


def _reactivate(profile) -> None:
    profile.user.is_active = True
    profile.user.save()
    cache.clear()
