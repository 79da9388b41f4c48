"""The Celery settings a killed worker or a broker outage depends on (README, "Background
tasks: what survives a crash"). Each case runs a fresh process: settings are read once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The same in both suites (own processes, no database of the suite's): the embedded
# suite runs it; make test-services leaves it out (pyproject.toml, markers).
pytestmark = pytest.mark.single_run

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
django.setup()
from config.celery import app
c = app.conf
print(json.dumps({
    "visibility": c.broker_transport_options["visibility_timeout"],
    "restore_every": c.broker_transport_options["unacked_restore_interval"]
    * c.broker_transport_options["unacked_restore_throttle"],
    "result_visibility": c.result_backend_transport_options["visibility_timeout"],
    "time_limit": c.task_time_limit,
    "acks_late": c.task_acks_late,
    "ignore_result": c.task_ignore_result,
    "publish_retries": c.task_publish_retry_policy["max_retries"],
    "sweep": c.beat_schedule["notifications-outbox"]["task"],
}))
"""


def _probe(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done


def test_a_killed_workers_task_comes_back_in_minutes_not_an_hour():
    done = _probe(REDIS_URL="redis://127.0.0.1:6379/0")
    assert done.returncode == 0, done.stderr
    conf = json.loads(done.stdout)
    assert conf["visibility"] == conf["result_visibility"] == 600
    assert conf["restore_every"] == 10
    # A task is ended before its message can be handed to a second worker.
    assert conf["time_limit"] == 540 < conf["visibility"]
    assert conf["acks_late"] and conf["ignore_result"]
    assert conf["publish_retries"] <= 1
    assert conf["sweep"] == "notifications.sweep_outbox"


def test_the_timeout_is_a_setting_and_must_exceed_the_time_limit():
    done = _probe(CELERY_VISIBILITY_TIMEOUT="120")
    assert done.returncode == 0, done.stderr
    conf = json.loads(done.stdout)
    assert (conf["visibility"], conf["time_limit"]) == (120, 60)
    done = _probe(CELERY_VISIBILITY_TIMEOUT="120", CELERY_TASK_TIME_LIMIT="120")
    assert done.returncode != 0
    assert "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT" in done.stderr


NAMED_TASK_PROBE = """
import django
django.setup()
from celery import current_app
from core.after_commit import task_named

before = "notifications.email" in current_app.tasks
print(before, task_named("notifications.email").name)
"""


def test_a_web_process_enqueues_a_task_by_name_before_importing_its_module():
    """Services name the tasks they schedule; in a web process nothing has imported the
    tasks module yet, and the first lookup must find it (not fail with NotRegistered)."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "-c", NAMED_TASK_PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "notifications.email"], done.stderr
