"""The plan's traceability contract, checked against the sessions it was built from.

Evidence must quote existing turns; every source (of actions, later items, questions to ask and lines to
rephrase) must be an unlocked insight id, "session N", or "session N turn M" naming a turn of those sessions (the
numbering `nextround show` prints).
"""

from __future__ import annotations

from nextround.plan.schema import Plan
from nextround.store import SessionRecord


def _problem(source: str, turns: set[tuple[int, int]], session_ids: set[int], unlocked: set[str]) -> str | None:
    parts = source.split()
    if len(parts) == 4 and parts[0] == "session" and parts[2] == "turn":
        try:
            key = (int(parts[1]), int(parts[3]))
        except ValueError:
            key = None
        return None if key in turns else f"{source!r} is not a turn of these sessions"
    if len(parts) == 2 and parts[0] == "session" and parts[1].isdigit():
        return None if int(parts[1]) in session_ids else f"{source!r} is not one of these sessions"
    return None if source in unlocked else f"{source!r} is neither an unlocked insight nor a session turn"


def check_sources(plan: Plan, sessions: list[SessionRecord]) -> list[str]:
    """Problems with a plan's traceability (empty when every reference is real)."""
    said = {(s.id, t.seq): t for s in sessions for t in s.live_turns}
    turns = set(said)
    session_ids = {s.id for s in sessions}
    unlocked = {i for s in sessions for i in s.unlocked}
    problems: list[str] = []
    for answer in plan.take_stock:
        for e in answer.evidence:
            turn = said.get((e.session_id, e.turn))
            if turn is None:
                problems.append(f"take_stock {answer.id}: no turn {e.turn} in session {e.session_id}")
            elif " ".join(e.quote.rstrip("…").split())[:60] not in " ".join(turn.text.split()):
                problems.append(f"take_stock {answer.id}: the quote is not what was said at session "
                                f"{e.session_id} turn {e.turn}")
            if e.asked_turn is not None and (e.session_id, e.asked_turn) not in turns:
                problems.append(f"take_stock {answer.id}: no turn {e.asked_turn} in session {e.session_id}")
        if answer.known and not answer.evidence:
            problems.append(f"take_stock {answer.id}: known but no evidence")
        if not answer.known and not answer.ask_next:
            problems.append(f"take_stock {answer.id}: open but no ask_next")
    for group, actions in (("action", plan.actions), ("later", plan.later)):
        for n, action in enumerate(actions, 1):
            sources = list(action.sources) + [s for item in action.ask for s in item.sources]
            sources += [r.source for r in action.rephrase]
            if not any(s.startswith("session ") and " turn " in s for s in action.sources):
                problems.append(f"{group} {n}: no source names a turn")
            for source in sources:
                problem = _problem(source, turns, session_ids, unlocked)
                if problem:
                    problems.append(f"{group} {n}: {problem}")
    return problems
