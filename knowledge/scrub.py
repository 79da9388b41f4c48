"""Customer personal data out of a knowledge entry, before it is stored.

routing.redaction.redact is the one finder (the customer's known name, handle and email;
every @handle, email, link, phone-like and order/account number; signatures). Here it runs
over the title and the body of an entry, and the result says what it removed (kinds and
counts, never the values) and, for the person who wrote the text, a line diff to confirm.
A scrubbed text scrubs to itself, so services scrub again on every save: no surface can
store text that skipped it.
"""

from collections import Counter
from dataclasses import dataclass, field

from core.versioning import DiffLine, diff_lines
from routing import redaction

# Placeholder -> the kind the summary counts.
KINDS = {
    redaction.NAME: "name",
    redaction.HANDLE: "handle",
    redaction.EMAIL: "email",
    redaction.LINK: "link",
    redaction.NUMBER: "number",
    redaction.SIGNATURE: "signature",
}
LABELS = {
    "name": ("the customer's name", "mentions of the customer's name"),
    "handle": ("a handle", "handles"),
    "email": ("an email address", "email addresses"),
    "link": ("a link", "links"),
    "number": ("a phone, order or account number", "phone, order or account numbers"),
    "signature": ("a signature", "signatures"),
}


@dataclass(frozen=True)
class Scrubbed:
    title: str
    body: str
    removed: dict[str, int] = field(default_factory=dict)
    # The text as typed against the text as kept (title first), for the writer only.
    diff: list[DiffLine] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    def summary(self) -> list[str]:
        return describe(self.removed)


def _placeholders(text: str) -> Counter:
    return Counter({kind: text.count(mark) for mark, kind in KINDS.items() if mark in text})


def scrub(title: str, body: str, known: tuple[str, ...] = ()) -> Scrubbed:
    """`title` and `body` without the customer; `known` are the question's customer name,
    handle and email (removed wherever they appear)."""
    new_title = " ".join(redaction.redact(title, known).split())
    new_body = redaction.redact(body, known)
    before = _placeholders(title) + _placeholders(body)
    after = _placeholders(new_title) + _placeholders(new_body)
    removed = {kind: n for kind, n in (after - before).items() if n > 0}
    diff = []
    if removed:
        diff = diff_lines(f"{title}\n\n{body}", f"{new_title}\n\n{new_body}", context=1)
    return Scrubbed(title=new_title, body=new_body, removed=removed, diff=diff)


def describe(removed: dict[str, int]) -> list[str]:
    """ "2 email addresses", "the customer's name"...: what was removed, in words."""
    out = []
    for kind, (one, many) in LABELS.items():
        n = removed.get(kind, 0)
        if n:
            out.append(one if n == 1 else f"{n} {many}")
    return out
