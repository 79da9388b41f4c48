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
   the cursor.
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
import datetime as dt
import json
import math
import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common  # noqa: E402
from bench._common import (  # noqa: E402
    PYTHON,
    ROOT,
    get,
    pct,
    plan_flags,
    plan_summary,
    run_threads,
    step,
)

DB_NAME = _common.db_name("socialhub_feedbench")
VAR_DIR = ROOT / "var" / "bench-feed"
# Production keeps feed cards in Redis (feeds.api.serialize_posts): so does the bench, in a
# Redis database of its own, emptied before each run.
REDIS_DB = _common.redis_url(12)
ENV = {**_common.bench_env(DB_NAME, VAR_DIR), "REDIS_URL": REDIS_DB}
PORT = _common.port(8741)
EMPLOYEES = _common.size(10_000, _common.SMOKE_EMPLOYEES)
GROUPS = _common.size(500, 8)
POSTS = _common.size(1_000_000, 3_000)
COMMENTS = _common.size(200_000, 500)
REACTIONS = _common.size(500_000, 1_000)
TAGGED_SHARE = 0.10
COMPANY_SHARE = 0.04
YEARS = 2
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


_WORDS = (
    "invoice billing customer release roadmap deploy meeting budget pricing launch design "
    "review support ticket onboarding hiring quarter target feedback survey campaign brand "
    "social partner contract renewal security incident outage fix update office travel "
    "lunch coffee team retro sprint demo metrics dashboard report forecast sales marketing "
    "product mobile app web api database cloud migration training policy compliance audit "
    "holiday schedule volunteer charity workshop webinar conference blog video podcast "
    "question answer idea proposal draft plan goal win thanks welcome congratulations"
)
WORDS = _WORDS.split()
_TOPICS = (
    "billing pricing release hiring security outage travel sustainability remote "
    "customerlove feedback roadmap design mobile cloud compliance training events sales "
    "marketing"
)
TOPICS = _TOPICS.split()


def seed_main() -> None:
    """In a Django process: the groups, memberships and content, idempotently."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from feeds.models import Post
    from groups.models import Group, Membership
    from groups.services import ensure_company_group

    rng = random.Random(2026)
    company = ensure_company_group()
    user_ids = list(
        get_user_model().objects.filter(is_active=True).order_by("id").values_list("id", flat=True)
    )
    have = set(Group.objects.filter(slug__startswith="bench-").values_list("slug", flat=True))
    privacies = ["public"] * 60 + ["private"] * 25 + ["secret"] * 15
    new = [
        Group(
            name=f"Bench group {i:03}",
            slug=f"bench-{i:03}",
            description=f"Benchmark group {i} about {WORDS[i % len(WORDS)]}.",
            kind="interest",
            privacy=privacies[i % len(privacies)],
        )
        for i in range(GROUPS)
        if f"bench-{i:03}" not in have
    ]
    Group.objects.bulk_create(new, batch_size=1000)
    print(f"groups: {len(new)} new, {GROUPS - len(new)} there; All company id {company.pk}")
    groups = list(Group.objects.filter(slug__startswith="bench-").order_by("slug"))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(groups))]

    members: dict[int, list[int]] = {g.pk: [] for g in groups}
    if not Membership.objects.filter(group__in=groups).exists():
        rows = []
        for user_id in user_ids:
            chosen = set()
            want = min(rng.randint(5, 15), len(groups))
            while len(chosen) < want:
                chosen.add(rng.choices(range(len(groups)), weights)[0])
            rows += [Membership(group_id=groups[i].pk, user_id=user_id) for i in chosen]
        with transaction.atomic():
            Membership.objects.bulk_create(rows, batch_size=10_000, ignore_conflicts=True)
        print(f"memberships: {len(rows):,} new")
    else:
        print("memberships: there")
    for group_id, user_id in Membership.objects.filter(group__in=groups).values_list(
        "group_id", "user_id"
    ):
        members[group_id].append(user_id)

    if Post.objects.filter(group__in=groups).exists():
        print(f"content: there ({Post.objects.count():,} posts)")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        raw.execute("SET LOCAL session_replication_role = replica")  # no FK trigger per row
        raw.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The search indexes are built once after the load, not a million times during it.
        raw.execute(
            "DROP INDEX IF EXISTS post_search_vector, comment_search_vector, "
            "post_body_search, comment_body_search"
        )
        post_ids, post_times, post_groups = _copy_posts(raw, rng, groups, weights, members, company)
        print(f"posts: {len(post_ids):,} copied ({time.perf_counter() - started:.0f} s)")
        _copy_topics(raw, rng, post_ids, post_times)
        _copy_comments(raw, rng, post_ids, post_times, post_groups, members, user_ids)
        _copy_reactions(raw, rng, post_ids, user_ids)
        print(f"comments, reactions, topics copied ({time.perf_counter() - started:.0f} s)")
        for table in ("feeds_post", "feeds_comment", "feeds_reaction", "feeds_post_topics"):
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
                f"(SELECT max(id) FROM {table}))"
            )
        _create_search_indexes(raw)
        print(f"search indexes built ({time.perf_counter() - started:.0f} s)")
        _count_activity()
        print(f"comment and reaction counters filled ({time.perf_counter() - started:.0f} s)")


def _count_activity() -> None:
    """The posts' own counters, as the services keep them (COPY went around the services):
    the grouped UPDATEs of the migration that introduced them."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("feeds.migrations.0004_post_counters")
    with connection.cursor() as cursor:
        cursor.execute(migration.COUNT_COMMENTS)
        cursor.execute(migration.COUNT_REACTIONS)


def _create_search_indexes(cursor) -> None:
    import importlib

    # The indexes of the latest search migration (the stored search_vector columns are
    # filled by PostgreSQL as the rows arrive: generated columns).
    migration = importlib.import_module("feeds.migrations.0006_stored_search_vectors")

    class Editor:  # what the migration's function needs of a schema editor
        class connection:
            vendor = "postgresql"

        @staticmethod
        def execute(sql):
            cursor.execute(sql)

    migration.create(None, Editor)


def _copy(cursor, table: str, columns: str, lines: list[str]) -> None:
    """COPY `lines` into `table`; every other column with a model default (the counters,
    say, NOT NULL in the database without a database default) gets that default, so a
    column added later cannot break the seeding again."""
    extra = _defaults(table, {c.strip() for c in columns.split(",")})
    if extra:
        columns += ", " + ", ".join(extra)
        tail = "\t" + "\t".join(extra.values()) + "\n"
        lines = [line[:-1] + tail for line in lines]
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write("".join(lines))


def _defaults(table: str, given: set[str]) -> dict[str, str]:
    """{column: its model default as COPY text} for `table`'s columns not in `given`."""
    from django.apps import apps
    from django.db import connection

    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    out = {}
    for field in model._meta.concrete_fields:
        if field.column in given or not field.has_default():
            continue
        value = field.get_db_prep_save(field.get_default(), connection)
        if isinstance(value, bool):
            value = "t" if value else "f"
        out[field.column] = "\\N" if value is None else str(value)
    return out


def _body(rng: random.Random, topic: str | None) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 40))
    words[0] = words[0].capitalize()
    text = " ".join(words) + "."
    return f"{text} #{topic}" if topic else text


def _copy_posts(cursor, rng, groups, weights, members, company):
    cursor.execute("SELECT coalesce(max(id), 0) FROM feeds_post")
    first_id = cursor.fetchone()[0] + 1
    end = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    start = end - dt.timedelta(days=365 * YEARS)
    span = (end - start).total_seconds()
    columns = (
        "id, group_id, author_id, kind, body, body_html, created_at, removed_reason, "
        "comments_closed, badge"
    )
    ids, times, post_groups, lines = [], [], [], []
    company_authors = [u for m in list(members.values())[:20] for u in m][:2000]
    group_ids = [g.pk for g in groups]
    picks = rng.choices(range(len(groups)), weights, k=POSTS)
    for i in range(POSTS):
        if rng.random() < COMPANY_SHARE:
            group_id, author = company.pk, rng.choice(company_authors)
        else:
            group_id = group_ids[picks[i]]
            author = rng.choice(members[group_id])
        created = start + dt.timedelta(seconds=span * i / POSTS + rng.uniform(0, 60))
        topic = rng.choice(TOPICS) if rng.random() < TAGGED_SHARE else None
        body = _body(rng, topic)
        post_id = first_id + i
        kind = "question" if body.endswith("?") else "update"
        lines.append(
            f"{post_id}\t{group_id}\t{author}\t{kind}\t{body}\t<p>{body}</p>\t"
            f"{created.isoformat()}\t\tf\t\n"
        )
        ids.append(post_id)
        times.append(created)
        post_groups.append(group_id)
        if len(lines) == 100_000:
            _copy(cursor, "feeds_post", columns, lines)
            lines = []
    if lines:
        _copy(cursor, "feeds_post", columns, lines)
    return ids, times, post_groups


def _recent_index(rng: random.Random, n: int) -> int:
    """An index into n posts, denser among the newest (what a feed page shows)."""
    return n - 1 - int(n * rng.random() ** 3)


def _copy_topics(cursor, rng, post_ids, post_times) -> None:
    cursor.execute(
        "INSERT INTO feeds_topic (name, created_at) SELECT unnest(%s::text[]), now() "
        "ON CONFLICT (name) DO NOTHING",
        [TOPICS],
    )
    cursor.execute("SELECT name, id FROM feeds_topic WHERE name = ANY(%s)", [TOPICS])
    topic_ids = dict(cursor.fetchall())
    # The posts' bodies end with "#topic" for TAGGED_SHARE of them: read them back.
    cursor.execute(
        "SELECT id, substring(body from '#([a-z]+)$') FROM feeds_post "
        "WHERE id >= %s AND body LIKE '%%#%%'",
        [post_ids[0]],
    )
    lines = [f"{pid}\t{topic_ids[name]}\n" for pid, name in cursor.fetchall() if name in topic_ids]
    _copy(cursor, "feeds_post_topics", "post_id, topic_id", lines)


def _copy_comments(cursor, rng, post_ids, post_times, post_groups, members, user_ids) -> None:
    columns = "post_id, author_id, body, body_html, created_at, removed_reason"
    lines = []
    for _ in range(COMMENTS):
        i = _recent_index(rng, len(post_ids))
        authors = members.get(post_groups[i]) or user_ids
        created = post_times[i] + dt.timedelta(minutes=rng.randint(1, 3000))
        body = _body(rng, None)
        lines.append(
            f"{post_ids[i]}\t{rng.choice(authors)}\t{body}\t<p>{body}</p>\t{created.isoformat()}\t\n"
        )
    _copy(cursor, "feeds_comment", columns, lines)


def _copy_reactions(cursor, rng, post_ids, user_ids) -> None:
    kinds = ("like", "like", "like", "celebrate", "insightful", "support")
    seen: set[tuple[int, int, str]] = set()
    lines = []
    now = dt.datetime.now(dt.UTC).isoformat()
    while len(seen) < REACTIONS:
        key = (post_ids[_recent_index(rng, len(post_ids))], rng.choice(user_ids), rng.choice(kinds))
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{key[0]}\t{key[1]}\t{key[2]}\t{now}\n")
    _copy(cursor, "feeds_reaction", "post_id, user_id, kind, created_at", lines)


# --- load -------------------------------------------------------------------------------


def deep_path(port: int, headers: dict, base: str) -> str:
    """`base` with the cursor `next` gives after DEEP_ROWS rows (pages of 100)."""
    path = f"{base}?page_size=100"
    for _ in range(DEEP_ROWS // 100):
        status, body = get(port, path, headers)
        if status != 200:
            sys.exit(f"FAILED: GET {path} answered {status}: {body[:300]!r}")
        parts = urllib.parse.urlsplit(json.loads(body)["next"])
        path = f"{parts.path}?{parts.query}"
    cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["cursor"][0]
    return f"{base}?{urllib.parse.urlencode({'cursor': cursor})}"


def check(port: int, key: str, path: str, headers: dict) -> None:
    status, body = get(port, path, headers)
    if status != 200:
        sys.exit(f"FAILED: GET {path} answered {status}: {body[:300]!r}")
    if key != "floor" and not json.loads(body)["results"]:
        sys.exit(f"FAILED: GET {path} returned nothing")


def measure(runs: list[dict], paths: dict, headers: dict) -> dict:
    """As bench/people.py: ROUNDS rounds, each visiting every URL and every run in turn."""
    for run in runs:
        for key, _label, _path, kind, _goal in ENDPOINTS:
            check(PORT, key, paths[key], headers[kind])
            run_threads(PORT, paths[key], headers[kind], WARMUP, CAP_SECONDS, run["concurrency"])
    acc = {
        run["name"]: {
            k: {"lat": [], "wall": 0.0, "errors": {}, "rounds": []} for k, *_ in ENDPOINTS
        }
        for run in runs
    }
    for round_number in range(ROUNDS):
        for key, _label, _path, kind, _goal in ENDPOINTS:
            for run in runs:
                per_round = math.ceil(run["total"] / ROUNDS)
                n = max(0, min(per_round, run["total"] - round_number * per_round))
                wall0 = time.perf_counter()
                lat, errors = run_threads(
                    PORT, paths[key], headers[kind], n, CAP_SECONDS / ROUNDS, run["concurrency"]
                )
                wall = time.perf_counter() - wall0
                a = acc[run["name"]][key]
                a["lat"] += lat
                a["wall"] += wall
                a["rounds"].append(len(lat) / wall)
                for name, count in errors.items():
                    a["errors"][name] = a["errors"].get(name, 0) + count
        print(f"   round {round_number + 1}/{ROUNDS} done", flush=True)
    results = {}
    for run in runs:
        results[run["name"]] = {}
        for key, a in acc[run["name"]].items():
            lat = sorted(a["lat"])
            results[run["name"]][key] = {
                "n": len(lat),
                "capped": len(lat) + sum(a["errors"].values()) < run["total"],
                "errors": a["errors"],
                "rps": len(lat) / a["wall"],
                "p50": pct(lat, 0.50) * 1000,
                "p95": pct(lat, 0.95) * 1000,
                "p99": pct(lat, 0.99) * 1000,
                "rounds": a["rounds"],
            }
    return results


def print_table(title: str, results: dict, *, with_goal: bool) -> None:
    floor = results["floor"]
    print()
    print(title)
    head = (
        f"{'endpoint':<38} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}"
        f" {'req/s vs floor':>14} {'p95 vs floor':>12}"
    )
    if with_goal:
        head += f"  {'goal':<4}"
    print(head)
    print("-" * len(head))
    for key, label, _path, _kind, goal in ENDPOINTS:
        r = results[key]
        ratio = r["rps"] / floor["rps"]
        line = (
            f"{label:<38} {r['n']:>5} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f}"
            f" {r['rps']:>7.1f} {ratio:>13.2f}x {r['p95'] / floor['p95']:>11.1f}x"
        )
        if with_goal and goal:
            met = r["p95"] < GOAL_P95_MS and ratio >= GOAL_RATIO
            line += f"  {'met' if met else 'NOT MET'}"
        if r["capped"]:
            line += f"  (stopped by the {CAP_SECONDS:.0f} s cap)"
        if r["errors"]:
            line += f"  errors: {r['errors']}"
        print(line.rstrip())
    rounds = " / ".join(f"{x:.0f}" for x in floor["rounds"])
    print(f"(floor req/s round by round: {rounds})")


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
        measured = _common.profile_request(client, path, explain=lambda sql: "feeds_post" in sql)
        urls.append({"key": key, **measured})
        if key in ("feed", "deep"):  # the same page when no reader has seen its posts yet
            cold = _common.profile_request(
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
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--probe", json.dumps(targets)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    for line in result.stdout.splitlines():
        if line.startswith("PROBE-JSON "):
            return json.loads(line.removeprefix("PROBE-JSON "))
    sys.exit(f"FAILED: query probe\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


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


def print_probe(report: dict, labels: dict) -> None:
    print()
    print("QUERIES per URL: Django test client in one process (no HTTP server, no concurrency),")
    print("median of 10 requests; plans: EXPLAIN (ANALYZE, BUFFERS) of the same SQL and params.")
    for item in report["urls"]:
        db = sum(q["ms"] for q in item["queries"])
        print()
        print(
            f"## {labels[item['key']]}: {len(item['queries'])} queries, {db:.1f} ms in SQL"
            f" of {item['ms']:.1f} ms per request ({item['ms'] - db:.1f} ms outside SQL)"
        )
        for q in item["queries"]:
            execution = next((ln for ln in q["plan"] if ln.startswith("Execution Time")), "")
            print(f"   {q['ms']:6.2f} ms  {label_query(q['sql']):<30} {execution.lower()}")
        for q in item["queries"]:
            name = label_query(q["sql"])
            if not q["plan"] or name not in ("feed page (keyset)", "search: page of posts"):
                continue
            flags = plan_flags(q["plan"])
            verdict = "  << " + "; ".join(flags) if flags else "  (index scans over the page)"
            print(f"   -- {name}{verdict}")
            for line in plan_summary(q["plan"], limit=18):
                print(f"        {line}")


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
        seed_main()
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
    paths = {k: p for k, _l, p, *_ in ENDPOINTS}
    server = _common.gunicorn("gunicorn", PORT, ENV, VAR_DIR, 60)
    runs = [
        {"name": "c=8", "total": args.requests, "concurrency": CONCURRENCY},
        {"name": "c=1", "total": UNLOADED, "concurrency": 1},
    ]
    try:
        step(f"gunicorn, 2 sync workers, on 127.0.0.1:{PORT}, DATABASE_CONN_MAX_AGE=60")
        server.start()
        headers = _common.sign_in(PORT, USERNAME, PASSWORD)
        paths["deep"] = deep_path(PORT, headers["api"], "/api/v1/feed/")
        step(
            f"load: {args.requests} GETs per URL at concurrency {CONCURRENCY}, {UNLOADED} at"
            f" concurrency 1; {ROUNDS} interleaved rounds"
        )
        results = measure(runs, paths, headers)
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
        print_table(
            f"{run['total']} GETs per URL at concurrency {run['concurrency']}",
            results[run["name"]],
            with_goal=run["concurrency"] == CONCURRENCY,
        )
    print_probe(report, labels)
    print()
    c8 = results["c=8"]
    goal = f"p95 < {GOAL_P95_MS:.0f} ms and req/s >= {GOAL_RATIO}x the floor at concurrency 8"
    for key in ("feed", "deep"):
        r = c8[key]
        ratio = r["rps"] / c8["floor"]["rps"]
        met = r["p95"] < GOAL_P95_MS and ratio >= GOAL_RATIO
        print(
            f"{'GOAL MET' if met else 'GOAL NOT MET'} ({goal}): {labels[key]}"
            f" p95 {r['p95']:.1f} ms, {ratio:.2f}x the floor"
        )
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
