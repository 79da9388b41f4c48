"""Question router: training time, per-question routing latency and accuracy, next to a floor.

Run:  .venv/bin/python bench/router.py        (about two minutes; no database, no Django)
      --train FILE / --test FILE: CSV files with text,department (default: the public
      CLINC150 benchmark in ../shared/data/clinc150, train.csv and val.csv)
      --questions N: questions routed one at a time (default 2000)
      --only tfidf|embeddings: one of the two routers

Both routers the app can train are measured in the same run: TF-IDF alone, and TF-IDF with
sentence embeddings (routing/ml/embedder.py: the packaged int8 ONNX model, quantised once into
var/models). For each:

1. Trains routing.ml.classifier on the whole training file (15,100 rows for CLINC150: the
   cross-validation that picks the threshold included) and prints the seconds.
   Goal: under 60 s for 15,000 examples.
2. Round-trips the router through dumps()/loads() (what every process does when a new
   version is activated) and prints the size and the load time.
3. Routes N test questions one at a time with Router.route() after 50 warm-up calls, as the
   app does for each arriving question, and prints p50/p95/p99. Goal: p95 <= 20 ms.
4. The floor: the same N questions in one batch (Router.confidences), per question; and the
   ratio of the single-question latency to it.
5. In-scope accuracy and oos recall on the test file at the router's own threshold (chosen
   on the training file only). Goal: >= 97% and >= 80% at the same point.

The CPU is shared: the 1-minute load average is printed next to the figures.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routing.ml import classifier, embedder, evaluation  # noqa: E402

CLINC150 = ROOT.parent / "shared" / "data" / "clinc150"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", default=str(CLINC150 / "train.csv"))
    parser.add_argument("--test", default=str(CLINC150 / "val.csv"))
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--only", choices=("tfidf", "embeddings"))
    options = parser.parse_args()
    try:
        train_texts, train_labels = evaluation.read_csv(options.train)
        test_texts, test_labels = evaluation.read_csv(options.test)
    except ValueError as e:
        sys.exit(f"bench/router.py: {e}")
    questions = (test_texts * (options.questions // len(test_texts) + 1))[: options.questions]

    kinds = [options.only] if options.only else ["tfidf", "embeddings"]
    for kind in kinds:
        model = None
        if kind == "embeddings":
            if not embedder.available(ROOT / "var" / "models"):
                print("embeddings   the model or ONNX Runtime is not installed: skipped")
                continue
            model = embedder.build(ROOT / "var" / "models")
        print(f"\n== {kind}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        measure(model, train_texts, train_labels, test_texts, test_labels, questions)


def measure(model, train_texts, train_labels, test_texts, test_labels, questions) -> None:
    started = time.perf_counter()
    router = classifier.train(train_texts, train_labels, embedder=model)
    train_seconds = time.perf_counter() - started
    print(
        f"train        {len(train_texts)} rows in {train_seconds:.1f} s "
        f"(goal < 60 s; threshold {router.threshold:.3f})",
        flush=True,
    )

    data = router.dumps()
    started = time.perf_counter()
    router = classifier.Router.loads(data)
    load_ms = (time.perf_counter() - started) * 1000
    print(f"dumps/loads  {len(data) / 1e6:.2f} MB, loads() {load_ms:.0f} ms", flush=True)

    for text in questions[:50]:
        router.route(text)
    latencies = []
    for text in questions:
        started = time.perf_counter()
        router.route(text)
        latencies.append((time.perf_counter() - started) * 1000)

    floor_runs = []
    for _ in range(3):
        started = time.perf_counter()
        router.confidences(questions)
        floor_runs.append((time.perf_counter() - started) * 1000 / len(questions))
    floor = min(floor_runs)

    p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
    print(
        f"route()      {len(questions)} questions one at a time: p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(latencies):.2f} ms "
        "(goal p95 <= 20 ms)"
    )
    print(f"floor        batch predict {floor:.3f} ms per question (best of 3)")
    print(f"ratio        p50 {p50 / floor:.1f}x, p95 {p95 / floor:.1f}x the floor")
    scores = evaluation.measure(test_labels, router.route_many(test_texts))
    in_scope, oos = scores["in_scope_accuracy"], scores["oos_recall"]
    print(
        f"accuracy     in scope {in_scope:.1%} at oos recall "
        + ("-" if oos is None else f"{oos:.1%}")
        + " (goal >= 97% and >= 80%)"
    )
    print(f"== load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
