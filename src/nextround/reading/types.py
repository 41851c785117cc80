"""What reading a line produces, and the tone bands. Stdlib only: the store, the report and the CLI use these
without loading the encoder.

One definition of the bands: a score of ``COLLABORATIVE_AT`` (60) or more is collaborative, ``ADVERSARIAL_AT``
(40) or less adversarial, anything between neutral; an empty line scores ``NEUTRAL_SCORE`` (50).
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLLABORATIVE_AT = 60
ADVERSARIAL_AT = 40
NEUTRAL_SCORE = 50
#: Lines scoring below this get a whole-line rewrite.
REWRITE_BELOW = 50
#: A line longer than this is cut before it is scored, stored or sent to a model (one definition for all paths).
MAX_LINE_CHARS = 2000


def label_for(score: int) -> str:
    if score >= COLLABORATIVE_AT:
        return "collaborative"
    if score <= ADVERSARIAL_AT:
        return "adversarial"
    return "neutral"


@dataclass(frozen=True, slots=True)
class Flag:
    """A phrase of the line that carries an adversarial stance: where it is, what it is, why, and a better way."""

    phrase: str
    start: int
    end: int
    category: str
    why: str
    better: str

    def to_dict(self) -> dict:
        return {"phrase": self.phrase, "start": self.start, "end": self.end, "category": self.category,
                "why": self.why, "better": self.better}


@dataclass(frozen=True, slots=True)
class ToneResult:
    score: int
    label: str
    flags: tuple[Flag, ...]
    rewrite: str | None = None

    def to_dict(self) -> dict:
        return {"score": self.score, "label": self.label, "flags": [f.to_dict() for f in self.flags],
                "rewrite": self.rewrite}


@dataclass(frozen=True)
class Reading:
    """Everything the engine needs to know about one user line.

    ``stances`` are stance ids (see ``stances.py``), strongest first. ``topics`` are the insight ids the line
    clearly asks about, best first (at most two). When a sincere question is not clearly about one topic,
    ``candidates`` holds the nearest ones, best first, so the counterpart can ask which was meant.
    ``topic_scores`` holds the matcher's score for every insight of the scenario. ``question`` is true for a
    question or a request; ``sincere`` is false for rhetorical or adversarial ones; ``open_ask`` marks an open
    request for advice that names no topic; ``more`` marks a follow-up on what was just said ("Can you say more?",
    "What was the second thing?"). ``manipulation`` marks a line that tries to give the counterpart instructions
    and ``leaving`` talk of leaving, both read by meaning (``topics.py``). ``source`` says who read it ("local", or "merged" when a model's reading was
    combined with the local one).
    """

    text: str
    tone: ToneResult
    stances: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_scores: dict[str, float] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()
    question: bool = False
    sincere: bool = True
    open_ask: bool = False
    more: bool = False
    manipulation: bool = False
    leaving: bool = False
    source: str = "local"

    @property
    def adversarial(self) -> bool:
        return self.tone.score <= ADVERSARIAL_AT

    def to_dict(self) -> dict:
        return {"tone": self.tone.to_dict(), "stances": list(self.stances), "topics": list(self.topics),
                "candidates": list(self.candidates),
                "topic_scores": {k: round(v, 4) for k, v in self.topic_scores.items()}, "question": self.question,
                "sincere": self.sincere, "open_ask": self.open_ask, "more": self.more,
                "manipulation": self.manipulation, "leaving": self.leaving, "source": self.source}
