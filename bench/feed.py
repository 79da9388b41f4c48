"""Home feed API at 10,000 users, 500 groups and 1,000,000 posts on PostgreSQL, next to a floor.

Run:  .venv/bin/python bench/feed.py        (or `make bench-feed`; seeding about 3 minutes the
      first time, then about 3 minutes a run)
      --requests N: GETs per URL at concurrency 8 (default 1500)

What it does, every step bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_feedbench` if missing, migrates it, seeds
   10,000 employees with `manage.py seed_demo --employees 10000`, then (in a Django
   subprocess, `--seed`) 500 groups (60% public, 25% private, 15% secret; sizes skewed),
   5 to 15 memberships per user, the All company group (groups.services.ensure_company_group),
   and with COPY: 1,000,000 posts over two years (ids in time order, body_html pre-rendered,
   10% with a #topic), 200,000 comments and 500,000 reactions, denser on recent posts so
   that decorate_posts has work on every page; then the posts' comment and reaction
   counters. Each stage is skipped when already there, and the content is one transaction
   (all or nothing). Then VACUUM (ANALYZE): what autovacuum leaves a live table (statistics
   and the visibility map; a table just filled by COPY has neither, and every index scan
   then reads the heap).
2. Serves the product from gunicorn, 2 sync workers, DATABASE_CONN_MAX_AGE=60 (as
   bench/people.py), port 8741, with the Redis cache of production (database 12, emptied
   first). bench.settings adds /bench/bare/ (the floor: a bare Django JSON view).
3. Signs in as emma.employee (a typical user: her department and 5-15 groups); finds the
   deep page (1,001 of 25) by following `next` (page_size=100) until 25,000 rows are behind
   the cursor, and the post with the most comments among her latest 100 (its HTML page:
   measured beside the feed, without a goal).
4. For each URL: 50 warm-up GETs, then N GETs at concurrency 8 and 100 at concurrency 1, in
   4 interleaved rounds; 60 s cap per URL and run. Prints p50/p95/p99, requests/s and the
   ratios to the floor. Goal: feed p95 < 30 ms and feed req/s >= 0.5x the floor.
5. In-process probe: each API request's SQL queries with their times (both pages also
   with the card caches emptied before each request: posts nobody has read yet), and
   EXPLAIN (ANALYZE, BUFFERS) summaries of the home feed page query, first page and after
   25,000 rows; plus the search query (GIN index evidence at a million posts).
6. Stops its server (the process group it started), even on error.
"""

import argparse
import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _feed_seed, _load, _probe  # noqa: E402
from bench._common import PYTHON, ROOT, get, step  # noqa: E402
from bench._feed_seed import POSTS  # noqa: E402

DB_NAME = _common.db_name("socialhub_feedbench")
VAR_DIR = ROOT / "var" / "bench-feed"
# Production keeps feed cards in Redis (feeds.api.serialize_posts): so does the bench, in a
# Redis database of its own, emptied before each run.
REDIS_DB = _common.redis_url(12)
ENV = {**_common.bench_env(DB_NAME, VAR_DIR), "REDIS_URL": REDIS_DB}
PORT = _common.port(8741)
EMPLOYEES = _common.size(10_000, _common.SMOKE_EMPLOYEES)
USERNAME = "emma.employee"
PASSWORD = "socialhub-demo"
CONCURRENCY = 8
WARMUP = _common.size(50, 5)
CAP_SECONDS = 60.0
ROUNDS = _common.size(4, 1)
UNLOADED = _common.size(100, 10)
# Page 1,001 of 25 (PERFORMANCE.md: page 1,000 within 1.5x the time of page 1).
DEEP_ROWS = _common.size(25_000, 200)
GOAL_P95_MS = 30.0
GOAL_RATIO = 0.5
SEARCH_WORD = "invoice"

# key, label, path (None: found at run time), kind of credentials, whether the goal applies
ENDPOINTS = [
    ("floor", "floor: bare JSON view", "/bench/bare/", "anon", False),
    ("feed", "/api/v1/feed/ first page (25)", "/api/v1/feed/", "api", True),
    ("deep", f"/api/v1/feed/ page {DEEP_ROWS // 25 + 1:,}", None, "api", True),
]
# The page a notification opens: the post with the most comments among the reader's latest
# 100 (2,029 at full size), its latest 50 threads (feeds.selectors.thread_of). Measured after
# the feed, beside the floor again, so that its load never falls between the feed's rounds.
POST_PAGE = [
    ENDPOINTS[0],
    ("post", "post page, the busiest of the feed's first 100 (HTML)", None, "page", False),
]
# Probed (queries and plans) but not loaded: the word is in a quarter of the posts, so this
# is search's worst case (ranking every readable match), not a figure to hold a goal to.
PROBE_ONLY = [("search", f"search API, q={SEARCH_WORD}", f"/api/v1/search/?q={SEARCH_WORD}")]


# --- setup ------------------------------------------------------------------------------


def prepare() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    step(f"database {DB_NAME}: create if missing, migrate, seed {EMPLOYEES:,} employees")
    _common.ensure_database(DB_NAME)
    _common.manage(ENV, "migrate", "--noinput", "--verbosity", "0", timeout=900)
    started = time.perf_counter()
    out = _common.manage(ENV, "seed_demo", "--employees", str(EMPLOYEES), timeout=900)
    print(f"   {out.splitlines()[0]} ({time.perf_counter() - started:.1f} s)")
    _common.manage(ENV, "collectstatic", "--noinput", "--verbosity", "0")  # the sign-in page
    step(f"groups, memberships, {POSTS:,} posts, comments, reactions (skipped when there)")
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--seed"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        sys.exit(f"FAILED: seeding\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    for line in result.stdout.splitlines():
        print(f"   {line}")
    print(f"   ({time.perf_counter() - started:.1f} s)")
    # Autovacuum's steady state on a live table: fresh statistics and the visibility map set
    # (after COPY no page is marked all-visible, so even an index-only scan reads the heap).
    # Once done, a later run's VACUUM finds nothing to do.
    _common.run_sql(DB_NAME, "VACUUM (ANALYZE)")


# --- load -------------------------------------------------------------------------------


def deep_path(port: int, headers: dict, base: str) -> str:
    """`base` with the cursor `next` gives after DEEP_ROWS rows (pages of 100)."""
    path = _load.follow_next(port, headers, f"{base}?page_size=100", DEEP_ROWS // 100)
    return f"{base}?{urllib.parse.urlencode({'cursor': _load.cursor_of(path)})}"


def busiest_post_path(port: int, headers: dict) -> str:
    """The page of the post with the most comments among the reader's latest 100."""
    status, body = get(port, "/api/v1/feed/?page_size=100", headers)
    if status != 200:
        sys.exit(f"FAILED: the feed answered {status}")
    post = max(json.loads(body)["results"], key=lambda card: card["comment_count"])
    return f"/posts/{post['id']}/"


def goal_met(result: dict, ratio: float) -> bool:
    return result["p95"] < GOAL_P95_MS and ratio >= GOAL_RATIO


def check(port: int, key: str, path: str, headers: dict) -> None:
    status, body = get(port, path, headers)
    if status != 200:
        sys.exit(f"FAILED: GET {path} answered {status}: {body[:300]!r}")
    if key == "post":
        if b'id="thread"' not in body:
            sys.exit(f"FAILED: GET {path} shows no comments")
    elif key != "floor" and not json.loads(body)["results"]:
        sys.exit(f"FAILED: GET {path} returned nothing")


# --- query probe (runs inside Django, in a subprocess) ----------------------------------


def probe_main(targets: list[list[str]]) -> None:
    """Each URL's queries with their times, and the page query's plan."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=USERNAME)
    client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}",
        HTTP_ACCEPT="application/json",
    )
    from django.core.cache import cache

    from feeds import cards

    def forget_cards():  # the shared cache and this process's own
        cache.clear()
        cards.forget_local()

    urls = []
    for key, path in targets:
        measured = _probe.profile_request(client, path, explain=lambda sql: "feeds_post" in sql)
        urls.append({"key": key, **measured})
        if key in ("feed", "deep"):  # the same page when no reader has seen its posts yet
            cold = _probe.profile_request(
                client, path, explain=lambda sql: False, before_each=forget_cards
            )
            urls.append({"key": f"{key}-cold", **cold})
    print("PROBE-JSON " + json.dumps({"urls": urls, "stats": _stats(user)}))


def _stats(user) -> dict:
    from feeds.models import Post
    from groups.models import Membership

    return {
        "posts": Post.objects.count(),
        "groups": Membership.objects.filter(user=user).count(),
        "in_feed": __import__("feeds.selectors", fromlist=["home_feed"]).home_feed(user).count(),
    }


def probe(paths: dict) -> dict:
    targets = [[k, paths[k]] for k, *_ in ENDPOINTS if k != "floor"]
    targets += [[k, path] for k, _label, path in PROBE_ONLY]
    return _probe.run_probe(__file__, ["--probe", json.dumps(targets)], ENV, timeout=600)


def label_query(sql: str) -> str:
    import re

    tables = re.findall(r'FROM "(\w+)"', sql)
    main = tables[0] if tables else "?"
    if '"authtoken_token"' in sql:
        return "token lookup (+ user, roles)"
    if 'FROM "feeds_post"' in sql and "LIMIT" in sql and "ts_rank" not in sql:
        return "feed page (keyset)"
    if main == "feeds_post" and "ts_rank" in sql:
        return "search: page of posts"
    if main == "feeds_post" and "COUNT(" in sql:
        return "search: count of posts"
    if main == "feeds_post" and "LIMIT" in sql:
        return "feed page (keyset)"
    if main == "feeds_comment" and "ROW_NUMBER" in sql:
        return "latest comments"
    if main == "feeds_comment":
        return "comments (count or search)"
    if main == "feeds_reaction":
        return "reactions"
    if main == "feeds_post_topics":
        return "topics"
    if main == "feeds_attachment":
        return "attachments"
    return main


# --- main -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--requests", type=int, default=_common.size(1500, 40), help="GETs per URL, concurrency 8"
    )
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        _feed_seed.seed_main()
        return
    if args.probe:
        probe_main(json.loads(args.probe))
        return
    started = time.perf_counter()
    prepare()
    labels = {k: lbl for k, lbl, *_ in ENDPOINTS + PROBE_ONLY}
    labels["feed-cold"] = labels["feed"] + ", card caches empty"
    labels["deep-cold"] = labels["deep"] + ", card caches empty"
    import redis

    redis.Redis.from_url(REDIS_DB).flushdb()
    paths = {k: p for k, _l, p, *_ in ENDPOINTS + POST_PAGE}
    server = _common.gunicorn("gunicorn", PORT, ENV, VAR_DIR, 60)
    runs = [
        {"name": "c=8", "port": PORT, "total": args.requests, "concurrency": CONCURRENCY},
        {"name": "c=1", "port": PORT, "total": UNLOADED, "concurrency": 1},
    ]
    try:
        step(f"gunicorn, 2 sync workers, on 127.0.0.1:{PORT}, DATABASE_CONN_MAX_AGE=60")
        server.start()
        headers = _common.sign_in(PORT, USERNAME, PASSWORD)
        paths["deep"] = deep_path(PORT, headers["api"], "/api/v1/feed/")
        paths["post"] = busiest_post_path(PORT, headers["api"])
        step(
            f"load: {args.requests} GETs per URL at concurrency {CONCURRENCY}, {UNLOADED} at"
            f" concurrency 1; {ROUNDS} interleaved rounds"
        )

        def load(endpoints):
            return _load.measure(
                runs,
                endpoints,
                paths,
                headers,
                check=check,
                warmup=WARMUP,
                rounds=ROUNDS,
                cap=CAP_SECONDS,
            )

        results = load(ENDPOINTS)
        step("load: the busiest post's page, beside the floor")
        post_results = load(POST_PAGE)
    finally:
        server.stop()
    step("queries and plans")
    report = probe(paths)
    stats = report["stats"]

    print()
    print("=" * 100)
    print(
        f"socialhub feed benchmark: {stats['posts']:,} posts, PostgreSQL database {DB_NAME};"
        f" {USERNAME} is in {stats['groups']} groups and may see {stats['in_feed']:,} posts"
        " in her home feed"
    )
    print("command: .venv/bin/python bench/feed.py (make bench-feed); 2-core machine")
    print(f"floor = {paths['floor']}, a bare Django JSON view, same gunicorn, same run")
    print("server: gunicorn, 2 sync workers, DATABASE_CONN_MAX_AGE=60")
    for run in runs:
        _load.print_table(
            f"{run['total']} GETs per URL at concurrency {run['concurrency']}",
            ENDPOINTS,
            results[run["name"]],
            cap=CAP_SECONDS,
            goal=("goal", goal_met) if run["concurrency"] == CONCURRENCY else None,
        )
    for run in runs:
        _load.print_table(
            f"The busiest post's page ({paths['post']}), {run['total']} GETs at concurrency"
            f" {run['concurrency']}, no goal",
            POST_PAGE,
            post_results[run["name"]],
            cap=CAP_SECONDS,
        )
    _probe.print_queries(
        report["urls"],
        labels,
        label_query,
        show_plan=lambda name: name in ("feed page (keyset)", "search: page of posts"),
        plan_limit=18,
    )
    print()
    c8 = results["c=8"]
    goal = f"p95 < {GOAL_P95_MS:.0f} ms and req/s >= {GOAL_RATIO}x the floor at concurrency 8"
    for key in ("feed", "deep"):
        r = c8[key]
        ratio = r["rps"] / c8["floor"]["rps"]
        print(
            f"{'GOAL MET' if goal_met(r, ratio) else 'GOAL NOT MET'} ({goal}): {labels[key]}"
            f" p95 {r['p95']:.1f} ms, {ratio:.2f}x the floor"
        )
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
