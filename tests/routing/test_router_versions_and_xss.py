"""Router versions reach every process without a restart; training builds on history and
seed examples; customer text is inert on every page that shows it."""

import pytest

from core.errors import ApplicationError
from routing import router_cache, services, tasks, training
from routing.models import CustomerQuestion, RouterVersion, SeedExample

from ..conftest import client_for
from ..factories import receive_and_route
from ..xss import assert_inert, payloads
from .conftest import SEED, ask

pytestmark = pytest.mark.django_db


def test_a_new_version_is_picked_up_without_a_restart(trained_router, settings, finance):
    settings.ROUTING_ROUTER_CHECK_SECONDS = 0
    router, version = router_cache.current_router()
    assert version == trained_router.pk
    # Another process stores a new version: this one only sees the database and the cache.
    from routing.ml.classifier import train

    texts = [t for texts in SEED.values() for t in texts]
    labels = [label for label, texts in SEED.items() for _ in texts]
    RouterVersion.objects.update(active=False)
    newer = RouterVersion.objects.create(
        data=train(texts, labels).dumps(),
        metrics={},
        source="another process",
        trained_at=trained_router.trained_at,
        active=True,
    )
    from django.core.cache import cache

    cache.set(router_cache.ACTIVE_KEY, newer.pk)
    _, version = router_cache.current_router()
    assert version == newer.pk
    assert ask("I was charged twice on my card").router_version_id == newer.pk


def test_within_the_check_interval_the_process_keeps_its_copy(trained_router, settings):
    settings.ROUTING_ROUTER_CHECK_SECONDS = 3600
    router, version = router_cache.current_router()
    RouterVersion.objects.update(active=False)
    assert router_cache.current_router() == (router, version)  # no query, no reload


def test_training_uses_final_departments_spam_and_seeds(
    trained_router, billing_expert, social, engineering, employee
):
    question = ask("I was charged twice on my card")
    services.reroute_question(
        actor=social, question=question, department=engineering, reason="bug in billing page"
    )
    services.assign_question(actor=social, question=question, expert=employee)
    services.answer_question(actor=employee, question=question, text="fixed")
    spam = ask("buy followers cheap")
    services.close_question(actor=social, question=spam, spam=True)
    SeedExample.objects.create(department=engineering, text="the app is down")
    SeedExample.objects.create(department=None, text="happy friday everyone")
    texts, labels = training.training_examples()
    assert (question.text, "engineering") in zip(texts, labels, strict=True)
    assert ("buy followers cheap", "oos") in zip(texts, labels, strict=True)
    assert ("the app is down", "engineering") in zip(texts, labels, strict=True)
    # a seed example without a department: belongs to none, teaches triage
    assert ("happy friday everyone", "oos") in zip(texts, labels, strict=True)


def test_the_training_task_stores_an_active_version_with_metrics(finance, engineering):
    for slug, dept in (("finance", finance), ("engineering", engineering)):
        SeedExample.objects.bulk_create(SeedExample(department=dept, text=t) for t in SEED[slug])
    version_id = tasks.train_router("test")
    version = RouterVersion.objects.get(pk=version_id)
    assert version.active and version.n_examples == 16
    assert "threshold" in version.metrics and "train_seconds" in version.metrics
    assert RouterVersion.objects.filter(active=True).count() == 1


def test_training_without_two_departments_is_refused(finance):
    SeedExample.objects.create(department=finance, text="refund")
    with pytest.raises(ApplicationError) as refused:
        training.train_router()
    assert refused.value.field == "examples"
    assert not RouterVersion.objects.exists()


def test_customer_text_and_names_are_inert_on_every_page(trained_router, social, billing_expert):
    for n, payload in enumerate(payloads()):
        question, _ = receive_and_route(
            channel="web",
            external_id=f"x-{n}",
            text=payload or "x",
            customer_name=payload[:200],
            customer_handle=payload[:200],
        )
        services.tag_question(actor=social, question=question, tag="bug")
        services.add_note(actor=social, question=question, text=payload or "x")
    client = client_for(social)
    for url in ("/questions/?view=open", "/questions/?view=triage", "/questions/insights/"):
        assert_inert(client.get(url).content.decode())
    for question in CustomerQuestion.objects.all()[:40]:
        assert_inert(client.get(question.get_absolute_url()).content.decode())
    # The department queue, for the social team and for a leader (no customer there).
    from groups.models import Membership
    from groups.services import ensure_department_group

    finance = billing_expert.profile.department
    CustomerQuestion.objects.update(department=finance)
    Membership.objects.filter(group=ensure_department_group(finance), user=billing_expert).update(
        role=Membership.Role.LEADER
    )
    for viewer in (client, client_for(billing_expert)):
        page = viewer.get("/questions/queue/?department=finance")
        assert page.status_code == 200
        assert_inert(page.content.decode())
        cursor = page.context["next_cursor"]
        more = viewer.get(f"/questions/queue/?department=finance&cursor={cursor}")
        assert_inert(more.content.decode(), fragment=False)


def test_admins_activate_a_version_and_start_training(admin_user, trained_router, finance):
    from ..conftest import client_for

    older = RouterVersion.objects.create(
        data=trained_router.data, metrics={}, source="old", trained_at=trained_router.trained_at
    )
    client = client_for(admin_user)
    response = client.post(
        "/admin/routing/routerversion/",
        {"action": "activate", "_selected_action": [older.pk]},
    )
    assert response.status_code == 302
    assert RouterVersion.objects.get(active=True) == older
    SeedExample.objects.bulk_create(
        SeedExample(department=finance, text=t) for t in SEED["finance"]
    )
    client.post(
        "/admin/routing/seedexample/",
        {"action": "train_router", "_selected_action": [SeedExample.objects.first().pk]},
    )
    # One department only: refused with a message, nothing stored, the old one stays.
    assert RouterVersion.objects.get(active=True) == older


def test_only_admins_change_the_active_version(trained_router, social):
    with pytest.raises(ApplicationError) as refused:
        training.activate_router_version(actor=social, version=trained_router)
    assert refused.value.status == 403
