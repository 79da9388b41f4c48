import pytest


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Email tasks run in the test's process (as on the embedded setup) even when REDIS_URL
    points Celery at a broker; test_worker.py starts a real worker instead."""
    from config.celery import app

    if {"worker", "workers"} & set(request.fixturenames):  # real worker processes
        yield
        return
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
