"""The tone of a question: VADER's compound score (-1 very negative .. +1 very positive).

VADER (vaderSentiment, MIT) is a lexicon and rules tuned for social media text: it reads
CAPITALS, "!!!", "not good" and "but". English only; a question in another language scores
near 0 and is never a detractor. The analyser loads its lexicon once per process.
"""

import threading

_lock = threading.Lock()
_analyser = None


def _get():
    global _analyser
    if _analyser is None:
        with _lock:
            if _analyser is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _analyser = SentimentIntensityAnalyzer()
    return _analyser


def compound(text: str) -> float:
    return round(float(_get().polarity_scores(text[:5000])["compound"]), 4)


def is_detractor(score: float, *, threshold: float) -> bool:
    """Written in anger: the compound score at or below `threshold` (negative)."""
    return score <= threshold
