"""Apply the trained linear model (pure Python; weights from ``nextround/data/tone_weights.json``).

Features (the training script builds exactly these through :func:`featurize`):

* ``g:<ngram>`` - word unigrams and bigrams (a leading "." marks the start of the text, so ". why" is a
  sentence-initial "why"), each occurrence worth ``1/sqrt(number of tokens)``;
* ``c:<cue key>`` - 1.0 if a cue rule of ``rules.py`` matched;
* ``x:pos`` / ``x:neg`` / ``x:cmp`` / ``x:excl`` / ``x:q`` / ``x:len`` - lexicon sentiment and shape.

The final logit adds the hand-set stance weights of the domain cues (``rules.STANCE_WEIGHTS``), optionally
rescaled by the factors the training script fits on the domain lines (``stance_scale``).
"""

from __future__ import annotations

import json
import math
from importlib import resources
from itertools import repeat
from operator import mul

from .lexicon import sentiment
from .rules import STANCE_WEIGHTS

_WEIGHTS: dict | None = None
_START = ["."]


def load_weights() -> dict:
    global _WEIGHTS
    if _WEIGHTS is None:
        try:
            raw = resources.files("nextround").joinpath("data/tone_weights.json").read_text(encoding="utf-8")
            data = json.loads(raw)
        except (FileNotFoundError, OSError, ValueError):  # pragma: no cover - a broken install
            data = {}
        _WEIGHTS = _prepare(data)
    return _WEIGHTS


def set_weights(data: dict) -> None:
    """Install weights directly (used by the training script to evaluate a candidate model)."""
    global _WEIGHTS
    _WEIGHTS = _prepare(data)


def _prepare(data: dict) -> dict:
    feats: dict[str, float] = data.get("weights", {})
    stance = dict(STANCE_WEIGHTS)
    stance.update(data.get("stance", {}))
    return {
        "bias": float(data.get("bias", 0.0)),
        "scale": float(data.get("scale", 1.0)),
        "ngram": {k[2:]: v for k, v in feats.items() if k.startswith("g:")},
        "uni": {k[2:]: v for k, v in feats.items() if k.startswith("g:") and " " not in k},
        "bi": {k[2:]: v for k, v in feats.items() if k.startswith("g:") and " " in k},
        "cue": {k[2:]: v for k, v in feats.items() if k.startswith("c:")},
        "x": {k[2:]: v for k, v in feats.items() if k.startswith("x:")},
        "xv": tuple(feats.get("x:" + k, 0.0) for k in SHAPE_NAMES) if any(k.startswith("x:") for k in feats) else (),
        "stance": stance,
        "meta": data.get("meta", {}),
        "index": data.get("index"),
    }


def ngrams(tokens: list[str]) -> list[str]:
    seq = _START + tokens
    return tokens + list(map(" ".join, zip(seq, seq[1:])))


def shape(tokens: list[str]) -> tuple[float, ...]:
    """(pos, neg, cmp, excl, q, len) - lexicon sentiment and line shape, in this fixed order."""
    n = len(tokens)
    excl = tokens.count("!")
    pos, neg, cmp_ = sentiment(tokens, excl)
    return (
        (pos if pos < 8.0 else 8.0) / 4.0,
        (neg if neg > -8.0 else -8.0) / 4.0,
        cmp_,
        (excl if excl < 3 else 3) / 3.0,
        min(tokens.count("?"), 3) / 3.0,
        math.log1p(n) / 4.0,
    )


SHAPE_NAMES = ("pos", "neg", "cmp", "excl", "q", "len")


def featurize(tokens: list[str], cue_keys) -> dict[str, float]:
    """Sparse feature dict for training (the runtime computes the same dot product faster)."""
    out: dict[str, float] = {}
    w = 1.0 / math.sqrt(max(len(tokens), 1))
    for g in ngrams(tokens):
        k = "g:" + g
        out[k] = out.get(k, 0.0) + w
    for c in set(cue_keys):
        out["c:" + c] = 1.0
    for k, v in zip(SHAPE_NAMES, shape(tokens)):
        out["x:" + k] = v
    return out


def stance_logit(cue_keys: list[str], W: dict) -> float:
    stance = W["stance"]
    total = 0.0
    seen: dict[str, int] = {}
    for k in cue_keys:
        s = stance.get(k)
        if s:
            n = seen.get(k, 0)
            seen[k] = n + 1
            total += s if n == 0 else s * 0.35  # repeats add less
    # a flood of cues cannot push the logit without bound
    return max(-6.0, min(6.0, total))


def model_logit(tokens: list[str], cue_keys: list[str], W: dict, pairs: list[str] | None = None) -> float:
    """The learned part (z units). ``pairs`` are the bigrams as ``features.scan`` returns them (computed if None)."""
    n = len(tokens)
    if not n:
        return W["bias"]
    if pairs is None:
        pairs = list(map(" ".join, zip(_START + tokens, tokens)))
    s = (sum(map(W["uni"].get, tokens, repeat(0.0))) + sum(map(W["bi"].get, pairs, repeat(0.0)))) / math.sqrt(n)
    if cue_keys:
        cw = W["cue"]
        for c in set(cue_keys):
            s += cw.get(c, 0.0)
    xv = W["xv"]
    if xv:
        s += sum(map(mul, xv, shape(tokens)))
    return W["bias"] + s


def logit(tokens: list[str], cue_keys: list[str], pairs: list[str] | None = None) -> float:
    W = _WEIGHTS if _WEIGHTS is not None else load_weights()
    z = W["scale"] * model_logit(tokens, cue_keys, W, pairs)
    return z + stance_logit(cue_keys, W) if cue_keys else z


def to_score(z: float) -> int:
    if z >= 0:
        p = 1.0 / (1.0 + math.exp(-z))
    else:
        e = math.exp(z)
        p = e / (1.0 + e)
    return int(round(100.0 * p))


def worst_phrase(tokens: list[str], pairs: list[str] | None = None) -> tuple[int, int, float] | None:
    """(first token, last token, weight) of the word or adjacent word pair that pulls the score down most."""
    W = _WEIGHTS if _WEIGHTS is not None else load_weights()
    n = len(tokens)
    if not n:
        return None
    uni = list(map(W["uni"].get, tokens, repeat(0.0)))
    lo = min(uni)
    i = uni.index(lo)
    best = (i, i, lo)
    if n > 1:
        if pairs is None:
            pairs = list(map(" ".join, zip(_START + tokens, tokens)))
        bi = list(map(W["bi"].get, pairs, repeat(0.0)))  # bi[j] is the pair (token j-1, token j)
        bi[0] = 0.0
        blo = min(bi)
        if blo < 0.0:
            j = bi.index(blo) - 1
            v = blo + uni[j] + uni[j + 1]
            if v < best[2] - 0.02 and tokens[j] not in _PUNCT and tokens[j + 1] not in _PUNCT:
                best = (j, j + 1, v)
    if best[2] >= -0.02 or tokens[best[0]] in _PUNCT:
        return None
    return best


_PUNCT = frozenset(".!?")
