"""Local tone scorer: 0-100 (higher = more collaborative), a label, explained flags and a rewrite.

Public API (other modules depend on exactly this)::

    score_text(text) -> ToneResult
    score_many(texts) -> list[ToneResult]
    Flag(phrase, start, end, category, why, better), ToneResult(score, label, flags, rewrite)

Labels: ``score >= COLLABORATIVE_AT`` (60) is "collaborative", ``score <= ADVERSARIAL_AT`` (40) is
"adversarial", anything between is "neutral". Empty or whitespace-only text scores 50 ("neutral", no flags).
Only the first ``MAX_CHARS`` (4,000) characters of a line are scored, so a 200 KB paste stays cheap.

Import is cheap: the cue patterns are compiled and the weights read on the first call. Runtime is stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "ADVERSARIAL_AT",
    "COLLABORATIVE_AT",
    "MAX_CHARS",
    "NEUTRAL_SCORE",
    "REWRITE_BELOW",
    "Flag",
    "ToneResult",
    "label_for",
    "score_many",
    "score_text",
]

COLLABORATIVE_AT = 60
ADVERSARIAL_AT = 40
NEUTRAL_SCORE = 50
REWRITE_BELOW = 50
MAX_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Flag:
    phrase: str
    start: int
    end: int
    category: str
    why: str
    better: str

    def to_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "why": self.why,
            "better": self.better,
        }


@dataclass(frozen=True, slots=True)
class ToneResult:
    score: int
    label: str
    flags: tuple[Flag, ...]
    rewrite: str | None = None

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "label": self.label,
            "flags": [f.to_dict() for f in self.flags],
            "rewrite": self.rewrite,
        }


def label_for(score: int) -> str:
    if score >= COLLABORATIVE_AT:
        return "collaborative"
    if score <= ADVERSARIAL_AT:
        return "adversarial"
    return "neutral"


_NEUTRAL = ToneResult(NEUTRAL_SCORE, "neutral", (), None)
_engine = None


def _load():
    global _engine
    if _engine is None:
        from . import features, flags, model, rules

        model.load_weights()
        _engine = (features.analyse, model.logit, model.to_score, rules.RULE_BY_KEY, rules.FLAGGED, flags)
    return _engine


def score_text(text: str) -> ToneResult:
    """Score one utterance."""
    if text is None or not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text.strip():
        return _NEUTRAL
    analyse, logit, to_score, rule_by_key, flagged, flagmod = _engine if _engine is not None else _load()
    tokens, cues = analyse(text)
    keys = [c.key for c in cues]
    score = to_score(logit(tokens, keys))
    found: list[Flag] = []
    for c in cues:
        if c.key in flagged:
            rule = rule_by_key[c.key]
            phrase = text[c.start:c.end]
            s0, s1 = flagmod.sentence_span(text, c.start)
            found.append(Flag(phrase, c.start, c.end, rule.category, rule.why,
                              flagmod.better_for(c.key, phrase, text[s0:s1])))
    flags_t = tuple(found)
    rewrite = flagmod.rewrite(text[:MAX_CHARS], flags_t) if flags_t and score < REWRITE_BELOW else None
    return ToneResult(score, label_for(score), flags_t, rewrite)


def score_many(texts: Iterable[str]) -> list[ToneResult]:
    """Score many utterances (same results as :func:`score_text`, without per-call set-up)."""
    _load()
    return [score_text(t) for t in texts]
