"""Words as listening sees them: case and accents folded, punctuation ignored.

A term matches a question when its words appear in the question's words, consecutively:
"data breach" matches "Data-breach!!" and "DATA  BREACH", not "databreach" or "data
breaches". Django-free, so the bench and the tests use it as it is.
"""

import re
import unicodedata
from pathlib import Path

from core.errors import ApplicationError

WORD = re.compile(r"\w+")
MAX_TERMS = 20
MAX_TERM_LENGTH = 100
MAX_TERM_WORDS = 6
MIN_LETTERS = 3

# Words too common to listen for on their own: they would match most questions. A phrase
# that contains them ("cancel my account") is fine.
COMMON_WORDS = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "data" / "common_words.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


def normalise(text: str) -> str:
    """Case-folded, accents removed (NFKD without combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(normalise(text)))


def clean_terms(value, *, field: str = "terms") -> list[str]:
    """The terms of a rule as stored (stripped, distinct, in the order given), or an
    ApplicationError naming `field` saying what is wrong with which term."""
    if isinstance(value, str):
        value = re.split(r"[\n,]", value)
    if not isinstance(value, list | tuple):
        raise ApplicationError("Give a list of terms.", field=field)
    cleaned: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for raw in value:
        if not isinstance(raw, str):
            raise ApplicationError("Each term must be text.", field=field)
        term = " ".join(raw.replace("\x00", "").split())
        if not term:
            continue
        if len(term) > MAX_TERM_LENGTH:
            raise ApplicationError(
                f"Keep each term under {MAX_TERM_LENGTH} characters.", field=field
            )
        key = words(term)
        if not key:
            raise ApplicationError(f"“{term}” has no letters or digits to match.", field=field)
        if len(key) > MAX_TERM_WORDS:
            raise ApplicationError(
                f"“{term}” is too long a phrase: at most {MAX_TERM_WORDS} words.", field=field
            )
        if len(key) == 1:
            word = key[0]
            if len(word) < MIN_LETTERS:
                raise ApplicationError(
                    f"“{term}” is too short to listen for: use at least {MIN_LETTERS} letters "
                    "or a phrase.",
                    field=field,
                )
            if word in COMMON_WORDS:
                raise ApplicationError(
                    f"“{term}” is too common: it would match most questions. Use a phrase.",
                    field=field,
                )
        if key in seen:
            continue
        seen.add(key)
        cleaned.append(term)
    if not cleaned:
        raise ApplicationError("Give at least one term or phrase.", field=field)
    if len(cleaned) > MAX_TERMS:
        raise ApplicationError(f"At most {MAX_TERMS} terms per rule.", field=field)
    return cleaned
