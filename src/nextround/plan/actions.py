"""Actions: prepare the real meetings, then follow them up; at most five, ranked, the rest for later.

Practice is a rehearsal, so every action either prepares a real conversation (what to ask, in which words, what to
bring) or follows it up (what to do with the answer, if the real meeting confirms what practice suggested).

**Ranking** (expected impact on the decision path), highest first:

1. The real meetings. The decision rests on what practice suggested until the real person says it, so nothing
   moves it more. The meeting whose scenario can settle the decision (it holds a path or a manager signal) comes
   first; then the one with more questions to ask.
2. Rehearsing the lines that came across as adversarial: one such line in the real meeting closes the person
   down, and with them the answers the decision needs.
3. The decision's own move: the job search (search-now) or building options elsewhere (build-and-network).
4. Follow-ups of what practice revealed: a finding that bears on the decision (a signal) first; then by how much
   its area serves the chosen path (`AREA_WEIGHT`); then findings about what it would take next time; then the
   number of take-stock questions it informs; then the sooner one.

The first `MAX_ACTIONS` are the plan's actions; the rest go to `later`, in the same order.

**Due dates**: rehearsal first, then the meetings, then everything that follows them up (each at least a
working day after its meeting); a text that names a period is fitted to it (see `dates`); weekends move to Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nextround.plan.answers import OpenQuestion
from nextround.plan.dates import due_in, fit, next_working_day
from nextround.plan.decide import MANAGER_SIGNALS, PATH_SIGNALS
from nextround.plan.findings import Finding, flagged_lines, guarded_asks, ref, user_lines
from nextround.plan.names import names_in, practice_names
from nextround.plan.phrasing import (
    as_sentence,
    clause,
    meeting_of,
    proper_words,
    role_of,
    whole_question,
    without_persona,
    words_to_ask,
)
from nextround.plan.schema import Action, AskItem, Decision, Rephrase
from nextround.reading.types import COLLABORATIVE_AT
from nextround.scenario import Scenario
from nextround.store import SessionRecord

MAX_ACTIONS = 5
#: Questions per meeting: enough to cover the decision, few enough to ask in half an hour.
MAX_ASKS = 4
#: Lines to rephrase, worst first.
MAX_REPHRASE = 3
#: Days from the plan date: rehearse first, then the feedback meeting (soon after the decision), then the career talk.
REHEARSE_DAYS = 2
MEETING_DAYS = {"feedback": 5, "career": 10}
SEARCH_DAYS, NETWORK_DAYS = 21, 45
#: How much an action's area serves each path (higher first).
AREA_WEIGHT = {
    "stay-and-build": {"skill": 3, "visibility": 3, "relationships": 2, "networking": 1, "job-search": 0},
    "build-and-network": {"networking": 3, "skill": 2, "visibility": 2, "relationships": 1, "job-search": 1},
    "search-now": {"job-search": 3, "networking": 3, "visibility": 1, "skill": 1, "relationships": 0},
}
#: What to bring to each real meeting.
BRING = {
    "feedback": [
        "This list of questions, and room to write the answers down in their words.",
        "An opening sentence that accepts the decision and asks for advice for next time.",
    ],
    "career": [
        "This list of questions, and room to write the answers down.",
        "A short list of what you delivered this year, so the talk starts from your work.",
        "One sentence on what you want next: the role, or the kind of work.",
    ],
}


@dataclass
class _Candidate:
    action: Action
    rank: tuple
    asks: bool = False  # a follow-up worded as "act on / ask about" (the scenario's own action was not usable)


def _latest_per_insight(findings: list[Finding]) -> list[Finding]:
    latest: dict[tuple[str, str], Finding] = {}
    for f in findings:
        latest[f.key] = f
    return list(latest.values())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _own_words(f: Finding) -> str:
    """Your own line that opened the insight when it is a whole, sincere question that came across well (tone
    `COLLABORATIVE_AT` or more, nothing flagged); else the insight's most collaborative example ask."""
    line = f.asked
    # The line was about this insight: the first it opened (a line that opened two was asked about the first).
    about_it = line.unlocked[:1] == [f.insight.id] and (not line.topics or line.topics[0] == f.insight.id)
    if about_it and line.score is not None and line.score >= COLLABORATIVE_AT and not line.flags:
        asked = whole_question(without_persona(line.text, f.scenario))
        if asked and not names_in(asked, practice_names(f.scenario)):  # the real person knows other people
            return as_sentence(asked)
    return words_to_ask(f.insight, f.scenario)


def _follow_up_rank(f: Finding, path: str, index: int) -> tuple:
    decisive = f.insight.signal in PATH_SIGNALS + MANAGER_SIGNALS
    return (3, not decisive, -AREA_WEIGHT[path][f.insight.action.area], "what_it_takes" not in f.insight.informs,
            -len(f.insight.informs), f.insight.action.due_days, index)


def _meeting(kind: str, sessions: list[SessionRecord], scenarios: dict[int, Scenario], found: list[Finding],
             open_questions: list[OpenQuestion], due: date) -> _Candidate:
    role, meeting = role_of(kind), meeting_of(kind)
    mine = sorted((f for f in found if f.kind == kind),
                  key=lambda f: (f.insight.signal is None, -len(f.insight.informs), f.session.id, f.asked.seq))
    asks: list[AskItem] = [
        AskItem(question=_own_words(f), practice=f"{f.practice()} Check whether that holds for real.",
                sources=_unique([f.insight.id, *f.refs]))
        for f in mine
    ]
    still_open = [AskItem(question=q.words) for q in open_questions if q.kind == kind]
    # Two findings to check, then what practice left open, then the other findings.
    ordered: list[AskItem] = []
    for item in asks[:2] + still_open + asks[2:]:
        if item.question not in [o.question for o in ordered]:
            ordered.append(item)
    ordered = ordered[:MAX_ASKS]
    of_kind = [s for s in sessions if s.kind == kind]
    refs = [ref(f.session, f.asked) for f in mine]  # the lines that opened them; each ask cites the replies
    if not refs:  # nothing opened: the lines that met a guarded answer, else the lines said
        lines = [(s, t) for s in of_kind for t in guarded_asks(s)] or [(s, t) for s in of_kind for t in user_lines(s)]
        lines = lines or [(s, s.live_turns[0]) for s in of_kind if s.live_turns]  # nothing said: the opening
        refs = [ref(s, t) for s, t in lines[:3]] or [f"session {s.id}" for s in of_kind]
    ids = [f.insight.id for f in mine]
    settles = any(i.signal in PATH_SIGNALS + MANAGER_SIGNALS for s in of_kind for i in scenarios[s.id].insights)
    action = Action(
        area="relationships",
        action=f"Hold the real {meeting} with {role} and write down the answers in their words.",
        first_step=(f"Ask {role} for 30 minutes; say you accept the decision and would value their advice for "
                    "next time." if kind == "feedback" else
                    f"Ask {role} for a 30-minute career conversation, separate from your usual one-to-one."),
        due=due,
        measure="The meeting is held and you have an answer, in their words, to each question on the list.",
        ask=ordered,
        bring=list(BRING.get(kind, [])),
        sources=_unique(ids + refs),
    )
    return _Candidate(action, (0, not settles, -len(ordered), kind))


def _rehearse(sessions: list[SessionRecord], due: date) -> _Candidate | None:
    flagged = [(s, t) for s in sessions for t in flagged_lines(s)]
    if not flagged:
        return None
    worst = sorted(flagged, key=lambda pair: (pair[1].score, pair[0].id, pair[1].seq))[:MAX_REPHRASE]
    rephrase = []
    for s, t in worst:
        better = t.rewrite or next((f.get("better") for f in t.flags if f.get("better")), None)
        if better:
            rephrase.append(Rephrase(said=t.text, better=better, source=ref(s, t)))
    kinds = _unique([s.kind for s, _ in flagged])
    meetings = " and the ".join(meeting_of(k) for k in kinds)
    n = len(flagged)
    lines = f"better phrasings of the {n} lines" if n > 1 else "a better phrasing of the line"
    return _Candidate(Action(
        area="relationships",
        action=f"Rehearse {lines} that came across as adversarial in practice, before the real {meetings}.",
        first_step=(f"Say each better phrasing below out loud, then practise once more with `nextround {kinds[0]}` "
                    "until no line is flagged."),
        due=due,
        measure="A practice session in which no line is flagged.",
        rephrase=rephrase,
        sources=[ref(s, t) for s, t in flagged],
    ), (1,))


def _decision_move(decision: Decision, found: list[Finding], due: date, today: date,
                   has_networking: bool) -> _Candidate | None:
    basis = [f for f in found if f.insight.signal in ("path-closed", "manager-lukewarm")]
    refs = _unique([f.insight.id for f in basis] + [r for f in basis for r in f.refs])
    if not refs:
        return None
    condition = ("If the real career talk confirms what practice suggested about the path up here."
                 if any(f.kind == "career" for f in basis) else None)
    if decision.path == "search-now":
        return _Candidate(Action(
            area="job-search", action="Start an active search for the next-level role, inside the company or outside.",
            first_step="Update your CV with the last year's results and pick five roles to apply for.",
            due=fit(max(due_in(today, SEARCH_DAYS), due), "", today, due),
            measure="At least three applications sent and one conversation booked.",
            condition=condition, sources=refs,
        ), (2,))
    if decision.path == "build-and-network" and not has_networking:
        text = "Build options outside the team so a move is possible within a year."
        return _Candidate(Action(
            area="networking", action=text,
            first_step="Name three people in other teams who hold the kind of role you want and ask each for a coffee.",
            due=fit(max(due_in(today, NETWORK_DAYS), due), text, today, due),
            measure="Three conversations held, with notes on what each role would need from you.",
            condition=condition, sources=refs,
        ), (2,))
    return None


def _follow_up(f: Finding, path: str, index: int, meeting_due: date | None, today: date) -> _Candidate:
    """What to do once the real meeting confirms what practice suggested: the scenario's suggested action, when
    it keeps to what practice said. An offer made in practice, a suggestion that names the practice scenario's
    people (or teams), or one that relies on a layer never said becomes a question for the real meeting."""
    suggestion = f.insight.action
    scenario = f.scenario
    action = as_sentence(without_persona(suggestion.action, scenario))
    step = clause(without_persona(suggestion.first_step, scenario), proper_words(scenario))
    measure = as_sentence(without_persona(suggestion.measure, scenario))
    text = f"{action} {step} {measure}"
    if f.insight.offer or names_in(text, practice_names(scenario)) or f.unsaid_words(text):
        return _ask_about(f, path, index, meeting_due, today)
    earliest = next_working_day(meeting_due) if meeting_due else None
    base = due_in(today, suggestion.due_days)
    due = fit(max(base, earliest) if earliest else base, text, today, earliest)
    return _Candidate(Action(
        area=suggestion.area, action=action,
        first_step=f"After the real {meeting_of(f.kind)}, {step}." if meeting_due else as_sentence(step),
        due=due, measure=measure, condition=f"If the real {meeting_of(f.kind)} bears out what practice suggested: "
                                            f"{_practice_clause(f)}.",
        sources=_unique([f.insight.id, *f.refs]),
    ), _follow_up_rank(f, path, index))


def _practice_clause(f: Finding) -> str:
    said = f.statements()
    return said[0] if said else f"your question at {ref(f.session, f.asked)}"


def _ask_about(f: Finding, path: str, index: int, meeting_due: date | None, today: date) -> _Candidate:
    """A follow-up in terms of roles: ask the real person about the insight's topic and act on their answer. What
    practice offered is something to ask about, not to accept: the real person may offer something else."""
    role, meeting = role_of(f.kind), meeting_of(f.kind)
    about = clause(without_persona(f.insight.about, f.scenario), proper_words(f.scenario))
    if f.insight.offer:
        action = f"Ask {role} whether something like what practice offered ({about}) is open to you for real."
        condition = f"Practice only rehearsed the offer: {_practice_clause(f)}. The real {meeting} decides."
    else:
        action = f"Act on what {role} tells you in the real {meeting} about {about}."
        condition = f"If the real {meeting} bears out what practice suggested: {_practice_clause(f)}."
    earliest = next_working_day(meeting_due) if meeting_due else None
    base = due_in(today, f.insight.action.due_days)
    due = max(base, earliest) if earliest else base
    return _Candidate(Action(
        area=f.insight.action.area, action=action,
        first_step=f"After the real {meeting}, write down what {role} suggests, in their words, and date a first step.",
        due=fit(due, "", today, earliest), measure=f"You have agreed a first step with {role}, with a date, and taken it.",
        condition=condition, sources=_unique([f.insight.id, *f.refs]),
    ), _follow_up_rank(f, path, index), asks=True)


def plan_actions(findings: list[Finding], sessions: list[SessionRecord], scenarios: dict[int, Scenario],
                 decision: Decision, open_questions: list[OpenQuestion], today: date) -> tuple[list[Action], list[Action]]:
    """The plan's actions (at most `MAX_ACTIONS`, ranked) and the rest, for later."""
    found = [f for f in _latest_per_insight(findings) if f.said]
    candidates: list[_Candidate] = []
    rehearse_due = due_in(today, REHEARSE_DAYS)
    rehearse = _rehearse(sessions, rehearse_due)
    if rehearse:
        candidates.append(rehearse)
    meeting_due: dict[str, date] = {}
    for kind in MEETING_DAYS:
        if not any(s.kind == kind for s in sessions):
            continue
        due = due_in(today, MEETING_DAYS[kind])
        if rehearse:
            due = max(due, next_working_day(rehearse_due))  # rehearse before the meeting, never on the same day
        meeting_due[kind] = due
        candidates.append(_meeting(kind, sessions, scenarios, found, open_questions, due))
    follow_ups = [_follow_up(f, decision.path, i, meeting_due.get(f.kind), today) for i, f in enumerate(found)]
    # The move follows the conversation that can confirm the decision (the career talk, when practised).
    after = meeting_due.get("career") or max(meeting_due.values(), default=today)
    move = _decision_move(decision, found, next_working_day(after), today,
                          any(c.action.area == "networking" and not c.asks for c in follow_ups))
    if move:
        candidates.append(move)
    candidates += follow_ups
    candidates.sort(key=lambda c: c.rank)
    ranked = [c.action for c in candidates]
    return ranked[:MAX_ACTIONS], ranked[MAX_ACTIONS:]
