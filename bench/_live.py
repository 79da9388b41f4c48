"""What the live-delivery benches share (bench/realtime.py, bench/_fanout.py): posting through
the real compose request, a crowd of WebSocket clients that timestamps every marked event,
latency summaries and a process's CPU time from /proc. All traffic to 127.0.0.1 only."""

import asyncio
import itertools
import json
import os
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import _common
from bench._load import pct

HTTP_PORT, WS_PORT = _common.port(8761), _common.port(8762)
MARKER = re.compile(r"rtmark-(\d+)-(\d+)")
MARKERS = itertools.count(int(time.time()))


def post_through_http(session: str, group_slug: str, body: str) -> int:
    token = os.urandom(16).hex()
    data = urllib.parse.urlencode({"group": group_slug, "body": body, "kind": "update"}).encode()
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        f"http://127.0.0.1:{HTTP_PORT}/posts/new/",
        data=data,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "X-CSRFToken": token,
            "Referer": f"http://127.0.0.1:{HTTP_PORT}/",
            "HX-Request": "true",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


class Clients:
    """N websockets clients; every received event with a marker is timestamped."""

    def __init__(self):
        self.sockets = []
        self.received: dict[str, list[float]] = {}
        self.tasks = []
        self.card_html = ""  # one post.created card as the product sent it

    async def open(self, sessions: list[str], concurrency: int = 20, ports=(WS_PORT,)) -> None:
        """Socket i (session i) to daphne ports[i % len(ports)]: spread evenly."""
        import websockets

        semaphore = asyncio.Semaphore(concurrency)

        async def one(i, session):
            port = ports[i % len(ports)]
            async with semaphore:
                ws = await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/",
                    additional_headers={
                        "Cookie": f"sessionid={session}",
                        "Origin": f"http://127.0.0.1:{port}",
                    },
                    ping_interval=None,
                    max_size=2**20,
                    open_timeout=60,
                )
                hello = json.loads(await asyncio.wait_for(ws.recv(), 60))
                assert hello["type"] == "hello", hello
                self.sockets.append(ws)
                self.tasks.append(asyncio.create_task(self.listen(ws)))

        await asyncio.gather(*(one(i, s) for i, s in enumerate(sessions)))

    async def listen(self, ws) -> None:
        import websockets

        try:
            async for frame in ws:
                now = time.perf_counter()
                found = MARKER.search(frame)
                if found:
                    self.received.setdefault(found.group(0), []).append(now)
                    if not self.card_html and '"post.created"' in frame:
                        self.card_html = json.loads(frame)["html"]
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        self.sockets, self.tasks = [], []

    async def wait_for(self, markers: dict[str, int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(len(self.received.get(m, [])) >= n for m, n in markers.items()):
                return
            await asyncio.sleep(0.02)


def summarize(name, sent_at: dict[str, float], expected: dict[str, int], clients) -> dict:
    latencies, got, want = [], 0, sum(expected.values())
    first = min(sent_at.values())
    last = first
    for marker, t0 in sent_at.items():
        times = clients.received.get(marker, [])
        got += len(times)
        latencies.extend((t - t0) * 1000 for t in times)
        if times:
            last = max(last, max(times))
    latencies.sort()
    rate = got / (last - first) if last > first else 0.0
    return {
        "name": name,
        "delivered": got,
        "expected": want,
        "p50": pct(latencies, 0.50) if latencies else float("nan"),
        "p95": pct(latencies, 0.95) if latencies else float("nan"),
        "p99": pct(latencies, 0.99) if latencies else float("nan"),
        "rate": rate,
    }


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    total = cpu_seconds(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(cpu_seconds(int(child)) for child in children)
