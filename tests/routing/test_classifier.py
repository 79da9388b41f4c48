"""The question router (routing/ml/classifier/): pure Python, no database."""

import numpy as np
import pytest

from routing.ml import classifier
from routing.ml.classifier import OOS, Decision, Router, train
from routing.ml.evaluation import evaluate, read_csv

EXAMPLES = {
    "finance": [
        "I was charged twice on my credit card",
        "my invoice shows the wrong amount",
        "how do I get a refund for the double payment",
        "billing charged me after I cancelled my plan",
        "where can I download my invoices",
        "the payment failed but money left my account",
        "can I pay my invoice by bank transfer instead of card",
        "why is there a late fee on my bill",
        "please send me a copy of last month's invoice",
        "the refund for my order has not arrived yet",
        "you charged the wrong amount to my card",
        "how do I change the card used for billing",
    ],
    "engineering": [
        "the app crashes when I open settings",
        "your website shows an error 500",
        "the api returns a timeout since this morning",
        "login page is broken on safari",
        "the android app freezes after the update",
        "sync is not working between my devices",
        "I found a bug in the export feature",
        "the page never finishes loading",
        "the app crashes every time I upload a photo",
        "error message when I try to log in to the app",
        "the website is down again",
        "the export button does nothing in the app",
    ],
    "careers": [
        "are you hiring software engineers",
        "how do I apply for a job at your company",
        "do you offer internships for students",
        "I sent my job application last week, any news",
        "what is the interview process for the sales job",
        "is the marketing position still open",
        "can I apply for a remote job",
        "where can I see your open job positions",
        "do you hire graduates for the trainee program",
        "I would like to work for your company",
        "who do I contact about my job interview",
        "is there a career page with the jobs you offer",
    ],
    OOS: [
        "what is the weather tomorrow",
        "tell me a joke",
        "who won the football match yesterday",
        "what is the capital of peru",
        "play some music please",
        "how tall is mount everest",
        "recommend a good movie for tonight",
        "what time is it in tokyo",
    ],
}


def rows(examples=EXAMPLES):
    texts = [text for texts in examples.values() for text in texts]
    labels = [label for label, texts in examples.items() for _ in texts]
    return texts, labels


@pytest.fixture(scope="module")
def router():
    return train(*rows())


def test_ranking_lists_the_top_departments_best_first(router):
    ranking = router.rank("I was charged twice, I want a refund of my payment")

    assert [name for name, _ in ranking][0] == "finance"
    assert len(ranking) == 3
    assert {name for name, _ in ranking} == {"finance", "engineering", "careers"}
    confidences = [confidence for _, confidence in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert router.rank("the app crashes", k=1)[0][0] == "engineering"


def test_oos_is_never_offered_as_a_department(router):
    assert OOS in router.classes
    assert OOS not in router.departments
    assert all(name != OOS for name, _ in router.rank("tell me a joke", k=10))


def test_a_clear_question_is_routed_to_its_department(router):
    decision = router.route("can I apply for the open engineering job")

    assert isinstance(decision, Decision)
    assert decision.department == "careers"
    assert decision.confidence == decision.ranking[0][1] >= router.threshold


def test_unrelated_text_stays_in_triage(router):
    for text in ("what is the weather in paris tomorrow", "tell me a funny joke please"):
        decision = router.route(text)
        assert decision.department is None, (text, decision)
        assert decision.confidence < router.threshold
        assert len(decision.ranking) == 3  # the social team still sees the best guesses


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🔥💳" * 10, "Моя карта списала деньги дважды", "請問你們在招聘嗎", "x" * 50_000],
)
def test_any_text_gets_a_decision(router, text):
    decision = router.route(text)

    assert decision.department in {None, *router.departments}
    assert 0.0 <= decision.confidence <= 1.0


def test_the_single_question_path_agrees_with_the_batch_path(router):
    texts = [*rows()[0], "", "🙂 refund", "Моя карта списала деньги дважды", "job " * 3000]

    one_at_a_time = np.array([router.probabilities_one(text) for text in texts])

    assert np.allclose(one_at_a_time, router.probabilities(texts), rtol=0, atol=1e-12)


def test_dumps_loads_round_trip_decides_identically(router):
    data = router.dumps()
    loaded = Router.loads(data)

    assert isinstance(data, bytes)
    assert loaded.departments == router.departments
    assert loaded.threshold == router.threshold
    assert loaded.metrics == router.metrics
    texts = [*rows()[0], "something entirely different", "refund the app crash job"]
    assert np.array_equal(loaded.probabilities(texts), router.probabilities(texts))
    assert [loaded.route(t) for t in texts] == [router.route(t) for t in texts]


def test_loads_refuses_bytes_it_did_not_write():
    with pytest.raises(Exception):  # noqa: B017 - numpy's own error for a non-archive
        Router.loads(b"not a router")


def test_threshold_and_metrics_come_from_cross_validation_on_the_training_data(router):
    metrics = router.metrics

    assert metrics["n_train"] == 44
    assert metrics["n_oos"] == 8
    assert metrics["n_departments"] == 3
    assert metrics["cv_folds"] == 5
    assert metrics["threshold"] == router.threshold
    assert 0.0 < router.threshold < 1.0
    # the threshold is the lowest reaching the oos-recall target out of fold
    assert metrics["cv_oos_recall"] >= classifier.OOS_RECALL_TARGET
    assert metrics["train_seconds"] > 0


def test_training_without_oos_examples_still_keeps_doubtful_questions_in_triage():
    examples = {k: v for k, v in EXAMPLES.items() if k != OOS}
    router = train(*rows(examples))

    assert router.classes == ["careers", "engineering", "finance"]
    assert router.metrics["n_oos"] == 0
    assert router.route("my invoice is wrong").department == "finance"
    assert 0.0 < router.threshold < 1.0


def test_two_departments_are_enough():
    examples = {k: EXAMPLES[k] for k in ("finance", "careers")}
    router = train(*rows(examples))

    assert router.route("I want a refund for my invoice").department == "finance"
    assert router.route("are you hiring interns").department == "careers"


def test_a_department_with_a_single_example_is_learned_too():
    examples = {**EXAMPLES, "legal": ["I want to talk to your lawyer about the contract"]}
    router = train(*rows(examples))

    assert "legal" in router.departments
    assert router.metrics["cv_folds"] == 5
    assert router.rank("your lawyer and the contract", k=1)[0][0] == "legal"


def test_one_example_per_department_trains_without_cross_validation():
    router = train(["refund my invoice", "are you hiring"], ["finance", "careers"])

    assert router.metrics["cv_folds"] == 0
    assert router.threshold == classifier.DEFAULT_THRESHOLD
    assert router.rank("refund", k=1)[0][0] == "finance"


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        (["a", "b"], ["finance"], "same length"),
        (["a", "b"], ["finance", ""], "needs a department"),
        (["a", "b", "c"], ["finance", "finance", OOS], "at least two departments"),
    ],
)
def test_unusable_training_data_is_refused(texts, labels, message):
    with pytest.raises(ValueError, match=message):
        train(texts, labels)


class TableRouter:
    """A stand-in with fixed confidences, to check evaluate()'s arithmetic by hand."""

    departments = ["a", "b"]
    threshold = 0.5

    def __init__(self, table):
        self.table = table

    def probabilities(self, texts):
        return np.array([self.table[t] for t in texts])

    def confidences(self, texts):
        p = self.probabilities(texts)
        return p, p.max(axis=1)

    def route(self, text):
        (pa, pb) = self.table[text]
        best, confidence = ("a", pa) if pa >= pb else ("b", pb)
        return Decision(
            department=best if confidence >= self.threshold else None,
            ranking=sorted([("a", pa), ("b", pb)], key=lambda r: -r[1]),
            confidence=confidence,
        )


def test_evaluate_counts_by_hand():
    table = {
        "a1": (0.9, 0.1),  # a, right
        "a2": (0.3, 0.7),  # b, wrong
        "a3": (0.45, 0.4),  # triage: an in-scope row kept in triage counts as wrong
        "b1": (0.2, 0.8),  # b, right
        "o1": (0.4, 0.35),  # triage, right
        "o2": (0.6, 0.4),  # a, wrong
    }
    labels = ["a", "a", "a", "b", OOS, OOS]

    result = evaluate(TableRouter(table), list(table), labels)

    assert result["in_scope_accuracy"] == pytest.approx(2 / 4)
    assert result["oos_recall"] == pytest.approx(1 / 2)
    assert result["n_test"] == 6
    assert result["n_test_oos"] == 2
    # a: predicted a1, o2 -> precision 1/2; true a1..a3 -> recall 1/3
    assert result["per_department"]["a"] == {"precision": 0.5, "recall": 1 / 3, "support": 3}
    # b: predicted a2, b1 -> precision 1/2; recall 1/1
    assert result["per_department"]["b"] == {"precision": 0.5, "recall": 1.0, "support": 1}
    # oos (triage): predicted a3, o1 -> precision 1/2; recall 1/2
    assert result["per_department"][OOS] == {"precision": 0.5, "recall": 0.5, "support": 2}
    f1 = {"a": 2 * 0.5 * (1 / 3) / (0.5 + 1 / 3), "b": 2 * 0.5 / 1.5, OOS: 0.5}
    assert result["macro_f1"] == pytest.approx(sum(f1.values()) / 3)
    assert result["predict_ms_p50"] >= 0
    assert result["predict_ms_p95"] >= result["predict_ms_p50"]

    curve = {p["threshold"]: p for p in result["curve"]}
    # threshold 0: a3 goes to a (0.45 > 0.4), nothing stays in triage
    assert curve[0.0] == {"threshold": 0.0, "in_scope_accuracy": 0.75, "oos_recall": 0.0}
    assert curve[0.5] == {"threshold": 0.5, "in_scope_accuracy": 0.5, "oos_recall": 0.5}
    assert curve[0.85] == {"threshold": 0.85, "in_scope_accuracy": 0.25, "oos_recall": 1.0}
    assert [p["threshold"] for p in result["curve"]] == sorted(curve)


def test_evaluate_without_oos_rows_reports_no_oos_recall():
    result = evaluate(TableRouter({"a1": (0.9, 0.1)}), ["a1"], ["a"])

    assert result["in_scope_accuracy"] == 1.0
    assert result["oos_recall"] is None


def write(path, content, encoding="utf-8"):
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def test_read_csv_reads_text_and_department(tmp_path):
    path = write(tmp_path / "q.csv", 'text,department\n"hello, there",finance\nbye, oos \n')

    assert read_csv(path) == (["hello, there", "bye"], ["finance", "oos"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text,dept\nhello,finance\n", "needs the columns text,department"),
        ("", "needs the columns text,department"),
        ("text,department\n", "no rows"),
        ("text,department\nhello,\n", "line 2: no department"),
        ("text,department\ncaf\xe9,finance\n".encode("latin-1"), "not UTF-8"),
        (b"\x1f\x8b\x08\x00\xa1\xb2\xff\xfe", "not UTF-8"),  # a gzip file
    ],
)
def test_read_csv_explains_bad_files(tmp_path, content, message):
    path = write(tmp_path / "bad.csv", content)

    with pytest.raises(ValueError, match=message):
        read_csv(path)


def test_read_csv_explains_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="is a directory"):
        read_csv(tmp_path)
