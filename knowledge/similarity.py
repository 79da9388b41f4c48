"""Nearest neighbours among texts: "which entries (and answered questions) look like this
question?".

The vectors are the router's own word features (routing.ml.features.Block: word 1-2 grams,
sublinear tf, idf, l2-normalised rows) over the words that are not English stop words,
fitted on the indexed texts themselves, and the
score is their cosine. The index is inverted (terms × texts), so a question costs the
postings of its own terms, not a pass over every text; terms found in more than a tenth of
the texts (and in more than 50) are left out of the query: they say little and cost most.

No Django here. knowledge.suggestions keeps one index per kind in each process and rebuilds
it when the rows' generation changes; what a hit shows is read again from the database,
so a retired entry never shows, even from an index built before it was retired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from routing.ml.features import MIN_DF, WORD_NGRAMS, Block

MAX_CHARS = 2000
MIN_SCORE = 0.08
COMMON_SHARE = 0.1
COMMON_FLOOR = 50


_WORD = re.compile(r"\w+")


def _clean(text: str) -> str:
    """Lower case, without English stop words ("I", "the", "my" match every question)."""
    words = _WORD.findall((text or "")[:MAX_CHARS].lower())
    return " ".join(w for w in words if w not in ENGLISH_STOP_WORDS)


@dataclass(frozen=True)
class Neighbour:
    id: int
    score: float


class Index:
    def __init__(self, ids: list[int], texts: list[str]):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.block: Block | None = None
        if not ids:
            return
        cleaned = [_clean(t) for t in texts]
        self.block = Block.fit("word", WORD_NGRAMS, cleaned, MIN_DF)
        rows = self.block.transform(cleaned)  # texts × terms, l2 rows
        self.postings = rows.T.tocsr()  # terms × texts
        lengths = np.diff(self.postings.indptr)
        self.common = lengths > max(COMMON_FLOOR, int(len(ids) * COMMON_SHARE))

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(
        self, text: str, *, k: int = 3, exclude: frozenset[int] = frozenset()
    ) -> list[Neighbour]:
        """Up to `k` texts most like `text`, best first, above MIN_SCORE."""
        if self.block is None:
            return []
        terms, weights = self.block.one(_clean(text))
        keep = ~self.common[terms]
        terms, weights = terms[keep], weights[keep]
        if not len(terms):
            return []
        scores = self.postings[terms].T @ weights  # one score per text
        want = min(len(scores), k + len(exclude))
        top = np.argpartition(-scores, want - 1)[:want] if want < len(scores) else np.arange(want)
        top = top[np.argsort(-scores[top], kind="stable")]
        found = []
        for i in top:
            text_id = int(self.ids[i])
            if scores[i] < MIN_SCORE or text_id in exclude:
                continue
            found.append(Neighbour(text_id, float(scores[i])))
            if len(found) == k:
                break
        return found
