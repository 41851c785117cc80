"""Lexical politeness: how a line is worded, apart from what it means.

A linear model over word unigrams and bigrams (a leading "." marks the start of the line, so ". why" is a
sentence-initial "why"), politeness strategies (gratitude, apology, please, "could you", hedges, deference,
greetings; and the blunt ones: direct "why/what" openings, "you" openings, "actually/in fact"), and sentiment from
the project's own lexicon. Trained on human politeness ratings of Wikipedia requests (Stanford Politeness Corpus,
CC BY 4.0) by ``scripts/train_reading.py``; the weights ship in ``nextround/data/politeness.json``.

Stdlib only and fast (tens of microseconds a line). The stance of a line (contesting, sarcasm, accepting…) is
read by meaning elsewhere (``stance.py``); this part only knows wording.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

from nextround.reading.lexicon import sentiment
from nextround.reading.types import MAX_LINE_CHARS

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[.!?]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})

# Politeness strategies, in our own patterns. Each is a feature with a learned weight. Patterns see the lower-cased
# line with plain apostrophes; "^" is the start of the line.
STRATEGIES: dict[str, str] = {
    "gratitude": r"\b(?:thanks?|thank you|thankful|grateful|appreciate[sd]?|appreciation)\b",
    "apology": r"\b(?:sorry|apologi[sz]e[sd]?|my apologies|apologies|excuse me|forgive me|my bad|pardon)\b",
    "please": r"\b(?:please|pls|plz)\b",
    "please_start": r"^\W*(?:please|pls)\b",
    "could_you": r"\b(?:could|would) you\b|\bwould it be possible\b|\bwould you mind\b|\bdo you mind\b",
    "can_you": r"\b(?:can|will) you\b",
    "hedge": r"\b(?:i think|i believe|i guess|i suppose|i suspect|maybe|perhaps|possibly|probably|might|seems?|"
             r"somewhat|kind of|sort of|a bit|a little|i wonder|i was wondering|not sure|in my view)\b",
    "deference": r"\b(?:great|good|nice|excellent|interesting|fair|helpful|thoughtful) "
                 r"(?:work|job|point|question|idea|answer|edit|edits|catch|suggestion|article|effort)\b",
    "greeting": r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b",
    "direct_question": r"^\W*(?:what|why|how|where|who|when|which)\b",
    "why": r"\bwhy\b",
    "direct_start": r"^\W*(?:so|then|and|but|now|look|listen)\b",
    "first_person_start": r"^\W*(?:i|i'm|i've|i'd|my|me)\b",
    "second_person_start": r"^\W*(?:you|your|you're|you've)\b",
    "second_person": r"\b(?:you|your|yours|yourself)\b",
    "factuality": r"\b(?:actually|in fact|the fact is|the truth is|really|obviously|clearly|seriously)\b",
    "by_the_way": r"\b(?:by the way|btw|incidentally)\b",
    "agreement": r"\b(?:i agree|you'?re right|you are right|good point|fair point|fair enough|that makes sense|"
                 r"i see your point|i see what you mean|i understand|i hear you|i take your point)\b",
    "negation": r"\b(?:not|no|never|nothing|nobody|none|n't|cannot)\b|n't\b",
    "exclamation": r"!",
}
_STRATEGY_RES = {name: re.compile(pattern) for name, pattern in STRATEGIES.items()}
SHAPES = ("pos", "neg", "compound", "question", "exclaim", "length")
#: Word features are scaled by 1/sqrt(length), but never as if a line had fewer words than this: on a line of a few
#: words ("Got ten minutes?") a single word would otherwise swing the whole score.
MIN_TOKENS = 12


def prepare(text: str) -> str:
    return text[:MAX_LINE_CHARS].lower().translate(_APOSTROPHES)


def tokens(low: str) -> list[str]:
    return TOKEN.findall(low)


def ngrams(toks: list[str]) -> list[str]:
    seq = ["."] + toks
    return toks + [f"{a} {b}" for a, b in zip(seq, seq[1:])]


def strategies(low: str) -> dict[str, float]:
    return {name: 1.0 for name, pattern in _STRATEGY_RES.items() if pattern.search(low)}


def shape(toks: list[str]) -> dict[str, float]:
    exclaims = toks.count("!")
    pos, neg, compound = sentiment(toks, exclaims)
    return {
        "pos": min(pos, 8.0) / 4.0,
        "neg": max(neg, -8.0) / 4.0,
        "compound": compound,
        "question": min(toks.count("?"), 3) / 3.0,
        "exclaim": min(exclaims, 3) / 3.0,
        "length": math.log1p(len(toks)) / 4.0,
    }


def features(text: str) -> dict[str, float]:
    """The sparse features of a line: ``g:`` n-grams (scaled by 1/sqrt(length)), ``s:`` strategies, ``x:`` shape."""
    low = prepare(text)
    toks = tokens(low)
    out: dict[str, float] = {}
    if toks:
        w = 1.0 / math.sqrt(max(len(toks), MIN_TOKENS))
        for g in ngrams(toks):
            key = "g:" + g
            out[key] = out.get(key, 0.0) + w
    for name, value in strategies(low).items():
        out["s:" + name] = value
    for name, value in shape(toks).items():
        out["x:" + name] = value
    return out


@lru_cache(maxsize=1)
def weights() -> dict:
    raw = resources.files("nextround").joinpath("data/politeness.json").read_text(encoding="utf-8")
    return json.loads(raw)


def logit(text: str, model: dict | None = None) -> float:
    """The politeness logit of a line: positive = polite wording, negative = blunt or rude wording."""
    model = model or weights()
    w = model["weights"]
    total = model["bias"]
    for key, value in features(text).items():
        coef = w.get(key)
        if coef is not None:
            total += coef * value
    return total
