"""A question written in anger goes up one priority step before its SLA clock starts, and
its page says why. The rule (VADER compound <= MONITORING_DETRACTOR_THRESHOLD) is measured
on a small labelled set, tests/data/monitoring/tone.csv."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from monitoring import sentiment
from monitoring.models import Tone
from routing.models import Channel, Priority

from ..conftest import client_for
from ..factories import receive_and_route

LABELLED = Path(__file__).parent.parent / "data" / "monitoring" / "tone.csv"
ANGRY = "Worst customer service I have ever experienced. Absolutely disgusting."
CALM = "How do I change the email address on my account?"


def _ask(text: str, **kw):
    return receive_and_route(channel=Channel.EMAIL, text=text, **kw)[0]


def test_an_angry_question_is_raised_one_step_and_its_sla_shortened(db):
    received = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)  # a Tuesday morning
    angry = _ask(ANGRY, received_at=received)
    calm = _ask(CALM, received_at=received)
    angry.refresh_from_db()
    calm.refresh_from_db()
    assert calm.priority == Priority.NORMAL
    assert angry.priority == Priority.HIGH
    assert angry.sla_due_at < calm.sla_due_at
    tone = Tone.objects.get(question=angry)
    assert (tone.raised_from, tone.raised_to) == (Priority.NORMAL, Priority.HIGH)


def test_urgent_stays_urgent_and_low_becomes_normal(db):
    assert _ask(ANGRY, priority=Priority.URGENT).priority == Priority.URGENT
    assert _ask(ANGRY, priority=Priority.LOW).priority == Priority.NORMAL
    assert not Tone.objects.get(question__priority=Priority.URGENT).raised


def test_the_question_page_says_why_to_every_reader(outsider):
    question = _ask(ANGRY)
    page = client_for(outsider).get(question.get_absolute_url()).content.decode()
    assert "Raised to high: the customer sounds angry (sentiment −0.83)." in page


def test_a_calm_question_page_says_nothing_about_tone(outsider):
    question = _ask(CALM)
    page = client_for(outsider).get(question.get_absolute_url()).content.decode()
    assert "sounds angry" not in page


def test_precision_and_recall_on_the_labelled_set(capsys):
    rows = list(csv.DictReader(LABELLED.open()))
    threshold = settings.MONITORING_DETRACTOR_THRESHOLD
    tp = fp = fn = 0
    for row in rows:
        flagged = sentiment.is_detractor(sentiment.compound(row["text"]), threshold=threshold)
        angry = row["angry"] == "1"
        tp += flagged and angry
        fp += flagged and not angry
        fn += angry and not flagged
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\ndetractor rule (compound <= {threshold}) on {len(rows)} labelled questions: "
            f"precision {precision:.2f}, recall {recall:.2f}"
        )
    # Raising a calm customer's priority costs someone else's SLA: precision first.
    assert precision >= 0.9
    assert recall >= 0.7


@pytest.mark.parametrize("text", ["", "😡😡😡", "\u202eRTL text", "x" * 10_000])
def test_any_text_gets_a_score_between_minus_one_and_one(text):
    assert -1.0 <= sentiment.compound(text) <= 1.0
