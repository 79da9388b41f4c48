"""A trained router: its predictions (one question, or many at once) and its storage
(`dumps`, `loads`: plain arrays and JSON, no pickle)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from ..evaluation import OOS
from ..features import Block, Features
from .linear import _clean, _decision, _softmax
from .parameters import FORMAT_VERSION
from .semantic import _Semantic

_BLAS = ThreadpoolController()


@dataclass(frozen=True)
class Decision:
    department: str | None  # None: keep in the triage queue
    ranking: list[tuple[str, float]]  # top departments with confidence, best first
    confidence: float  # the top department's confidence, 0..1


class Router:
    """A trained router. Build it with `train()` or `Router.loads()`."""

    def __init__(
        self,
        *,
        features: Features,
        classes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        scale: float,
        threshold: float,
        metrics: dict,
        semantic: _Semantic | None = None,
    ):
        self.features = features
        self.semantic = semantic
        self.classes = list(classes)
        # Stored as float32 (half the bytes): use the same rounded weights before and after
        # dumps()/loads() so a loaded router decides exactly as the one that was trained.
        self.coef = np.asarray(coef, dtype=np.float32).astype(np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.scale = float(scale)
        self.threshold = float(threshold)
        self.metrics = dict(metrics)
        self.cv_out_of_fold = None  # set by train() (see there); never stored
        self.departments = [c for c in self.classes if c != OOS]
        self._department_columns = np.array(
            [i for i, c in enumerate(self.classes) if c != OOS], dtype=np.intp
        )
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._n_terms = sum(len(block.idf) for block in features.blocks)
        self._oos_column = self.classes.index(OOS) if OOS in self.classes else None

    # --- predictions -----------------------------------------------------------------------

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Department confidences, one row per text, columns in `self.departments` order."""
        return self.confidences(texts)[0]

    def confidences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(department confidences, the confidence the threshold is compared with), for
        many texts at once."""
        texts = [_clean(t) for t in texts]
        scores = _decision(self.features.transform(texts), self._coef_t[: self._n_terms], 0.0)
        embeddings = None
        if self.semantic is not None:
            embeddings = self.semantic.embedder.encode(texts)
            scores += (self.semantic.weight * embeddings) @ self._coef_t[self._n_terms :]
        return self._confidences(scores + self.intercept, embeddings)

    def _one(self, text: str) -> tuple[np.ndarray, float]:
        """`confidences([text])` for a single question, without building sparse matrices,
        on one BLAS thread: a pool's wake-ups cost more than these small products."""
        with _BLAS.limit(limits=1, user_api="blas"):
            return self._one_unlimited(text)

    def _one_unlimited(self, text: str) -> tuple[np.ndarray, float]:
        text = _clean(text)
        scores = self.intercept.copy()
        offset = 0
        for block in self.features.blocks:
            indices, weights = block.one(text)
            scores += weights @ self._coef_t[indices + offset]
            offset += len(block.idf)
        embedding = None
        if self.semantic is not None:
            embedding = self.semantic.embedder.encode_one(text)[np.newaxis, :]
            scores += ((self.semantic.weight * embedding) @ self._coef_t[self._n_terms :])[0]
        p, confidence = self._confidences(scores[np.newaxis, :], embedding)
        return p[0], float(confidence[0])

    def _confidences(self, scores: np.ndarray, embeddings) -> tuple[np.ndarray, np.ndarray]:
        if self.semantic is None:
            p = _softmax(scores, self.scale)[:, self._department_columns]
            return p, p.max(axis=1)
        departments = scores[:, self._department_columns]
        margin = departments.max(axis=1) - scores[:, self._oos_column]
        in_scope = self.semantic.in_scope(margin, self.semantic.similarity(embeddings))
        return _softmax(departments, self.scale) * in_scope[:, np.newaxis], in_scope

    def probabilities_one(self, text: str) -> np.ndarray:
        """`probabilities([text])[0]`, computed faster for a single question."""
        return self._one(text)[0]

    def rank(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The top-k departments with their confidence (0..1), best first."""
        return self._ranking(self.probabilities_one(text), k)

    def _ranking(self, p: np.ndarray, k: int) -> list[tuple[str, float]]:
        order = np.argsort(-p, kind="stable")[: max(k, 0)]
        return [(self.departments[i], float(p[i])) for i in order]

    def route(self, text: str) -> Decision:
        """The department to send the question to, or None to keep it in triage."""
        p, confidence = self._one(text)
        ranking = self._ranking(p, 3)
        department = ranking[0][0] if ranking and confidence >= self.threshold else None
        return Decision(department=department, ranking=ranking, confidence=confidence)

    def route_many(self, texts: list[str], threshold: float | None = None) -> list[str | None]:
        """Batch decisions (department or None) for many texts at once."""
        threshold = self.threshold if threshold is None else threshold
        p, confidence = self.confidences(texts)
        best = p.argmax(axis=1)
        return [
            self.departments[j] if confidence[i] >= threshold else None for i, j in enumerate(best)
        ]

    # --- storage ---------------------------------------------------------------------------

    def dumps(self) -> bytes:
        """Plain arrays + JSON in an .npz archive (see the module docstring)."""
        meta = {
            "format": FORMAT_VERSION,
            "classes": self.classes,
            "scale": self.scale,
            "threshold": self.threshold,
            "metrics": self.metrics,
            "blocks": [
                {
                    "analyzer": b.analyzer,
                    "ngram_range": list(b.ngram_range),
                    "terms": sorted(b.vocabulary, key=b.vocabulary.__getitem__),
                }
                for b in self.features.blocks
            ],
        }
        arrays = {f"idf{i}": b.idf for i, b in enumerate(self.features.blocks)}
        if self.semantic is not None:
            embedder = self.semantic.embedder
            meta["semantic"] = {
                "embedder": embedder.name,
                "tokenizer": embedder.tokenizer_json,
                "gate": self.semantic.gate,
                "weight": self.semantic.weight,
            }
            arrays["embedder_model"] = np.frombuffer(embedder.model, dtype=np.uint8)
            arrays["neighbours"] = self.semantic.neighbours.astype(np.float16)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept,
            **arrays,
        )
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> Router:
        """Read what `dumps()` wrote. Only for bytes our own app stored (no pickle is used)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode())
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"unknown router format {meta.get('format')!r}")
            blocks = [
                Block(
                    b["analyzer"],
                    tuple(b["ngram_range"]),
                    {term: i for i, term in enumerate(b["terms"])},
                    archive[f"idf{i}"],
                )
                for i, b in enumerate(meta["blocks"])
            ]
            semantic = None
            if "semantic" in meta:
                from ..embedder import Embedder

                semantic = _Semantic(
                    embedder=Embedder(
                        model=archive["embedder_model"].tobytes(),
                        tokenizer=meta["semantic"]["tokenizer"],
                        name=meta["semantic"]["embedder"],
                    ),
                    neighbours=archive["neighbours"],
                    gate=meta["semantic"]["gate"],
                    weight=meta["semantic"]["weight"],
                )
            return cls(
                features=Features(blocks),
                classes=meta["classes"],
                coef=archive["coef"],
                intercept=archive["intercept"],
                scale=meta["scale"],
                threshold=meta["threshold"],
                metrics=meta["metrics"],
                semantic=semantic,
            )
