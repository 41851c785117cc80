"""The reader's learned heads and every tuned number, from one file: ``nextround/data/reader.npz``.

The encoder is fine-tuned end to end with one linear head per task on its unit sentence vector
(``scripts/train_encoder.py``): ``stance`` (18 stances), ``politeness`` (human ratings, z units) and, when the
development figures kept them, ``emotion`` (critical vs warm, logit), ``offensive`` (graded offensiveness) and
``sarcasm`` (logit). The same file holds the tone weights, the flag and stance thresholds and the topic
thresholds (``config``), chosen on the development sets by ``scripts/train_encoder.py tune``. There are no code
defaults: a missing or damaged file, or one that lacks a number, is an error the user sees in one line.

Array layout: ``classes`` (the stance ids in head order), ``NAME.weight`` (outputs x 384) and ``NAME.bias`` per
head, and ``config``: one JSON string with ``tone``, ``topics`` and ``provenance``.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nextround.errors import NextroundError
from nextround.reading.stances import ADVERSARIAL_STANCES, COLLABORATIVE_STANCES, STANCE_IDS

#: The one file of the reader's heads and tuned numbers (package data).
READER_PATH = Path(__file__).resolve().parents[1] / "data" / "reader.npz"
REQUIRED_HEADS = ("stance", "politeness")
OPTIONAL_HEADS = ("emotion", "offensive", "sarcasm")
#: Keeps the stance log-odds finite and damps near-certain outputs.
LEAN_EPS = 0.02


class ReaderUnavailable(NextroundError):
    """The reader's weights file is missing, damaged or incomplete."""


@dataclass(frozen=True)
class Head:
    weight: np.ndarray  # (outputs, 384)
    bias: np.ndarray  # (outputs,)

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        return vectors @ self.weight.T + self.bias


@dataclass(frozen=True)
class ReaderModel:
    classes: tuple[str, ...]
    heads: dict[str, Head]
    config: dict

    @property
    def adversarial(self) -> np.ndarray:
        return np.array([c in ADVERSARIAL_STANCES for c in self.classes])

    @property
    def collaborative(self) -> np.ndarray:
        return np.array([c in COLLABORATIVE_STANCES for c in self.classes])

    def small_talk_mass(self, probs: np.ndarray) -> np.ndarray:
        """The small-talk probability of each row (the tone sets it aside from the politeness-ranked mass)."""
        return probs[..., self.classes.index("small_talk")]

    def stance_probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = self.heads["stance"](vectors)
        logits -= logits.max(axis=1, keepdims=True)
        expd = np.exp(logits)
        return expd / expd.sum(axis=1, keepdims=True)

    def lean(self, probs: np.ndarray) -> np.ndarray:
        """Log-odds of collaborative over adversarial stance, per row: > 0 leans collaborative. The mass on stances
        that are neither counts half to each side, so a mostly neutral line leans little either way."""
        adv = probs[:, self.adversarial].sum(axis=1)
        col = probs[:, self.collaborative].sum(axis=1)
        half = (1.0 - adv - col) / 2.0
        return np.log((col + half + LEAN_EPS) / (adv + half + LEAN_EPS))

    def adversarial_mass(self, probs: np.ndarray) -> np.ndarray:
        return probs[:, self.adversarial].sum(axis=1)

    def scalar(self, name: str, vectors: np.ndarray) -> np.ndarray:
        """A one-output head's value per row (zeros when the shipped model has no such head)."""
        head = self.heads.get(name)
        return np.zeros(len(vectors), dtype=np.float32) if head is None else head(vectors)[:, 0]


def _fail(where: str, why: str) -> ReaderUnavailable:
    return ReaderUnavailable(f"the reader's weights are unusable ({where}): {why} (reinstall nextround)")


def read_model(source) -> ReaderModel:
    """A ReaderModel from an .npz path or open binary file; ReaderUnavailable when anything is missing or wrong."""
    where = str(source) if isinstance(source, (str, Path)) else READER_PATH.name
    try:
        with np.load(source, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise _fail(where, f"{type(exc).__name__}: {exc}") from exc
    try:
        classes = tuple(str(c) for c in arrays["classes"])
        config = json.loads(str(arrays["config"]))
        heads = {}
        for name in REQUIRED_HEADS + OPTIONAL_HEADS:
            if f"{name}.weight" not in arrays and name in OPTIONAL_HEADS:
                continue
            weight = np.asarray(arrays[f"{name}.weight"], dtype=np.float32)
            bias = np.asarray(arrays[f"{name}.bias"], dtype=np.float32)
            if weight.ndim != 2 or bias.shape != (weight.shape[0],):
                raise ValueError(f"head {name}: weight {weight.shape}, bias {bias.shape}")
            heads[name] = Head(weight, bias)
        if heads["stance"].weight.shape[0] != len(classes) or set(classes) - set(STANCE_IDS):
            raise ValueError("the stance head does not match the stance catalogue")
        if not isinstance(config.get("tone"), dict) or not isinstance(config.get("topics"), dict):
            raise ValueError("config lacks the tone or topic numbers")
    except (KeyError, ValueError, TypeError) as exc:
        raise _fail(where, f"{type(exc).__name__}: {exc}") from exc
    return ReaderModel(classes, heads, config)


@lru_cache(maxsize=1)
def load_reader() -> ReaderModel:
    """The shipped reader (heads and tuned numbers), loaded once."""
    if not READER_PATH.is_file():
        raise _fail(str(READER_PATH), "the file is missing")
    return read_model(READER_PATH)


def numbers(section: str, fields: tuple[str, ...]) -> dict:
    """The tuned numbers of SECTION ("tone" or "topics") for FIELDS; an error names any that is missing."""
    values = load_reader().config[section]
    missing = [f for f in fields if f not in values]
    if missing:
        raise _fail(str(READER_PATH), f"{section} lacks {', '.join(missing)}")
    return {f: values[f] for f in fields}


def write_reader_file(arrays: dict[str, np.ndarray], config: dict | None, provenance: dict | None = None,
                      path: Path | None = None) -> Path:
    """Write the heads (``classes`` and ``NAME.weight``/``NAME.bias``) and CONFIG into the reader file (scripts only).
    CONFIG None keeps the tone and topic numbers already there; PROVENANCE replaces the recorded one."""
    path = Path(path) if path is not None else READER_PATH
    current: dict = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as old:
            current = json.loads(str(old["config"]))
    merged = dict(current)
    if config:
        merged.update(config)
    if provenance is not None:
        merged["provenance"] = provenance
    merged.setdefault("tone", {})
    merged.setdefault("topics", {})
    out = {k: np.asarray(v) for k, v in arrays.items() if k != "config"}
    out["classes"] = np.array([str(c) for c in arrays["classes"]], dtype="U16")
    out["config"] = np.array(json.dumps(merged, indent=1, sort_keys=True))
    tmp = path.with_suffix(".tmp.npz")
    with open(tmp, "wb") as handle:
        np.savez(handle, **out)
    tmp.replace(path)
    return path
