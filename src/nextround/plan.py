"""Take stock, decide, and a dated plan: the summary after practice.

`Plan` is the one structure every plan source produces: the offline builder here (`build_plan`, deterministic and
local), and in LLM mode the same plan with its text reworded by a model (`plan_llm`), facts unchanged. Every answer,
decision and action is traced to what was said: evidence quotes carry the session and turn, actions carry
`sources` (insight ids and "session N turn M").

The offline builder only uses what the sessions actually revealed (the insights the engine unlocked), the
scenarios' suggested actions for those insights, and the tone record. When practice revealed little, the plan
says so and lists what to ask in the real meeting instead of inventing answers.

Formats: `plan_to_markdown` (also a compact text form for a model prompt), `plan_to_ics` (icalendar).
"""

from __future__ import annotations

import hashlib
import datetime as _dt
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nextround.report import mean_tone, scenario_of, status_of
from nextround.scenario import Area, Insight, Scenario
from nextround.store import SessionRecord, TurnRecord

Path = Literal["stay-and-build", "build-and-network", "search-now"]
QuestionId = Literal["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]

# The five take-stock questions, in the order the plan presents them.
QUESTIONS: dict[str, str] = {
    "why_not_selected": "Why wasn't I selected?",
    "what_it_takes": "What would it take to get it next time?",
    "prospects": "What are my prospects here?",
    "manager_values": "Does my manager value me?",
    "path_here": "Is there a path here, or do I need to leave to advance?",
}

# What to ask when no practised scenario holds an insight for a question (e.g. no career session yet).
DEFAULT_ASK: dict[str, str] = {
    "why_not_selected": (
        "In the feedback meeting, accept the decision first, then ask the hiring manager what would have made "
        "your application stronger."
    ),
    "what_it_takes": "Ask the hiring manager and your manager what a strong candidacy would look like next time.",
    "prospects": "Once the rapport is good, ask your manager for a candid view of your prospects of moving up here.",
    "manager_values": "Ask your manager whether they would support you and put your name forward next time.",
    "path_here": (
        "Ask your manager plainly whether there is a realistic path up on this team, or whether people usually "
        "move elsewhere to advance."
    ),
}

ADVERSARIAL_AT = 40  # same threshold as the tone scorer's "adversarial" label
QUOTE_CHARS = 320


# --- the model ----------------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Evidence(_Model):
    """A quote from a session that supports an answer."""

    session_id: int = Field(description="the session the quote comes from")
    turn: int = Field(description="the turn number (seq) of the quoted line in that session")
    quote: str = Field(min_length=1, description="the counterpart's words, verbatim (may be shortened with …)")
    speaker: str | None = Field(default=None, description="who said it (the counterpart's name)")
    asked: str | None = Field(default=None, description="the user's question that drew the quote out")
    insight: str | None = Field(default=None, description="id of the insight the quote revealed")


class StockAnswer(_Model):
    """One take-stock question, answered only as far as the sessions support."""

    id: QuestionId = Field(description="stable id of the question")
    question: str = Field(min_length=1)
    answer: str = Field(
        min_length=1, description="what the sessions revealed, or a plain statement that they did not reveal it"
    )
    known: bool = Field(description="true only when the sessions actually revealed an answer")
    evidence: list[Evidence] = Field(default_factory=list, description="quotes with session and turn")
    ask_next: str | None = Field(
        default=None,
        description="the question to ask in the real meeting; always set when known is false, and may be set "
        "as a follow-up when the answer is partial",
    )


class Decision(_Model):
    path: Path = Field(
        description="stay-and-build: grow here; build-and-network: grow here while building options elsewhere; "
        "search-now: start looking now"
    )
    why: str = Field(min_length=1, description="the reasoning, naming the evidence (or its absence)")


class Action(_Model):
    area: Area = Field(description="skill, visibility, relationships, networking or job-search")
    action: str = Field(min_length=1, description="what to do")
    first_step: str = Field(min_length=1, description="a concrete first step, doable this week")
    due: date = Field(description="ISO date by which the action should be done")
    measure: str = Field(min_length=1, description="how you will know it is done")
    sources: list[str] = Field(
        min_length=1, description='insight ids and/or "session N turn M" references the action comes from'
    )


class Milestone(_Model):
    due: date
    title: str = Field(min_length=1)
    items: list[str] = Field(default_factory=list)


class CheckIn(_Model):
    date: _dt.date = Field(description="when to check in with your manager")
    with_: str = Field(alias="with", min_length=1, description="who to check in with")
    agenda: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class SessionRef(_Model):
    session_id: int
    kind: str
    scenario: str
    counterpart: str
    started_at: str
    status: str
    mean_tone: float | None = None
    insights_found: int = 0
    insights_total: int = 0


class Plan(_Model):
    """The summary after practice: take stock (five questions), a decision, dated actions, milestones, a check-in."""

    generated_at: date = Field(description="the plan's date; due dates count from it")
    drafted_by: str = Field(default="offline", description='"offline" for the local builder, else the model name')
    sessions: list[SessionRef] = Field(default_factory=list, description="the sessions the plan is built from")
    take_stock: list[StockAnswer] = Field(min_length=5, max_length=5)
    decision: Decision
    actions: list[Action] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list, description="about 30, 60 and 90 days out")
    check_in: CheckIn
    notes: list[str] = Field(default_factory=list, description="caveats, e.g. practice that revealed little")

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


# --- reading the sessions -----------------------------------------------------------------------------------------


class _Found:
    """One unlocked insight, with where and how it came out."""

    def __init__(self, session: SessionRecord, scenario: Scenario, insight: Insight, question: TurnRecord,
                 reply: TurnRecord | None):
        self.session = session
        self.scenario = scenario
        self.insight = insight
        self.question = question
        self.reply = reply

    @property
    def ref(self) -> str:
        turn = self.reply.seq if self.reply is not None else self.question.seq
        return f"session {self.session.id} turn {turn}"

    def evidence(self) -> Evidence:
        if self.reply is not None:
            turn, quote = self.reply.seq, self.reply.text
        else:  # the reply was never saved (interrupted): the question itself is the evidence
            turn, quote = self.question.seq, self.question.text
        return Evidence(
            session_id=self.session.id, turn=turn, quote=_shorten(quote), speaker=self.scenario.counterpart.name,
            asked=_shorten(self.question.text), insight=self.insight.id,
        )


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _found_in(session: SessionRecord, scenario: Scenario) -> list[_Found]:
    turns = session.live_turns
    found: list[_Found] = []
    seen: set[str] = set()
    for idx, turn in enumerate(turns):
        if turn.role != "user":
            continue
        # The counterpart's answer is the very next turn (absent if the session was cut off right there).
        reply = turns[idx + 1] if idx + 1 < len(turns) and turns[idx + 1].role != "user" else None
        for insight_id in turn.unlocked:
            if insight_id in seen:
                continue
            try:
                insight = scenario.insight(insight_id)
            except KeyError:
                continue
            seen.add(insight_id)
            found.append(_Found(session, scenario, insight, turn, reply))
    return found


def _due(today: date, days: int) -> date:
    """Due dates fall on working days: a weekend date moves to the Monday after."""
    due = today + timedelta(days=days)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def _flagged(session: SessionRecord) -> list[TurnRecord]:
    return [t for t in session.live_turns
            if t.role == "user" and t.score is not None and t.flags and t.score <= ADVERSARIAL_AT]


# --- the builder --------------------------------------------------------------------------------------------------


def build_plan(sessions: list[SessionRecord], today: date) -> Plan:
    """Build the plan from the sessions, deterministically and offline.

    Sessions may come in any order; they are read oldest first, so where two sessions disagree the latest wins.
    """
    sessions = sorted(sessions, key=lambda s: (s.started_at, s.id))
    scenarios = {s.id: scenario_of(s) for s in sessions}
    found: list[_Found] = []
    for session in sessions:
        found.extend(_found_in(session, scenarios[session.id]))
    notes: list[str] = []

    # Several sessions may unlock the same insight: the latest telling is the evidence, the rest add sources.
    by_key: dict[tuple[str, str], list[_Found]] = {}
    for f in found:
        by_key.setdefault((f.scenario.name, f.insight.id), []).append(f)

    # Signals (path open/closed, manager advocates/lukewarm): the latest session's word stands.
    path_signal, path_why = _latest_signal(found, ("path-open", "path-closed"), notes)
    manager_signal, manager_why = _latest_signal(found, ("manager-advocates", "manager-lukewarm"), notes)

    used_asks: set[str] = set()
    take_stock = [
        _answer(qid, found, sessions, scenarios, path_signal, manager_signal, used_asks) for qid in QUESTIONS
    ]
    decision = _decide(path_signal, path_why, manager_signal, manager_why, take_stock, sessions)
    actions = _actions(by_key, sessions, scenarios, decision, take_stock, today)
    check_in = _check_in(sessions, scenarios, take_stock, decision, today)
    milestones = _milestones(actions, take_stock, decision, today)
    notes = _practice_notes(sessions, scenarios, found, take_stock) + notes

    return Plan(
        generated_at=today,
        drafted_by="offline",
        sessions=[_session_ref(s, scenarios[s.id]) for s in sessions],
        take_stock=take_stock,
        decision=decision,
        actions=actions,
        milestones=milestones,
        check_in=check_in,
        notes=notes,
    )


def _session_ref(session: SessionRecord, scenario: Scenario) -> SessionRef:
    return SessionRef(
        session_id=session.id, kind=session.kind, scenario=session.scenario,
        counterpart=f"{scenario.counterpart.name}, {scenario.counterpart.role}", started_at=session.started_at,
        status=status_of(session), mean_tone=mean_tone(session), insights_found=len(session.unlocked),
        insights_total=session.insights_total,
    )


def _latest_signal(found: list[_Found], kinds: tuple[str, str], notes: list[str]) -> tuple[str | None, list[_Found]]:
    """The latest signal of one dimension, and the findings behind it. Disagreement is noted."""
    hits = [f for f in found if f.insight.signal in kinds]
    if not hits:
        return None, []
    latest = hits[-1]
    agree = [f for f in hits if f.insight.signal == latest.insight.signal]
    other = [f for f in hits if f.insight.signal != latest.insight.signal]
    if other:
        older = other[-1]
        notes.append(
            f"The sessions disagree: session {older.session.id} pointed to {older.insight.signal} "
            f"(“{older.insight.title}”), while the later session {latest.session.id} points to "
            f"{latest.insight.signal} (“{latest.insight.title}”). The plan follows the latest."
        )
        latest_why = [latest] + [f for f in agree if f is not latest]
        latest_why.append(older)  # kept so `why` can name what it overrode
        return latest.insight.signal, latest_why
    return latest.insight.signal, list(reversed(agree))


def _answer(qid: str, found: list[_Found], sessions: list[SessionRecord], scenarios: dict[int, Scenario],
            path_signal: str | None, manager_signal: str | None, used_asks: set[str]) -> StockAnswer:
    informing = [f for f in found if qid in f.insight.informs]
    # Latest telling of each insight first.
    latest: dict[tuple[str, str], _Found] = {}
    for f in informing:
        latest[(f.scenario.name, f.insight.id)] = f
    # Findings that settle the question (a signal) lead; then the latest session first, in conversation order.
    items = sorted(latest.values(), key=lambda f: (f.insight.signal is None, -f.session.id, f.question.seq))
    evidence: list[Evidence] = []
    for f in items:  # one reply can reveal two insights: quote it once
        quote = f.evidence()
        if all((e.session_id, e.turn) != (quote.session_id, quote.turn) for e in evidence):
            evidence.append(quote)
    locked = _locked_for(qid, sessions, scenarios)
    question = QUESTIONS[qid]

    if not items:
        ask = _ask_for(qid, locked, used_asks)
        practised = {s.kind for s in sessions}
        if not _any_scenario_informs(qid, sessions, scenarios):
            need = "career" if qid in {"prospects", "manager_values", "path_here"} else "feedback"
            why = (f"Not covered yet: no {need} conversation in these sessions."
                   if need not in practised else "Not covered by the scenarios practised.")
        else:
            why = "Not revealed in practice: the counterpart did not share this, so it is still an open question."
        return StockAnswer(id=qid, question=question, answer=why, known=False, evidence=[], ask_next=ask)

    # The answer states what was revealed (the insights' titles, by who said them); the quotes carry the detail.
    by_speaker: dict[str, list[str]] = {}
    for f in items:
        by_speaker.setdefault(f.scenario.counterpart.name, []).append(f.insight.title.rstrip("."))
    answer = " ".join(
        f"{name}: " + " ".join(f"{t}." for t in titles)
        for name, titles in by_speaker.items()
    )
    ask_next = None
    # Partial answers to the two questions the decision rests on get a follow-up question.
    if qid == "path_here" and path_signal is None:
        answer += " Nobody has said plainly whether the path up here is open or closed."
        ask_next = _ask_for(qid, [i for i in locked if i[1].signal in ("path-open", "path-closed")], used_asks)
    elif qid == "manager_values" and manager_signal is None:
        ask_next = _ask_for(qid, [i for i in locked if i[1].signal in ("manager-advocates", "manager-lukewarm")],
                            used_asks)
    return StockAnswer(id=qid, question=question, answer=answer, known=True, evidence=evidence, ask_next=ask_next)


def _any_scenario_informs(qid: str, sessions: list[SessionRecord], scenarios: dict[int, Scenario]) -> bool:
    return any(qid in i.informs for s in sessions for i in scenarios[s.id].insights)


def _locked_for(qid: str, sessions: list[SessionRecord], scenarios: dict[int, Scenario]) -> list[tuple[Scenario, Insight]]:
    """Insights that would answer the question but stayed locked in every session of their scenario."""
    unlocked: set[tuple[str, str]] = set()
    for s in sessions:
        for insight_id in s.unlocked:
            unlocked.add((s.scenario, insight_id))
    seen: set[tuple[str, str]] = set()
    locked: list[tuple[Scenario, Insight]] = []
    for s in reversed(sessions):  # the latest version of each scenario
        scenario = scenarios[s.id]
        for insight in scenario.insights:
            key = (scenario.name, insight.id)
            if qid in insight.informs and key not in unlocked and key not in seen:
                seen.add(key)
                locked.append((scenario, insight))
    return locked


def _ask_for(qid: str, locked: list[tuple[Scenario, Insight]], used: set[str]) -> str:
    """The question to ask next: the most telling locked insight's hint, not one already suggested."""
    relevant = {"path_here": ("path-open", "path-closed"), "prospects": ("path-open", "path-closed"),
                "manager_values": ("manager-advocates", "manager-lukewarm")}.get(qid, ())
    # Insights that settle the question (a signal) first, then the easiest door: the least candor needed.
    ranked = sorted(locked, key=lambda pair: (pair[1].signal not in relevant, pair[1].min_candor, pair[1].id))
    for scenario, insight in ranked:
        where = "feedback meeting" if scenario.kind == "feedback" else "career talk"
        hint = insight.ask_hint.rstrip()
        ask = f"In the {where} with {scenario.counterpart.name}: {hint[:1].lower()}{hint[1:]}"
        if ask not in used or insight.signal in relevant:  # the question that settles it may be asked twice
            used.add(ask)
            return ask
    return DEFAULT_ASK[qid]


def _decide(path_signal: str | None, path_why: list[_Found], manager_signal: str | None,
            manager_why: list[_Found], take_stock: list[StockAnswer], sessions: list[SessionRecord]) -> Decision:
    def cite(items: list[_Found]) -> str:
        if not items:
            return ""
        f = items[0]
        return f"{f.scenario.counterpart.name} said so in session {f.session.id} (“{f.insight.title}”)"

    def overridden(items: list[_Found], signal: str | None) -> str:
        older = [f for f in items if f.insight.signal != signal]
        if not older:
            return ""
        o = older[-1]
        return (f" An earlier session ({o.session.id}) pointed the other way (“{o.insight.title}”); "
                "the plan follows the latest conversation.")

    if path_signal == "path-closed":
        base = f"The path up here looks closed: {cite(path_why)}.{overridden(path_why, path_signal)}"
        if manager_signal == "manager-lukewarm":
            return Decision(path="search-now", why=(
                f"{base} And your manager does not appear to be advocating for you: {cite(manager_why)}."
                f"{overridden(manager_why, manager_signal)} With no path and no sponsor, start looking now."))
        if manager_signal == "manager-advocates":
            return Decision(path="build-and-network", why=(
                f"{base} Your manager does back you: {cite(manager_why)}.{overridden(manager_why, manager_signal)} "
                "Keep building here with that support while you network for a move within about a year."))
        return Decision(path="build-and-network", why=(
            f"{base} Whether your manager would advocate for you is not known yet, so keep building here while you "
            "network for a move, and ask about their support before deciding to search now."))
    if path_signal == "path-open":
        why = f"There is a path up here: {cite(path_why)}.{overridden(path_why, path_signal)}"
        if manager_signal == "manager-lukewarm":
            why += (f" Your manager seems lukewarm ({cite(manager_why)}), so winning their backing is part of "
                    "the plan.")
        elif manager_signal == "manager-advocates":
            why += f" Your manager backs you: {cite(manager_why)}."
        return Decision(path="stay-and-build", why=why + " Build the skills and visibility for the next opening.")
    # Unknown path.
    if not sessions:
        return Decision(path="stay-and-build", why="No practice yet, so nothing points away from building here.")
    why = ("Nothing in the sessions says whether the path up here is open or closed, so the default is to build "
           "here for now.")
    if manager_signal == "manager-advocates":
        why += f" Your manager backs you ({cite(manager_why)}), which supports staying for now."
    elif manager_signal == "manager-lukewarm":
        why += f" But your manager seems lukewarm ({cite(manager_why)}): treat that as a warning sign."
    path_answer = next(a for a in take_stock if a.id == "path_here")
    if path_answer.ask_next:
        why += f" Before you commit, find out: {path_answer.ask_next}"
    return Decision(path="stay-and-build", why=why)


def _actions(by_key: dict[tuple[str, str], list[_Found]], sessions: list[SessionRecord],
             scenarios: dict[int, Scenario], decision: Decision, take_stock: list[StockAnswer],
             today: date) -> list[Action]:
    actions: list[Action] = []
    for (_, insight_id), items in by_key.items():
        insight = items[-1].insight
        suggestion = insight.action
        refs = [insight_id] + [f.ref for f in items]
        actions.append(Action(
            area=suggestion.area, action=suggestion.action, first_step=suggestion.first_step,
            due=_due(today, suggestion.due_days), measure=suggestion.measure, sources=_unique(refs),
        ))

    # A decision to look elsewhere needs a job-search or networking action of its own, traced to its evidence.
    signal_refs = [f"{f.insight.id}" for items in by_key.values() for f in items[-1:]
                   if f.insight.signal in ("path-closed", "manager-lukewarm")]
    signal_refs += [f.ref for items in by_key.values() for f in items
                    if f.insight.signal in ("path-closed", "manager-lukewarm")]
    if decision.path == "search-now":
        actions.append(Action(
            area="job-search", action="Start an active search for the next-level role, inside the company or outside.",
            first_step="Update your CV with the last year's results and pick five roles to apply for.",
            due=_due(today, 21), measure="At least three applications sent and one conversation booked.",
            sources=_unique(signal_refs),
        ))
    elif decision.path == "build-and-network" and not any(a.area == "networking" for a in actions):
        actions.append(Action(
            area="networking", action="Build options outside the team so a move is possible within a year.",
            first_step="Name three people in other teams who hold the kind of role you want and ask each for a coffee.",
            due=_due(today, 45), measure="Three conversations held and notes on what each role would need from you.",
            sources=_unique(signal_refs) or ["decision"],
        ))

    # Adversarial moments cost goodwill; repair it before the real meeting.
    for session in sessions:
        flagged = _flagged(session)
        if not flagged:
            continue
        name = scenarios[session.id].counterpart.name
        actions.append(Action(
            area="relationships",
            action=f"Repair the tone with {name}: a short note of thanks that accepts the decision and asks for "
                   "advice, not a re-run of it.",
            first_step=f"Write two or three sentences thanking {name} for their time; leave out anything that "
                       "argues, blames or demands.",
            due=_due(today, 3),
            measure=f"The note is sent and {name} has agreed to talk again.",
            sources=[f"session {session.id} turn {t.seq}" for t in flagged],
        ))

    # What practice did not reveal becomes something to ask in the real conversation.
    unknown = [a for a in take_stock if not a.known and a.ask_next]
    if unknown:
        refs = _unique([f"session {s.id} turn {t.seq}" for s in sessions for t in s.live_turns
                        if t.role == "user" and t.reply_kind in ("guarded", "defensive")][:6])
        if not refs:
            refs = [f"session {s.id}" for s in sessions] or ["no sessions"]
        actions.append(Action(
            area="relationships",
            action=f"Get answers to the {len(unknown)} open take-stock question(s) in the real conversations: "
                   + " ".join(a.question for a in unknown),
            first_step="Book the meeting, open by saying you accept the decision and want advice, then ask: "
                       + " / ".join(_unique([a.ask_next for a in unknown])),
            due=_due(today, 14),
            measure=f"You have an answer, in your own notes, to each of the {len(unknown)} open question(s).",
            sources=refs,
        ))
    actions.sort(key=lambda a: (a.due, a.area, a.action))
    return actions


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _check_in(sessions: list[SessionRecord], scenarios: dict[int, Scenario], take_stock: list[StockAnswer],
              decision: Decision, today: date) -> CheckIn:
    career = [s for s in sessions if s.kind == "career"]
    who = scenarios[career[-1].id].counterpart.name + " (your manager)" if career else "your manager"
    agenda = ["Progress on each action due so far, and what got in the way."]
    # Questions only the manager can settle go on the agenda as the question to ask.
    for a in take_stock:
        if a.ask_next and a.id in ("prospects", "manager_values", "path_here"):
            item = f"Ask: {a.ask_next}"
            if item not in agenda:
                agenda.append(item)
    open_questions = [a for a in take_stock if not a.known and a.id not in ("prospects", "manager_values", "path_here")]
    if open_questions:
        agenda.append("Still open: " + " ".join(a.question for a in open_questions))
    agenda.append(f"Whether the plan's direction ({decision.path}) still holds, and what support you need next.")
    return CheckIn(date=_due(today, 30), with_=who, agenda=agenda)


def _milestones(actions: list[Action], take_stock: list[StockAnswer], decision: Decision, today: date) -> list[Milestone]:
    d30, d60, d90 = _due(today, 30), _due(today, 60), _due(today, 90)
    first = [f"Started: {a.first_step}" for a in actions if a.due > d30]
    first = [f"Done: {a.action}" for a in actions if a.due <= d30] + first
    mid = [f"Done: {a.action}" for a in actions if d30 < a.due <= d60]
    late = [f"Done: {a.action}" for a in actions if d60 < a.due <= d90]
    late += [f"Under way (due {a.due.isoformat()}): {a.action}" for a in actions if a.due > d90]
    unknown = sum(1 for a in take_stock if not a.known)
    late.append(
        f"Take stock again: re-answer the five questions{f' (open now: {unknown})' if unknown else ''} and decide "
        f"whether {decision.path} still fits."
    )
    return [
        Milestone(due=d30, title="30 days: first steps taken and quick wins done", items=first),
        Milestone(due=d60, title="60 days: visible progress", items=mid or ["Review the actions with your manager."]),
        Milestone(due=d90, title="90 days: results, and a fresh look at the decision", items=late),
    ]


def _practice_notes(sessions: list[SessionRecord], scenarios: dict[int, Scenario], found: list[_Found],
                    take_stock: list[StockAnswer]) -> list[str]:
    notes: list[str] = []
    if not sessions:
        return ["No practice sessions yet: rehearse with `nextround feedback` and `nextround career` first."]
    kinds = {s.kind for s in sessions}
    for missing in ("feedback", "career"):
        if missing not in kinds:
            notes.append(f"No {missing} session in this plan: practise it with `nextround {missing}` to fill the gaps.")
    for session in sessions:
        scenario = scenarios[session.id]
        got = len(session.unlocked)
        tone = mean_tone(session)
        if got <= 1:
            notes.append(
                f"Session {session.id} ({session.kind} with {scenario.counterpart.name}) revealed little: "
                f"{got} of {session.insights_total} insights"
                + (f", mean tone {tone:.0f}" if tone is not None else "")
                + ". The counterpart stayed guarded, so the plan lists what to ask rather than answers."
            )
        flagged = _flagged(session)
        if flagged:
            notes.append(
                f"Session {session.id}: {len(flagged)} line(s) came across as adversarial "
                f"(turns {', '.join(str(t.seq) for t in flagged)}); see `nextround show {session.id}` for better "
                "phrasings before the real meeting."
            )
        if status_of(session) in ("unfinished", "interrupted"):
            notes.append(f"Session {session.id} was {status_of(session)}; its turns so far are included.")
    unknown = [a for a in take_stock if not a.known]
    if unknown:
        notes.append(f"{5 - len(unknown)} of 5 take-stock questions are answered by what was said; "
                     f"{len(unknown)} remain open (see ask_next).")
    return notes


# --- formats ------------------------------------------------------------------------------------------------------


def plan_to_markdown(plan: Plan) -> str:
    """Readable Markdown with headings; also a compact text form of the plan for a model prompt."""
    out = [f"# Your plan ({plan.generated_at.isoformat()})", ""]
    if plan.sessions:
        out.append("Built from: " + "; ".join(
            f"session {s.session_id} ({s.kind} with {s.counterpart.split(',')[0]}, {s.started_at[:10]}, "
            f"insights {s.insights_found}/{s.insights_total})" for s in plan.sessions) + ".")
        out.append("")
    if plan.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in plan.notes] + [""]
    out += ["## Take stock", ""]
    for a in plan.take_stock:
        mark = "known" if a.known else "open"
        out += [f"### {a.question} ({mark})", "", a.answer, ""]
        for e in a.evidence:
            who = e.speaker or "counterpart"
            out.append(f"> {who}, session {e.session_id} turn {e.turn}: “{e.quote}”")
            if e.asked:
                out.append(f"> (you asked: “{e.asked}”)")
            out.append("")
        if a.ask_next:
            out += [f"**Ask next:** {a.ask_next}", ""]
    out += ["## Decision", "", f"**{plan.decision.path}**: {plan.decision.why}", ""]
    out += ["## Actions", ""]
    if not plan.actions:
        out += ["No actions yet.", ""]
    for i, a in enumerate(plan.actions, 1):
        out += [
            f"### {i}. {a.action}",
            "",
            f"- Area: {a.area}",
            f"- Due: {a.due.isoformat()}",
            f"- First step: {a.first_step}",
            f"- Measure: {a.measure}",
            f"- Sources: {', '.join(a.sources)}",
            "",
        ]
    out += ["## Milestones", ""]
    for m in plan.milestones:
        out += [f"### {m.due.isoformat()}: {m.title}", ""] + [f"- [ ] {item}" for item in m.items] + [""]
    c = plan.check_in
    out += ["## Check-in", "", f"{c.date.isoformat()} with {c.with_}:", ""] + [f"- {item}" for item in c.agenda]
    out.append("")
    return "\n".join(out)


def plan_to_ics(plan: Plan, stamp=None) -> bytes:
    """An iCalendar file: a VTODO per action and milestone (with DUE dates) and a VEVENT for the check-in.

    Each item's UID comes from its content, so importing an updated plan updates items instead of duplicating them.
    The check-in is 30 minutes at 10:00 in the calendar's local time (floating time).
    """
    from datetime import datetime, time, timezone

    from icalendar import Calendar, Event, Todo

    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//nextround//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "nextround plan")

    def uid(*parts: str) -> str:
        digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:20]
        return f"{digest}@nextround"

    for a in plan.actions:
        todo = Todo()
        todo.add("uid", uid("action", a.area, a.action))
        todo.add("dtstamp", stamp)
        todo.add("summary", f"[{a.area}] {a.action}")
        todo.add("description", f"First step: {a.first_step}\nMeasure: {a.measure}\nSources: {', '.join(a.sources)}")
        todo.add("due", a.due)
        todo.add("categories", [a.area])
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    for m in plan.milestones:
        todo = Todo()
        todo.add("uid", uid("milestone", m.title, m.due.isoformat()))
        todo.add("dtstamp", stamp)
        todo.add("summary", f"Milestone: {m.title}")
        todo.add("description", "\n".join(f"- {item}" for item in m.items))
        todo.add("due", m.due)
        todo.add("categories", ["milestone"])
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    c = plan.check_in
    event = Event()
    event.add("uid", uid("check-in", c.date.isoformat(), c.with_))
    event.add("dtstamp", stamp)
    event.add("summary", f"Career check-in with {c.with_}")
    start = datetime.combine(c.date, time(10, 0))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=30))
    event.add("description", "Agenda:\n" + "\n".join(f"- {item}" for item in c.agenda)
              + f"\n\nPlan direction: {plan.decision.path}")
    cal.add_component(event)
    return cal.to_ical()


def check_sources(plan: Plan, sessions: list[SessionRecord]) -> list[str]:
    """Problems with a plan's traceability against the sessions (empty when every reference is real).

    The plan's traceability contract, checked: evidence must point at existing turns, and action sources must be
    unlocked insight ids or "session N turn M" references to existing turns.
    """
    turns = {(s.id, t.seq): t for s in sessions for t in s.live_turns}
    unlocked = {i for s in sessions for i in s.unlocked}
    problems: list[str] = []
    for answer in plan.take_stock:
        for e in answer.evidence:
            turn = turns.get((e.session_id, e.turn))
            if turn is None:
                problems.append(f"take_stock {answer.id}: no turn {e.turn} in session {e.session_id}")
            elif " ".join(e.quote.rstrip("…").split())[:60] not in " ".join(turn.text.split()):
                problems.append(f"take_stock {answer.id}: the quote is not what was said at session {e.session_id} "
                                f"turn {e.turn}")
        if not answer.known and not answer.ask_next:
            problems.append(f"take_stock {answer.id}: unknown but no ask_next")
    for n, action in enumerate(plan.actions, 1):
        for source in action.sources:
            parts = source.split()
            if len(parts) == 4 and parts[0] == "session" and parts[2] == "turn":
                try:
                    key = (int(parts[1]), int(parts[3]))
                except ValueError:
                    key = None
                if key not in turns:
                    problems.append(f"action {n}: {source!r} is not a turn of these sessions")
            elif len(parts) == 2 and parts[0] == "session" and parts[1].isdigit():
                if not any(s.id == int(parts[1]) for s in sessions):
                    problems.append(f"action {n}: {source!r} is not one of these sessions")
            elif source not in unlocked and source != "decision":
                problems.append(f"action {n}: {source!r} is neither an unlocked insight nor a session turn")
    return problems
