#!/usr/bin/env python3
"""What `make run` serves: daphne and the clock, started together and stopped together.

    web    daphne on --host/--port (default 127.0.0.1:8000)
    clock  Celery beat: the schedule in settings.CELERY_BEAT_SCHEDULE (SLA reminders and
           escalations, waiting questions, policy reminders, digests). Embedded (no
           REDIS_URL) Celery runs tasks eagerly, so beat runs each due task in its own
           process; with a broker (REDIS_URL) this is a worker with beat inside it instead.

Both write to this terminal, each line prefixed with its name. Ctrl-C (SIGINT) or SIGTERM
stops both; when either stops on its own, the other is stopped too and the exit status is
non-zero. Run it from the project directory, after `manage.py migrate`.
"""

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_TIMEOUT = 10  # seconds a process gets to finish before it is killed


def commands(host: str, port: int) -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    python = sys.executable
    schedule = str(Path(settings.VAR_DIR) / "celerybeat-schedule")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        clock = [python, "-m", "celery", "-A", "config", "beat", "--schedule", schedule]
    else:  # a broker: beat enqueues, so a worker must run the tasks (and web's tasks)
        clock = [python, "-m", "celery", "-A", "config", "worker", "--beat",
                 "--schedule", schedule, "--concurrency", "2"]  # fmt: skip
    return {
        "web": [python, "-m", "daphne", "-b", host, "-p", str(port), "config.asgi:application"],
        "clock": [*clock, "--loglevel", "INFO"],
    }


def _die_with_parent() -> None:
    """In the child: be sent SIGTERM if bin/run.py itself dies (even by SIGKILL), so no
    orphan keeps the port or the database."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _forward(name: str, stream, width: int) -> None:
    prefix = f"{name:<{width}} | ".encode()
    out = sys.stdout.buffer
    for line in iter(stream.readline, b""):
        with contextlib.suppress(OSError):  # a closed terminal must not block the process
            out.write(prefix + line)
            out.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    stopping = threading.Event()
    procs: dict[str, subprocess.Popen] = {}
    width = max(len(n) for n in ("web", "clock"))

    def request_stop(signum=None, frame=None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    for name, argv in commands(args.host, args.port).items():
        # Own session: Ctrl-C reaches bin/run.py only, which stops each process once, in order.
        procs[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads of ours exist yet
        )
        print(f"{name:<{width}} | started (pid {procs[name].pid}): {' '.join(argv[1:])}")
        sys.stdout.flush()

    threads = [
        threading.Thread(target=_forward, args=(name, proc.stdout, width), daemon=True)
        for name, proc in procs.items()
    ]
    for thread in threads:
        thread.start()

    failed = False
    while not stopping.wait(0.5):
        exited = [name for name, proc in procs.items() if proc.poll() is not None]
        if exited:
            for name in exited:
                status = procs[name].returncode
                print(f"{name:<{width}} | exited with status {status}: stopping the rest")
            sys.stdout.flush()
            failed = True
            break

    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()  # graceful: daphne closes its sockets, beat saves its schedule
    for proc in procs.values():
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for thread in threads:
        thread.join(timeout=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
