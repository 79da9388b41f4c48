"""routing_train and routing_eval: train and check the router from CSV files."""

import csv
import json
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from routing.ml.classifier import Router

from .test_classifier import EXAMPLES

# the public benchmark beside the checkouts (README: "../shared/data/clinc150")
CLINC150 = Path(__file__).resolve().parents[3] / "shared" / "data" / "clinc150"

RESULT_KEYS = {
    "in_scope_accuracy",
    "oos_recall",
    "macro_f1",
    "train_seconds",
    "predict_ms_p50",
    "predict_ms_p95",
    "n_train",
    "n_test",
    "per_department",
    "curve",
}


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "department"])
        writer.writerows(rows)
    return path


@pytest.fixture
def train_csv(tmp_path):
    return write_csv(
        tmp_path / "train.csv",
        [(text, label) for label, texts in EXAMPLES.items() for text in texts],
    )


@pytest.fixture
def test_csv(tmp_path):
    return write_csv(
        tmp_path / "test.csv",
        [
            ("I was charged twice for one invoice", "finance"),
            ("the app crashes on start", "engineering"),
            ("are you hiring engineers", "careers"),
            ("what is the weather in paris", "oos"),
        ],
    )


def run(*args) -> str:
    out = StringIO()
    call_command(*map(str, args), stdout=out)
    return out.getvalue()


def test_eval_json_is_one_object_with_every_metric(train_csv, test_csv):
    result = json.loads(run("routing_eval", "--train", train_csv, "--test", test_csv, "--json"))

    assert set(result) >= RESULT_KEYS
    assert result["n_train"] == 44
    assert result["n_test"] == 4
    for key in ("in_scope_accuracy", "oos_recall", "macro_f1"):
        assert 0.0 <= result[key] <= 1.0
    assert result["train_seconds"] > 0
    assert 0 < result["predict_ms_p50"] <= result["predict_ms_p95"]
    assert set(result["per_department"]) == {"finance", "engineering", "careers", "oos"}
    for scores in result["per_department"].values():
        assert {"precision", "recall"} <= set(scores)
    thresholds = [point["threshold"] for point in result["curve"]]
    assert thresholds == sorted(thresholds)
    assert result["threshold"] in thresholds
    for point in result["curve"]:
        assert set(point) == {"threshold", "in_scope_accuracy", "oos_recall"}
    # the curve: a higher threshold keeps more in triage
    recalls = [point["oos_recall"] for point in result["curve"]]
    assert recalls == sorted(recalls)


def test_eval_without_json_prints_a_readable_table(train_csv, test_csv):
    out = run("routing_eval", "--train", train_csv, "--test", test_csv)

    assert "in-scope accuracy" in out
    assert "oos recall" in out
    assert "careers" in out


@pytest.mark.skipif(not CLINC150.is_dir(), reason="the CLINC150 benchmark files are absent")
def test_eval_on_a_slice_of_clinc150(tmp_path):
    """A few hundred public questions: the router learns real departments, not just the toy."""
    rng = random.Random(7)

    def sample(name, per_label):
        with (CLINC150 / name).open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        rng.shuffle(rows)
        picked, seen = [], {}
        for row in rows:
            if seen.get(row["department"], 0) < per_label:
                seen[row["department"]] = seen.get(row["department"], 0) + 1
                picked.append((row["text"], row["department"]))
        return write_csv(tmp_path / name, picked)

    train, test = sample("train.csv", 60), sample("val.csv", 15)
    result = json.loads(run("routing_eval", "--train", train, "--test", test, "--json"))

    assert result["n_train"] == 11 * 60
    assert result["n_test"] == 11 * 15
    assert len(result["per_department"]) == 11
    best = max(point["in_scope_accuracy"] for point in result["curve"])
    assert best >= 0.75  # ten departments by chance would be 0.10
    assert result["in_scope_accuracy"] >= 0.5
    assert result["oos_recall"] >= 0.5


@pytest.mark.parametrize("command", ["routing_eval", "routing_train"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "needs the columns text,department"),
        (b"question,team\nhello,finance\n", "needs the columns text,department (found question"),
        (b"text,department\n", "no rows"),
        ("text,department\ncaf\xe9,finance\n".encode("latin-1"), "not UTF-8"),
        (b"text,department\nhello,finance\nhello,finance\n", "at least two departments"),
    ],
)
def test_bad_files_are_clear_command_errors(tmp_path, test_csv, command, content, message):
    bad = tmp_path / "bad.csv"
    if content is not None:
        bad.write_bytes(content)
    args = (
        ("routing_eval", "--train", bad, "--test", test_csv)
        if command == "routing_eval"
        else ("routing_train", "--csv", bad, "--out", tmp_path / "router.npz")
    )

    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command(*map(str, args), stdout=StringIO())


@pytest.mark.parametrize("command", ["routing_eval", "routing_train"])
@pytest.mark.parametrize("target", ["0", "1.5", "-0.2"])
def test_an_impossible_oos_recall_target_is_refused(tmp_path, train_csv, command, target):
    args = (
        ("routing_eval", "--train", train_csv, "--test", train_csv)
        if command == "routing_eval"
        else ("routing_train", "--csv", train_csv, "--out", tmp_path / "router.npz")
    )

    with pytest.raises(CommandError, match="--oos-recall-target must be above 0"):
        run(*args, "--oos-recall-target", target)


def test_a_higher_oos_recall_target_keeps_more_in_triage(train_csv, test_csv):
    def threshold(target):
        args = ("--train", train_csv, "--test", test_csv, "--json", "--oos-recall-target", target)
        return json.loads(run("routing_eval", *args))["threshold"]

    assert threshold("0.5") < threshold("1.0")


def test_eval_explains_a_bad_test_file(tmp_path, train_csv):
    with pytest.raises(CommandError, match="test.csv: no such file"):
        run("routing_eval", "--train", train_csv, "--test", tmp_path / "test.csv")


@pytest.mark.django_db
def test_train_writes_a_router_that_loads(tmp_path, train_csv):
    out_path = tmp_path / "router.npz"

    out = run("routing_train", "--csv", train_csv, "--out", out_path)

    router = Router.loads(out_path.read_bytes())
    assert router.route("my invoice is wrong").department == "finance"
    metrics = json.loads(out[: out.rindex("}") + 1])
    assert metrics["n_train"] == 44
    assert metrics["threshold"] == pytest.approx(router.threshold, abs=1e-4)


def test_train_refuses_an_out_folder_that_does_not_exist(tmp_path, train_csv):
    with pytest.raises(CommandError, match="folder does not exist"):
        run("routing_train", "--csv", train_csv, "--out", tmp_path / "nope" / "router.npz")


@pytest.mark.django_db
def test_train_stores_the_router_as_the_active_version(train_csv):
    from routing.models import RouterVersion

    out = run("routing_train", "--csv", train_csv)

    version = RouterVersion.objects.get(active=True)
    assert f"version {version.pk}" in out
    assert version.source == "csv:train.csv"
    assert version.n_examples == 44
    assert version.metrics["n_train"] == 44
    router = Router.loads(bytes(version.data))
    assert router.route("the app crashes on start").department == "engineering"
