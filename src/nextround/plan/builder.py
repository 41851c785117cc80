"""The offline plan builder: deterministic and local; the same sessions and date give the same plan.

It only uses what the sessions revealed (the insights the engine unlocked), the scenarios' suggested actions for
those insights, and the tone record. When practice revealed little, the plan says so and lists what to ask in the
real meeting instead of inventing answers.
"""

from __future__ import annotations

from datetime import date

from nextround.plan.actions import plan_actions
from nextround.plan.answers import take_stock as answer_questions
from nextround.plan.dates import due_in
from nextround.plan.decide import MANAGER_SIGNALS, PATH_SIGNALS, decide, latest_signal
from nextround.plan.findings import Finding, findings_in, flagged_lines, user_lines
from nextround.plan.schema import Action, CheckIn, Decision, Milestone, Plan, SessionRef, StockAnswer
from nextround.plan.select import MIN_USER_LINES, Chosen
from nextround.reading.types import ADVERSARIAL_AT
from nextround.report import mean_tone, scenario_of, status_of
from nextround.scenario import Scenario
from nextround.store import SessionRecord

MILESTONE_ITEMS = 3
MANAGER_QUESTIONS = ("prospects", "manager_values", "path_here")


def build_plan(sessions: list[SessionRecord], today: date, chosen: Chosen | None = None) -> Plan:
    """Build the plan from SESSIONS (any order: they are read oldest first, so where two disagree the latest
    wins). CHOSEN, from `select`, says which sessions were used and why."""
    sessions = sorted(sessions, key=lambda s: (s.started_at, s.id))
    scenarios = {s.id: scenario_of(s) for s in sessions}
    findings: list[Finding] = []
    for session in sessions:
        findings.extend(findings_in(session, scenarios[session.id]))
    notes: list[str] = []
    path_signal, path_why = latest_signal(findings, PATH_SIGNALS, notes)
    manager_signal, manager_why = latest_signal(findings, MANAGER_SIGNALS, notes)
    take_stock, open_questions = answer_questions(findings, sessions, scenarios)
    decision = decide(path_signal, path_why, manager_signal, manager_why, take_stock, sessions)
    actions, later = plan_actions(findings, sessions, scenarios, decision, open_questions, today)
    reasons = chosen.reasons if chosen else {}
    return Plan(
        generated_at=today,
        drafted_by="offline",
        selection=chosen.selection if chosen else None,
        sessions=[_session_ref(s, scenarios[s.id], reasons.get(s.id, "")) for s in sessions],
        take_stock=take_stock,
        decision=decision,
        actions=actions,
        later=later,
        milestones=_milestones(actions, take_stock, decision, today),
        check_in=_check_in(take_stock, decision, today, any(s.kind == "career" for s in sessions)),
        notes=_practice_notes(sessions, scenarios, take_stock) + notes,
    )


def _session_ref(session: SessionRecord, scenario: Scenario, why: str) -> SessionRef:
    return SessionRef(
        session_id=session.id, kind=session.kind, scenario=session.scenario,
        counterpart_name=session.counterpart_name or scenario.counterpart.name,
        counterpart_role=session.counterpart_role or scenario.counterpart.role,
        started_at=session.started_at, status=status_of(session), user_lines=len(user_lines(session)),
        mean_tone=mean_tone(session), insights_found=len(session.unlocked), insights_total=session.insights_total,
        chosen=why,
    )


def _check_in(take_stock: list[StockAnswer], decision: Decision, today: date, career_talk: bool) -> CheckIn:
    agenda = ["Progress on the actions due so far, and what got in the way."]
    for answer in take_stock:  # what only your manager can settle (if the career talk has not settled it)
        if answer.ask_next and answer.id in MANAGER_QUESTIONS:
            ask = "If the career talk left it open, ask" if career_talk else "Ask"
            item = f"{ask}: “{answer.ask_next}”"
            if item not in agenda:
                agenda.append(item)
    agenda.append(f"Whether the plan's direction ({decision.path}) still holds, and what support you need next.")
    return CheckIn(date=due_in(today, 30), with_="your manager", agenda=agenda)


def _milestones(actions: list[Action], take_stock: list[StockAnswer], decision: Decision, today: date) -> list[Milestone]:
    d30, d60, d90 = due_in(today, 30), due_in(today, 60), due_in(today, 90)
    first = [f"Done: {a.action}" for a in actions if a.due <= d30]
    first += [f"Started: {a.first_step}" for a in actions if a.due > d30]
    mid = [f"Done: {a.action}" for a in actions if d30 < a.due <= d60]
    late = [f"Done: {a.action}" if a.due <= d90 else f"Under way (due {a.due.isoformat()}): {a.action}"
            for a in actions if a.due > d60]
    unknown = sum(1 for a in take_stock if not a.known)
    again = (f"Take stock again: answer the five questions{f' (open now: {unknown})' if unknown else ''} and "
             f"decide whether {decision.path} still fits.")
    return [
        Milestone(due=d30, title="30 days: the real conversations held, first steps taken",
                  items=first[:MILESTONE_ITEMS]),
        Milestone(due=d60, title="60 days: visible progress",
                  items=mid[:MILESTONE_ITEMS] or ["Review progress on the actions with your manager."]),
        Milestone(due=d90, title="90 days: results, and a fresh look at the decision",
                  items=late[:MILESTONE_ITEMS - 1] + [again]),
    ]


def _practice_notes(sessions: list[SessionRecord], scenarios: dict[int, Scenario],
                    take_stock: list[StockAnswer]) -> list[str]:
    if not sessions:
        return ["No practice sessions yet: rehearse with `nextround feedback` and `nextround career` first."]
    notes: list[str] = []
    kinds = {s.kind for s in sessions}
    for missing in ("feedback", "career"):
        if missing not in kinds:
            notes.append(f"No {missing} session in this plan: practise it with `nextround {missing}` to fill the gaps.")
    fields = {s.id: scenarios[s.id].field for s in sessions if scenarios[s.id].field}
    if len(set(fields.values())) > 1:  # two jobs in one plan: say so rather than merge them silently
        said = "; ".join(f"session {sid} practises {field}" for sid, field in fields.items())
        notes.append(f"These sessions practise different fields ({said}). To plan from one, name its scenarios "
                     "with --scenario NAME or its sessions with --session ID.")
    for session in sessions:
        name = session.counterpart_name or scenarios[session.id].counterpart.name
        who = f"Session {session.id} ({session.kind}, practised with {name})"
        got, total = len(session.unlocked), session.insights_total
        lines = len(user_lines(session))
        tone = mean_tone(session)
        if got <= 1:
            final = session.final_candor if session.final_candor is not None else session.start_candor
            if lines < MIN_USER_LINES:
                why = f"was short ({lines} line{'' if lines == 1 else 's'}) and revealed {got} of {total} insights"
            elif (tone is not None and tone <= ADVERSARIAL_AT) or final < session.start_candor:
                why = (f"revealed {got} of {total} insights: the tone kept candor low (mean tone "
                       f"{tone:.0f}, candor {session.start_candor} → {final})" if tone is not None else
                       f"revealed {got} of {total} insights: candor fell ({session.start_candor} → {final})")
            else:
                why = (f"revealed {got} of {total} insights although the tone was good"
                       + (f" (mean {tone:.0f})" if tone is not None else "")
                       + f": the questions did not reach the topics (`nextround show {session.id}` lists what "
                         "would have opened them)")
            notes.append(f"{who} {why}. For those topics the plan lists what to ask rather than answers.")
        flagged = flagged_lines(session)
        if flagged:
            notes.append(
                f"Session {session.id}: {len(flagged)} line{'s' if len(flagged) > 1 else ''} came across as "
                f"adversarial (turn{'s' if len(flagged) > 1 else ''} {', '.join(str(t.seq) for t in flagged)}); "
                "the plan has better phrasings to rehearse before the real meeting."
            )
        status = status_of(session)
        if status in ("unfinished", "interrupted"):
            notes.append(f"Session {session.id} was {status}; its turns so far are included.")
    unknown = [a for a in take_stock if not a.known]
    if unknown:
        notes.append(f"{5 - len(unknown)} of 5 take-stock questions are answered by what practice revealed; "
                     f"{len(unknown)} remain open, each with what to ask in the real meeting.")
    return notes
