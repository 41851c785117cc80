"""A local sentence encoder: all-MiniLM-L6-v2 run in numpy, with the weights shipped in the package.

    from nextround.reading.encoder import get_encoder, load_in_background
    load_in_background()              # at start-up, e.g. while the opening line is on screen
    vectors = get_encoder().encode(["How did my interview come across?"])   # (1, 384) float32, unit rows

The model is the BERT encoder of sentence-transformers/all-MiniLM-L6-v2 (6 layers, 384 wide, 12 heads, FFN 1536,
exact erf GELU), followed by mean pooling over the attention mask and L2 normalisation, as sentence-transformers
does. Its WordPiece tokenizer is the model's own ``tokenizer.json`` run by the ``tokenizers`` library; input is cut
to ``max_seq_length`` (256) tokens including [CLS] and [SEP]. The weights (``data/minilm/``, written by
``scripts/convert_minilm.py``) are int8 with per-row (and for linear layers per-column) scales for the large
matrices; the word embeddings stay int8 in memory (only the rows a batch needs are scaled), the other matrices are
expanded to float32 once at load. A weights file may instead hold any matrix as plain float16 or float32 under its
own name (e.g. a fine-tuned model shipped as float16): float16 is expanded to float32 at load, except the word
embeddings, which stay float16 in memory like the int8 ones.

``encode_spans(texts, spans)`` gives, from the same single pass per text, the sentence vector and one vector per
character span (say, per clause), pooled over the span's tokens in the context of the whole line.
See docs/encoder.md for provenance, accuracy and speed.

This is the only module of ``nextround.reading`` that imports numpy and tokenizers.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from nextround.errors import NextroundError

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "minilm"
#: Width of a sentence vector.
DIM = 384
#: Padded tokens per forward batch: large enough for efficient matrix products, small enough to stay in cache.
BATCH_TOKENS = 1024
#: A batch is not split below this many tokens to feed more worker threads.
_MIN_BATCH_TOKENS = 256
#: At most this many threads encode batches at once.
_MAX_WORKERS = 4
#: Attention scores computed at once (a few sequences' worth), to keep them in cache.
_ATTENTION_BLOCK = 1 << 17
#: Largest attention score left unshifted before exp: e**60 times 256 keys stays far below the float32 maximum.
_EXP_HEADROOM = 60.0

_WORDS = "embeddings.word_embeddings.weight"
#: Element types a float tensor may have in weights.npz; float16 is expanded to float32 at load.
_FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32))


def _batches(lengths: np.ndarray, budget: int) -> list[np.ndarray]:
    """Indices grouped by similar length, each group at most ``budget`` tokens once padded to its longest member."""
    order = np.argsort(lengths, kind="stable")
    batches, start = [], 0
    while start < len(order):
        end = start + 1
        while end < len(order) and (end - start + 1) * lengths[order[end]] <= budget:
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


class EncoderUnavailable(NextroundError):
    """The sentence encoder's files are missing or damaged, or it failed to load."""


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: np.ndarray  # [384, 1152] float32: query (pre-scaled by 1/sqrt(head size)), key, value
    qkv_b: np.ndarray
    attn_out_w: np.ndarray  # [384, 384]
    attn_out_b: np.ndarray
    attn_ln_w: np.ndarray
    attn_ln_b: np.ndarray
    ffn_in_w: np.ndarray  # [384, 1536]
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray  # [1536, 384]
    ffn_out_b: np.ndarray
    out_ln_w: np.ndarray
    out_ln_b: np.ndarray


# Abramowitz & Stegun 7.1.26: erfc(z) ~= t * P(t) * exp(-z^2), t = 1 / (1 + p z), z >= 0; |error| <= 1.5e-7.
_AS_P = 0.3275911
_AS_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)

# The approximation folded into GELU(x) = x * Phi(x), Phi(x) = 0.5 * erfc(-x / sqrt(2)):
# with u = |x|, q = Phi(-u) = t * P'(t) * exp(-u^2 / 2), t = 1 / (1 + p u / sqrt(2)), P' = P / 2,
# and x * Phi(x) = x / 2 + u * (1/2 - q).
_GELU_P = np.float32(_AS_P / math.sqrt(2.0))
_GELU_A = tuple(np.float32(a / 2) for a in _AS_A)
#: Elements per GELU block: its three scratch arrays and the block stay in the core's L2 cache (~20 passes each).
_GELU_BLOCK = 1 << 16


def gelu_(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU of a 2-D float32 array, in place, block by block; returns ``x``.

    Within about 2e-7 * max(1, |x|) of the true value: the rounding of float32 itself, not the tanh shortcut.
    """
    rows = max(1, _GELU_BLOCK // x.shape[1])
    u = np.empty((min(rows, x.shape[0]), x.shape[1]), dtype=np.float32)
    t, q = np.empty_like(u), np.empty_like(u)
    for start in range(0, x.shape[0], rows):
        block = x[start:start + rows]
        m = block.shape[0]
        _gelu_block(block, u[:m], t[:m], q[:m])
    return x


def _gelu_block(x: np.ndarray, u: np.ndarray, t: np.ndarray, q: np.ndarray) -> None:
    np.abs(x, out=u)
    np.multiply(u, _GELU_P, out=t)
    t += 1
    np.reciprocal(t, out=t)
    np.multiply(t, _GELU_A[4], out=q)
    for a in reversed(_GELU_A[:4]):
        q += a
        q *= t
    np.square(u, out=t)
    t *= np.float32(-0.5)
    np.exp(t, out=t)
    q *= t
    np.subtract(np.float32(0.5), q, out=q)
    q *= u
    x *= np.float32(0.5)
    x += q


def _softmax_times(q: np.ndarray, k: np.ndarray, v: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """exp(q @ k + bias - c) @ v, where the last column of v is ones (so it yields the softmax denominator).

    Softmax is the same for any shift c that is constant along a row. One shift for the whole block (0, or its
    maximum minus 60 if that is larger) avoids a maximum per row; if any row's denominator then vanishes, the
    block is redone with a maximum per row, as usual.
    """
    scores = q @ k  # the query weights already carry 1/sqrt(head size)
    if bias is not None:
        scores += bias
    top = float(scores.max())
    if top > _EXP_HEADROOM:
        scores -= np.float32(top - _EXP_HEADROOM)
    np.exp(scores, out=scores)
    weighted = scores @ v
    if weighted[..., -1].min() > 1e-25:  # also False for NaN
        return weighted
    scores = q @ k
    if bias is not None:
        scores += bias
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    return scores @ v


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    x -= mean
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= weight
    x += bias
    return x


# -- threads ------------------------------------------------------------------------------------------------------
# numpy's OpenBLAS spreads each matrix product over all cores and busy-waits between them. On a machine whose
# cores are already busy that is ruinous for the small products of one line (measured: 23 ms per line with one
# BLAS thread, 200-700 ms with two, at load average 6 on 2 cores). So the encoder asks BLAS for one thread and
# spreads whole batches over its own worker threads instead (numpy releases the GIL in matrix products and
# element-wise loops), which also runs the element-wise work in parallel.

_threads_lock = threading.Lock()
_pool: dict = {}  # process id -> (ThreadPoolExecutor or None, worker count); a forked child builds its own


def _single_threaded_blas() -> bool:
    """Set numpy's OpenBLAS to one thread through its C API; False if no OpenBLAS is found (then nothing changes)."""
    import ctypes

    candidates: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            candidates += sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line})
    except OSError:
        pass
    for libs in (Path(np.__file__).resolve().parent.parent / "numpy.libs", Path(np.__file__).resolve().parent / ".libs"):
        if libs.is_dir():
            candidates += sorted(str(p) for p in libs.iterdir() if "openblas" in p.name.lower())
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                if setter is not None and getter is not None:
                    setter(1)
                    if getter() == 1:
                        return True
    return False


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _workers():
    """(thread pool, count), or (None, 1) when batches run in the caller's thread (one core, or no OpenBLAS)."""
    pid = os.getpid()
    with _threads_lock:
        if pid not in _pool:
            cores = min(_usable_cores(), _MAX_WORKERS)
            if cores > 1 and _single_threaded_blas():
                from concurrent.futures import ThreadPoolExecutor

                _pool[pid] = (ThreadPoolExecutor(max_workers=cores, thread_name_prefix="nextround-encode"), cores)
            else:
                _pool[pid] = (None, 1)
        return _pool[pid]


class Encoder:
    """all-MiniLM-L6-v2 sentence vectors. Thread-safe: after loading it holds no mutable state."""

    def __init__(self, data_dir: Path | None = None) -> None:
        data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        paths = {name: data_dir / name for name in ("model.json", "weights.npz", "tokenizer.json")}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise EncoderUnavailable(f"sentence encoder files are missing: {', '.join(missing)} (reinstall nextround)")
        try:
            meta = json.loads(paths["model.json"].read_text(encoding="utf-8"))
            arch = meta["architecture"]
            self.max_seq_length = int(meta["max_seq_length"])
            self._heads = int(arch["num_attention_heads"])
            self._eps = float(arch["layer_norm_eps"])
            with np.load(paths["weights.npz"], allow_pickle=False) as npz:
                self._load_weights(npz, arch)
        except EncoderUnavailable:
            raise
        except Exception as exc:  # zip/CRC errors, bad JSON, missing or misshapen arrays: all mean "damaged"
            raise EncoderUnavailable(
                f"sentence encoder files are damaged in {data_dir}: {type(exc).__name__}: {exc} (reinstall nextround)"
            ) from exc
        try:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(paths["tokenizer.json"]))
        except Exception as exc:
            raise EncoderUnavailable(f"sentence encoder tokenizer is damaged: {paths['tokenizer.json']}: {exc}") from exc
        # tokenizer.json carries the training setup (cut and pad to 128); sentence-transformers uses 256, no padding.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        self._tokenizer = tokenizer

    def _load_weights(self, npz, arch: dict) -> None:
        hidden = int(arch["hidden_size"])
        inner = int(arch["intermediate_size"])

        stored = set(npz.files)

        def dense(name: str, shape: tuple[int, int]) -> np.ndarray:
            """A linear layer's weight ([out, in] in the file) as float32 [in, out], so that y = x @ w."""
            if name in stored:  # a float32 or float16 matrix (an fp32 evaluation copy, fine-tuned fp16 weights)
                return np.ascontiguousarray(vector(name, shape).T)
            q, scale, cols = npz[name + ".int8"], npz[name + ".scale"], npz[name + ".col_scale"]
            if q.shape != shape or scale.shape != (shape[0],) or cols.shape != (shape[1],) or q.dtype != np.int8:
                raise ValueError(f"{name}: shape {q.shape} {q.dtype}, expected {shape} int8")
            return np.ascontiguousarray((q.astype(np.float32) * scale[:, None] * cols[None, :]).T)

        def vector(name: str, shape: tuple[int, ...]) -> np.ndarray:
            """A float tensor as float32 (a float16 file, e.g. fine-tuned weights, is expanded once here)."""
            value = stored_float(name, shape)
            return np.ascontiguousarray(value, dtype=np.float32)

        def stored_float(name: str, shape: tuple[int, ...]) -> np.ndarray:
            value = npz[name]
            if value.shape != shape or value.dtype not in _FLOAT_DTYPES:
                raise ValueError(f"{name}: shape {value.shape} {value.dtype}, expected {shape} float16 or float32")
            return value

        vocab = int(arch["vocab_size"])
        if _WORDS in stored:  # float16 stays float16 in memory: only the rows a batch needs are expanded
            words = stored_float(_WORDS, (vocab, hidden))
            self._words = words if words.dtype == np.float16 else np.ascontiguousarray(words, dtype=np.float32)
            self._word_scale = None
        else:
            self._words, self._word_scale = npz[_WORDS + ".int8"], npz[_WORDS + ".scale"]
            if self._words.shape != (vocab, hidden) or self._word_scale.shape != (vocab,):
                raise ValueError(f"{_WORDS}: shape {self._words.shape}, expected {(vocab, hidden)}")
        self._positions = vector("embeddings.position_embeddings.weight", (int(arch["max_position_embeddings"]), hidden))
        token_types = vector("embeddings.token_type_embeddings.weight", (int(arch["type_vocab_size"]), hidden))
        # Single sentences only: every token has type 0, so its embedding is folded into the positions.
        self._positions = self._positions + token_types[0]
        self._emb_ln = (vector("embeddings.LayerNorm.weight", (hidden,)), vector("embeddings.LayerNorm.bias", (hidden,)))
        head_scale = np.float32(1.0 / math.sqrt(hidden // self._heads))
        self._layers = []
        for i in range(int(arch["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            att = p + "attention.self."
            qkv_w = np.concatenate([dense(att + "query.weight", (hidden, hidden)) * head_scale,
                                    dense(att + "key.weight", (hidden, hidden)),
                                    dense(att + "value.weight", (hidden, hidden))], axis=1)
            qkv_b = np.concatenate([vector(att + "query.bias", (hidden,)) * head_scale,
                                    vector(att + "key.bias", (hidden,)),
                                    vector(att + "value.bias", (hidden,))])
            self._layers.append(_Layer(
                qkv_w=np.ascontiguousarray(qkv_w), qkv_b=qkv_b,
                attn_out_w=dense(p + "attention.output.dense.weight", (hidden, hidden)),
                attn_out_b=vector(p + "attention.output.dense.bias", (hidden,)),
                attn_ln_w=vector(p + "attention.output.LayerNorm.weight", (hidden,)),
                attn_ln_b=vector(p + "attention.output.LayerNorm.bias", (hidden,)),
                ffn_in_w=dense(p + "intermediate.dense.weight", (inner, hidden)),
                ffn_in_b=vector(p + "intermediate.dense.bias", (inner,)),
                ffn_out_w=dense(p + "output.dense.weight", (hidden, inner)),
                ffn_out_b=vector(p + "output.dense.bias", (hidden,)),
                out_ln_w=vector(p + "output.LayerNorm.weight", (hidden,)),
                out_ln_b=vector(p + "output.LayerNorm.bias", (hidden,)),
            ))

    # -- public API ---------------------------------------------------------------------------------------------

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids per text, with [CLS] and [SEP], cut to ``max_seq_length``."""
        return [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """How many tokens each text costs the encoder (as ``token_ids``): for benchmarks and budgets."""
        return [len(ids) for ids in self.token_ids(texts)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence vectors, float32 of shape (len(texts), 384), unit length, in the order of ``texts``."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not one string")
        return self.encode_ids(self.token_ids(texts))

    def encode_ids(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """As ``encode``, from ``token_ids`` output (lets a benchmark time the model without the tokenizer)."""
        out = np.empty((len(ids), DIM), dtype=np.float32)

        def pool(members: np.ndarray, x: np.ndarray, mask: np.ndarray) -> None:
            out[members] = _mean_rows(x, mask)

        self._run(ids, pool)
        return out

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[np.ndarray]:
        """Each text's sentence vector and its spans' vectors, from one forward pass per text.

        For text i, a float32 array of shape (1 + len(spans[i]), 384) with unit rows: row 0 is the sentence vector
        (the same as ``encode([texts[i]])[0]``, up to float rounding), row j the mean of the contextual token
        vectors whose character offsets overlap ``spans[i][j - 1]`` (start, end), [CLS] and [SEP] excluded. A span
        that covers no token (empty, or past the 256-token cut) gets the sentence vector. A span's vector is read
        in the context of its whole line, so it is close to, but not the same as, encoding the span's text alone.
        """
        if isinstance(texts, str):
            raise TypeError("encode_spans() takes a sequence of strings, not one string")
        if len(spans) != len(texts):
            raise ValueError(f"encode_spans(): {len(texts)} texts but {len(spans)} span lists")
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = [enc.ids for enc in encodings]
        weights = [_span_weights(enc.offsets, enc.special_tokens_mask, wanted)
                   for enc, wanted in zip(encodings, spans)]
        out: list[np.ndarray] = [np.empty((0, DIM), dtype=np.float32)] * len(texts)

        def pool(members: np.ndarray, x: np.ndarray, mask: np.ndarray) -> None:
            sentences = _mean_rows(x, mask)
            for row, i in enumerate(members):
                rows = np.empty((1 + len(weights[i]), DIM), dtype=np.float32)
                rows[0] = sentences[row]
                if len(weights[i]):
                    summed = weights[i] @ x[row, : len(ids[i])]
                    norms = np.linalg.norm(summed, axis=1, keepdims=True)
                    rows[1:] = summed / np.maximum(norms, np.float32(1e-12))
                    rows[1:][weights[i].sum(axis=1) == 0] = sentences[row]  # no token in the span
                out[i] = rows

        self._run(ids, pool)
        return out

    def _run(self, ids: Sequence[Sequence[int]], pool) -> None:
        """The forward pass over ``ids`` in length-sorted batches (on the worker threads when there are several);
        ``pool(members, hidden [n, width, 384], mask [n, width])`` takes each batch's last hidden states."""
        if not ids:
            return
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        workers, count = _workers()
        # Enough batches to keep every worker busy, but never so small that the matrix products lose efficiency.
        budget = min(BATCH_TOKENS, max(_MIN_BATCH_TOKENS, -(-int(lengths.sum()) // count)))
        batches = _batches(lengths, budget)

        def run(members: np.ndarray) -> None:
            pool(members, *self._forward([ids[i] for i in members], int(lengths[members[-1]])))

        if workers is None or len(batches) == 1:
            for members in batches:
                run(members)
        else:
            for done in [workers.submit(run, members) for members in batches]:
                done.result()

    # -- the model ----------------------------------------------------------------------------------------------

    def _attention(self, qkv: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
        """Multi-head self-attention of [n, width, 3 * 384] packed q|k|v; returns the context as [n * width, 384].

        A few sequences at a time, so the scores stay in cache. q, k and v are copied head-major first: numpy's
        batched matmul on strided views is many times slower (and far worse on a busy machine). The softmax is
        normalised after the product with v: v gets a column of ones, so one matmul yields both the weighted sum
        and the softmax denominator, and the [width, width] scores are touched only by the exp.
        """
        n, width, _ = qkv.shape
        heads, size = self._heads, DIM // self._heads
        split = qkv.reshape(n, width, 3, heads, size)
        context = np.empty((n, width, heads, size), dtype=np.float32)
        step = max(1, _ATTENTION_BLOCK // (heads * width * width))
        for start in range(0, n, step):
            part = slice(start, start + step)
            m = len(range(start, min(n, start + step)))
            q = np.ascontiguousarray(split[part, :, 0].transpose(0, 2, 1, 3))  # [m, heads, width, size]
            k = np.ascontiguousarray(split[part, :, 1].transpose(0, 2, 3, 1))  # [m, heads, size, width]
            v = np.empty((m, heads, width, size + 1), dtype=np.float32)
            v[..., :size] = split[part, :, 2].transpose(0, 2, 1, 3)
            v[..., size] = 1
            weighted = _softmax_times(q, k, v, None if bias is None else bias[part])
            np.divide(weighted[..., :size], weighted[..., size:], out=context[part].transpose(0, 2, 1, 3))
        return context.reshape(n * width, DIM)

    def _forward(self, batch: list[Sequence[int]], width: int) -> tuple[np.ndarray, np.ndarray]:
        """Last hidden states [n, width, 384] of a batch padded to ``width``, and its attention mask [n, width]."""
        n = len(batch)
        ids = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=bool)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = True
        flat = ids.reshape(-1)
        x = self._words[flat].astype(np.float32)  # only the rows this batch needs are expanded
        if self._word_scale is not None:
            x *= self._word_scale[flat][:, None]
        x = x.reshape(n, width, DIM)
        x += self._positions[:width]
        x = _layer_norm(x.reshape(n * width, DIM), *self._emb_ln, self._eps)
        padded = not mask.all()
        # Padded keys get -1e30 before the softmax, so they receive exactly zero weight.
        bias = np.where(mask, np.float32(0), np.float32(-1e30)).astype(np.float32)[:, None, None, :] if padded else None
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            attn = self._attention(qkv.reshape(n, width, 3 * DIM), bias) @ layer.attn_out_w
            attn += layer.attn_out_b
            attn += x
            x = _layer_norm(attn, layer.attn_ln_w, layer.attn_ln_b, self._eps)
            inner = x @ layer.ffn_in_w
            inner += layer.ffn_in_b
            gelu_(inner)
            out = inner @ layer.ffn_out_w
            out += layer.ffn_out_b
            out += x
            x = _layer_norm(out, layer.out_ln_w, layer.out_ln_b, self._eps)
        return x.reshape(n, width, DIM), mask


def _mean_rows(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Sentence vectors: the mean of each sequence's hidden states over its attention mask, L2-normalised."""
    weights = mask.astype(np.float32)
    pooled = np.einsum("nwd,nw->nd", x, weights) / np.maximum(weights.sum(axis=1), 1e-9)[:, None]
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, np.float32(1e-12))


def _span_weights(offsets: Sequence[tuple[int, int]], special: Sequence[int],
                  spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """[spans, tokens] 0/1: which word pieces (not [CLS]/[SEP]) overlap each character span."""
    weights = np.zeros((len(spans), len(offsets)), dtype=np.float32)
    if not len(spans) or not len(offsets):
        return weights
    bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    word = ~np.asarray(special, dtype=bool)
    for j, (start, end) in enumerate(spans):
        if end > start:
            weights[j] = word & (bounds[:, 0] < end) & (bounds[:, 1] > start)
    return weights


# -- one shared encoder, loaded once ----------------------------------------------------------------------------


class _Shared:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.encoder: Encoder | None = None
        self.loader: threading.Thread | None = None
        self.error: BaseException | None = None


_shared = _Shared()


def _load_and_warm(shared: _Shared) -> None:
    try:
        encoder = Encoder()
        encoder.encode(["Thanks for making the time."])
    except BaseException as exc:  # handed to get_encoder(), which raises it in the caller's thread
        with shared.lock:
            shared.error = exc
        return
    with shared.lock:
        shared.encoder = encoder


def load_in_background() -> None:
    """Start loading the shared encoder (and one warm-up encode) in a daemon thread; no-op if already started."""
    shared = _shared
    with shared.lock:
        if shared.encoder is not None or shared.loader is not None:
            return
        shared.loader = threading.Thread(target=_load_and_warm, args=(shared,), name="nextround-encoder", daemon=True)
        shared.loader.start()


def get_encoder() -> Encoder:
    """The shared encoder: waits for ``load_in_background`` if it was started, else loads now (once)."""
    shared = _shared
    with shared.lock:
        if shared.encoder is not None:
            return shared.encoder
        loader = shared.loader
        if loader is None:
            shared.encoder = Encoder()  # concurrent callers wait on the lock instead of loading twice
            return shared.encoder
    loader.join()
    with shared.lock:
        if shared.encoder is not None:
            return shared.encoder
        error = shared.error
    if isinstance(error, NextroundError):
        raise EncoderUnavailable(str(error)) from error
    raise EncoderUnavailable(f"the sentence encoder failed to load: {type(error).__name__}: {error}") from error
