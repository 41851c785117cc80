"""How the model's reading of a line and the model judge's score combine with the local reading.

Pure and stdlib only. The rules (the engine applies candor and the adversarial checks afterwards, so nothing
here can open an insight by itself):

- **Score.** ``judge="local"``: the local score. ``"llm"``: the model judge's score. ``"both"``: the average of
  the two. Without a judge verdict, the local score. Adversarial stances the model adds (with ``llm`` or
  ``both``) cap the score below the collaborative band: such a line earns no candor, but is not punished as
  adversarial on a model's word alone. A line the local reader flagged never scores higher than its local score,
  whatever the model says.
- **Topics.** The local topics stay. The model may add a topic the local reader missed only when the line is
  sincere and not adversarial by either reading, and only when the local matcher gives that insight at least
  `MODEL_TOPIC_FLOOR`: a small model must not open a topic that the local reading finds unrelated.
- **Stances.** Adversarial stances the model adds are kept (they can only hold a line back); collaborative ones
  it adds are recorded in its own reading, never merged, since they could only lift it.
- Everything else (``sincere``, ``question``, ``manipulation``, the topic scores) stays the local reading's: the
  model's ``sincere`` only decides whether it may add a topic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from nextround.reading.stances import ADVERSARIAL_STANCES
from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT, Reading, ToneResult, label_for

JudgeMode = Literal["local", "llm", "both"]

#: The least local topic score (the matcher's similarity of the line to the insight's example asks) an insight
#: needs before the model's reading may add it. Below it, the local reading finds the line unrelated to the topic.
MODEL_TOPIC_FLOOR = 0.3
#: The most a line can score when the model reads an adversarial stance into it that the local reader did not.
MODEL_STANCE_CAP = COLLABORATIVE_AT - 1


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


def merge_readings(local: Reading, model: ModelReading | None, judge: JudgeMode,
                   judge_score: int | None) -> Reading:
    """The reading the engine gets: the local one, with what the model may add (see the module's rules)."""
    if model is None and (judge == "local" or judge_score is None):
        return local
    flagged = bool(local.tone.flags) or any(s in ADVERSARIAL_STANCES for s in local.stances)
    score = local.tone.score
    if judge_score is not None and judge == "llm":
        score = judge_score
    elif judge_score is not None and judge == "both":
        score = round((local.tone.score + judge_score) / 2)
    added_adversarial = tuple(s for s in (model.stances if model else ())
                              if s in ADVERSARIAL_STANCES and s not in local.stances)
    if added_adversarial and judge != "local":
        score = min(score, MODEL_STANCE_CAP)
    if flagged:
        score = min(score, local.tone.score)
    score = max(0, min(100, int(score)))

    topics = list(local.topics)
    if model is not None and model.sincere and not added_adversarial and not locally_adversarial(local) \
            and score > ADVERSARIAL_AT:
        for topic in model.topics:
            if topic not in topics and local.topic_scores.get(topic, 0.0) >= MODEL_TOPIC_FLOOR:
                topics.append(topic)

    tone = local.tone if score == local.tone.score else ToneResult(
        score=score, label=label_for(score), flags=local.tone.flags, rewrite=local.tone.rewrite)
    return replace(
        local,
        tone=tone,
        stances=local.stances + added_adversarial,
        topics=tuple(topics),
        source="merged",
    )
