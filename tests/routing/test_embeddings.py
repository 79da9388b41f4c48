"""The router with sentence embeddings (routing/embedder.py, the `embeddings` extra).

Real model, real ONNX Runtime: the embedder is built once per test run into
ROUTING_MODEL_DIR (about 10 s) and reused. `make install` installs the extra; without it
these tests skip, saying so.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from routing import classifier, embedder
from routing.classifier import OOS, Router, train
from tests.routing.test_classifier import EXAMPLES
from tests.routing.test_classifier import rows as classifier_rows

pytestmark = pytest.mark.skipif(
    not embedder.available(settings.ROUTING_MODEL_DIR),
    reason="the `embeddings` extra is not installed (make install installs it)",
)

ROOT = Path(__file__).resolve().parents[2]

# More out-of-scope questions than the TF-IDF tests use: the in-scope gate needs at least
# MIN_OOS_FOR_EMBEDDINGS of them, on several topics.
MORE_OOS = [
    f"{opening} {topic}"
    for topic in (
        "the weather in lisbon this weekend",
        "a good recipe for banana bread",
        "the score of the basketball game",
        "the best hiking trails near the lake",
        "how far away the moon is",
        "the lyrics of that old song",
    )
    for opening in ("can you tell me about", "I want to know about", "what do you think of")
]
EMBEDDING_EXAMPLES = {**EXAMPLES, OOS: EXAMPLES[OOS] + MORE_OOS}


def rows(examples=EMBEDDING_EXAMPLES):
    return classifier_rows(examples)


@pytest.fixture(scope="session")
def model():
    return embedder.build(settings.ROUTING_MODEL_DIR)


@pytest.fixture(scope="module")
def router(model):
    return train(*rows(), embedder=model)


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_model_is_built_once_and_cached(model):
    assert (Path(settings.ROUTING_MODEL_DIR) / embedder.ONNX_FILE).exists()
    again = embedder.build(settings.ROUTING_MODEL_DIR)
    assert again.digest == model.digest


def test_embeddings_are_unit_vectors_that_capture_meaning(model):
    vectors = model.encode(
        ["I was charged twice on my card", "you billed my card two times", "tell me a joke"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ｗｉｄｅ",
        "🙂🙂 refund 🙂",
        "Мой платёж не прошёл",
        "我的订单在哪里",
        "x" * 50_000,
    ],
)
def test_any_text_encodes(model, text):
    vector = model.encode_one(text)
    assert vector.shape == (384,)
    assert np.isfinite(vector).all()


def test_the_same_text_always_gets_the_same_vector(model):
    texts = ["where is my refund", "the app crashes on start", "are you hiring"] * 30
    many = model.encode(texts)
    for text, row in zip(texts, many, strict=True):
        assert np.array_equal(model.encode_one(text), row)


def test_the_router_reads_embeddings_when_there_are_enough_oos_rows(router, model):
    assert router.semantic is not None
    assert router.metrics["embeddings"] == model.name
    assert router.metrics["cv_folds"] == classifier.CV_FOLDS
    assert 0.0 < router.threshold < 1.0


def test_too_few_oos_rows_train_a_tfidf_router(model):
    few = dict(EXAMPLES)  # 8 oos rows, below MIN_OOS_FOR_EMBEDDINGS
    assert len(few[OOS]) < classifier.MIN_OOS_FOR_EMBEDDINGS
    tfidf_only = train(*rows(few), embedder=model)

    assert tfidf_only.semantic is None
    assert tfidf_only.metrics["embeddings"] is None


def test_paraphrases_it_never_saw_reach_their_department(router):
    # no word in common with the training rows for most of them: the embedding carries it
    for text, department in [
        ("you took my money two times", "finance"),
        ("the mobile program keeps closing by itself", "engineering"),
        ("any vacancies for a designer", "careers"),
    ]:
        decision = router.route(text)
        assert decision.ranking[0][0] == department, (text, decision)


def test_off_topic_questions_stay_in_triage(router):
    for text in ("what is the weather in paris tomorrow", "give me a recipe for pancakes"):
        decision = router.route(text)
        assert decision.department is None, (text, decision)


def test_confidence_is_the_in_scope_probability_and_decides(router):
    for text in ("I was charged twice on my credit card", "tell me a joke", "hello"):
        decision = router.route(text)
        shares = [c for _, c in decision.ranking]
        assert shares == sorted(shares, reverse=True)
        # department shares of the in-scope probability: never more than it in total
        assert sum(shares) <= decision.confidence + 1e-9
        assert (decision.department is not None) == (decision.confidence >= router.threshold)
        if decision.department is not None:
            assert decision.department == decision.ranking[0][0]


def test_batch_and_single_decisions_agree(router):
    texts = rows()[0][::3] + ["where is my refund", "what is the capital of peru"]
    p, confidence = router.confidences(texts)
    for text, row, conf in zip(texts, p, confidence, strict=True):
        single, single_conf = router._one(text)
        assert np.allclose(single, row, atol=1e-6)
        assert single_conf == pytest.approx(conf, abs=1e-6)


def test_a_stored_router_decides_exactly_as_the_trained_one(router):
    loaded = Router.loads(router.dumps())

    assert loaded.semantic is not None
    assert loaded.semantic.embedder.digest == router.semantic.embedder.digest
    for text in ["where is my refund", "the app crashes", "tell me a joke", "🙂", ""]:
        assert loaded.route(text) == router.route(text)


def test_a_web_process_loads_it_without_pytorch(router, tmp_path):
    path = tmp_path / "router.npz"
    path.write_bytes(router.dumps())
    script = (
        "import sys; from routing.classifier import Router; "
        f"r = Router.loads(open({str(path)!r}, 'rb').read()); "
        "d = r.route('I was charged twice on my credit card'); "
        "assert 'torch' not in sys.modules, 'torch was imported'; "
        "print(d.ranking[0][0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "finance"


def test_oos_topics_are_never_split_across_folds(model):
    texts, labels = rows()
    y = np.array(labels)
    splits = classifier._splits_by_oos_topic(y, 5, model.encode(texts))

    held = np.concatenate([h for _, h in splits])
    assert sorted(held) == list(range(len(y)))  # every row held out exactly once
    for fit_rows, _ in splits:
        assert set(y[fit_rows]) >= {"finance", "engineering", "careers", OOS}
    # the 18 MORE_OOS rows come in 6 topics of 3: each topic in a single fold
    fold_of = {int(row): k for k, (_, h) in enumerate(splits) for row in h}
    first = len(texts) - len(MORE_OOS)
    for topic in range(6):
        members = [first + 3 * topic + i for i in range(3)]
        assert len({fold_of[m] for m in members}) == 1, topic


# --- In the app ------------------------------------------------------------------------------


@pytest.fixture
def enough_spam(db):
    """Spam questions: the history's oos rows."""
    from routing.models import CustomerQuestion, Status

    CustomerQuestion.objects.bulk_create(
        CustomerQuestion(
            channel="twitter",
            external_id=f"spam-{i}",
            text=text,
            received_at="2026-11-01T10:00:00Z",
            status=Status.SPAM,
        )
        for i, text in enumerate(EMBEDDING_EXAMPLES[OOS])
    )


@pytest.fixture
def seeds(finance, engineering):
    from routing.models import SeedExample

    for department, slug in ((finance, "finance"), (engineering, "engineering")):
        SeedExample.objects.bulk_create(
            SeedExample(department=department, text=text) for text in EXAMPLES[slug]
        )


def test_training_in_the_app_uses_embeddings_and_routes_new_questions(
    settings, seeds, enough_spam, model, billing_expert, social
):
    from routing.router_cache import current_router
    from routing.training import train_router
    from tests.conftest import client_for
    from tests.routing.conftest import ask

    settings.ROUTING_EMBEDDINGS = "on"
    version = train_router(source="test")

    assert version.metrics["embeddings"] == model.name
    router, version_id = current_router()
    assert version_id == version.pk and router.semantic is not None
    question = ask("you took my money two times")
    assert question.department.slug == "finance"
    assert question.router_version_id == version.pk
    assert question.ranking[0][0] == "finance"
    assert question.confidence >= router.threshold  # the in-scope probability decided
    assert ask("give me a recipe for pancakes").department is None

    # the history says both figures: the department's share and the in-scope probability
    page = client_for(social).get(question.get_absolute_url()).content.decode()
    share, sure = round(question.ranking[0][1] * 100), round(question.confidence * 100)
    assert f"The router chose Finance ({share}%), {sure}% sure it is a question" in page


def test_embeddings_off_trains_tfidf_only(settings, seeds, enough_spam):
    from routing.training import train_router

    settings.ROUTING_EMBEDDINGS = "off"
    assert train_router(source="test").metrics["embeddings"] is None


def test_embeddings_on_without_the_extra_is_a_clear_error(settings, monkeypatch, seeds):
    from routing.training import train_router
    from socialhub.errors import ApplicationError

    def missing(_):
        raise embedder.EmbeddingsUnavailable("Building the embedding model needs the extra.")

    monkeypatch.setattr(embedder, "build", missing)  # as on a machine without the extra
    settings.ROUTING_EMBEDDINGS = "on"
    with pytest.raises(ApplicationError, match="needs the extra") as caught:
        train_router(source="test")
    assert caught.value.field == "embeddings"
    settings.ROUTING_EMBEDDINGS = "auto"  # auto falls back to TF-IDF
    assert train_router(source="test").metrics["embeddings"] is None


def test_a_router_this_process_cannot_load_leaves_questions_in_triage(
    settings, seeds, enough_spam, model, monkeypatch, caplog, finance
):
    from routing import router_cache
    from routing.models import CustomerQuestion, Status
    from routing.training import train_router
    from tests.routing.conftest import ask

    settings.ROUTING_EMBEDDINGS = "on"
    version = train_router(source="test")
    router_cache.forget()

    def unavailable(**kwargs):
        raise embedder.EmbeddingsUnavailable("install the extra")

    monkeypatch.setattr(embedder, "Embedder", unavailable)  # a web process without the extra
    question = ask("I was charged twice on my credit card")

    assert question.status == Status.TRIAGED
    assert question.department is None and question.router_version_id is None
    assert f"router version {version.pk} cannot be loaded" in caplog.text
    assert CustomerQuestion.objects.filter(pk=question.pk).exists()


def test_routing_eval_reports_which_model_it_measured(tmp_path, capsys, model):
    import csv
    import json

    path = tmp_path / "rows.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "department"])
        writer.writerows(zip(*rows(), strict=True))

    call_command("routing_eval", train=str(path), test=str(path), json=True, embeddings="on")
    assert json.loads(capsys.readouterr().out)["embeddings"] == model.name
    call_command("routing_eval", train=str(path), test=str(path), json=True, embeddings="off")
    assert json.loads(capsys.readouterr().out)["embeddings"] is None
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("routing_eval", "--embeddings=sometimes", train=str(path), test=str(path))
