"""Company-wide fan-out across daphne processes (bench/realtime.py, `--processes`).

For every process count K (1, 2, 4) and socket count N (1,000, 4,000): K daphne processes on
their own ports, one Redis channel layer; N sockets spread evenly over them (socket i to
process i % K, user i % users' session: people with several tabs). Then:

- the product: All-company posts through the real compose request on gunicorn (service,
  transaction, card rendered once, published after commit), one at a time, each after a
  quiet spell longer than SOCKET_REVALIDATE_SECONDS, so every socket re-checks its right to
  read on that post, as the first company post after a quiet minute does in production;
- floor 1: a raw `channel_layer.group_send` of the same card to the same group (same
  sockets), no HTTP, no database, no rendering;
- floor 2: a bare Redis PUBLISH of the same payload to one subscriber in this process: the
  wire alone.

Latency is from just before the request (or send) to each socket's receipt. CPU is each
daphne process's utime + stime (/proc) over the product's window, as % of one core and as
CPU milliseconds per post.
"""

import asyncio
import contextlib
import time
from collections import Counter

from bench import _common
from bench._common import step
from bench._live import MARKER, MARKERS, Clients, post_through_http, process_tree_cpu, summarize
from bench._load import pct

# The quiet spell between measured posts; the daphnes run with SOCKET_REVALIDATE_SECONDS
# below it (bench/realtime.py), so each measured post meets sockets due for their re-check.
REVALIDATE_SECONDS = _common.size(4, 1)
QUIET_SECONDS = REVALIDATE_SECONDS + 1
POSTS = _common.size(5, 2)
FLOOR_SENDS = _common.size(5, 2)


def ws_ports(k: int) -> list[int]:
    return [_common.port(8770 + i) for i in range(k)]


async def redis_floor(redis_url: str, payload: str, rounds: int = 20) -> dict:
    """A bare PUBLISH to one subscriber (this process), the payload's size: p50/p99 ms."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe("rtbench-floor")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await client.publish("rtbench-floor", payload)
        while (await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)) is None:
            pass
        times.append((time.perf_counter() - t0) * 1000)
    await pubsub.aclose()
    await client.aclose()
    times.sort()
    return {"p50": pct(times, 0.5), "p99": pct(times, 0.99)}


async def wait_quietly(clients: Clients, marker: str, n: int, timeout: float = 60) -> None:
    await clients.wait_for({marker: n}, timeout=timeout)


async def measure(meta: dict, ports: list[int], pids: list[int], n: int, layer_class) -> dict:
    users = sorted(meta["sessions"])
    sessions = [meta["sessions"][users[i % len(users)]] for i in range(n)]
    per_process = Counter(i % len(ports) for i in range(n))
    clients = Clients()
    t_open = time.perf_counter()
    await clients.open(sessions, concurrency=40, ports=ports)
    opened_in = time.perf_counter() - t_open
    poster = meta["sessions"][users[0]]
    company = meta["company"]
    # Warm-up, not measured: gunicorn compiles templates, every socket gets one event.
    for _ in range(2):
        marker = f"rtmark-{next(MARKERS)}-0"
        await asyncio.to_thread(post_through_http, poster, company, f"Warm-up {marker}")
        await wait_quietly(clients, marker, n)

    sent_at, expected = {}, {}
    cpu_before = [process_tree_cpu(pid) for pid in pids]
    t_window = time.monotonic()
    for k in range(POSTS):
        await asyncio.sleep(QUIET_SECONDS)
        marker = f"rtmark-{next(MARKERS)}-{k}"
        t0 = time.perf_counter()
        await asyncio.to_thread(post_through_http, poster, company, f"Company post {marker}")
        sent_at[marker], expected[marker] = t0, n
        await wait_quietly(clients, marker, n)
    window = time.monotonic() - t_window
    cpu_used = [process_tree_cpu(pid) - b for pid, b in zip(pids, cpu_before, strict=True)]
    product = summarize("product", sent_at, expected, clients)

    html = clients.card_html or "<article>" + "x" * 3000 + " rtmark-0-0</article>"
    channel_layer = layer_class(hosts=[meta["redis_url"]], prefix=meta["prefix"])
    group = f"group.{meta['group_ids'][company]}"
    sent_at, expected = {}, {}
    for k in range(FLOOR_SENDS):
        marker = f"rtmark-{next(MARKERS)}-{k}"
        event = {"type": "post.created", "post": 0, "group": meta["group_ids"][company]}
        event["html"] = MARKER.sub(marker, html)
        t0 = time.perf_counter()
        await channel_layer.group_send(group, {"type": "event.forward", "event": event})
        sent_at[marker], expected[marker] = t0, n
        await wait_quietly(clients, marker, n)
    floor = summarize("floor", sent_at, expected, clients)
    with contextlib.suppress(Exception):  # best effort on shutdown
        await channel_layer.flush()
    await clients.close()
    wire = await redis_floor(meta["redis_url"], html)
    return {
        "processes": len(ports),
        "sockets": n,
        "per_process": [per_process[i] for i in range(len(ports))],
        "opened_in": opened_in,
        "product": product,
        "floor": floor,
        "wire": wire,
        "cpu_pct": [100 * c / window for c in cpu_used],
        "cpu_ms_per_post": [1000 * c / POSTS for c in cpu_used],
        "load": _common.load(),
    }


def run(meta, env, var_dir, process_counts, sizes, layer: str) -> list[dict]:
    """Every (K, N) configuration with gunicorn for the posts and K daphnes; the rows."""
    from channels_redis.core import RedisChannelLayer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from bench._live import HTTP_PORT

    layer_class = {"core": RedisChannelLayer, "pubsub": RedisPubSubChannelLayer}[layer]
    layer_env = {**env, "CHANNEL_LAYER": layer}
    rows = []
    web = _common.gunicorn("gunicorn-fanout", HTTP_PORT, layer_env, var_dir, 60)
    web.start()
    try:
        for k in process_counts:
            ports = ws_ports(k)
            daphnes = [
                _common.Server(
                    f"daphne-fanout-{k}-{i}",
                    port,
                    [
                        str(_common.BIN / "daphne"),
                        "-b",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        "-v",
                        "0",
                        "--websocket_connect_timeout",
                        "30",
                        "config.asgi:application",
                    ],
                    {
                        **layer_env,
                        "DATABASE_CONN_MAX_AGE": "0",
                        "SOCKET_REVALIDATE_SECONDS": str(REVALIDATE_SECONDS),
                    },
                    var_dir,
                )  # fmt: skip
                for i, port in enumerate(ports)
            ]
            try:
                for server in daphnes:
                    server.start()
                pids = [server.proc.pid for server in daphnes]
                for n in sizes:
                    step(f"fan-out ({layer}): {k} daphne process(es), {n} sockets")
                    rows.append(asyncio.run(measure(meta, ports, pids, n, layer_class)))
                    print_row(rows[-1], flush=True)
            finally:
                for server in daphnes:
                    server.stop()
    finally:
        web.stop()
    return rows


HEADER = (
    f"{'procs':>5} {'sockets':>7} {'per proc':>16} {'delivered':>12} {'p50':>7} {'p95':>7} "
    f"{'p99':>7} {'floor p99':>9} {'x':>5} {'wire p99':>8}  CPU %/proc (ms/post/proc)"
)


def print_row(r: dict, flush: bool = False) -> None:
    p, f = r["product"], r["floor"]
    per = "/".join(str(x) for x in r["per_process"])
    cpu = ", ".join(
        f"{c:.0f}% ({ms:.0f})" for c, ms in zip(r["cpu_pct"], r["cpu_ms_per_post"], strict=True)
    )
    ratio = p["p99"] / f["p99"] if f["p99"] else float("nan")
    print(
        f"{r['processes']:>5} {r['sockets']:>7} {per:>16} {p['delivered']:>5}/{p['expected']:<6} "
        f"{p['p50']:7.0f} {p['p95']:7.0f} {p['p99']:7.0f} {f['p99']:9.0f} {ratio:5.2f} "
        f"{r['wire']['p99']:8.2f}  {cpu}  [{r['load']}]",
        flush=flush,
    )


def report(rows: list[dict], goal_ms: float = 1000) -> None:
    print()
    print(
        f"fan-out: one All-company post at a time, each after {QUIET_SECONDS} s quiet "
        f"(SOCKET_REVALIDATE_SECONDS={REVALIDATE_SECONDS}: every socket re-checks on it); "
        "latency in ms from the compose request to each socket; floor = raw group_send "
        "of the same card, wire = bare Redis PUBLISH to one subscriber"
    )
    print(HEADER)
    for r in rows:
        print_row(r)
    for r in rows:
        met = "met" if r["product"]["p99"] <= goal_ms else "NOT met"
        print(
            f"goal p99 <= {goal_ms:.0f} ms, {r['sockets']} sockets on {r['processes']} "
            f"process(es): {met} ({r['product']['p99']:.0f} ms)"
        )
