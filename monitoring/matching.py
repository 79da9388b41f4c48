"""Watch rules compiled once per process, and the match of one question against them.

The compiled index maps each term's words to the rules that listen for it; a question is
matched by looking up its word n-grams (n = the term lengths in use), so matching costs
the same whatever the number of rules. Each process keeps its compiled copy and checks at
most every MONITORING_RULES_CHECK_SECONDS whether the rules changed (one cache get; a
database query only when they did): a change reaches every web process and worker within
seconds, and at once in the process that made it.
"""

import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .terms import words

VERSION_KEY = "monitoring:rules-version"


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    severity: str
    department_id: int | None
    channel: str


@dataclass(frozen=True)
class Match:
    rule: CompiledRule
    terms: tuple[str, ...]


class Matcher:
    def __init__(self, rules: list[tuple[CompiledRule, list[str]]]):
        self.index: dict[tuple[str, ...], list[tuple[CompiledRule, str]]] = {}
        for rule, terms in rules:
            for term in terms:
                key = words(term)
                if key:
                    self.index.setdefault(key, []).append((rule, term))
        self.lengths = sorted({len(k) for k in self.index})
        self.size = len(rules)

    def match(self, text: str, *, department_id: int | None, channel: str) -> list[Match]:
        tokens = words(text)
        found: dict[int, tuple[CompiledRule, list[str]]] = {}
        for n in self.lengths:
            for i in range(len(tokens) - n + 1):
                for rule, term in self.index.get(tokens[i : i + n], ()):
                    if rule.department_id is not None and rule.department_id != department_id:
                        continue
                    if rule.channel and rule.channel != channel:
                        continue
                    entry = found.setdefault(rule.id, (rule, []))
                    if term not in entry[1]:
                        entry[1].append(term)
        return [Match(rule=r, terms=tuple(t)) for r, t in found.values()]


_lock = threading.Lock()
_state: dict = {"version": None, "matcher": None, "checked": float("-inf")}


def _load() -> Matcher:
    from .models import WatchRule

    rows = WatchRule.objects.filter(active=True).values_list(
        "id", "name", "severity", "department_id", "channel", "terms"
    )
    return Matcher(
        [
            (CompiledRule(id=i, name=n, severity=s, department_id=d, channel=c), list(t))
            for i, n, s, d, c, t in rows
        ]
    )


def current_matcher() -> Matcher:
    now = time.monotonic()
    if (
        _state["matcher"] is not None
        and now - _state["checked"] < settings.MONITORING_RULES_CHECK_SECONDS
    ):
        return _state["matcher"]
    version = cache.get(VERSION_KEY)
    with _lock:
        if version is None or version != _state["version"] or _state["matcher"] is None:
            if version is None:
                version = uuid.uuid4().hex
                cache.add(VERSION_KEY, version, None)
                version = cache.get(VERSION_KEY) or version
            _state.update(version=version, matcher=_load())
        _state["checked"] = now
        return _state["matcher"]


def rules_changed() -> None:
    """After a rule is written (on commit): every process recompiles before its next match."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    forget_local()


def forget_local() -> None:
    with _lock:
        _state.update(version=None, matcher=None, checked=float("-inf"))
