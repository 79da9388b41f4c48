"""`make bench-smoke`: every bench once, with tiny sizes, on fresh databases, so none rots.

Run:  .venv/bin/python bench/smoke.py            (about two minutes; PostgreSQL on
      127.0.0.1:5432 and Redis on 127.0.0.1:6379, databases 12 and 13, as `make test` has)
      --only feed,people   some of the benches

What it does:

1. Creates the database `socialhub_smoke_migrated` afresh and migrates it, then copies it to
   `socialhub_smoke_template` and seeds the demo company there (`seed_demo --employees 100`,
   the slow part of every bench's setup) once. In smoke mode the benches skip their own
   `migrate` and `seed_demo` (bench/_common.py, manage): their databases are copies.
2. For each bench: drops its smoke database (socialhub_smoke_*, never the full-size
   database of a real run) and creates it again from the template (CREATE DATABASE ... TEMPLATE:
   a file copy, no migration), then runs the bench with BENCH_SMOKE=1 (bench/_common.py: tiny
   sizes) under a time cap. The figures are printed, not judged: at these sizes they say
   nothing; what counts is that seeding, serving, loading and probing still work.
3. Prints each bench's duration and the load average, and exits 1 if any bench failed (a
   non-zero exit, a timeout), naming them.
"""

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ["BENCH_SMOKE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common  # noqa: E402
from bench._common import PYTHON, ROOT, step  # noqa: E402

# migrated and seeded with the demo company; migrated only (benches that seed their own)
TEMPLATE = _common.DB_PREFIX + "_smoke_template" + _common.DB_SUFFIX
BARE_TEMPLATE = _common.DB_PREFIX + "_smoke_migrated" + _common.DB_SUFFIX
VAR_DIR = ROOT / "var" / "bench-smoke"
CAP_SECONDS = 240
# The router's own data (CLINC150) lives outside the repository: the smoke run trains on a
# small generated file of the same shape (text,department; "oos" for out of scope).
ROUTER_ROWS = {
    "billing": ["I was charged twice", "where is my refund", "my invoice is wrong",
                "cancel my subscription payment", "update my credit card"],
    "support": ["the app crashes on start", "I cannot log in", "the page does not load",
                "settings screen is broken", "error when I upload a file"],
    "shipping": ["my parcel has not arrived", "track my order", "the package is late",
                 "change my delivery address", "the box arrived damaged"],
    "oos": ["who won the match yesterday", "tell me a joke", "what is the weather",
            "sing me a song", "what time is it in Tokyo"],
}  # fmt: skip


def router_files() -> list[str]:
    paths = []
    for name, repeat in (("train", 4), ("test", 1)):
        path = VAR_DIR / f"router-{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["text", "department"])
            for department, texts in ROUTER_ROWS.items():
                for k in range(repeat):
                    for text in texts:
                        writer.writerow([f"{text} please {k}" if k else text, department])
        paths.append(str(path))
    return ["--train", paths[0], "--test", paths[1]]


def benches() -> list[dict]:
    """name, argv, the smoke database to recreate (None: keep; search reads the database
    feed seeded, routing_decision the one intake seeded), extra environment."""
    email_db = _common.db_name("socialhub_emailbench")
    return [
        {"name": "people", "argv": ["bench/people.py"], "db": "socialhub_bench"},
        {"name": "feed", "argv": ["bench/feed.py"], "db": "socialhub_feedbench"},
        {"name": "search", "argv": ["bench/search.py"], "db": None},  # on feed's database
        {"name": "analytics", "argv": ["bench/analytics.py"], "db": "socialhub_analyticsbench"},
        {"name": "policies", "argv": ["bench/policies.py", "--redis-db", "12"],
         "db": "socialhub_polbench"},
        {"name": "intake", "argv": ["bench/intake.py", "--redis-db", "12"],
         "db": "socialhub_bench_intake"},
        {"name": "routing_decision", "argv": ["bench/routing_decision.py"], "db": None},
        {"name": "realtime", "argv": ["bench/realtime.py", "--redis-db", "13"],
         "db": "socialhub_rtbench", "template": BARE_TEMPLATE},
        {"name": "digest", "argv": ["bench/digest.py", "--redis-db", "13"],
         "db": "socialhub_digestbench"},
        {"name": "router", "argv": ["bench/router.py", *router_files(), "--questions", "50",
                                    "--only", "tfidf"], "db": None},
        {"name": "knowledge", "argv": ["bench/knowledge.py"], "db": "socialhub_bench_knowledge"},
        {"name": "email_window", "argv": ["bench/email_window.py", "10"],
         "db": "socialhub_emailbench", "template": BARE_TEMPLATE,
         "env": _common.bench_env(email_db, VAR_DIR)},
    ]  # fmt: skip


def recreate(name: str, template: str | None = None) -> None:
    import psycopg
    from psycopg import sql

    conn = psycopg.connect(dbname="postgres", autocommit=True, **_common.PG)
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        cur.execute(create)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated bench names")
    args = parser.parse_args()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    chosen = benches()
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [b for b in chosen if b["name"] in wanted]
        if unknown := wanted - {b["name"] for b in chosen}:
            sys.exit(f"unknown bench: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    step(f"template databases {BARE_TEMPLATE} (migrate), {TEMPLATE} (+ seed_demo)")
    recreate(BARE_TEMPLATE)
    env = {**_common.bench_env(BARE_TEMPLATE, VAR_DIR), "BENCH_SMOKE_TEMPLATE": "1"}
    _common.manage(env, "migrate", "--noinput", "--verbosity", "0", timeout=600)
    recreate(TEMPLATE, BARE_TEMPLATE)
    env = {**_common.bench_env(TEMPLATE, VAR_DIR), "BENCH_SMOKE_TEMPLATE": "1"}
    employees = str(_common.SMOKE_EMPLOYEES)
    _common.manage(env, "seed_demo", "--employees", employees, timeout=600)
    migrated = time.perf_counter() - started
    results = []
    for bench in chosen:
        if bench["db"]:
            recreate(_common.db_name(bench["db"]), bench.get("template", TEMPLATE))
        step(f"bench-smoke: {bench['name']} ({' '.join(bench['argv'])})")
        t0 = time.perf_counter()
        try:
            code = subprocess.run(
                [PYTHON, *bench["argv"]],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), **bench.get("env", {})},
                timeout=CAP_SECONDS,
            ).returncode
        except subprocess.TimeoutExpired:
            code = f"timeout after {CAP_SECONDS} s"
        results.append((bench["name"], code, time.perf_counter() - t0, _common.load()))
    print()
    print(f"bench-smoke: template migrated in {migrated:.0f} s")
    for name, code, seconds, load in results:
        verdict = "ok" if code == 0 else f"FAILED ({code})"
        print(f"   {name:<18} {seconds:6.1f} s  {verdict:<12} [{load}]")
    failed = [name for name, code, *_ in results if code != 0]
    print(f"bench-smoke: {len(results)} benches in {time.perf_counter() - started:.0f} s;"
          f" failed: {', '.join(failed) or 'none'}  [{_common.load()}]")  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
