"""How the model's reading of a line and the model judge's verdict combine with the local reading.

Pure and stdlib only. A model's reading only adds: a weak model must never make a rehearsal worse than offline.
The rules (the engine applies candor and the adversarial checks afterwards, so nothing here can open an insight):

- **Score.** The local score stands, unless the model judge scores the line LOWER with a verdict that explains
  itself: it names an adversarial category, quotes a phrase that actually occurs in the line, and the model's own
  reading of the line names that same stance. Then ``judge="llm"`` uses the judge's score and ``"both"`` the
  average of the two. Any other verdict (higher than the local score, no category, a phrase that is not in the
  line, a stance reading that disagrees) is recorded with the turn and dropped. ``judge="local"`` never uses it.
- **Stances.** Only the category of a verdict that counted is added to the line's stances; other stances the model
  reads are recorded in its own reading, never merged.
- **Topics.** The local topics stay. The model may add a topic the local reader missed only when the line is
  sincere and not adversarial by either reading, and only when the local matcher gives that insight at least
  `MODEL_TOPIC_FLOOR`: a small model must not open a topic that the local reading finds unrelated. Whether the
  topic opens is still the engine's decision, on candor.
- Everything else (``sincere``, ``question``, ``manipulation``, ``leaving``, the topic scores) stays the local
  reading's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from nextround.reading.stances import ADVERSARIAL_STANCES
from nextround.reading.types import ADVERSARIAL_AT, Reading, ToneResult, label_for

JudgeMode = Literal["local", "llm", "both"]

#: The least local topic score (the matcher's similarity of the line to the insight's example asks) an insight
#: needs before the model's reading may add it. Below it, the local reading finds the line unrelated to the topic.
MODEL_TOPIC_FLOOR = 0.3


@dataclass(frozen=True)
class ModelReading:
    """What the model read in a line: ids from the scenario's insights and the stance catalogue only."""

    topics: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    sincere: bool = True

    def to_dict(self) -> dict:
        return {"topics": list(self.topics), "stances": list(self.stances), "sincere": self.sincere}


def locally_adversarial(local: Reading) -> bool:
    return (bool(local.tone.flags) or local.manipulation or local.tone.score <= ADVERSARIAL_AT
            or any(s in ADVERSARIAL_STANCES for s in local.stances))


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split()).strip(" \"'.,;:!?")


def verdict_problem(local: Reading, model: ModelReading | None, verdict: dict | None) -> str | None:
    """Why a judge verdict does not count (None when it counts: it lowers the score and explains itself)."""
    if verdict is None:
        return "no verdict"
    score = verdict.get("score")
    if not isinstance(score, int):
        return "no score"
    if score >= local.tone.score:
        return "not lower than the local score (a model may only lower it)"
    category = verdict.get("category")
    if category not in ADVERSARIAL_STANCES:
        return "names no adversarial category"
    phrase = _plain(str(verdict.get("phrase") or ""))
    if not phrase or phrase not in _plain(local.text):
        return "quotes no phrase of the line"
    if model is None or category not in model.stances:
        return "the model's own reading of the line does not name that stance"
    return None


def merge_readings(local: Reading, model: ModelReading | None, judge: JudgeMode,
                   verdict: dict | None) -> Reading:
    """The reading the engine gets: the local one, with what the model may add (see the module's rules)."""
    if model is None and (judge == "local" or verdict is None):
        return local
    score = local.tone.score
    stances = local.stances
    sincere = local.sincere
    if judge != "local" and verdict_problem(local, model, verdict) is None:
        assert verdict is not None
        judged = int(verdict["score"])
        score = judged if judge == "llm" else round((local.tone.score + judged) / 2)
        score = max(0, min(local.tone.score, score))
        stances = (verdict["category"], *(s for s in stances if s != verdict["category"]))
        sincere = False  # the judge showed where the line is adversarial, and the model's reading agrees

    topics = list(local.topics)
    if model is not None and model.sincere and not locally_adversarial(local) and score > ADVERSARIAL_AT \
            and not any(s in ADVERSARIAL_STANCES for s in model.stances):
        for topic in model.topics:
            if topic not in topics and local.topic_scores.get(topic, 0.0) >= MODEL_TOPIC_FLOOR:
                topics.append(topic)

    tone = local.tone if score == local.tone.score else ToneResult(
        score=score, label=label_for(score), flags=local.tone.flags, rewrite=local.tone.rewrite)
    return replace(local, tone=tone, stances=stances, topics=tuple(topics), sincere=sincere, source="merged")
