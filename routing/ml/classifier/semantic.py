"""The embedding part of a router (see "Sentence embeddings" in the package docstring): the
similarity to the nearest in-scope training questions and the in-scope gate."""

import numpy as np

from .parameters import NEIGHBOURS


class _Semantic:
    """The embedding part of a router: the embedder, the in-scope training questions'
    embeddings (for the neighbour similarity) and the in-scope gate."""

    def __init__(self, *, embedder, neighbours: np.ndarray, gate: dict, weight: float):
        self.embedder = embedder
        # Stored as float16 (half the bytes): use the same rounded vectors before and after
        # dumps()/loads(), as for the coefficients.
        self.neighbours = np.ascontiguousarray(np.asarray(neighbours, np.float16), np.float32)
        self.gate = {key: float(value) for key, value in gate.items()}
        self.weight = float(weight)

    def similarity(self, embeddings: np.ndarray) -> np.ndarray:
        return _neighbour_similarity(embeddings, self.neighbours)

    def in_scope(self, margin: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """The probability that a question belongs to some department (the gate)."""
        g = self.gate
        z = _gate_score(margin, similarity, g)
        return 1.0 / (1.0 + np.exp(-(g["slope"] * z + g["intercept"])))


def _neighbour_similarity(embeddings: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Mean cosine similarity of each row to its NEIGHBOURS nearest in-scope questions."""
    k = min(NEIGHBOURS, len(neighbours))
    if k == 0:
        return np.zeros(len(embeddings))
    similarities = embeddings @ neighbours.T
    return np.partition(similarities, -k, axis=1)[:, -k:].mean(axis=1)


def _gate_score(margin: np.ndarray, similarity: np.ndarray, g: dict) -> np.ndarray:
    """The two signals standardised on the training data and added with equal weight."""
    return (margin - g["margin_mean"]) / g["margin_sd"] + (similarity - g["similarity_mean"]) / g[
        "similarity_sd"
    ]
