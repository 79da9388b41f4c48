"""What routing offers the apps above it (monitoring, crisis) without importing them (the
layer contract: routing never imports them). Higher apps connect in their AppConfig.ready.

Signals, all sent inside the transaction that made the change (a receiver's rows commit or
roll back with it; live events go out on commit through core.events):

- `question_received`: a Django signal sent inside the intake transaction, once per new
  question, after it is classified and before its SLA clock starts and an expert is picked.
  Keyword arguments: `question` (the CustomerQuestion: saved, with its id, its department
  decided but not saved yet) and `now`. A receiver may raise `question.priority` (routing
  then starts the clock for the new priority and saves the row); anything it writes is part
  of the intake transaction (a failure rolls the question back too), so receivers keep to a
  fixed number of queries and leave slow work to a task enqueued on commit.
- `register_question_panel(name, build)`: a box on the question page. `build(viewer,
  question)` returns None (nothing to show) or a dict {"title": str, "lines": [str, ...]}
  of plain text (escaped by the template), or {"template": name, ...}: a template rendered
  in the page with the dict as `panel` (knowledge's similar entries, with their buttons); it
  must cost a fixed number of queries and show only what `viewer` may read.
- `question_routed(question)`: a person took a question out of triage into a department, or
  rerouted it to another one.
- `public_reply_sent(reply)`: a public reply went out through the connector and is recorded.
- `public_reply_refused(actor, question, reason, status)`: someone tried to send a public
  reply and was refused (the policy, or a reply gate: 403), or it was held for a second
  approval (409); sent before the refusal is raised.

The reply gates: `register_reply_gate(gate)` adds a check that `record_public_reply` runs
after the policy's own answer (policies.selectors.may_reply_publicly), for every surface that
sends a reply (page, API, any future connector). A gate is called as
`gate(actor=..., question=..., text=..., approved_by=...)` and either returns None (let it
through) or raises core.errors.ApplicationError (403 with the reason, or 409 when a second
person must approve the reply first: `approved_by` is that person, or None).

The reply suggestions: `register_reply_suggestions(provider)` adds texts the question page's
reply form offers (the crisis playbook's holding statements).
"""

from collections.abc import Callable

from django.dispatch import Signal

question_received = Signal()
question_routed = Signal()
public_reply_sent = Signal()
public_reply_refused = Signal()

ReplyGate = Callable[..., None]
_reply_gates: list[ReplyGate] = []


def register_reply_gate(gate: ReplyGate) -> None:
    """Add `gate` (once: registering the same function again changes nothing)."""
    if gate not in _reply_gates:
        _reply_gates.append(gate)


def reply_gates() -> tuple[ReplyGate, ...]:
    return tuple(_reply_gates)


# Texts the reply form offers (the crisis playbook's holding statements): each provider is
# called as `provider(viewer)` and returns [(label, text), ...].
ReplySuggestions = Callable[..., list[tuple[str, str]]]
_reply_suggestions: list[ReplySuggestions] = []


def register_reply_suggestions(provider: ReplySuggestions) -> None:
    if provider not in _reply_suggestions:
        _reply_suggestions.append(provider)


def reply_suggestions(viewer) -> list[tuple[str, str]]:
    """Every registered provider's suggestions for `viewer`'s reply form, in order."""
    return [item for provider in _reply_suggestions for item in provider(viewer)]


QuestionPanel = Callable[[object, object], dict | None]
_panels: dict[str, QuestionPanel] = {}


def register_question_panel(name: str, build: QuestionPanel) -> None:
    """Add (or replace, for the same name) a panel on the question page."""
    _panels[name] = build


def question_panels(viewer, question) -> list[dict]:
    """The panels for `question` as `viewer` may see them, in registration order."""
    panels = []
    for build in _panels.values():
        panel = build(viewer, question)
        if panel:
            panels.append(panel)
    return panels
