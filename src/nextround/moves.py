"""What the counterpart does with a line: the move set shared by the engine, the personas and the JSON contract.

Each counterpart turn in `--script --json` carries one of these as ``move`` (and ``topic``: an insight id or null).
"""

from __future__ import annotations

from typing import Literal

Move = Literal[
    "opening", "reveal", "deeper", "advise", "exhausted", "clarify", "deflect", "acknowledge", "procedural",
    "leaving", "cool", "small-talk", "steer", "closing",
]

#: Every move, with what the counterpart does. The model renderer's prompt and the README use these words.
MOVES: dict[str, str] = {
    "opening": "opens the meeting",
    "reveal": "answers the asked topic for the first time, with its substance",
    "deeper": "adds the next layer on a topic it has already opened",
    "advise": "turns a topic it has opened into advice once every layer is said: what it would do in your place "
              "and a first step (the insight's plan action)",
    "exhausted": "says plainly it has told all it knows on that topic",
    "clarify": "asks which of two topics (or which topic at all) a sincere question meant; costs no candor",
    "deflect": "stays general: the topic was asked before candor allowed it, or the line tried to give it "
               "instructions (then it invites a real question and the line earns nothing)",
    "acknowledge": "answers thanks, an apology, a named feeling, acceptance or a request to follow up, in kind",
    "leaving": "talk of leaving or an ultimatum: that's your call, with an opening to talk about what would make "
               "staying worth it",
    "procedural": "the decision stands; points to the process route; offers to talk about next time",
    "cool": "a brief, cool answer to sarcasm, hostility, blame or resentment; nothing earned",
    "small-talk": "answers small talk briefly and steers back",
    "steer": "invites a question after a line that asked nothing",
    "closing": "ends the meeting in a way that reflects how it went",
}

AckKind = Literal["thanks", "apology", "feeling", "accept", "followup"]
ClosingTone = Literal["warm", "neutral", "cool"]
