"""The request id: one short token that ties together every log line a piece of work causes.

An HTTP request takes the caller's `X-Request-ID` (a load balancer or proxy usually sets
one) when it is a plain token, or gets a new one; the response echoes it. Every log record
carries it (`RequestIdFilter`), tasks enqueued while it is set carry it in their message
headers and set it again in the worker, and live events published during the request carry
it to the socket process that forwards them. Outside any of these it is "-".
"""

import re
import uuid
from contextvars import ContextVar

from celery import signals

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_NONE = "-"
# A caller's id is kept only when it is a plain token: no spaces, quotes or control
# characters can reach a log line through it.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_current: ContextVar[str] = ContextVar("request_id", default=_NONE)


def current() -> str:
    """The id of the work this code runs for, or "-"."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """`value` when it is a usable id, else a new one."""
    if value and _VALID.match(value):
        return value
    return new_id()


def bind(request_id: str):
    """Set the current id; returns a token for `unbind`."""
    return _current.set(request_id)


def unbind(token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later log line of the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = accept(request.headers.get(HEADER))
        token = bind(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter:
    """A logging filter that puts `request_id` on every record (for both formats)."""

    def filter(self, record) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs a 4xx/5xx after the middleware has returned, with the
            # request attached.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current()
        return True


# --- Celery: the id travels in the task message's headers ---------------------------------


@signals.before_task_publish.connect(weak=False)
def _add_header(headers=None, **kwargs) -> None:
    if headers is not None and current() != _NONE:
        headers.setdefault(TASK_HEADER, current())


_task_tokens: dict[str, object] = {}


@signals.task_prerun.connect(weak=False)
def _bind_task(task_id=None, task=None, **kwargs) -> None:
    incoming = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if incoming is None and current() != _NONE:
        return  # an eager task inside a request: it keeps the request's id
    _task_tokens[task_id] = bind(accept(incoming) if incoming else f"task-{task_id}")


@signals.task_postrun.connect(weak=False)
def _unbind_task(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        unbind(token)
