"""Small scenarios and readings built in code, so engine and session tests do not depend on built-in wording."""

from __future__ import annotations

from nextround.reading.types import Reading, ToneResult, label_for
from nextround.scenario import Scenario


def _insight(i: int, min_candor: int, volunteer: bool = True) -> dict:
    return {
        "id": f"topic-{i}",
        "title": f"Insight number {i}",
        "about": f"subject {i}",
        "examples": [f"Example ask {i}.{n} about subject {i}?" for n in range(8)],
        "cues": [f"subject{i}"],
        "min_candor": min_candor,
        "volunteer": volunteer,
        "knows": f"The counterpart knows fact {i}.",
        "reveal": f"Reveal of subject {i}: the substance of it.",
        "deeper": [f"Deeper layer one on subject {i}.", f"Deeper layer two on subject {i}."],
        "takeaway": f"You learned the substance of subject {i}.",
        "ask_hint": f"Ask about subject {i}.",
        "informs": ["why_not_selected"],
        "action": {"area": "skill", "action": f"Act on subject {i}.", "first_step": "Start.",
                   "measure": "Done.", "due_days": 30},
    }


def tiny_scenario(kind: str = "feedback") -> Scenario:
    """Three insights: topic-1 opens at 55, topic-2 at 60, topic-3 at 70 and only on a direct ask."""
    many = lambda stem, n=4: [f"{stem} line {k}." for k in range(1, n + 1)]  # noqa: E731
    return Scenario.model_validate({
        "name": "tiny", "kind": kind, "title": "Tiny", "description": "A test scenario.",
        "counterpart": {"name": "Alex Doe", "role": "Manager", "style": "Plain."},
        "start_candor": 50,
        "lines": {
            "opening": "Hello, where shall we start?",
            "acknowledge": {k: many(f"Ack {k}", 2) for k in ("thanks", "apology", "feeling", "accept", "followup")},
            "clarify": ["Clarify one: do you mean {options}?", "Clarify two: is it {options}?"],
            "deflect": many("Deflect", 3),
            "exhausted": ["Exhausted one: that is all on {about}.", "Exhausted two: nothing more on {about}."],
            "procedural": many("Procedural"),
            "cool": many("Cool"),
            "small_talk": many("Small talk", 2),
            "steer": many("Steer", 3),
            "closing": {"warm": many("Warm goodbye", 2), "neutral": many("Neutral goodbye", 2),
                        "cool": many("Cool goodbye", 2)},
        },
        "insights": [_insight(1, 55), _insight(2, 60), _insight(3, 70, volunteer=False)],
    })


def reading(text: str = "a line", score: int = 75, *, stances: tuple[str, ...] = (), topics: tuple[str, ...] = (),
            candidates: tuple[str, ...] = (), question: bool = False, open_ask: bool = False, more: bool = False,
            manipulation: bool = False, sincere: bool | None = None, scores: dict[str, float] | None = None,
            flags: tuple = ()) -> Reading:
    tone = ToneResult(score, label_for(score), flags, None)
    return Reading(text=text, tone=tone, stances=stances, topics=topics, candidates=candidates, question=question,
                   sincere=(score > 40) if sincere is None else sincere, open_ask=open_ask, more=more,
                   manipulation=manipulation, topic_scores=scores or {})
