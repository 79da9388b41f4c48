"""What the routing app tells the apps above it, without importing them (the layer contract:
routing never imports crisis or monitoring). Higher apps connect in their AppConfig.ready.

Signals, all sent inside the transaction that made the change (a receiver's rows commit or
roll back with it; live events go out on commit through core.events):

- `question_received(question)`: a new inbound question, stored and routed (its department
  is set when the router or a keyword rule found one).
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
