"""What a watch rule listens for: whole words and phrases, capitals and accents ignored."""

import pytest

from core.errors import ApplicationError
from monitoring.matching import CompiledRule, Matcher
from monitoring.terms import clean_terms, normalise, words


def _matcher(*rules):
    return Matcher(
        [
            (CompiledRule(id=i, name=f"r{i}", severity="medium", department_id=d, channel=c), t)
            for i, (t, d, c) in enumerate(rules, start=1)
        ]
    )


def test_case_and_accents_do_not_matter():
    assert normalise("CAFÉ Crème") == "cafe creme"
    m = _matcher((["café crème"], None, ""))
    assert [x.rule.id for x in m.match("I spilled CAFE CREME", department_id=None, channel="web")]


def test_whole_words_only():
    m = _matcher((["refund"], None, ""))
    assert m.match("Refund please!", department_id=None, channel="web")
    assert not m.match("refunded twice, refunds never came", department_id=None, channel="web")


def test_a_phrase_matches_its_words_in_order_whatever_the_punctuation():
    m = _matcher((["data breach"], None, ""))
    assert m.match("Was there a DATA-breach?", department_id=None, channel="web")
    assert not m.match("breach of data", department_id=None, channel="web")


def test_department_and_channel_scope():
    m = _matcher((["outage"], 7, ""), (["outage"], None, "twitter"))
    hits = m.match("outage again", department_id=7, channel="email")
    assert [h.rule.id for h in hits] == [1]
    hits = m.match("outage again", department_id=None, channel="twitter")
    assert [h.rule.id for h in hits] == [2]


def test_every_matched_term_is_reported_once():
    m = _matcher((["recall", "product recall"], None, ""))
    (hit,) = m.match("A product recall? RECALL!", department_id=None, channel="web")
    assert set(hit.terms) == {"recall", "product recall"}


def test_clean_terms_strips_and_drops_duplicates():
    assert clean_terms(["  Data   breach ", "data BREACH", "lawsuit"]) == ["Data breach", "lawsuit"]
    assert clean_terms("recall, lawsuit\nboycott") == ["recall", "lawsuit", "boycott"]
    assert words("Ça marche") == ("ca", "marche")


@pytest.mark.parametrize(
    ("terms", "says"),
    [
        ([], "at least one"),
        (["", "   "], "at least one"),
        (["ok"], "too short"),
        (["the"], "too common"),
        (["Help"], "too common"),
        (["!!!"], "no letters"),
        (["x" * 101], "under 100"),
        (["one two three four five six seven"], "too long a phrase"),
        ([f"term{i}" for i in range(21)], "At most 20"),
        ("", "at least one"),
        (42, "list of terms"),
        ([42], "must be text"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(terms, says):
    with pytest.raises(ApplicationError) as exc:
        clean_terms(terms)
    assert exc.value.field == "terms"
    assert says in exc.value.message
