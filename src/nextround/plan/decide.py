"""The decision: stay and build, build while networking, or search now, from the signals practice revealed.

- A closed path with a manager who advocates for you: build here while you network (build-and-network).
- A closed path with a lukewarm manager: start looking now (search-now).
- A closed path, manager's support unknown: build-and-network, and ask about their support.
- An open or unknown path: build here (stay-and-build), and say what to ask before committing.

When sessions disagree, the latest one wins and `why` says so. Practice only suggests: the reasoning says the
real career talk has to confirm it.
"""

from __future__ import annotations

from nextround.plan.findings import Finding
from nextround.plan.phrasing import meeting_of
from nextround.plan.schema import Decision, StockAnswer
from nextround.store import SessionRecord

PATH_SIGNALS = ("path-open", "path-closed")
MANAGER_SIGNALS = ("manager-advocates", "manager-lukewarm")


def latest_signal(findings: list[Finding], kinds: tuple[str, str], notes: list[str]) -> tuple[str | None, list[Finding]]:
    """The latest signal of one dimension and the findings behind it (latest first; an overridden one last).
    Disagreement between sessions is noted."""
    hits = [f for f in findings if f.insight.signal in kinds]
    if not hits:
        return None, []
    latest = hits[-1]
    agree = [f for f in hits if f.insight.signal == latest.insight.signal]
    other = [f for f in hits if f.insight.signal != latest.insight.signal]
    if other:
        older = other[-1]
        notes.append(
            f"The sessions disagree: session {older.session.id} pointed to {older.insight.signal}, while the later "
            f"session {latest.session.id} points to {latest.insight.signal}. The plan follows the latest."
        )
        return latest.insight.signal, [latest] + [f for f in agree if f is not latest] + [older]
    return latest.insight.signal, list(reversed(agree))


def _cite(f: Finding) -> str:
    """What practice said on the signal, from the layers said, each citing its turn."""
    said = f.statements()
    if not said:
        return f"your question at session {f.session.id} turn {f.asked.seq} opened it, but the reply was not saved"
    return said[0] if len(said) == 1 else f"{said[0]}, and {said[1]}"


def _overridden(items: list[Finding], signal: str | None) -> str:
    older = [f for f in items if f.insight.signal != signal]
    if not older:
        return ""
    return (f" An earlier session ({older[-1].session.id}) pointed the other way; the plan follows the latest "
            "conversation.")


def decide(path_signal: str | None, path_why: list[Finding], manager_signal: str | None,
           manager_why: list[Finding], take_stock: list[StockAnswer], sessions: list[SessionRecord]) -> Decision:
    confirm = ""
    basis = (path_why[:1] + manager_why[:1])
    if basis:
        meetings = sorted({meeting_of(f.kind) for f in basis})
        confirm = f" This rests on practice: check it in the real {' and '.join(meetings)} before you act on it."
    if path_signal == "path-closed":
        base = f"Practice points to a closed path up here: {_cite(path_why[0])}.{_overridden(path_why, path_signal)}"
        if manager_signal == "manager-lukewarm":
            return Decision(path="search-now", why=(
                f"{base} Your manager did not seem to advocate for you either: {_cite(manager_why[0])}."
                f"{_overridden(manager_why, manager_signal)} With no path and no sponsor, start looking now."
                f"{confirm}"))
        if manager_signal == "manager-advocates":
            return Decision(path="build-and-network", why=(
                f"{base} Your manager did seem to back you: {_cite(manager_why[0])}."
                f"{_overridden(manager_why, manager_signal)} Keep building here with that support while you "
                f"network for a move within about a year.{confirm}"))
        return Decision(path="build-and-network", why=(
            f"{base} Whether your manager would advocate for you is not known yet, so keep building here while you "
            f"network for a move, and ask about their support before deciding to search now.{confirm}"))
    if path_signal == "path-open":
        why = f"Practice points to a path up here: {_cite(path_why[0])}.{_overridden(path_why, path_signal)}"
        if manager_signal == "manager-lukewarm":
            why += (f" Your manager seemed lukewarm: {_cite(manager_why[0])}. Winning their backing is part of "
                    "the plan.")
        elif manager_signal == "manager-advocates":
            why += f" Your manager seemed to back you: {_cite(manager_why[0])}."
        return Decision(path="stay-and-build",
                        why=f"{why} Build the skills and visibility for the next opening.{confirm}")
    if not sessions:
        return Decision(path="stay-and-build", why="No practice yet, so nothing points away from building here.")
    why = "Practice did not show whether the path up here is open or closed, so the default is to build here for now."
    if manager_signal == "manager-advocates":
        why += f" Your manager seemed to back you, which supports staying for now: {_cite(manager_why[0])}."
    elif manager_signal == "manager-lukewarm":
        why += f" But your manager seemed lukewarm, so treat that as a warning sign: {_cite(manager_why[0])}."
    path_answer = next(a for a in take_stock if a.id == "path_here")
    if path_answer.ask_next:
        why += f" Before you commit, ask in the real career talk: “{path_answer.ask_next}”"
    return Decision(path="stay-and-build", why=why + (confirm if manager_why else ""))
