"""Prometheus metrics: what every process measures, and how /metrics is served and guarded.

Processes. gunicorn workers and Celery's prefork children are separate processes with
separate memory. When PROMETHEUS_MULTIPROC_DIR is set (the manifests and the compose file
set it, one empty directory per container), prometheus_client's multiprocess mode writes
every process's samples to files there and a scrape adds them up, so one scrape of a pod
sees all of its processes. Without it (daphne alone, `make run`, the tests) each process
reports its own. The web and ws pods answer /metrics on their HTTP port; a Celery worker
serves them on WORKER_METRICS_PORT (config/celery.py starts that server in the worker's main
process). Beat runs no task and serves none.

Scrape-time figures (queue depth, questions by status...) are read when /metrics is asked
for, by the collectors in the registry below (`register_collector`): core adds the Celery
queue lengths, routing its questions. Every web pod reports the same values for these:
aggregate them with max() in Prometheus, not sum().

Access (`refusal`): METRICS_TOKEN asks for `Authorization: Bearer <token>`;
METRICS_ALLOWED_NETWORKS limits the caller's address (the TCP peer: Prometheus scrapes
pods directly, so X-Forwarded-For is not read); with both set both must pass, and with
neither the endpoint refuses everyone.
"""

import hmac
import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable

from celery import signals
from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# --- What the processes measure -----------------------------------------------------------

REQUEST_SECONDS = Histogram(
    "socialhub_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (the URL pattern's name), method and status class.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
WEBSOCKET_OPEN = Gauge(
    "socialhub_websocket_connections",
    "WebSockets open now.",
    multiprocess_mode="livesum",
)
WEBSOCKET_CONNECTS = Counter(
    "socialhub_websocket_connects",
    "WebSocket handshakes, by outcome (accepted, refused).",
    ["outcome"],
)
WEBSOCKET_MESSAGES = Counter(
    "socialhub_websocket_messages",
    "WebSocket frames, by direction (in: from browsers, out: to them) and frame type.",
    ["direction", "type"],
)
EVENTS_PUBLISHED = Counter(
    "socialhub_events_published",
    "Live events handed to the channel layer (core.events), by type and outcome.",
    ["type", "outcome"],
)
TASK_SECONDS = Histogram(
    "socialhub_celery_task_duration_seconds",
    "Time a Celery task ran, by task name and state (success, failure, retry).",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300),
)
TASK_FAILURES = Counter(
    "socialhub_celery_task_failures",
    "Celery tasks that raised, by task name.",
    ["task"],
)


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class RequestMetricsMiddleware:
    """Early in MIDDLEWARE: times each request and labels it with its route's name (never
    the raw path, which would carry ids and usernames)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or match.route or "unnamed") if match else "unmatched"
        REQUEST_SECONDS.labels(route, request.method, status_class(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


# --- Celery tasks: measured where they run (a worker, or in-process when eager) -------------

_task_started: dict[str, float] = {}


@signals.task_prerun.connect(weak=False)
def _task_prerun(task_id=None, **kwargs) -> None:
    _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect(weak=False)
def _task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _task_started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task.name, (state or "unknown").lower()).observe(
            time.perf_counter() - started
        )


@signals.task_failure.connect(weak=False)
def _task_failure(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


# --- Scrape-time collectors ---------------------------------------------------------------

_collectors: dict[str, Callable[[], Iterable[Metric]]] = {}


def register_collector(name: str, collect: Callable[[], Iterable[Metric]]) -> None:
    """For the apps (AppConfig.ready): metric families read at each scrape of /metrics.
    `collect` should cost one or two queries; its failure is logged and skipped."""
    _collectors[name] = collect


class _ScrapeCollector(Collector):
    def collect(self):
        for name, collect in list(_collectors.items()):
            try:
                yield from collect()
            except Exception as exc:
                log.warning("metrics collector %s failed: %s", name, exc.__class__.__name__)


def queue_lengths() -> Iterable[Metric]:
    """Tasks waiting in each Celery queue (Redis LLEN), when the broker is Redis."""
    from celery import current_app

    if current_app.conf.task_always_eager:
        return []
    queues = {q.name for q in (current_app.conf.task_queues or [])} or {
        current_app.conf.task_default_queue
    }
    family = GaugeMetricFamily(
        "socialhub_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
    )
    with current_app.connection_for_read() as conn:
        client = conn.default_channel.client
        for queue in sorted(queues):
            family.add_metric([queue], client.llen(queue))
    return [family]


register_collector("celery-queues", queue_lengths)


# --- Exposition -----------------------------------------------------------------------------


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def exposition(*, scrape_collectors: bool = True) -> bytes:
    """The text a scrape gets: this process's (or, in multiprocess mode, every process's)
    metrics, then the scrape-time collectors."""
    extra = CollectorRegistry(auto_describe=True)
    if scrape_collectors:
        extra.register(_ScrapeCollector())
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(extra)
        return generate_latest(extra)
    return generate_latest(REGISTRY) + generate_latest(extra)


CONTENT_TYPE = CONTENT_TYPE_LATEST


def refusal(*, remote_addr: str, authorization: str) -> int | None:
    """None when the caller may read the metrics, else the status to answer: 401 without a
    token where one is needed, 403 for a wrong token, an address outside the allowed
    networks, or when neither setting is made (closed by default)."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return 403
    if networks:
        try:
            address = ipaddress.ip_address(remote_addr)
        except ValueError:
            return 403
        if not any(address in network for network in networks):
            return 403
    if token:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() != "bearer" or not given:
            return 401
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            return 403
    return None


# --- The Celery worker's own endpoint -----------------------------------------------------


def _worker_app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/healthz":
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"status": "ok"}']
    if path != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    status = refusal(
        remote_addr=environ.get("REMOTE_ADDR", ""),
        authorization=environ.get("HTTP_AUTHORIZATION", ""),
    )
    if status is not None:
        reason = {401: "401 Unauthorized", 403: "403 Forbidden"}[status]
        headers = [("Content-Type", "text/plain")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="metrics"'))
        start_response(reason, headers)
        return [reason.encode()]
    # Queue depth is the web pods' to report; a worker reports its tasks.
    body = exposition(scrape_collectors=False)
    start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
    return [body]


def serve_worker_metrics(port: int, host: str = "0.0.0.0") -> threading.Thread:  # noqa: S104
    """Serve /metrics and /healthz for a Celery worker, in a daemon thread."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass

    server = make_server(host, port, _worker_app, WSGIServer, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    log.info("worker metrics on %s:%s", host, server.server_port)
    thread.server = server
    return thread


def clear_multiprocess_dir() -> None:
    """Drop the samples of processes that are gone (a container restarted in the same pod
    keeps the directory), keeping this process's own files."""
    directory = multiprocess_dir()
    if not directory or not os.path.isdir(directory):
        return
    mine = f"_{os.getpid()}.db"
    for name in os.listdir(directory):
        if name.endswith(".db") and not name.endswith(mine):
            os.unlink(os.path.join(directory, name))
