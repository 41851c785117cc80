"""The plan's structure: what `nextround plan --format json` prints and every other format renders.

Every answer, decision and action is traced to what was said in practice: evidence quotes carry the session and
the turn (the turn numbers `nextround show` prints), actions carry `sources` (insight ids and "session N turn M").
"""

from __future__ import annotations

import datetime as _dt
from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from nextround.scenario import Area
from nextround.schema import StrictModel

Path = Literal["stay-and-build", "build-and-network", "search-now"]
QuestionId = Literal["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]
SelectionRule = Literal["best", "latest", "named"]

# The five take-stock questions, in the order the plan presents them.
QUESTIONS: dict[str, str] = {
    "why_not_selected": "Why wasn't I selected?",
    "what_it_takes": "What would it take to get it next time?",
    "prospects": "What are my prospects here?",
    "manager_values": "Does my manager value me?",
    "path_here": "Is there a path here, or do I need to leave to advance?",
}


class Evidence(StrictModel):
    """A quote from a practice session that supports an answer."""

    session_id: int = Field(description="the session the quote comes from")
    turn: int = Field(description="the turn number of the quoted line, as `nextround show` prints it")
    quote: str = Field(min_length=1, description="the practice counterpart's words, verbatim (may be shortened with …)")
    speaker: str | None = Field(default=None, description='who said it in practice: "the hiring manager" or '
                                                          '"your manager" (the practice persona, not the real person)')
    asked: str | None = Field(default=None, description="your line that drew the quote out")
    asked_turn: int | None = Field(default=None, description="the turn number of that line")
    insight: str | None = Field(default=None, description="id of the insight the quote revealed")


class StockAnswer(StrictModel):
    """One take-stock question, answered only as far as practice supports."""

    id: QuestionId = Field(description="stable id of the question")
    question: str = Field(min_length=1)
    answer: str = Field(
        min_length=1,
        description="one or two sentences: what practice suggested, or that it is still open and what to ask",
    )
    known: bool = Field(description="true only when practice revealed an answer; then evidence is never empty")
    evidence: list[Evidence] = Field(default_factory=list, description="quotes with session and turn")
    ask_next: str | None = Field(
        default=None, description="the question to ask in the real meeting, in words you can say; set when open",
    )


class Decision(StrictModel):
    path: Path = Field(
        description="stay-and-build: grow here; build-and-network: grow here while building options elsewhere; "
        "search-now: start looking now"
    )
    why: str = Field(min_length=1, description="the reasoning, naming the evidence (or its absence)")


class AskItem(StrictModel):
    """A question to ask in a real meeting, in words you can say, with what practice suggested the answer is."""

    question: str = Field(min_length=1, description="the words to ask with")
    practice: str | None = Field(
        default=None, description="what practice suggested, to check against the real answer (null: not reached)",
    )
    sources: list[str] = Field(default_factory=list, description='"session N turn M" references and insight ids')


class Rephrase(StrictModel):
    """A line that came across as adversarial in practice, and a better way to say it."""

    said: str = Field(min_length=1)
    better: str = Field(min_length=1)
    source: str = Field(description='"session N turn M"')


class Action(StrictModel):
    area: Area = Field(description="skill, visibility, relationships, networking or job-search")
    action: str = Field(min_length=1, description="what to do")
    first_step: str = Field(min_length=1, description="one concrete first step")
    due: date = Field(description="ISO date by which the action should be done")
    measure: str = Field(min_length=1, description="how you will know it is done")
    condition: str | None = Field(
        default=None, description="when the action applies, e.g. only if the real meeting confirms what practice "
                                  "suggested",
    )
    ask: list[AskItem] = Field(default_factory=list, description="for a real meeting: what to ask, in which words")
    bring: list[str] = Field(default_factory=list, description="for a real meeting: what to bring")
    rephrase: list[Rephrase] = Field(default_factory=list, description="lines to say better next time")
    sources: list[str] = Field(
        min_length=1, description='insight ids and "session N turn M" references the action comes from'
    )


class Milestone(StrictModel):
    due: date
    title: str = Field(min_length=1)
    items: list[str] = Field(default_factory=list, max_length=3)


class CheckIn(StrictModel):
    date: _dt.date = Field(description="when to check in with your manager")
    with_: str = Field(alias="with", min_length=1, description="who to check in with")
    agenda: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class SessionRef(StrictModel):
    session_id: int
    kind: str
    scenario: str
    counterpart_name: str = Field(description="the practice persona's name (not the real person)")
    counterpart_role: str = Field(description="the practice persona's role")
    started_at: str
    status: str
    user_lines: int = 0
    mean_tone: float | None = None
    insights_found: int = 0
    insights_total: int = 0
    chosen: str = Field(default="", description="why this session was used")


class LeftOut(StrictModel):
    session_id: int
    kind: str
    reason: str


class Selection(StrictModel):
    """Which sessions the plan uses and why."""

    rule: SelectionRule = Field(description="best: the most informative completed practice per conversation; "
                                            "latest: the latest of each; named: the sessions given with --session")
    note: str = Field(min_length=1, description="the rule in one sentence")
    left_out: list[LeftOut] = Field(default_factory=list, description="sessions considered but not used, and why")


class Plan(StrictModel):
    """The summary after practice: take stock (five questions), a decision, at most five ranked actions (the rest
    `later`), milestones, a check-in."""

    generated_at: date = Field(description="the plan's date; due dates count from it")
    drafted_by: str = Field(default="offline", description='"offline" for the local builder, else the model name')
    selection: Selection | None = Field(default=None, description="which sessions were used and why")
    sessions: list[SessionRef] = Field(default_factory=list, description="the sessions the plan is built from")
    take_stock: list[StockAnswer] = Field(min_length=5, max_length=5)
    decision: Decision
    actions: list[Action] = Field(default_factory=list, max_length=5,
                                  description="at most five, ranked by expected impact on the decision path")
    later: list[Action] = Field(default_factory=list, description="everything else, in the same order")
    milestones: list[Milestone] = Field(default_factory=list, description="about 30, 60 and 90 days out")
    check_in: CheckIn
    notes: list[str] = Field(default_factory=list, description="caveats, e.g. practice that revealed little")

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
