"""The local sentence encoder (all-MiniLM-L6-v2 in numpy): exact forward pass, cost of the int8 weights, behaviour,
loading and failures.

The reference vectors come from sentence-transformers on CPU (scripts/reference_embeddings.py): ``fp32`` with the
official weights, ``compact`` with the shipped int8 weights loaded into the same PyTorch model.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from nextround.errors import NextroundError
from nextround.reading import encoder as encoder_mod
from nextround.reading.encoder import DIM, Encoder, EncoderUnavailable, gelu_

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8"))
TEXTS = [item["text"] for item in REFERENCE["items"]]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture
def fresh_shared(monkeypatch):
    """A clean shared-encoder state, so each test sees the first load."""
    shared = encoder_mod._Shared()
    monkeypatch.setattr(encoder_mod, "_shared", shared)
    return shared


def reference(column: str) -> np.ndarray:
    return np.array([item[column] for item in REFERENCE["items"]], dtype=np.float64)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# -- accuracy ----------------------------------------------------------------------------------------------------


def test_reference_was_made_from_the_shipped_weights():
    shipped = hashlib.sha256((encoder_mod.DATA_DIR / "weights.npz").read_bytes()).hexdigest()
    assert REFERENCE["weights_sha256"] == shipped, "weights changed: rerun scripts/reference_embeddings.py"


def test_forward_pass_matches_pytorch_on_the_same_weights(encoder):
    ours = encoder.encode(TEXTS)
    diff = np.abs(ours - reference("compact")).max(axis=1)
    assert diff.max() <= 1e-4, dict(zip(TEXTS, diff.round(6)))


def test_compact_weights_stay_close_to_the_official_fp32_model(encoder):
    ours = encoder.encode(TEXTS)
    fp32 = reference("fp32")
    cosines = {text: round(cosine(a, b), 5) for text, a, b in zip(TEXTS, ours, fp32)}
    assert min(cosines.values()) >= 0.99, cosines
    # Measured 0.0082 (docs/encoder.md); the bar leaves room for BLAS rounding, not for a worse conversion.
    assert np.abs(ours - fp32).max() <= 0.02


def test_tokens_and_truncation_match_sentence_transformers(encoder):
    assert encoder.count_tokens(TEXTS) == [item["tokens"] for item in REFERENCE["items"]]
    assert max(item["tokens"] for item in REFERENCE["items"]) == encoder.max_seq_length == 256


def test_gelu_is_the_exact_erf_form():
    x = np.linspace(-9, 9, 40001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    got = gelu_(x.reshape(1, -1).copy()).ravel()
    assert (np.abs(got - exact) <= 3e-7 * np.maximum(1, np.abs(x))).all()
    # Blocked in place over a large activation matrix: same values as row by row.
    rng = np.random.default_rng(7)
    big = rng.standard_normal((300, 1536)).astype(np.float32) * 3
    rows = np.vstack([gelu_(row[None].copy()) for row in big])
    assert np.array_equal(gelu_(big.copy()), rows)


def test_attention_softmax_survives_extreme_scores():
    # Rows whose scores are all very large or all very negative: the single shift per block cannot serve both.
    rng = np.random.default_rng(3)
    q = rng.standard_normal((1, 2, 4, 8)).astype(np.float32)
    k = rng.standard_normal((1, 2, 8, 5)).astype(np.float32)
    q[0, 0] *= 60.0
    q[0, 1, :2] = 0.0
    bias = np.zeros((1, 1, 1, 5), dtype=np.float32)
    bias[..., :] = -150.0
    v = np.ones((1, 2, 5, 9), dtype=np.float32)
    v[..., :8] = rng.standard_normal((1, 2, 5, 8)).astype(np.float32)
    weighted = encoder_mod._softmax_times(q, k, v, bias)
    context = weighted[..., :8] / weighted[..., 8:]
    s = q.astype(np.float64) @ k.astype(np.float64) + bias
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    expected = (p / p.sum(axis=-1, keepdims=True)) @ v[..., :8].astype(np.float64)
    assert np.isfinite(context).all()
    assert np.allclose(context, expected, atol=1e-5)


# -- behaviour ---------------------------------------------------------------------------------------------------


def test_rows_are_unit_float32_vectors_in_input_order(encoder):
    texts = ["ok", TEXTS[4], "", "How did my interview come across?", TEXTS[8], "Thanks."]
    vectors = encoder.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (len(texts), DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    order = [4, 0, 5, 2, 1, 3]
    assert np.allclose(encoder.encode([texts[i] for i in order]), vectors[order], atol=1e-5)


def test_a_batch_gives_the_same_vectors_as_one_line_at_a_time(encoder):
    # Mixed lengths, so the batch is padded and sorted: padding must not leak into the attention or the mean.
    texts = TEXTS + ["Could we meet again after the next review cycle?", "no"]
    batch = encoder.encode(texts)
    single = np.vstack([encoder.encode([t]) for t in texts])
    assert np.abs(batch - single).max() <= 1e-5


def test_empty_inputs(encoder):
    assert encoder.encode([]).shape == (0, DIM)
    empty = encoder.encode([""])[0]
    assert np.isfinite(empty).all() and abs(np.linalg.norm(empty) - 1) < 1e-5
    with pytest.raises(TypeError):
        encoder.encode("a bare string would be read as one text per character")


def test_a_paraphrase_is_closer_than_an_unrelated_line(encoder):
    triples = [
        ("Which skills should I build before the next opening?",
         "What would you suggest I work on so I'm ready for another promotion round?",
         "The car park will be closed for resurfacing on Monday."),
        ("I didn't expect this outcome and it hurt.",
         "Honestly the decision came as a painful surprise.",
         "Please send the invoices to accounts by Friday."),
    ]
    for anchor, paraphrase, unrelated in triples:
        a, p, u = encoder.encode([anchor, paraphrase, unrelated])
        assert float(a @ p) > float(a @ u) + 0.2, (anchor, float(a @ p), float(a @ u))


def test_a_very_long_input_is_cut_to_the_first_256_tokens(encoder):
    words = ("feedback growth panel interview evidence leadership " * 300).split()
    huge = " ".join(words)
    assert encoder.count_tokens([huge]) == [256]
    # Only the first 254 word pieces (plus [CLS] and [SEP]) count: a shorter prefix that already fills them agrees.
    prefix = " ".join(words[:300])
    assert np.abs(encoder.encode([huge]) - encoder.encode([prefix])).max() <= 1e-5


# -- spans: the line and its clauses from one pass -----------------------------------------------------------------


SPAN_LINE = "Thanks for meeting with me. But honestly, the whole process felt rigged from the start."


def test_spans_give_the_sentence_vector_and_one_unit_row_per_span(encoder):
    texts = [SPAN_LINE, "ok", "", "How did my interview come across?"]
    spans = [[(0, 27), (28, 86)], [(0, 2)], [], [(0, 3), (4, 33), (10, 20)]]
    rows = encoder.encode_spans(texts, spans)
    assert [r.shape for r in rows] == [(3, DIM), (2, DIM), (1, DIM), (4, DIM)]
    assert all(r.dtype == np.float32 for r in rows)
    assert all(np.allclose(np.linalg.norm(r, axis=1), 1.0, atol=1e-5) for r in rows)
    # Row 0 is the sentence vector, whatever else is in the batch.
    assert np.abs(np.vstack([r[0] for r in rows]) - encoder.encode(texts)).max() <= 1e-5
    single = encoder.encode_spans([SPAN_LINE], [spans[0]])[0]
    assert np.abs(single - rows[0]).max() <= 1e-5
    assert encoder.encode_spans([], []) == []


def test_a_span_vector_is_its_clause_read_in_context(encoder):
    first, second = (0, 27), (28, 86)
    assert SPAN_LINE[first[0]:first[1]] == "Thanks for meeting with me."
    line, thanks, rigged = encoder.encode_spans([SPAN_LINE], [[first, second]])[0]
    alone = encoder.encode([SPAN_LINE[a:b] for a, b in (first, second)])
    # Near the clause encoded on its own, nearer than to the other clause, but not the same vector: the tokens
    # attended to the whole line.
    for vector, own, other in ((thanks, alone[0], alone[1]), (rigged, alone[1], alone[0])):
        assert float(vector @ own) > 0.7
        assert float(vector @ own) > float(vector @ other) + 0.1
        assert np.abs(vector - own).max() > 1e-3
    assert float(thanks @ rigged) < 0.99 and float(line @ thanks) < 0.999


def test_a_span_with_no_token_falls_back_to_the_sentence_vector(encoder):
    words = ("feedback growth panel interview evidence leadership " * 300).strip()
    text = "Could we talk about it next week?"
    empty, blank, past_the_cut = (5, 5), (len(text), len(text) + 3), (len(words) - 20, len(words))
    rows = encoder.encode_spans([text, text, words], [[empty], [blank, (0, 5)], [past_the_cut, (0, 8)]])
    assert np.array_equal(rows[0][1], rows[0][0])
    assert np.array_equal(rows[1][1], rows[1][0]) and not np.allclose(rows[1][2], rows[1][0])
    assert np.array_equal(rows[2][1], rows[2][0]) and not np.allclose(rows[2][2], rows[2][0])


def test_span_arguments_are_checked(encoder):
    with pytest.raises(TypeError):
        encoder.encode_spans("one string", [[(0, 3)]])
    with pytest.raises(ValueError):
        encoder.encode_spans(["a", "b"], [[(0, 1)]])


# -- float16 weights ---------------------------------------------------------------------------------------------


def _float_copy(tmp_path: Path, dtype) -> Path:
    """The shipped model with every int8 matrix stored dequantised as plain DTYPE (as fine-tuned weights may ship)."""
    copy = tmp_path / np.dtype(dtype).name
    copy.mkdir()
    for name in ("model.json", "tokenizer.json"):
        shutil.copy(encoder_mod.DATA_DIR / name, copy / name)
    arrays = {}
    with np.load(encoder_mod.DATA_DIR / "weights.npz") as npz:
        for key in npz.files:
            if key.endswith(".int8"):
                name = key[: -len(".int8")]
                value = npz[key].astype(np.float32) * npz[name + ".scale"][:, None]
                if name + ".col_scale" in npz.files:
                    value = value * npz[name + ".col_scale"][None, :]
                arrays[name] = value.astype(dtype)
            elif not key.endswith((".scale", ".col_scale")):
                arrays[key] = npz[key].astype(dtype)
    np.savez(copy / "weights.npz", **arrays)
    return copy


def test_float16_weights_load_and_give_the_same_vectors(encoder, tmp_path):
    half = Encoder(_float_copy(tmp_path, np.float16))
    assert half._words.dtype == np.float16  # not expanded: only a batch's rows are
    assert all(layer.ffn_in_w.dtype == np.float32 for layer in half._layers)
    texts = TEXTS + ["ok", ""]
    ours, theirs = half.encode(texts), encoder.encode(texts)
    assert np.abs(ours - theirs).max() < 5e-3
    assert min(cosine(a, b) for a, b in zip(ours, theirs)) > 0.9999


def test_weights_of_another_type_are_refused(tmp_path):
    copy = _float_copy(tmp_path, np.float16)
    with np.load(copy / "weights.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    name = "encoder.layer.0.intermediate.dense.weight"
    arrays[name] = arrays[name].astype(np.int32)  # not a float: would be read as raw integers
    np.savez(copy / "weights.npz", **arrays)
    with pytest.raises(EncoderUnavailable) as info:
        Encoder(copy)
    assert "damaged" in str(info.value) and name in str(info.value)


# -- loading, sharing and failures -------------------------------------------------------------------------------


def test_missing_files_give_one_clear_line(tmp_path):
    with pytest.raises(EncoderUnavailable) as info:
        Encoder(tmp_path / "nowhere")
    assert isinstance(info.value, NextroundError)
    message = str(info.value)
    assert "missing" in message and "weights.npz" in message and "\n" not in message


@pytest.mark.parametrize("damage", ["flip_bytes", "truncate"])
def test_damaged_weights_give_one_clear_line(tmp_path, damage):
    copy = tmp_path / "minilm"
    shutil.copytree(encoder_mod.DATA_DIR, copy)
    weights = copy / "weights.npz"
    data = bytearray(weights.read_bytes())
    if damage == "flip_bytes":
        middle = len(data) // 2
        data[middle:middle + 64] = bytes(255 - b for b in data[middle:middle + 64])
    else:
        data = data[: len(data) // 3]
    weights.write_bytes(bytes(data))
    with pytest.raises(EncoderUnavailable) as info:
        Encoder(copy)
    assert "damaged" in str(info.value) and "\n" not in str(info.value)


def test_background_load_is_reused_not_repeated(fresh_shared, monkeypatch):
    built = []

    class Counting(Encoder):
        def __init__(self, *args, **kwargs):
            built.append(threading.current_thread().name)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(encoder_mod, "Encoder", Counting)
    encoder_mod.load_in_background()
    encoder_mod.load_in_background()  # a second call while loading starts nothing new
    assert fresh_shared.loader is not None and fresh_shared.loader.daemon
    first = encoder_mod.get_encoder()
    assert encoder_mod.get_encoder() is first
    assert built == ["nextround-encoder"]
    assert first.encode(["hello"]).shape == (1, DIM)


def test_get_encoder_without_background_loads_once(fresh_shared, monkeypatch):
    built = []

    class Counting(Encoder):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(encoder_mod, "Encoder", Counting)
    results = []
    threads = [threading.Thread(target=lambda: results.append(encoder_mod.get_encoder())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len({id(r) for r in results}) == 1


def test_a_failed_background_load_is_raised_by_get_encoder(fresh_shared, monkeypatch, tmp_path):
    monkeypatch.setattr(encoder_mod, "DATA_DIR", tmp_path / "gone")
    encoder_mod.load_in_background()
    with pytest.raises(EncoderUnavailable, match="missing"):
        encoder_mod.get_encoder()


def test_an_unexpected_error_in_the_loader_becomes_a_clear_error(fresh_shared, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("out of memory while expanding weights")

    monkeypatch.setattr(encoder_mod.Encoder, "__init__", broken)
    encoder_mod.load_in_background()
    with pytest.raises(EncoderUnavailable, match="failed to load: RuntimeError: out of memory"):
        encoder_mod.get_encoder()


def _encode_in_child(texts):
    return encoder_mod.get_encoder().encode(texts)


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_a_forked_worker_can_encode_after_the_parent_did(fresh_shared):
    # The tone scorer forks worker processes; the encoder's thread pool must not be inherited half-dead.
    import multiprocessing

    texts = TEXTS + ["Could we meet again after the next review cycle?"]
    parent = encoder_mod.get_encoder().encode(texts)
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        child = pool.apply_async(_encode_in_child, (texts,)).get(timeout=30)  # a hang fails here
    finally:
        pool.terminate()
        pool.join()
    assert np.abs(child - parent).max() <= 1e-5


def test_importing_the_reading_package_does_not_load_numpy():
    code = ("import sys\nimport nextround.reading, nextround.reading.types, nextround.reading.stances\n"
            "print(sorted(m for m in ('numpy', 'tokenizers') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
