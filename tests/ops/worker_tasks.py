"""Tasks only the tests' worker imports (`celery worker -I tests.ops.worker_tasks`)."""

from celery import shared_task


@shared_task(name="tests.ops.explode")
def explode(question_id: int) -> None:
    """Fails as a task does when something is wrong: with ids in its message, no data."""
    raise RuntimeError(f"could not handle question {question_id}")
