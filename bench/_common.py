"""What the benchmarks share: sizes, databases, subprocesses, servers and HTTP requests.
The load generator and its tables are bench/_load.py, the in-process query probe bench/_probe.py.

Everything here is bounded (timeouts, counts) and talks to 127.0.0.1 only. The scripts
(bench/people.py, bench/feed.py) keep their own constants and call these with them.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "connect_timeout": 5}
# Smoke mode (BENCH_SMOKE=1, set by bench/smoke.py for `make bench-smoke`): every bench runs
# with tiny sizes on a database of its own (socialhub_smoke_*), only to prove it still runs.
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
# The smoke template database is seeded once with this many employees (seed_demo is the slow
# part of every setup), so each bench's own seed_demo finds them all there.
SMOKE_EMPLOYEES = 100


def size(full, smoke):
    """`full` normally, `smoke` in smoke mode: the benches' sizes and counts."""
    return smoke if SMOKE else full


# Several people benchmarking on one machine: BENCH_DB_SUFFIX gives each their own databases,
# BENCH_PORT_OFFSET their own ports and BENCH_REDIS_DB their own Redis database;
# BENCH_DB_PREFIX replaces the names' leading "socialhub" (sh_alice_feedbench), for a helper
# whose databases must all carry its own prefix.
DB_SUFFIX = os.environ.get("BENCH_DB_SUFFIX", "")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "socialhub")
PORT_OFFSET = int(os.environ.get("BENCH_PORT_OFFSET", "0"))


def db_name(name: str) -> str:
    """The bench's database; in smoke mode a separate one, so a seeded full-size database is
    never touched by the smoke run (bench/smoke.py drops and recreates the smoke ones)."""
    name = f"socialhub_smoke_{name.removeprefix('socialhub_')}" if SMOKE else name
    return DB_PREFIX + name.removeprefix("socialhub") + DB_SUFFIX


def port(number: int) -> int:
    """A bench's TCP port, moved by BENCH_PORT_OFFSET."""
    return number + PORT_OFFSET


def redis_url(default_db: int) -> str:
    """The Redis database a bench empties and uses: BENCH_REDIS_DB, or the bench's own."""
    return f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', default_db)}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def bench_env(database: str, var_dir: Path) -> dict:
    """The environment every bench subprocess runs with (see bench/people.py's docstring)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "",  # empty, not absent, so that a local .env cannot set it
        "SOCIALHUB_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def step(message: str) -> None:
    """A stage of a bench, with the machine's load average (1 and 5 min) beside it: the
    machine is shared, so figures are read next to the load they were measured under."""
    print(f"== {message}  [{load()}]", flush=True)


# --- PostgreSQL and manage.py -------------------------------------------------------------


def ensure_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    conn = psycopg.connect(dbname="postgres", autocommit=True, **PG)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"   created database {name}")
    conn.close()


def run_sql(database: str, statement: str):
    import psycopg

    conn = psycopg.connect(dbname=database, autocommit=True, **PG)
    with conn.cursor() as cur:
        cur.execute(statement)
        rows = cur.fetchall() if cur.description else None
    conn.close()
    return rows


# What bench/smoke.py did once in the template database every smoke database is copied from.
SMOKE_DONE_IN_TEMPLATE = {
    "migrate": "",
    "seed_demo": "Demo company ready: seeded once in the smoke template (bench/smoke.py).\n",
}


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    if SMOKE and args[0] in SMOKE_DONE_IN_TEMPLATE and not env.get("BENCH_SMOKE_TEMPLATE"):
        return SMOKE_DONE_IN_TEMPLATE[args[0]]
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        sys.exit(f"FAILED: manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- servers ----------------------------------------------------------------------------


class Server:
    # Seconds to answer /healthz after starting: a loaded machine can take more than a
    # minute to import Django in every worker (BENCH_START_SECONDS).
    startup_seconds = float(os.environ.get("BENCH_START_SECONDS", "120"))

    def __init__(self, name: str, port: int, argv: list[str], env: dict, log_dir: Path):
        self.name, self.port, self.argv, self.env = name, port, argv, env
        self.log = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if port_open(self.port):
            sys.exit(f"FAILED: port {self.port} is already in use; free it or edit the bench")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _ = get(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"FAILED: {self.name} did not answer /healthz:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # The server and its workers are in the process group this script started.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def gunicorn(name: str, port: int, env: dict, log_dir: Path, conn_max_age: int) -> Server:
    argv = [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
            "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "--timeout", "30"]  # fmt: skip
    return Server(name, port, argv, {**env, "DATABASE_CONN_MAX_AGE": str(conn_max_age)}, log_dir)


def daphne(name: str, port: int, env: dict, log_dir: Path, conn_max_age: int) -> Server:
    argv = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0",
            "config.asgi:application"]  # fmt: skip
    return Server(name, port, argv, {**env, "DATABASE_CONN_MAX_AGE": str(conn_max_age)}, log_dir)


class Worker(Server):
    """A Celery worker (prefork, `concurrency` children) with the bench's environment; ready
    when its log says so. Needs REDIS_URL in `env` (the broker) and eager mode off."""

    def __init__(self, name: str, env: dict, log_dir: Path, concurrency: int = 1):
        argv = [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
                "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip",
                "--without-mingle", "--without-heartbeat", "--hostname", f"{name}@%h"]  # fmt: skip
        # INFO: the worker says "ready" at that level.
        env = {**env, "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "INFO"}
        super().__init__(name, 0, argv, env, log_dir)

    def start(self) -> None:
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            if " ready." in self.log.read_text():
                return
            time.sleep(0.2)
        self.stop()
        sys.exit(f"FAILED: worker {self.name} did not start:\n{self.log.read_text()[-3000:]}")


def purge_redis(redis_url: str) -> None:
    """Empty the bench's Redis database (a previous run's queued tasks, throttle counts)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def post(port: int, path: str, headers: dict | None = None, body: bytes = b"") -> int:
    """POST `body` once; the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body, headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def sign_in(port: int, username: str, password: str) -> dict:
    """Headers for pages (session cookie) and for the API (token), via the real endpoints."""
    import requests

    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
    csrf = session.cookies.get("csrftoken")
    resp = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    sessionid = session.cookies.get("sessionid")
    if resp.status_code != 302 or not sessionid:
        sys.exit(f"FAILED: sign-in as {username} answered {resp.status_code}")
    resp = requests.post(
        f"{base}/api/v1/auth/token/",
        json={"username": username, "password": password},
        timeout=10,
    )
    resp.raise_for_status()
    page = {"Cookie": f"sessionid={sessionid}; csrftoken={csrf}", "Accept": "text/html"}
    api = {"Authorization": f"Token {resp.json()['token']}", "Accept": "application/json"}
    return {"anon": {"Accept": "application/json"}, "page": page, "api": api}
