"""The router keeps learning (issue 15): every human decision is a label at once, and a
retrained version (the challenger) replaces the active one (the champion) only when it is
not worse on the most recent labels it did not train on. The dashboard shows every version's
figures and why one was not activated."""

import datetime as dt

import pytest
from django.utils import timezone

from routing import services, training
from routing.ml.classifier import train
from routing.models import CustomerQuestion, RouterLabel, RouterVersion, Status
from routing.retention import old_router_versions
from routing.tasks import retrain_router_nightly, train_router

from ..conftest import client_for
from .conftest import ALWAYS, SEED, ask

pytestmark = pytest.mark.django_db

REFUND = "I was charged twice on my credit card, please refund"


@pytest.fixture
def tfidf(settings):
    """TF-IDF routers (fast), and holdouts small enough for a handful of labels."""
    settings.ROUTING_EMBEDDINGS = "off"
    settings.ROUTING_HOLDOUT_MIN = 6
    settings.ROUTING_HOLDOUT_FRACTION = 0.3
    settings.ROUTING_CHALLENGER_TOLERANCE = 0.0


def _labels_of(question):
    return list(
        RouterLabel.objects.filter(question=question)
        .order_by("created_at", "id")
        .values_list("source", "department__slug", "wrong")
    )


# --- Every human decision is a label --------------------------------------------------------


def test_the_social_team_routing_out_of_triage_is_a_label(social, finance):
    question = ask("who won the match yesterday")  # no router: triage
    assert question.department is None
    services.route_to_department(actor=social, question=question, department=finance)
    assert _labels_of(question) == [("routed", "finance", False)]
    label = RouterLabel.objects.get(question=question)
    assert label.by == social and label.text == "who won the match yesterday"


def test_assigning_from_triage_is_a_label_of_the_experts_department(social, billing_expert):
    question = ask("something about money")
    services.assign_question(actor=social, question=question, expert=billing_expert)
    assert _labels_of(question) == [("routed", "finance", False)]


def test_a_reroute_and_an_answer_are_labels(
    trained_router, billing_expert, engineering, employee, social
):
    employee.profile.working_days = ALWAYS["working_days"]
    employee.profile.work_start, employee.profile.work_end = (
        ALWAYS["work_start"],
        ALWAYS["work_end"],
    )
    employee.profile.save()
    question = ask(REFUND)
    assert question.department.slug == "finance"  # the model's choice: not a label
    assert _labels_of(question) == []
    services.reroute_question(
        actor=billing_expert, question=question, department=engineering, reason="App bug"
    )
    services.answer_question(actor=employee, question=question, text="Fixed.")
    assert _labels_of(question) == [
        ("rerouted", "engineering", False),
        ("answered", "engineering", False),
    ]


def test_a_decline_as_wrong_department_is_a_wrong_label_and_back_to_triage(
    trained_router, billing_expert, second_billing_expert
):
    question = ask(REFUND)
    assert question.assigned_to == billing_expert
    services.decline_question(
        actor=billing_expert, question=question, reason="Not ours", wrong_department=True
    )
    question.refresh_from_db()
    assert question.in_triage and question.assigned_to is None  # not the next billing expert
    assert _labels_of(question) == [("declined", "finance", True)]


def test_a_plain_decline_is_no_label(trained_router, billing_expert, second_billing_expert):
    question = ask(REFUND)
    services.decline_question(actor=billing_expert, question=question, reason="On leave")
    question.refresh_from_db()
    assert question.assigned_to == second_billing_expert
    assert _labels_of(question) == []


def test_spam_is_a_label_of_no_department(social):
    question = ask("buy cheap followers now")
    services.close_question(actor=social, question=question, spam=True)
    assert _labels_of(question) == [("spam", None, False)]


def test_a_refused_decision_leaves_no_label(trained_router, outsider, engineering):
    from core.errors import ApplicationError

    question = ask(REFUND)
    with pytest.raises(ApplicationError):
        services.reroute_question(
            actor=outsider, question=question, department=engineering, reason="Mine"
        )
    assert not RouterLabel.objects.exists()


def test_a_label_keeps_the_text_without_the_customer(social, finance):
    question = ask("Carla here, mail me at carla@example.org about my refund")
    services.route_to_department(actor=social, question=question, department=finance)
    text = RouterLabel.objects.get(question=question).text
    assert "carla" not in text.lower() and "refund" in text


def test_the_decline_form_and_api_take_wrong_department(trained_router, billing_expert):
    page_question, api_question = ask(REFUND, external_id="a"), ask(REFUND, external_id="b")
    client = client_for(billing_expert)
    page = client.get(page_question.get_absolute_url()).content.decode()
    assert 'name="wrong_department"' in page
    client.post(
        f"/questions/{page_question.pk}/decline/", {"reason": "Legal", "wrong_department": "on"}
    )
    r = client.post(
        f"/api/v1/questions/{api_question.pk}/decline/",
        {"reason": "Legal", "wrong_department": True},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert _labels_of(page_question) == _labels_of(api_question) == [("declined", "finance", True)]


def test_training_learns_the_latest_decision_per_question(social, finance, engineering):
    question = ask("my export button does nothing")
    services.route_to_department(actor=social, question=question, department=finance)
    services.reroute_question(
        actor=social, question=question, department=engineering, reason="It is a bug"
    )
    texts, labels = training.training_examples()
    assert labels[texts.index("my export button does nothing")] == "engineering"
    assert texts.count("my export button does nothing") == 1


# --- Champion and challenger -------------------------------------------------------------------


def _history(pairs, *, start, step=dt.timedelta(hours=1)):
    """Questions with one label each, `step` apart from `start`: (text, department)."""
    from people.models import Department

    departments = {d.slug: d for d in Department.objects.all()}
    for i, (text, slug) in enumerate(pairs):
        question = CustomerQuestion.objects.create(
            channel="web",
            external_id=f"h-{start.timestamp()}-{i}",
            text=text,
            received_at=start,
            status=Status.ANSWERED,
            department=departments.get(slug),
        )
        RouterLabel.objects.create(
            question=question,
            text=text,
            department=departments.get(slug),
            source=RouterLabel.Source.ANSWERED,
            created_at=start + i * step,
        )


def _swapped(slug):
    return {"finance": "engineering", "engineering": "finance"}.get(slug, slug)


def _router_on(swap: bool):
    texts = [t for texts in SEED.values() for t in texts]
    labels = [_swapped(s) if swap else s for s, texts in SEED.items() for _ in texts]
    router = train(texts, labels)
    router.threshold = 0.3
    return training.store_router_version(router=router, source="the champion")


RIGHT = [(t, s) for s in ("finance", "engineering") for t in SEED[s]]


def test_a_challenger_worse_on_recent_labels_is_not_activated_and_says_why(
    tfidf, finance, engineering, admin_user
):
    champion = _router_on(swap=False)
    long_ago = timezone.now() - dt.timedelta(days=30)
    # Last month people mixed the two departments up; this week they got them right.
    _history([(t, _swapped(s)) for t, s in RIGHT] * 2, start=long_ago)
    _history(RIGHT[::2] + RIGHT[1::2], start=timezone.now() - dt.timedelta(days=1))

    version = training.retrain_router(source="test")

    champion.refresh_from_db()
    assert champion.active
    assert version.outcome == RouterVersion.Outcome.REJECTED and not version.active
    assert version.data == b"" or bytes(version.data) == b""  # figures only
    held = version.holdout
    assert held["n"] >= 6 and held["champion_id"] == champion.pk
    assert held["challenger"]["accuracy"] < held["champion"]["accuracy"]
    assert version.reason.startswith("Not activated:")
    assert f"the active version v{champion.pk} had" in version.reason
    page = client_for(admin_user).get("/questions/dashboard/").content.decode()
    assert "Not activated" in page and f"the active version v{champion.pk} had" in page


def test_a_better_challenger_is_activated(
    tfidf, finance, engineering, django_capture_on_commit_callbacks
):
    champion = _router_on(swap=True)  # the active version has the departments backwards
    _history(RIGHT * 2, start=timezone.now() + dt.timedelta(seconds=1))  # labels since then

    with django_capture_on_commit_callbacks(execute=True):
        version = training.retrain_router(source="test")

    champion.refresh_from_db()
    assert not champion.active
    assert version.active and version.outcome == RouterVersion.Outcome.ACTIVATED
    held = version.holdout
    assert held["challenger"]["accuracy"] > held["champion"]["accuracy"]
    assert version.reason.startswith("Activated:")
    # The version activated is the one compared: trained without the held-out labels.
    assert version.n_examples == len(RIGHT) * 2 - held["n"]
    assert held["unseen_by_both"]
    from routing.router_cache import current_router

    router, version_id = current_router()
    assert version_id == version.pk
    assert router.route("the app crashes when I open settings").department == "engineering"


def test_the_comparison_uses_the_labels_neither_version_trained_on(tfidf, finance, engineering):
    _history(RIGHT + RIGHT[:14], start=timezone.now() - dt.timedelta(days=30))
    first = _router_on(swap=False)  # trained after those 30 labels (on all of them, say)
    _history(RIGHT[:10], start=timezone.now() + dt.timedelta(seconds=1))  # 10 after it
    version = training.retrain_router(source="second")
    held = version.holdout
    # 40 labels hold out 12, but the active version may have trained on 2 of those: the 10
    # that came in after it are compared.
    assert held["n"] == 10 and held["unseen_by_both"] and held["champion_id"] == first.pk
    assert version.active


def test_a_wrong_department_label_counts_against_a_router_that_still_sends_it_there():
    from routing.ml.evaluation import holdout_figures

    class Fixed:
        def route_many(self, texts):
            return ["finance" for _ in texts]

    figures = holdout_figures(
        Fixed(), ["a", "b", "c"], ["finance", "finance", "oos"], [False, True, False]
    )
    assert figures["accuracy"] == pytest.approx(1 / 3)
    assert figures["in_scope_accuracy"] == 1.0 and figures["oos_recall"] == 0.0


def test_too_few_labels_activate_without_a_comparison_and_say_so(tfidf, finance, engineering):
    _router_on(swap=False)
    _history(RIGHT[:4], start=timezone.now() - dt.timedelta(days=1))
    from routing.models import SeedExample

    SeedExample.objects.bulk_create(
        SeedExample(department=d, text=t)
        for d, slug in ((finance, "finance"), (engineering, "engineering"))
        for t in SEED[slug]
    )
    version = training.retrain_router(source="test")
    assert version.active and version.reason.startswith("Activated without a comparison")


def test_an_admin_retrains_on_demand_others_may_not(
    tfidf, finance, engineering, admin_user, social, django_capture_on_commit_callbacks,
    monkeypatch,
):  # fmt: skip
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # with or without a broker
    _router_on(swap=False)
    _history(RIGHT * 2, start=timezone.now() - dt.timedelta(days=3))
    before = RouterVersion.objects.count()
    assert client_for(social).post("/questions/dashboard/retrain/").status_code == 403
    assert client_for(social).post("/api/v1/questions/router/retrain/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(admin_user).post("/questions/dashboard/retrain/")
    assert r.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(admin_user).post("/api/v1/questions/router/retrain/")
    assert r.status_code == 202 and r.json() == {"queued": True}
    versions = RouterVersion.objects.order_by("id")[before:]
    assert [v.source for v in versions] == ["on demand: alex.admin"] * 2
    page = client_for(admin_user).get("/questions/dashboard/").content.decode()
    assert "Retrain now" in page
    assert "Retrain now" not in client_for(social).get("/questions/dashboard/").content.decode()


def test_the_nightly_task_skips_when_no_label_came_in(tfidf, finance, engineering):
    _router_on(swap=False)
    assert retrain_router_nightly() is None
    _history(RIGHT * 2, start=timezone.now(), step=dt.timedelta(microseconds=1))
    assert retrain_router_nightly() is not None
    assert retrain_router_nightly() is None  # nothing new since


def test_the_nightly_task_with_nothing_to_train_on_logs_and_waits(tfidf, caplog):
    with caplog.at_level("WARNING", logger="routing.training"):
        assert retrain_router_nightly() is None
    assert "at least two departments" in caplog.text


def test_the_on_demand_task_uses_champion_and_challenger(tfidf, finance, engineering):
    _router_on(swap=True)
    _history(RIGHT * 2, start=timezone.now() - dt.timedelta(days=3))
    version = RouterVersion.objects.get(pk=train_router(source="admin: x"))
    assert version.active and version.holdout["n"] >= 6


def test_the_nightly_retraining_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["routing-retrain"]
    assert entry["task"] == "routing.tasks.retrain_router_nightly"
    assert entry["schedule"].hour == {settings.ROUTING_RETRAIN_HOUR}


def test_retention_keeps_refused_challengers_figures(settings, finance, engineering, tfidf):
    settings.RETENTION_ROUTER_VERSIONS_KEEP = 1
    _router_on(swap=False)
    refused = RouterVersion.objects.create(
        data=b"",
        metrics={},
        source="nightly",
        trained_at=timezone.now(),
        outcome=RouterVersion.Outcome.REJECTED,
        reason="Not activated: worse.",
    )
    _router_on(swap=False)
    expired = list(old_router_versions(timezone.now()))
    assert refused not in expired and len(expired) == 1


def test_a_refused_challenger_cannot_be_activated(admin_user):
    from core.errors import ApplicationError

    refused = RouterVersion.objects.create(
        data=b"", metrics={}, source="nightly", trained_at=timezone.now(),
        outcome=RouterVersion.Outcome.REJECTED,
    )  # fmt: skip
    with pytest.raises(ApplicationError):
        training.activate_router_version(actor=admin_user, version=refused)


def test_the_dashboard_costs_the_same_with_more_versions(
    tfidf, finance, engineering, social, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _router_on(swap=False)
    client = client_for(social)
    client.get("/questions/dashboard/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/questions/dashboard/").status_code == 200
    for n in range(5):
        RouterVersion.objects.create(
            data=b"", metrics={"cv_in_scope_accuracy": 0.9}, source=f"nightly {n}",
            trained_at=timezone.now(), outcome=RouterVersion.Outcome.REJECTED,
            reason="Not activated: worse.",
            holdout={"n": 10, "challenger": {"accuracy": 0.5}, "champion": {"accuracy": 0.8},
                     "champion_id": 1},
        )  # fmt: skip
    with django_assert_max_num_queries(len(one)):
        page = client.get("/questions/dashboard/")
    assert page.content.decode().count('class="q-rejected">Not activated<') == 5
