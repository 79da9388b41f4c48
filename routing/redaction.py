"""The customer's own words without the customer in them: what a question's text (and the
answers, notes, replies and reasons written about it) shows to someone who may not see the
customer (routing.selectors.can_see_customer decides who that is).

Personal data hides in free text: the customer signs their message ("— Jamal H., @jamal_h"),
gives an email address or a phone number, pastes a link to their profile or an order page,
quotes an order number. `redact` removes all of these and keeps the question readable, so
product and other teams still learn what customers say. It removes:

- the customer's known name (and each part of it of three letters or more), handle and
  email, wherever they appear;
- every @handle, email address, http(s)/www link, phone-like number (seven digits or
  more) and order, invoice, account, ticket or reference number;
- signature lines: a short line opened by a dash, an em or en dash or a tilde among the last
  lines, a short name line after a closing ("Thanks,", "Regards,"...), and everything after
  an email signature separator ("-- ").

It is a pure function of the text: the same input shows the same way on every surface.
"""

import re
from collections.abc import Iterable

NAME = "[customer]"
HANDLE = "[handle]"
EMAIL = "[email]"
LINK = "[link]"
NUMBER = "[number]"
SIGNATURE = "[signature]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{1,100}\w", re.UNICODE)
# Order, invoice, account... followed by an identifier that holds a digit.
_REFERENCE = re.compile(
    r"\b(order|invoice|account|acct|ticket|booking|reference|ref|customer|case|"
    r"tracking|membership|contract|policy|card|iban)\b"
    r"(\s*(?:no\.?|nr\.?|number|num\.?|id)?\s*[:#]?\s*)"
    r"((?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,})",
    re.IGNORECASE,
)
_HASH_NUMBER = re.compile(r"#\s?\d{3,}\b")
# Seven digits or more, possibly broken by spaces, dots, dashes or brackets: phone numbers,
# card, account and order numbers.
_LONG_NUMBER = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){6,}")
_DASHED = re.compile(r"^\s*(?:--|—|–|~|-)\s*\S")
_CLOSING = re.compile(
    r"^\s*(?:thanks|thank you|many thanks|thx|regards|best|best regards|kind regards|"
    r"warm regards|cheers|sincerely|yours|greetings|br)\s*[,!.]?\s*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(r"^\s*sent from my\b", re.IGNORECASE)


def _short(line: str, words: int = 6) -> bool:
    return 0 < len(line.split()) <= words and len(line) <= 80


def _signature_lines(lines: list[str]) -> list[str]:
    out = list(lines)
    # Everything after the email signature separator.
    for i, line in enumerate(out):
        if line.rstrip() == "--" or line == "-- ":
            return [*out[:i], SIGNATURE]
    filled = [i for i, line in enumerate(out) if line.strip()]
    tail = set(filled[-3:])
    for i in filled:
        line = out[i]
        dashed = i in tail and _DASHED.match(line) and _short(line.lstrip(" -—–~"))
        if dashed or _SENT_FROM.match(line):
            out[i] = SIGNATURE
        elif _CLOSING.match(line):
            # The name lines that follow a closing, up to two.
            following = [j for j in filled if j > i][:2]
            for j in following:
                if _short(out[j], 5):
                    out[j] = SIGNATURE
    return out


def _known_pattern(known: Iterable[str]) -> re.Pattern | None:
    words: set[str] = set()
    for value in known:
        value = (value or "").strip()
        if not value:
            continue
        words.add(value)
        bare = value.lstrip("@")
        words.add(bare)
        if "@" in bare:  # an email: its local part too
            words.add(bare.split("@", 1)[0])
        for part in re.split(r"[\s._-]+", bare):
            if len(part) >= 3:
                words.add(part)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(text: str, known: Iterable[str] = ()) -> str:
    """`text` with the customer taken out (see the module's docstring). `known` are the
    question's customer name, handle and email, removed wherever they appear."""
    if not text:
        return text or ""
    text = _LINK.sub(LINK, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _HANDLE.sub(HANDLE, text)
    pattern = _known_pattern(known)
    if pattern is not None:
        text = pattern.sub(NAME, text)
    text = _REFERENCE.sub(lambda m: f"{m.group(1)}{m.group(2)}{NUMBER}", text)
    text = _HASH_NUMBER.sub(NUMBER, text)
    text = _LONG_NUMBER.sub(NUMBER, text)
    return "\n".join(_signature_lines(text.split("\n")))
