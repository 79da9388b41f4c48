"""Live delivery at 1,000 WebSocket clients across 50 groups, next to its floor.

Run:  .venv/bin/python bench/realtime.py            (or `make bench-realtime`; needs
      PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; about 4 minutes, then a few
      minutes per fan-out configuration: 4,000 sockets take long to open on a loaded machine)
      --layers core,pubsub   which channel layers to measure (default: both)
      --clients N            sockets for the delivery runs (default 1000)
      --idle N               idle sockets for the CPU probe (default 2000)
      --redis-db N           Redis database number (default 3)
      --database NAME        PostgreSQL database (default socialhub_rtbench)
      --processes 1,2,4      daphne process counts for the company-wide fan-out runs
      --fanout-sockets 1000,4000   socket counts for those runs ("" skips them)
      --fanout-layer pubsub  the channel layer for those runs

What it does, every step bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_rtbench` if missing and migrates it; in a Django
   subprocess (`--seed`) bulk-creates 1,000 employees `rt0000`..`rt0999` with profiles, 50
   public interest groups of 20 members each (user i in group i % 50), the All company group
   with everyone in it, and one signed-in session per user (rows in django_session, as
   signing in would write them). Skipped when already there.
2. Per channel layer (`CHANNEL_LAYER=core`, then `pubsub`), the production split:
   gunicorn (2 sync workers) serves HTTP, one daphne process serves /ws/; both on Redis.
3. Opens N sockets (user i's session on socket i), each joins its group and All company.
4. Delivery, three shapes, each measured for the product and for its floor:
   - group posts: 50 posts, one per group, through the real compose request on gunicorn
     (service, transaction, render once, publish after commit), each reaching 20 sockets;
   - company posts: 5 posts in All company, each reaching all N sockets;
   - the floor: a raw `channel_layer.group_send` from this process of the same payloads
     (the same card HTML, same size) to the same groups, so the same sockets, with no
     HTTP, no database and no rendering.
   Latency is post-to-receive: from just before the request (or group_send) to each
   socket's receipt of the event carrying that post's marker. Delivered messages/s is
   messages received / (last receipt - first send) over a burst.
5. Idle CPU: opens --idle sockets, leaves them idle 30 s, and reads daphne's CPU time from
   /proc (utime + stime) over that window: % of one core.
6. Fan-out across processes (bench/_fanout.py): for each of --processes K and
   --fanout-sockets N, K daphne processes on one Redis, N sockets spread evenly, All-company
   posts one at a time: p50/p95/p99 beside a raw group_send and a bare Redis PUBLISH, sockets
   and CPU per daphne process.
7. Prints figures, floors and ratios, and the machine's load average before and after
   (the machine is shared: absolute figures drift, ratios hold). Stops its servers.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    _common,  # noqa: E402
    _fanout,  # noqa: E402
)
from bench._common import PYTHON, ROOT, step  # noqa: E402
from bench._live import (  # noqa: E402
    HTTP_PORT,
    MARKER,
    MARKERS,
    WS_PORT,
    Clients,
    post_through_http,
    process_tree_cpu,
    summarize,
)
from bench._load import pct  # noqa: E402

DATABASE = _common.db_name("socialhub_rtbench")
USERS = _common.size(1000, 40)
GROUPS = _common.size(50, 4)
SESSION_FILE = "rtbench-sessions.json"


# --- seeding (runs inside Django: `bench/realtime.py --seed`) -------------------------------


def seed() -> None:
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from groups.models import Group, Membership
    from groups.services import ensure_company_group
    from people.models import Profile

    User = get_user_model()
    out = Path(os.environ["SOCIALHUB_VAR_DIR"])
    if User.objects.filter(username__startswith="rt").count() < USERS:
        with transaction.atomic():
            password = make_password("rt-bench-password")
            User.objects.bulk_create(
                [
                    User(username=f"rt{i:04d}", email=f"rt{i:04d}@example.com", password=password)
                    for i in range(USERS)
                ],
                ignore_conflicts=True,
            )
            users = list(User.objects.filter(username__startswith="rt").order_by("username"))
            Profile.objects.bulk_create(
                [Profile(user=u, display_name=f"Bench User {u.username[2:]}") for u in users],
                ignore_conflicts=True,
            )
            groups = []
            for g in range(GROUPS):
                group, _ = Group.objects.get_or_create(
                    slug=f"rt-group-{g:02d}",
                    defaults={"name": f"Bench group {g:02d}", "kind": Group.Kind.INTEREST},
                )
                groups.append(group)
            company = ensure_company_group()
            Membership.objects.bulk_create(
                [Membership(group=groups[i % GROUPS], user=u) for i, u in enumerate(users)]
                + [Membership(group=company, user=u) for u in users],
                ignore_conflicts=True,
            )
    users = list(User.objects.filter(username__startswith="rt").order_by("username")[:USERS])
    # One signed-in session per user, as the sign-in form would leave it.
    sessions = {}
    expiry = timezone.now() + timezone.timedelta(days=7)
    store = SessionStore()
    rows = []
    for u in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(u.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: u.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
        sessions[u.username] = key
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    Session.objects.bulk_create(rows, batch_size=1000)
    group_slugs = {f"rt{i:04d}": f"rt-group-{i % GROUPS:02d}" for i in range(USERS)}
    (out / SESSION_FILE).write_text(
        json.dumps({"sessions": sessions, "groups": group_slugs, "company": company_slug()})
    )
    print(f"   {len(users)} users, {GROUPS} groups, sessions written")


def company_slug() -> str:
    from groups.models import Group

    return Group.objects.get(kind=Group.Kind.COMPANY).slug


# --- load (this process) ----------------------------------------------------------------


async def measure_layer(layer: str, meta: dict, n_clients: int) -> list[dict]:
    from channels_redis.core import RedisChannelLayer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    users = sorted(meta["sessions"])[:n_clients]
    clients = Clients()
    await clients.open([meta["sessions"][u] for u in users])
    members: dict[str, int] = {}
    for u in users:
        members[meta["groups"][u]] = members.get(meta["groups"][u], 0) + 1
    poster_of = {}
    for u in sorted(meta["sessions"]):
        poster_of.setdefault(meta["groups"][u], meta["sessions"][u])
    results = []
    await asyncio.sleep(1)
    # Warm-up, not measured: both gunicorn workers compile templates and open connections.
    warm = {}
    for _ in range(4):
        marker = f"rtmark-{next(MARKERS)}-0"
        await asyncio.to_thread(
            post_through_http, meta["sessions"][users[0]], meta["company"], f"Warm-up {marker}"
        )
        warm[marker] = len(clients.sockets)
    await clients.wait_for(warm, timeout=30)
    http_times = []

    # The product: real compose requests, one per group, then a few to All company.
    for shape, targets in (
        ("group posts (20 sockets each)", sorted(members)),
        ("company posts (all sockets)", [meta["company"]] * 5),
    ):
        sent_at, expected = {}, {}
        for k, slug in enumerate(targets):
            marker = f"rtmark-{next(MARKERS)}-{k}"
            session = poster_of.get(slug, meta["sessions"][users[0]])
            t0 = time.perf_counter()
            await asyncio.to_thread(post_through_http, session, slug, f"Bench post {marker}")
            http_times.append((time.perf_counter() - t0) * 1000)
            sent_at[marker] = t0
            expected[marker] = members[slug] if slug in members else len(clients.sockets)
            await asyncio.sleep(0.05)
        await clients.wait_for(expected, timeout=30)
        results.append(summarize(f"{layer}: {shape}", sent_at, expected, clients))
    template_html = clients.card_html or "<article>" + "x" * 3000 + " rtmark-0-0</article>"

    # The floor: the same payload, straight into the layer, to the same groups.
    layer_class = {"core": RedisChannelLayer, "pubsub": RedisPubSubChannelLayer}[layer]
    channel_layer = layer_class(hosts=[meta["redis_url"]], prefix=meta["prefix"])
    group_ids = meta["group_ids"]
    for shape, targets in (
        ("raw group_send, 20 sockets each", sorted(members)),
        ("raw group_send, all sockets", [meta["company"]] * 5),
    ):
        sent_at, expected = {}, {}
        for k, slug in enumerate(targets):
            marker = f"rtmark-{next(MARKERS)}-{k}"
            html = MARKER.sub(marker, template_html)
            event = {"type": "post.created", "post": 0, "group": group_ids[slug], "html": html}
            t0 = time.perf_counter()
            await channel_layer.group_send(
                f"group.{group_ids[slug]}", {"type": "event.forward", "event": event}
            )
            sent_at[marker] = t0
            expected[marker] = members[slug] if slug in members else len(clients.sockets)
            await asyncio.sleep(0.05)
        await clients.wait_for(expected, timeout=30)
        results.append(summarize(f"{layer}: {shape}", sent_at, expected, clients))
    try:
        if layer == "core":
            await channel_layer.close_pools()
        else:
            await channel_layer.flush()
    except Exception:  # noqa: S110 - best effort on shutdown
        pass
    await clients.close()
    http_times.sort()
    results.append(
        {
            "name": f"{layer}: compose request alone (HTTP round trip)",
            "delivered": len(http_times),
            "expected": len(http_times),
            "p50": pct(http_times, 0.50),
            "p99": pct(http_times, 0.99),
            "rate": float("nan"),
        }
    )
    return results


async def measure_idle(
    meta: dict, n_idle: int, daphne_pid: int, window: float = _common.size(30, 2)
) -> float:
    sessions = [meta["sessions"][u] for u in sorted(meta["sessions"])]
    clients = Clients()
    await clients.open([sessions[i % len(sessions)] for i in range(n_idle)])
    await asyncio.sleep(3)
    before, t0 = process_tree_cpu(daphne_pid), time.monotonic()
    await asyncio.sleep(window)
    used, elapsed = process_tree_cpu(daphne_pid) - before, time.monotonic() - t0
    opened = len(clients.sockets)
    await clients.close()
    return 100 * used / elapsed, opened


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--layers", default="core,pubsub")
    parser.add_argument("--clients", type=int, default=USERS)
    parser.add_argument("--idle", type=int, default=_common.size(2000, 20))
    parser.add_argument("--redis-db", type=int, default=3)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--processes", default=_common.size("1,2,4", "2"))
    parser.add_argument("--fanout-sockets", default=_common.size("1000,4000", "20"))
    parser.add_argument("--fanout-layer", default="pubsub", choices=["core", "pubsub"])
    args = parser.parse_args()
    if args.seed:
        seed()
        return

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    load_before = os.getloadavg()
    var_dir = Path(tempfile.mkdtemp(prefix="rtbench-"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    database = args.database
    env = {
        **_common.bench_env(database, var_dir),
        "REDIS_URL": redis_url,
        "CHANNEL_LAYER_PREFIX": "rtbench",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "dummymail://",
    }
    step(f"database {database}")
    _common.ensure_database(database)
    _common.manage(env, "migrate", "--noinput", timeout=600)
    step("seed (users, groups, sessions)")
    subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--seed"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    meta = json.loads((var_dir / SESSION_FILE).read_text())
    rows = _common.run_sql(database, "SELECT slug, id FROM groups_group")
    meta.update({"redis_url": redis_url, "prefix": "rtbench", "group_ids": dict(rows)})

    all_results, idle = [], {}
    for layer in filter(None, args.layers.split(",")):
        layer_env = {**env, "CHANNEL_LAYER": layer}
        web = _common.gunicorn(f"gunicorn-{layer}", HTTP_PORT, layer_env, var_dir, 60)
        ws = _common.Server(
            f"daphne-{layer}",
            WS_PORT,
            # As docker-compose.yml runs it: 30 s to finish a handshake, so that a storm of
            # reconnecting tabs queues behind the session lookups instead of being cut at 5 s.
            [str(_common.BIN / "daphne"), "-b", "127.0.0.1", "-p", str(WS_PORT), "-v", "0",
             "--websocket_connect_timeout", "30", "config.asgi:application"],
            {**layer_env, "DATABASE_CONN_MAX_AGE": "0"},
            var_dir,
        )  # fmt: skip
        try:
            step(f"{layer}: gunicorn :{HTTP_PORT} (HTTP), daphne :{WS_PORT} (/ws/)")
            web.start()
            ws.start()
            step(f"{layer}: {args.clients} sockets, deliveries")
            all_results += asyncio.run(measure_layer(layer, meta, args.clients))
            step(f"{layer}: {args.idle} idle sockets, daphne CPU over 30 s")
            idle[layer] = asyncio.run(measure_idle(meta, args.idle, ws.proc.pid))
        finally:
            ws.stop()
            web.stop()

    fanout_rows = []
    if args.fanout_sockets:
        sizes = [int(n) for n in args.fanout_sockets.split(",")]
        counts = [int(k) for k in args.processes.split(",")]
        fanout_rows = _fanout.run(meta, env, var_dir, counts, sizes, args.fanout_layer)

    load_after = os.getloadavg()
    print()
    print(f"machine: {os.cpu_count()} CPUs; load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f} (shared with other engineers' runs)")  # fmt: skip
    print(f"{'run':48} {'delivered':>12} {'p50 ms':>8} {'p99 ms':>8} {'msg/s':>9}")
    for r in all_results:
        print(
            f"{r['name']:48} {r['delivered']:>5}/{r['expected']:<6} {r['p50']:8.1f} "
            f"{r['p99']:8.1f} {r['rate']:9.0f}"
        )
    print()
    by_name = {r["name"]: r for r in all_results}
    for layer in filter(None, args.layers.split(",")):
        for product, floor in (
            ("group posts (20 sockets each)", "raw group_send, 20 sockets each"),
            ("company posts (all sockets)", "raw group_send, all sockets"),
        ):
            p, f = by_name[f"{layer}: {product}"], by_name[f"{layer}: {floor}"]
            print(
                f"{layer}: {product}: p99 {p['p99']:.1f} ms vs floor {f['p99']:.1f} ms "
                f"(x{p['p99'] / f['p99']:.2f}); msg/s {p['rate']:.0f} vs floor {f['rate']:.0f} "
                f"(x{p['rate'] / f['rate'] if f['rate'] else float('nan'):.2f}); "
                f"goal p99 < 250 ms: {'met' if p['p99'] < 250 else 'NOT met'}"
            )
        cpu, opened = idle[layer]
        print(
            f"{layer}: daphne CPU with {opened} idle sockets: {cpu:.1f}% of one core "
            f"(goal < 25%: {'met' if cpu < 25 else 'NOT met'})"
        )

    if fanout_rows:
        _fanout.report(fanout_rows)


if __name__ == "__main__":
    main()
