"""TF-IDF features of the question router: word 1-2 grams and character 2-5 grams inside
word boundaries (robust to typos and word forms), sublinear tf, l2-normalised per block.
Stored as plain vocabularies and idf weights (routing.ml.classifier.Router.dumps)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MIN_DF = 2


class Block:
    """One TF-IDF block (word or char n-grams) from a vocabulary and idf weights."""

    def __init__(self, analyzer: str, ngram_range: tuple[int, int], vocabulary: dict, idf):
        self.analyzer = analyzer
        self.ngram_range = tuple(ngram_range)
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self._counter = _counter(analyzer, self.ngram_range, vocabulary=vocabulary)
        # Settle the fixed vocabulary now: transform() then only reads, safe across threads.
        self._counter._validate_vocabulary()
        self._analyze = self._counter.build_analyzer()

    def one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, l2-normalised weights) of one text: what transform() gives for a
        single row, without the cost of building sparse matrices (the per-question path)."""
        counts: dict[int, int] = {}
        for term in self._analyze(text):
            index = self.vocabulary.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * (
            self.idf[indices]
        )
        norm = np.sqrt(weights @ weights)
        return indices, (weights / norm if norm > 0 else weights)

    @classmethod
    def fit(cls, analyzer: str, ngram_range, texts: list[str], min_df: int) -> Block:
        min_df = min_df if len(texts) >= 50 else 1
        counter = _counter(analyzer, ngram_range, min_df=min_df)
        try:
            counts = counter.fit_transform(texts)
        except ValueError:  # nothing survived min_df (or empty texts): keep every term
            counter = _counter(analyzer, ngram_range)
            counts = counter.fit_transform(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        vocabulary = {term: int(index) for term, index in counter.vocabulary_.items()}
        return cls(analyzer, ngram_range, vocabulary, idf)

    def weights(self, texts: list[str]) -> sp.csr_matrix:
        """Sublinear tf times idf, not yet normalised."""
        x = self._counter.transform(texts).astype(np.float64)
        x.data = 1.0 + np.log(x.data)
        return sp.csr_matrix(x @ sp.diags(self.idf))

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return l2(self.weights(texts))


def l2(x: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def _counter(analyzer, ngram_range, vocabulary=None, min_df=1) -> CountVectorizer:
    return CountVectorizer(
        analyzer=analyzer,
        ngram_range=tuple(ngram_range),
        lowercase=False,  # the router lowercases (classifier._clean)
        token_pattern=r"(?u)\b\w+\b" if analyzer == "word" else None,
        vocabulary=vocabulary,
        min_df=min_df,
        dtype=np.float64,
    )


class Features:
    def __init__(self, blocks: list[Block]):
        self.blocks = blocks

    @classmethod
    def fit(cls, texts: list[str]) -> Features:
        return cls(
            [
                Block.fit("word", WORD_NGRAMS, texts, MIN_DF),
                Block.fit("char_wb", CHAR_NGRAMS, texts, MIN_DF),
            ]
        )

    def weights(self, texts: list[str]) -> list[sp.csr_matrix]:
        return [block.weights(texts) for block in self.blocks]

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([block.transform(texts) for block in self.blocks], format="csr")
