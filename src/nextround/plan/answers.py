"""The five take-stock answers, each one or two sentences built from what practice revealed.

A known answer sums up the findings that inform the question, from their `takeaway`s (the one that settles the
question first), and quotes the replies that carried their substance. The two questions the decision rests on
(is there a path here; does my manager value me) are known only when a finding settles them (a path or a manager
signal), whenever the practised scenarios could have settled them; otherwise they stay open, with what practice
did suggest. An open answer says what to ask in the real meeting, and `ask_next` gives the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from nextround.plan.findings import Finding
from nextround.plan.phrasing import (
    join_that,
    meeting_of,
    what_to_ask,
    words_to_ask,
)
from nextround.plan.schema import QUESTIONS, Evidence, StockAnswer
from nextround.scenario import Insight, Scenario
from nextround.store import SessionRecord

#: The signals that settle a question, for the questions the decision rests on.
SETTLED_BY = {
    "path_here": ("path-open", "path-closed"),
    "manager_values": ("manager-advocates", "manager-lukewarm"),
}
#: What is still missing when such a question is not settled.
MISSING = {
    "path_here": "whether the path up here is open",
    "manager_values": "whether your manager would back you for the next role",
}
#: Which real conversation answers each question when no practised scenario covers it.
QUESTION_KIND = {"why_not_selected": "feedback", "what_it_takes": "feedback", "prospects": "career",
                 "manager_values": "career", "path_here": "career"}
#: What to ask when no practised scenario holds an insight for the question: a clause, and the words.
DEFAULT_OPEN: dict[str, tuple[str, str]] = {
    "why_not_selected": (
        "accept the decision first, then ask the hiring manager what would have made your application stronger",
        "I accept the decision. What would have made my application stronger?",
    ),
    "what_it_takes": (
        "ask the hiring manager what a strong candidacy would look like next time",
        "What would a strong candidacy look like next time, in your view?",
    ),
    "prospects": (
        "once the talk is going well, ask your manager for a candid view of your prospects of moving up here",
        "Could you give me your candid view of my prospects of moving up here?",
    ),
    "manager_values": (
        "ask your manager whether they would support you and put your name forward next time",
        "Would you support me and put my name forward the next time a role like this comes up?",
    ),
    "path_here": (
        "ask your manager plainly whether there is a realistic path up on this team",
        "Is there a realistic path up for me on this team, or do people usually move elsewhere to advance?",
    ),
}
#: Statements in one answer (one or two sentences); the evidence keeps the rest.
MAX_TAKEAWAYS = 2


@dataclass
class OpenQuestion:
    """A question practice left open, and what to ask about it in which real meeting."""

    qid: str
    kind: str
    words: str
    insight: Insight | None = None
    scenario: Scenario | None = None


def _latest_per_insight(findings: list[Finding]) -> list[Finding]:
    latest: dict[tuple[str, str], Finding] = {}
    for f in findings:  # sessions oldest first: the later telling replaces the earlier
        latest[f.key] = f
    return list(latest.values())


def _evidence(items: list[Finding]) -> list[Evidence]:
    out: list[Evidence] = []
    for f in items:  # one reply can reveal two insights: quote it once
        for quote in f.evidence():
            if all((e.session_id, e.turn) != (quote.session_id, quote.turn) for e in out):
                out.append(quote)
    return out


def _summary(items: list[Finding]) -> str:
    """One or two sentences from the layers said (each citing its turn): every finding's first layer leads, then
    the deeper layers, so more findings are heard before more depth."""
    by_depth: list[tuple[int, int, str]] = []
    for n, f in enumerate(items):
        by_depth += [(depth, n, text) for depth, text in enumerate(f.statements())]
    texts = list(dict.fromkeys(text for _, _, text in sorted(by_depth)))[:MAX_TAKEAWAYS]
    first, *rest = texts
    # Framed as practice: a takeaway says what the practice persona told you, not what the real one will.
    return f"Practice suggested that {first}." + (f" It also suggested that {join_that(rest)}." if rest else "")


def _locked(qid: str, sessions: list[SessionRecord], scenarios: dict[int, Scenario]) -> list[tuple[Scenario, Insight]]:
    """Insights that would answer the question but stayed locked in every session of their scenario."""
    opened = {(s.scenario, i) for s in sessions for i in s.unlocked}
    seen: set[tuple[str, str]] = set()
    locked: list[tuple[Scenario, Insight]] = []
    for s in reversed(sessions):  # the latest version of each scenario
        scenario = scenarios[s.id]
        for insight in scenario.insights:
            key = (scenario.name, insight.id)
            if qid in insight.informs and key not in opened and key not in seen:
                seen.add(key)
                locked.append((scenario, insight))
    return locked


def _open_question(qid: str, locked: list[tuple[Scenario, Insight]], used: set[tuple[str, str]]) -> OpenQuestion:
    """What to ask next: the locked insight that settles the question, else the easiest to open; one not
    already suggested for another question (the one that settles it may be asked twice)."""
    relevant = SETTLED_BY.get(qid, SETTLED_BY["path_here"] if qid == "prospects" else ())
    ranked = sorted(locked, key=lambda pair: (pair[1].signal not in relevant, pair[1].min_candor, pair[1].id))
    for scenario, insight in ranked:
        key = (scenario.name, insight.id)
        if key not in used or insight.signal in relevant:
            used.add(key)
            return OpenQuestion(qid, scenario.kind, words_to_ask(insight, scenario), insight, scenario)
    return OpenQuestion(qid, QUESTION_KIND[qid], DEFAULT_OPEN[qid][1])


def _ask_sentence(open_q: OpenQuestion) -> str:
    if open_q.insight is not None and open_q.scenario is not None:
        what = what_to_ask(open_q.insight, open_q.scenario)
    else:
        what = DEFAULT_OPEN[open_q.qid][0]
    return f"In the real {meeting_of(open_q.kind)}, {what}."


def take_stock(findings: list[Finding], sessions: list[SessionRecord],
               scenarios: dict[int, Scenario]) -> tuple[list[StockAnswer], list[OpenQuestion]]:
    """The five answers, and the questions left open (with what to ask in which meeting)."""
    answers: list[StockAnswer] = []
    open_questions: list[OpenQuestion] = []
    used: set[tuple[str, str]] = set()
    practised = {s.kind for s in sessions}
    for qid, question in QUESTIONS.items():
        informing = [f for f in _latest_per_insight(findings) if qid in f.insight.informs and f.said]
        signals = SETTLED_BY.get(qid, ())
        # Findings that settle the question lead; then the latest session first, in conversation order.
        informing.sort(key=lambda f: (f.insight.signal not in signals, -f.session.id, f.asked.seq))
        can_settle = any(i.signal in signals for s in sessions for i in scenarios[s.id].insights if qid in i.informs)
        settled = not signals or not can_settle or any(f.insight.signal in signals for f in informing)
        if informing and settled:
            answers.append(StockAnswer(id=qid, question=question, answer=_summary(informing), known=True,
                                       evidence=_evidence(informing[:MAX_TAKEAWAYS])))
            continue
        open_q = _open_question(qid, _locked(qid, sessions, scenarios), used)
        open_questions.append(open_q)
        if informing:
            said = f"practice suggested that {informing[0].statements()[0]}"
            status = f"Not settled: {said}, but not {MISSING[qid]}."
        elif QUESTION_KIND[qid] not in practised and not any(
                qid in i.informs for s in sessions for i in scenarios[s.id].insights):
            status = f"Open: you have not practised the {meeting_of(QUESTION_KIND[qid])} yet."
        elif not any(qid in i.informs for s in sessions for i in scenarios[s.id].insights):
            status = "Open: the scenarios you practised do not cover this."
        else:
            status = "Open: practice did not get to this."
        answers.append(StockAnswer(id=qid, question=question, answer=f"{status} {_ask_sentence(open_q)}",
                                   known=False, evidence=_evidence(informing[:1]), ask_next=open_q.words))
    return answers, open_questions
