"""The clock that `make run` starts beside daphne (bin/run.py).

Every entry of the beat schedule names a task that exists and takes the entry's arguments;
embedded (eager Celery, no broker) beat runs a due task in its own process, so the clock
needs no server; bin/run.py runs beat alone embedded and a worker with beat inside it when
a broker is configured; the embedded SQLite file is in WAL mode for the two processes.
"""

import datetime as dt
import inspect
import json
import os
import re
import socket

import pytest
from celery.beat import ScheduleEntry, Scheduler
from celery.schedules import crontab, schedule
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from config.celery import app
from notifications.models import Notification
from routing import services
from routing.models import CustomerQuestion, Status

from .factories import make_person
from .test_settings import run_django


def test_every_scheduled_task_exists_and_takes_its_arguments():
    app.loader.import_default_modules()  # what beat and the worker do when they start
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks.get(entry["task"])
        assert task is not None, f"{name}: no task named {entry['task']}"
        # Raises TypeError when the schedule passes arguments the task does not take.
        inspect.signature(task.run).bind(*entry.get("args", ()), **entry.get("kwargs", {}))
        every = entry["schedule"]
        assert isinstance(every, crontab | schedule) or float(every) > 0, name


@pytest.mark.single_run
def test_the_sla_check_interval_follows_the_setting(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['routing-sla']['schedule'])"
    )
    assert run_django(tmp_path, ["-c", code]).stdout.split()[-1] == "60.0"
    faster = run_django(tmp_path, ["-c", code], ROUTING_SLA_CHECK_SECONDS="2")
    assert faster.stdout.split()[-1] == "2.0"


@pytest.fixture
def overdue(finance):
    """A question routed to Finance a week ago (the urgent deadline is one business hour),
    which no clock has looked at yet."""
    social = make_person("sam.social", display_name="Sam Social").user
    social.groups.add(Group.objects.get_or_create(name="social team")[0])
    question, _ = services.receive_question(
        channel="twitter",
        external_id="clock-1",
        text="Where is my refund?",
        received_at=timezone.now() - dt.timedelta(days=7),
        priority="urgent",
    )
    services.route_to_department(actor=social, question=question, department=finance)
    question.refresh_from_db()
    assert question.sla_stage == 0 and question.sla_next_at < timezone.now()
    return question


@pytest.mark.django_db
def test_embedded_beat_runs_a_due_task_itself(overdue, monkeypatch):
    """What `celery beat` does when routing-sla is due, with the embedded settings: no
    broker, the task runs in beat's process and the question is escalated."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # embedded, in either suite
    beat = Scheduler(app, lazy=True)
    sla = settings.CELERY_BEAT_SCHEDULE["routing-sla"]
    entry = ScheduleEntry(app=app, name="routing-sla", **sla)
    beat.apply_entry(entry, producer=None)
    overdue.refresh_from_db()
    assert overdue.status == Status.ESCALATED
    assert overdue.sla_stage == 3
    assert Notification.objects.filter(
        kind="sla_reminder", target_key=f"question:{overdue.pk}:sla:3"
    ).exists()
    assert CustomerQuestion.objects.count() == 1


CLOCK = """
import json, runpy
run = runpy.run_path("bin/run.py")
print(json.dumps(run["commands"]("127.0.0.1", 8123)))
"""


@pytest.mark.single_run
def test_bin_run_starts_beat_alone_embedded_and_a_worker_with_a_broker(tmp_path):
    embedded = run_django(tmp_path, ["-c", CLOCK])
    assert embedded.returncode == 0, embedded.stderr
    commands = json.loads(embedded.stdout.splitlines()[-1])
    assert commands["web"][1:] == [
        "-m", "daphne", "-b", "127.0.0.1", "-p", "8123", "config.asgi:application"
    ]  # fmt: skip
    clock = commands["clock"]
    assert clock[1:5] == ["-m", "celery", "-A", "config"]
    assert "beat" in clock and "worker" not in clock
    assert clock[clock.index("--schedule") + 1] == str(tmp_path / "celerybeat-schedule")

    broker = run_django(tmp_path, ["-c", CLOCK], REDIS_URL="redis://127.0.0.1:6379/15")
    assert broker.returncode == 0, broker.stderr
    clock = json.loads(broker.stdout.splitlines()[-1])["clock"]
    assert "worker" in clock and "--beat" in clock


@pytest.mark.single_run
def test_the_embedded_database_is_in_wal_mode(tmp_path):
    """Daphne and the clock write the same SQLite file: readers must not wait for a writer."""
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_django(tmp_path, ["-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "wal"


@pytest.mark.single_run
def test_when_one_process_stops_bin_run_stops_the_other(tmp_path):
    """daphne cannot listen (the port is taken): the clock is stopped too, and `make run`
    fails instead of serving half a stack."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_django(tmp_path, ["bin/run.py", "--port", str(port)])
    assert result.returncode == 1, result.stdout[-3000:]
    assert "web   | exited with status 1: stopping the rest" in result.stdout
    clock = re.search(r"clock \| started \(pid (\d+)\)", result.stdout)
    with pytest.raises(ProcessLookupError):
        os.kill(int(clock.group(1)), 0)
