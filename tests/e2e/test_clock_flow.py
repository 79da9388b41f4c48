"""The clock runs under `make run`: the real stack (bin/run.py: daphne and Celery beat,
embedded on SQLite, no Redis) is started as `make run` starts it, on a fresh var directory
and a free port. A question received a week ago is already past its deadline; nobody runs
anything by hand, yet within a bounded wait the department's leader is told and the
question shows as escalated in the browser. Ctrl-C then stops both processes."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..processes import free_port
from .conftest import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
SLA_CHECK_SECONDS = 2
ESCALATION_WAIT = 60  # seconds: first beat tick plus a loaded machine's slack

# A department with a leader and an expert, and an urgent question (deadline: one business
# hour) received seven days ago (at least five business days whatever today is), routed to
# the department. Printed: the question as the clock will find it.
SEED = """
import datetime as dt, json
from django.contrib.auth.models import Group as Role
from django.utils import timezone
from groups.models import Group, Membership
from routing import services
from tests.factories import DepartmentFactory, make_person

ALWAYS = {"working_days": "1234567", "work_start": dt.time(0), "work_end": dt.time(23, 59, 59)}
finance = DepartmentFactory(name="Finance", slug="finance")
lead = make_person("lena.lead", display_name="Lena Lead", department=finance, **ALWAYS).user
Membership.objects.filter(group=Group.objects.get(department=finance), user=lead).update(
    role=Membership.Role.LEADER
)
bea = make_person("bea.billing", display_name="Bea Billing", department=finance, **ALWAYS).user
social = make_person("sam.social", display_name="Sam Social").user
social.groups.add(Role.objects.get(name="social team"))
question, _ = services.receive_question(
    channel="twitter",
    external_id="clock-e2e-1",
    text="I was charged twice and nobody answers me",
    customer_name="Carla Customer",
    received_at=timezone.now() - dt.timedelta(days=7),
    priority="urgent",
)
services.route_to_department(actor=social, question=question, department=finance)
services.assign_question(actor=social, question=question, expert=bea)
question.refresh_from_db()
print(json.dumps({"pk": question.pk, "status": question.status, "stage": question.sla_stage,
                  "expert": question.assigned_to.username,
                  "overdue": question.sla_due_at < timezone.now()}))
"""


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _env(var_dir: Path) -> dict:
    """`make run`'s environment: DEBUG on, HTTPS off, nothing else of socialhub's set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "CELERY_", "DJANGO_", "ROUTING_", "EMAIL_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "HTTPS")
    }
    env.update(
        DEBUG="true",
        HTTPS="false",
        SOCIALHUB_VAR_DIR=str(var_dir),
        ROUTING_SLA_CHECK_SECONDS=str(SLA_CHECK_SECONDS),
        ROUTING_EMBEDDINGS="off",
    )
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def make_run(tmp_path):
    """migrate, the seed above, then `bin/run.py` exactly as the Makefile's run target."""
    env = _env(tmp_path / "var")
    _manage(env, "migrate", "--noinput")
    seeded = json.loads(_manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
    # Nothing has escalated it yet: only a running clock can.
    assert seeded["status"] == "assigned" and seeded["stage"] == 0 and seeded["overdue"]
    assert seeded["expert"] == "bea.billing"

    port = free_port()
    log_path = tmp_path / "run.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "bin/run.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                web = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                web.request("GET", "/accounts/login/")
                if web.getresponse().status == 200:
                    break
            except OSError:
                pass
            finally:
                web.close()
            assert proc.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        yield {"url": url, "port": port, "question": seeded["pk"], "proc": proc, "log": log_path}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def test_an_overdue_question_is_escalated_on_the_running_stack(make_run, browser):
    url, log = make_run["url"], make_run["log"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(url + "/accounts/login/?next=/notifications/")
        page.get_by_label("Username").fill("lena.lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(url + "/notifications/")

        # The leader's notification comes from the clock alone: wait for it, reloading.
        told = page.get_by_role("button", name="past its deadline")
        deadline = time.monotonic() + ESCALATION_WAIT
        while not told.count():
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
            page.reload()
        expect(told).to_contain_text("A customer question in Finance is past its deadline")
        told.click()

        expect(page).to_have_url(url + f"/questions/{make_run['question']}/")
        expect(page.locator(".q-row-head .q-status")).to_have_text("Escalated")
        expect(page.locator(".q-clock .q-timer-late")).to_contain_text("overdue by")
        expect(page.get_by_role("link", name="Bea Billing")).to_be_visible()  # still hers
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "clock-escalated.png"), full_page=True)
    finally:
        context.close()

    text = log.read_text()
    assert "clock | " in text and "routing.tasks.check_sla" in text

    # Ctrl-C stops both processes, and bin/run.py with them.
    proc = make_run["proc"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0, log.read_text()[-3000:]
    assert not _listening(make_run["port"])
    pids = [int(line.split("(pid ")[1].split(")")[0]) for line in text.splitlines()
            if "| started (pid " in line]  # fmt: skip
    assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
