"""People directory and people API at 10,000 profiles on PostgreSQL, next to a floor.

Run:  .venv/bin/python bench/people.py        (or `make bench-people`; about 4 minutes)
      --requests N: GETs per URL on the main server (default 2000)
      --others N: GETs per URL on the two comparison servers (default 300; 0 skips them)

What it does, every step bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_bench` if missing (127.0.0.1:5432, user
   postgres, trust auth), migrates it, seeds it with `manage.py seed_demo --employees 10000`
   (bulk and idempotent: 10,000 generated employees + the 4 demo logins) and collects static
   files (DEBUG is off, so pages need the manifest). Every command runs as a subprocess with
   DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL=.../socialhub_bench, DEBUG=false,
   HTTPS=false, a bench SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, SOCIALHUB_VAR_DIR=var/bench
   and REDIS_URL set to the empty string (seeding runs its tasks in the same process).
   The servers and the probe then run with REDIS_URL=redis://127.0.0.1:6379/6 (BENCH_REDIS_DB;
   emptied first), the cache every process shares as in production: the directory keeps its
   counts and cards there, the autocomplete its words. Sessions live in the database.
2. Serves the product, all at once, from three servers started with config.wsgi/asgi:
   - gunicorn, 2 sync workers (WSGI, as production serves HTTP), DATABASE_CONN_MAX_AGE=60
     (persistent connections, as config/databases.py advises for gunicorn), port 8731: the main
     figures;
   - the same with DATABASE_CONN_MAX_AGE=0, the default (a new connection per request), 8733;
   - daphne, 1 process (ASGI), DATABASE_CONN_MAX_AGE=0, port 8732.
   bench.settings adds one URL, /bench/bare/, a login-free view returning {"ok": true}: the
   floor. It is measured twice: without credentials (the floor proper) and with the session
   cookie, which makes LoginRequiredMiddleware load the session and the user (two queries).
3. Signs in as emma.employee through the real login form (CSRF, axes, session cookie) and
   gets an API token from /api/v1/auth/token/; pages send the session cookie, the API the token.
   The deep page is found by following `next` 40 times from the first API page.
4. For each URL and server: a 50-request warm-up, then a fixed number of GETs at concurrency 8
   (8 threads, each with its own http.client connection): 2,000 per URL on the main gunicorn,
   300 on the two others, and 100 at concurrency 1 on the main gunicorn (the cost of one
   request with no queue). The GETs are made in 4 interleaved rounds (URL by URL, server by
   server), so that noise on this shared machine hits the floor and the pages alike. A 60 s cap
   per URL and server is a safety bound only (a row it cut short says so). Prints p50/p95/p99,
   requests/s and the ratios to the floor measured on the same server in the same run. The
   load generator shares the 2 cores with the servers and PostgreSQL; the floor pays the same
   toll (its CPU use is printed).
5. Runs each URL 10 more times inside Django (test client, no HTTP server, no concurrency),
   times every SQL query it issues and prints its EXPLAIN (ANALYZE, BUFFERS) plan summary,
   flagging a sequential scan or a sort of 1,000+ rows (a page should be an index scan over
   the page), then EXPLAINs the API's page query from page 1 to the last page (keyset depth).
6. Stops its servers (the process groups it started), even on error.

No extra tool is needed: the load generator is the standard library (wrk is not used), and
the sign-in uses `requests`, already installed with mozilla-django-oidc.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _load, _people_probe, _probe  # noqa: E402
from bench._common import PYTHON, ROOT, get, step  # noqa: E402

# --employees N (default 10,000) seeds and measures N employees, in a database of its own
# for any other N (socialhub_bench_<N>), read here before the constants below.
EMPLOYEES = _common.size(10_000, _common.SMOKE_EMPLOYEES)
if "--employees" in sys.argv:
    EMPLOYEES = int(sys.argv[sys.argv.index("--employees") + 1])
# BENCH_PEOPLE_DB names the database outright (a helper's own, e.g. sh_people100k).
DB_NAME = os.environ.get("BENCH_PEOPLE_DB") or _common.db_name(
    "socialhub_bench"
    if EMPLOYEES in (10_000, _common.SMOKE_EMPLOYEES)
    else f"socialhub_bench_{EMPLOYEES}"
)
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
VAR_DIR = ROOT / "var" / "bench"
GUNICORN_PORT = _common.port(8731)
DAPHNE_PORT = _common.port(8732)
GUNICORN_CONN0_PORT = _common.port(8733)
USERNAME = "emma.employee"
PASSWORD = "socialhub-demo"
CONCURRENCY = 8
WARMUP = int(os.environ.get("BENCH_WARMUP", 0)) or _common.size(50, 5)
CAP_SECONDS = 60.0
DEEP_PAGES = _common.size(40, 2)
ROUNDS = _common.size(4, 1)
# BENCH_UNLOADED: GETs per URL at concurrency 1 (a loaded machine: fewer, to finish in time).
UNLOADED = int(os.environ.get("BENCH_UNLOADED", 0)) or _common.size(100, 10)
GOAL_P95_MS = 50.0

ENV = _common.bench_env(DB_NAME, VAR_DIR)
# What the servers and the probe run with: the shared cache on Redis, as in production.
REDIS_DB = _common.redis_url(6)
SERVE_ENV = {**ENV, "REDIS_URL": REDIS_DB}

# key, label, path (filled in for the deep page), kind ("anon" sends no credentials, "page"
# the session cookie, "api" the token), whether the p95 goal applies. The second row
# is the floor plus what every signed-in request pays before the view: LoginRequiredMiddleware
# reads request.user, so the session and the user are loaded (two queries).
ENDPOINTS = [
    ("floor", "floor: bare JSON view", "/bench/bare/", "anon", False),
    ("signed_in", "bare view + session cookie", "/bench/bare/", "page", False),
    ("directory", "/people/ (HTML, 24 a page)", "/people/", "page", True),
    (
        "department",
        "/people/?department=engineering",
        "/people/?department=engineering",
        "page",
        True,
    ),
    ("api", "/api/v1/people/?page_size=25", "/api/v1/people/?page_size=25", "api", True),
    ("deep", f"API page {DEEP_PAGES + 1} (cursor, 25)", None, "api", True),
    ("skill", "/api/v1/people/?skill=python", "/api/v1/people/?skill=python", "api", True),
    ("search", "/people/?q=garcia (name search)", "/people/?q=garcia", "page", True),
    ("dir_deep", f"/people/ page {DEEP_PAGES + 1} (cursor)", None, "page", True),
    ("api_search", "/api/v1/people/?q=gar&page_size=25", "/api/v1/people/?q=gar&page_size=25",
     "api", True),
    ("experts", "/people/experts/?topic=python", "/people/experts/?topic=python", "page", True),
    ("experts_text", "/people/experts/?topic=design", "/people/experts/?topic=design", "page",
     True),
    ("mention1", "@ autocomplete: @g", "/people/suggest/?q=%40g&as=listbox", "page", True),
    ("mention2", "@ autocomplete: @ga", "/people/suggest/?q=%40ga&as=listbox", "page", True),
    ("mention3", "@ autocomplete: @gar", "/people/suggest/?q=%40gar&as=listbox", "page", True),
    # Late in the alphabet: the page query walks the name index past everyone before them.
    ("mention_late", "@ autocomplete: @zo", "/people/suggest/?q=%40zo&as=listbox", "page",
     True),
    ("search_late", "/people/?q=yilmaz (name search)", "/people/?q=yilmaz", "page", True),
]  # fmt: skip


# --- setup ------------------------------------------------------------------------------


def ensure_database() -> None:
    _common.ensure_database(DB_NAME)


def manage(*args: str, timeout: float = 300) -> str:
    return _common.manage(ENV, *args, timeout=timeout)


def prepare() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    step(f"database {DB_NAME}: create if missing, migrate, seed {EMPLOYEES:,} employees")
    ensure_database()
    manage("migrate", "--noinput", "--verbosity", "0")
    started = time.perf_counter()
    if _common.SMOKE:  # the smoke template has the demo company already
        out = manage("seed_demo", "--employees", str(EMPLOYEES), timeout=3600)
    else:
        out = seed_people()
    print(f"   {out.splitlines()[0]} ({time.perf_counter() - started:.1f} s)")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    # Autovacuum's steady state on live tables, as bench/feed.py: fresh statistics, and the
    # visibility map set (after a bulk load no page is all-visible, so an index-only scan,
    # such as the "@" autocomplete's over people_searchword, reads the heap for every row).
    run_sql("VACUUM (ANALYZE)")


def seed_people() -> str:
    """The people of the demo company only (demo.people.seed_demo: bulk_create in batches of
    2,000, managers by UPDATE ... FROM VALUES; idempotent), in a subprocess: what this bench
    reads. `manage.py seed_demo` adds posts, policies, questions... on top, which at 100,000
    employees takes most of an hour and nothing here measures."""
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--employees", str(EMPLOYEES), "--seed-people"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"FAILED: seeding people\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    for line in result.stderr.splitlines():
        print(f"   seed: {line.strip()}")
    return result.stdout


def seed_people_main() -> None:
    import django

    django.setup()
    from demo.people import seed_demo

    created = seed_demo(employees=EMPLOYEES, password=PASSWORD, stdout=sys.stderr)
    print(f"People ready: {created['employees']:,} new employees (demo.people.seed_demo).")


def run_sql(statement: str):
    return _common.run_sql(DB_NAME, statement)


# --- servers ----------------------------------------------------------------------------


def gunicorn(name: str, port: int, conn_max_age: int) -> _common.Server:
    return _common.gunicorn(name, port, SERVE_ENV, VAR_DIR, conn_max_age)


def daphne(name: str, port: int, conn_max_age: int) -> _common.Server:
    return _common.daphne(name, port, SERVE_ENV, VAR_DIR, conn_max_age)


# --- sign-in ----------------------------------------------------------------------------


def sign_in(port: int) -> dict:
    return _common.sign_in(port, USERNAME, PASSWORD)


def deep_page(port: int, api_headers: dict) -> tuple[str, str]:
    """Follow `next` DEEP_PAGES times from the first API page; return its path and cursor."""
    path = _load.follow_next(port, api_headers, "/api/v1/people/?page_size=25", DEEP_PAGES)
    return path, _load.cursor_of(path)


def check(port: int, key: str, path: str, headers: dict) -> None:
    """Each URL answers what a signed-in person sees, not a redirect or an error page."""
    status, body = get(port, path, headers)
    if status != 200:
        sys.exit(f"FAILED: GET {path} answered {status}: {body[:300]!r}")
    if key in ("directory", "department") and b"Emma Employee" not in body:
        sys.exit(f"FAILED: GET {path} is not the signed-in directory")
    # The smoke company (100 people) may have nobody named like the searches.
    searches = () if _common.SMOKE else ("api_search",)
    if key in ("api", "deep", "skill", *searches) and not json.loads(body)["results"]:
        sys.exit(f"FAILED: GET {path} returned no people")
    if key.startswith("mention") and not _common.SMOKE and b'role="option"' not in body:
        sys.exit(f"FAILED: GET {path} suggested nobody")
    if key.startswith("experts") and b"/people/" not in body:
        sys.exit(f"FAILED: GET {path} is not the expert finder")


# --- query probe (runs inside Django, in a subprocess) ----------------------------------


def probe(paths: dict) -> dict:
    targets = [[k, paths[k], kind] for k, _l, path, kind, _g in ENDPOINTS if path != "/bench/bare/"]
    args = ["--employees", str(EMPLOYEES), "--probe", json.dumps(targets)]
    return _probe.run_probe(__file__, args, SERVE_ENV, timeout=300)


def print_breakdown(results: dict, probe_report: dict) -> None:
    """Where a request's time goes, next to the queue that concurrency 8 adds."""
    print()
    print("WHERE THE TIME GOES per request (ms): c=1 p50 under gunicorn (HTTP included), then the")
    print("in-process probe: whole request, SQL, the rest (Python: view, template, serializer),")
    print("and the costliest query; last column: p50 at concurrency 8 / p50 at concurrency 1.")
    head = (
        f"{'endpoint':<38} {'c=1 p50':>7} {'request':>7} {'SQL':>6} {'rest':>6}"
        f"  {'costliest query':<32} {'queue x':>7}"
    )
    print(head)
    print("-" * len(head))
    by_key = {item["key"]: item for item in probe_report["urls"]}
    for key, label, _p, _kind, _g in ENDPOINTS:
        one = results["gunicorn c=1"][key]["p50"]
        queue = results["gunicorn"][key]["p50"] / one
        if key not in by_key:
            print(f"{label:<38} {one:>7.1f} {'':>7} {'':>6} {'':>6}  {'':<32} {queue:>6.1f}x")
            continue
        item = by_key[key]
        sql = sum(q["ms"] for q in item["queries"])
        top = max(item["queries"], key=lambda q: q["ms"])
        name = f"{_people_probe.label_query(top['sql'])} {top['ms']:.1f}"
        print(
            f"{label:<38} {one:>7.1f} {item['ms']:>7.1f} {sql:>6.1f} {item['ms'] - sql:>6.1f}"
            f"  {name:<32} {queue:>6.1f}x"
        )
    print(
        f"With {CONCURRENCY} clients on 2 sync workers a request waits behind about"
        f" {CONCURRENCY // 2 - 1} others, so p95 < {GOAL_P95_MS:.0f} ms at concurrency"
        f" {CONCURRENCY} needs a request to cost about {GOAL_P95_MS / (CONCURRENCY // 2):.0f} ms"
        " or less."
    )


# --- main -------------------------------------------------------------------------------


RUNS = {
    # name: (title, server, GETs per URL from which option, concurrency)
    "gunicorn": (
        "WSGI: gunicorn, 2 sync workers, DATABASE_CONN_MAX_AGE=60 (persistent connections)",
        "gunicorn",
        "requests",
        CONCURRENCY,
    ),
    "gunicorn c=1": (
        "the same gunicorn at concurrency 1: what one request costs, with no queue",
        "gunicorn",
        "unloaded",
        1,
    ),
    "gunicorn conn 0": (
        "WSGI: gunicorn, 2 sync workers, DATABASE_CONN_MAX_AGE=0 (the default: a new"
        " PostgreSQL connection per request)",
        "gunicorn-conn0",
        "others",
        CONCURRENCY,
    ),
    "daphne": (
        "ASGI: daphne, 1 process, DATABASE_CONN_MAX_AGE=0 (the default)",
        "daphne",
        "others",
        CONCURRENCY,
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=_common.size(2000, 40),
        help="GETs per URL, gunicorn with persistent connections",
    )
    parser.add_argument(
        "--others",
        type=int,
        default=_common.size(300, 20),
        help="GETs per URL for gunicorn with DATABASE_CONN_MAX_AGE=0 and for daphne (0: skip)",
    )
    parser.add_argument(
        "--employees", type=int, default=EMPLOYEES, help="employees to seed (default 10,000)"
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--seed-people", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_people:
        seed_people_main()
        return
    if args.probe:
        _people_probe.probe_main(json.loads(args.probe), USERNAME)
        return
    started = time.perf_counter()
    counts = {"requests": args.requests, "unloaded": UNLOADED, "others": args.others}
    prepare()
    import redis

    redis.Redis.from_url(REDIS_DB).flushdb()
    labels = {k: lbl for k, lbl, _p, _kind, _g in ENDPOINTS}
    paths = {k: p for k, _l, p, _kind, _g in ENDPOINTS}
    servers = {"gunicorn": gunicorn("gunicorn", GUNICORN_PORT, 60)}
    if args.others > 0:
        servers["gunicorn-conn0"] = gunicorn("gunicorn-conn0", GUNICORN_CONN0_PORT, 0)
        servers["daphne"] = daphne("daphne", DAPHNE_PORT, 0)
    runs = [
        {"name": name, "port": servers[server].port, "total": counts[option], "concurrency": c}
        for name, (_title, server, option, c) in RUNS.items()
        if server in servers
    ]
    try:
        for server in servers.values():
            age = server.env["DATABASE_CONN_MAX_AGE"]
            step(f"{server.name} on 127.0.0.1:{server.port}, DATABASE_CONN_MAX_AGE={age}")
            server.start()
        headers = sign_in(GUNICORN_PORT)
        paths["deep"], cursor = deep_page(GUNICORN_PORT, headers["api"])
        # The directory page orders and encodes its cursor as the API does.
        paths["dir_deep"] = "/people/?" + urllib.parse.urlencode({"cursor": cursor})
        step(
            "load: "
            + "; ".join(f"{r['name']} {r['total']}" for r in runs)
            + f" GETs per URL; concurrency {CONCURRENCY} unless c=1; {ROUNDS} interleaved rounds"
        )
        results = _load.measure(
            runs,
            ENDPOINTS,
            paths,
            headers,
            check=check,
            warmup=WARMUP,
            rounds=ROUNDS,
            cap=CAP_SECONDS,
        )
    finally:
        for server in servers.values():
            server.stop()
    step("queries and plans")
    probe_report = probe(paths)
    count = run_sql(
        "SELECT count(*) FROM people_profile p JOIN auth_user u ON u.id = p.user_id"
        " WHERE u.is_active"
    )[0][0]

    print()
    print("=" * 100)
    print(f"socialhub people benchmark: {count:,} active profiles, PostgreSQL database {DB_NAME}")
    print("command: .venv/bin/python bench/people.py (make bench-people); 2-core machine")
    print(f"{WARMUP} warm-up GETs per URL and server, then the GETs below in {ROUNDS} rounds;")
    print(f"floor = {paths['floor']}, a bare Django JSON view, on the same server, same run")
    for run in runs:
        title = RUNS[run["name"]][0]
        _load.print_table(
            f"{title}\n{run['total']} GETs per URL at concurrency {run['concurrency']}",
            ENDPOINTS,
            results[run["name"]],
            cap=CAP_SECONDS,
            goal=(f"p95 < {GOAL_P95_MS:.0f} ms", lambda r, _ratio: r["p95"] < GOAL_P95_MS)
            if run["concurrency"] == CONCURRENCY
            else None,
        )
    if "daphne" in results:
        print()
        print("req/s vs gunicorn at concurrency 8 (PERFORMANCE.md: serve HTTP from ASGI only if")
        print("it reaches >= 0.8x the WSGI figure):")
        print(f"   {'endpoint':<38} {'daphne/gunicorn':>16} {'daphne/gunicorn conn 0':>23}"
              f" {'conn 0/conn 60':>15}")  # fmt: skip
        for key, label, _p, _kind, _g in ENDPOINTS:
            d, g, g0 = (results[n][key]["rps"] for n in ("daphne", "gunicorn", "gunicorn conn 0"))
            print(f"   {label:<38} {d / g:>15.2f}x {d / g0:>22.2f}x {g0 / g:>14.2f}x")
    findings = _people_probe.print_probe(probe_report, labels)
    print_breakdown(results, probe_report)
    print()
    for name in ("gunicorn", "gunicorn conn 0"):
        if name not in results:
            continue
        g = results[name]
        missed = [
            f"{lbl} p95 {g[k]['p95']:.0f} ms"
            for k, lbl, _p, _kind, goal in ENDPOINTS
            if goal and g[k]["p95"] >= GOAL_P95_MS
        ]
        goal = f"p95 < {GOAL_P95_MS:.0f} ms at concurrency {CONCURRENCY}, {name}"
        if missed:
            print(f"GOAL NOT MET ({goal}): " + "; ".join(missed))
        else:
            print(f"GOAL MET ({goal}) for every directory and API URL.")
    if findings:
        print("Queries that read 1,000+ rows for one page:")
        for finding in findings:
            print(f"   {finding}")
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
