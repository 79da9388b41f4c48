"""The app's routing decision per question, in process, next to the classifier alone.

Run:  .venv/bin/python bench/routing_decision.py     (after bench/intake.py has seeded
      the database socialhub_bench_intake; --n N questions, default 500)

For each of N demo-like texts it times, inside Django on PostgreSQL (bench.settings, the
environment of bench/people.py): the active router's `route` alone (the floor), and the
whole decision the intake makes before writing — keyword rules, the router, the department
lookup, and choosing the expert (availability, load, fairness, skills). Prints p50/p95/p99.
Nothing is written.

--embeddings: first trains and activates a router with sentence embeddings (the `embeddings`
extra) on the database's seeds and history plus the 100 out-of-scope rows of CLINC150's
train.csv (../shared/data/clinc150), then measures with it. Without it the bench uses the
router bench/intake.py stored (TF-IDF: the demo has too few spam questions for the gate).
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common  # noqa: E402

DATABASE = _common.db_name("socialhub_bench_intake")
CLINC_TRAIN = _common.ROOT.parent / "shared" / "data" / "clinc150" / "train.csv"

INNER = r"""
import statistics, sys, time
from django.utils import timezone
from routing import router_cache, selectors, training
from routing.services import intake
from demo.routing import SEEDS
from routing.models import CustomerQuestion

n = int(sys.argv[-1])
texts = [t for ts in SEEDS.values() for t in ts]
texts = [f"{texts[i % len(texts)]} (#{i})" for i in range(n)]
if sys.argv[-2] == "embeddings":
    # the seeds and history in the database, plus CLINC150's out-of-scope training rows as
    # "no department" examples: enough oos rows for the embedding router's in-scope gate
    from routing.ml import classifier, evaluation
    clinc, labels = evaluation.read_csv(sys.argv[-3])
    extra = [t for t, label in zip(clinc, labels) if label == classifier.OOS]
    train_texts, train_labels = training.training_examples()
    trained = classifier.train(
        train_texts + extra,
        train_labels + [classifier.OOS] * len(extra),
        embedder=training.training_embedder("on"),
    )
    training.store_router_version(router=trained, source="bench: seeds + clinc150 oos")
    router_cache.forget()
router, version = router_cache.current_router()
if router is None:
    sys.exit("FAILED: no active router: run bench/intake.py first")
print(f"  router version {version}: embeddings {router.metrics.get('embeddings') or 'none'}, "
      f"trained on {router.metrics['n_train']} rows")

def timed(fn):
    out = []
    for text in texts:
        started = time.perf_counter()
        fn(text)
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)

def decide(text):
    q = CustomerQuestion(text=text, channel="twitter", priority="normal")
    intake._classify(q)
    if q.department_id:
        selectors.pick_expert(department=q.department, text=text, now=timezone.now())

for _ in range(20):
    decide(texts[0])
for name, fn in (("router.route (floor)", router.route), ("whole decision", decide)):
    ms = timed(fn)
    pct = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
    print(f"  {name:<22} n={len(ms)}  p50 {pct(0.5):6.2f} ms  p95 {pct(0.95):6.2f} ms  "
          f"p99 {pct(0.99):6.2f} ms  mean {statistics.mean(ms):6.2f} ms")
"""


def main() -> None:
    n = _common.size(500, 20)
    if "--n" in sys.argv:
        n = int(sys.argv[sys.argv.index("--n") + 1])
    if not 1 <= n <= 100_000:
        sys.exit("--n 1..100000")
    var_dir = _common.ROOT / "var" / "bench-intake"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = _common.bench_env(DATABASE, var_dir)
    _common.step(f"routing decision, {n} questions, database {DATABASE}")
    setup = "import django, sys; django.setup(); exec(sys.argv[1])"
    kind = "embeddings" if "--embeddings" in sys.argv else "as-stored"
    subprocess.run(
        [_common.PYTHON, "-c", setup, INNER, str(CLINC_TRAIN), kind, str(n)],
        cwd=_common.ROOT,
        env={**env, "PYTHONPATH": str(_common.ROOT)},
        check=True,
        timeout=600,
    )


if __name__ == "__main__":
    os.chdir(_common.ROOT)
    main()
