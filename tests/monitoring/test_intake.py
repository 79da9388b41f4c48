"""Every inbound question is matched against the watch rules at intake: the match is kept
with the question, shown on its page to those who read rules, and raises or updates the
rule's alert. The cost is a fixed number of queries, whatever the number of rules."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import matching, services
from monitoring.models import Alert, RuleMatch, Tone
from notifications.models import Notification
from routing.models import Channel

from ..conftest import client_for
from ..factories import receive_and_route


def _ask(text: str, **kw):
    question, _ = receive_and_route(channel=kw.pop("channel", Channel.EMAIL), text=text, **kw)
    return question


@pytest.fixture
def recall_rule(social):
    return services.create_rule(actor=social, name="Recall", terms=["recall", "product recall"])


def test_a_match_tags_the_question_and_raises_the_rules_alert(
    recall_rule, social, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask("Is there a RECALL on the kettle?")
    match = RuleMatch.objects.get(question=question)
    assert match.rule == recall_rule and match.terms == ["recall"]
    alert = Alert.objects.get(key=f"rule:{recall_rule.pk}")
    assert alert.status == Alert.Status.OPEN and alert.match_count == 1
    assert alert.trigger == Alert.Trigger.MATCH
    # The social team hears about it in the app and by email; a leader of an unrelated
    # department does not (the rule is not scoped to theirs).
    (note,) = Notification.objects.filter(kind=Notification.Kind.LISTENING_ALERT)
    assert note.recipient == social and note.url == alert.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[social.email]]

    with django_capture_on_commit_callbacks(execute=True):
        _ask("Product recall of the kettle, seriously?")
    alert.refresh_from_db()
    assert alert.match_count == 2
    assert Alert.objects.filter(key=alert.key).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.LISTENING_ALERT).count() == 1


def test_the_alert_task_run_twice_counts_a_match_once(recall_rule, social):
    question = _ask("recall recall")
    services.alert_on_matches(question_id=question.pk)
    services.alert_on_matches(question_id=question.pk)
    assert Alert.objects.get().match_count == 1


def test_a_scoped_rule_notifies_the_departments_leaders(
    social, leader, other_leader, finance, django_capture_on_commit_callbacks
):
    from routing.models import KeywordRule

    KeywordRule.objects.create(keyword="invoice", department=finance)
    services.create_rule(actor=social, name="Fraud", terms=["fraud"], department=finance.slug)
    with django_capture_on_commit_callbacks(execute=True):
        _ask("Fraud on my invoice")
        _ask("Fraud in the app")  # no department: the finance-scoped rule does not match
    alert = Alert.objects.get()
    assert alert.department == finance and alert.match_count == 1
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.LISTENING_ALERT).values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"sam.social", "lena.lead"}


def test_a_low_severity_rule_only_counts(social, django_capture_on_commit_callbacks):
    services.create_rule(actor=social, name="Delivery", terms=["delivery"], severity="low")
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask("where is my delivery")
    assert RuleMatch.objects.filter(question=question).exists()
    assert not Alert.objects.exists()


def test_a_channel_scoped_rule_ignores_other_channels(social):
    services.create_rule(actor=social, name="Tweets", terms=["boycott"], channel="twitter")
    _ask("boycott", channel=Channel.EMAIL)
    _ask("boycott", channel=Channel.TWITTER)
    assert RuleMatch.objects.count() == 1


def test_intake_costs_the_same_queries_whatever_the_number_of_rules(social, finance):
    services.create_rule(actor=social, name="Recall", terms=["recall"])
    _ask("warm up the router cache and the rules")

    def cost(text: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _ask(text)
        return len(ctx.captured_queries)

    few = cost("a recall of the toaster")
    for i in range(200):
        services.create_rule(
            actor=social, name=f"Rule {i}", terms=[f"word{i}", f"phrase number{i}"]
        )
    matching.rules_changed()
    _ask("load the new rules once")
    many = cost("a recall of the toaster with word1 word2 and phrase number3")
    assert many == few


def test_a_rule_change_reaches_intake_at_once(social, django_capture_on_commit_callbacks):
    rule = services.create_rule(actor=social, name="Recall", terms=["recall"])
    assert RuleMatch.objects.filter(question=_ask("recall")).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_rule(actor=social, rule=rule, terms=["lawsuit"])
    assert not RuleMatch.objects.filter(question=_ask("recall")).exists()
    assert RuleMatch.objects.filter(question=_ask("a lawsuit")).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_rule(actor=social, rule=rule, active=False)
    assert not RuleMatch.objects.filter(question=_ask("a lawsuit")).exists()


def test_a_rule_deleted_by_another_process_does_not_fail_intake(social):
    """This process still has the rule compiled (the other one's change reaches it within
    MONITORING_RULES_CHECK_SECONDS): the question is stored, the dead rule is not recorded."""
    from monitoring.models import WatchRule

    rule = services.create_rule(actor=social, name="Recall", terms=["recall"])
    assert RuleMatch.objects.filter(question=_ask("recall")).exists()
    WatchRule.objects.filter(pk=rule.pk).delete()  # elsewhere: no rules_changed() here
    question = _ask("another recall")
    assert question.pk and not RuleMatch.objects.filter(question=question).exists()


def test_the_question_page_shows_matched_rules_to_rule_readers_only(
    recall_rule, social, leader, outsider
):
    question = _ask("recall of the kettle")
    for user in (social, leader):
        page = client_for(user).get(question.get_absolute_url()).content.decode()
        assert "Matched the watch rule “Recall” (recall)." in page
    assert (
        "Matched the watch rule"
        not in client_for(outsider).get(question.get_absolute_url()).content.decode()
    )


def test_every_question_gets_its_tone(db):
    question = _ask("Thank you so much, great service!")
    assert Tone.objects.get(question=question).compound > 0.5
