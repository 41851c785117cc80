"""Which practice sessions a plan is built from, and why.

- **best** (the default): for each conversation (feedback, career), the most informative completed practice of
  your own scenario when you practised one (a scenario you made comes before the built-in demo of that kind), else
  of the built-in: the most insights found, the latest on a tie. Sessions of another scenario of the same kind are
  never merged in: the plan says it left them out and how to choose them (`--scenario NAME`, `--session ID`). Sessions that were interrupted or never finished, and sessions with
  fewer than `MIN_USER_LINES` lines, are left out: they say more about the interruption than about the meeting.
  A session of one conversation is never used for the other.
- **latest** (`--latest`): the latest session of each conversation, whatever its quality.
- **named** (`--session N`, repeatable): exactly those sessions, even short or interrupted ones.

`--since DATE` and `--scenario NAME` narrow the sessions considered by best and latest. Nothing qualifying is a `SelectionError` that
says why and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nextround.errors import NextroundError
from nextround.plan.findings import user_lines
from nextround.plan.schema import LeftOut, Selection, SelectionRule
from nextround.report import status_of
from nextround.store import SessionRecord

#: A session needs at least this many lines of yours to be used without naming it.
MIN_USER_LINES = 3
KINDS = ("feedback", "career")


class SelectionError(NextroundError):
    """No session qualifies for a plan; the message says why and what to do."""


@dataclass
class Chosen:
    """The sessions a plan uses, oldest first, why each was chosen, and what was left out."""

    sessions: list[SessionRecord]
    selection: Selection
    reasons: dict[int, str] = field(default_factory=dict)


def unusable(session: SessionRecord) -> str | None:
    """Why SESSION cannot be used unless named, or None when it qualifies."""
    status = status_of(session)
    if status != "completed":
        return status  # "interrupted" or "unfinished"
    lines = len(user_lines(session))
    if lines < MIN_USER_LINES:
        return f"only {lines} line{'' if lines == 1 else 's'}, fewer than {MIN_USER_LINES}"
    return None


def _oldest_first(sessions: list[SessionRecord]) -> list[SessionRecord]:
    return sorted(sessions, key=lambda s: (s.started_at, s.id))


def _builtin() -> set[str]:
    from nextround.scenario.loading import builtin_names

    return set(builtin_names())


def _other_scenario(s: SessionRecord, pick: SessionRecord, builtin: set[str]) -> str:
    whose = "the built-in demo" if s.scenario in builtin else "your scenario"
    return (f"{whose} {s.scenario}, not {pick.scenario} (session {pick.id}); plan from it with "
            f"--scenario {s.scenario} or --session {s.id}")


def choose(pool: list[SessionRecord], rule: SelectionRule, since: date | None = None) -> Chosen:
    """Apply RULE ("best" or "latest") to POOL: at most one session per conversation, of one scenario."""
    since_text = f" Only sessions since {since.isoformat()} were considered." if since else ""
    builtin = _builtin()
    chosen: list[SessionRecord] = []
    reasons: dict[int, str] = {}
    left_out: list[LeftOut] = []
    for kind in KINDS:
        of_kind = sorted((s for s in pool if s.kind == kind), key=lambda s: (s.started_at, s.id), reverse=True)
        if not of_kind:
            continue
        if rule == "latest":
            pick = of_kind[0]
            reasons[pick.id] = f"the latest {kind} session"
            left_out += [LeftOut(session_id=s.id, kind=kind, reason=f"older than session {pick.id}")
                         for s in of_kind[1:]]
            chosen.append(pick)
            continue
        usable = [s for s in of_kind if unusable(s) is None]
        left_out += [LeftOut(session_id=s.id, kind=kind, reason=unusable(s) or "") for s in of_kind
                     if unusable(s) is not None]
        if not usable:
            continue
        # Your own scenario before the built-in demo; then the most insights found; of those, the latest (the list
        # is newest first, and max keeps the first).
        pick = max(usable, key=lambda s: (s.scenario not in builtin, len(s.unlocked)))
        others = [s for s in usable if s.scenario != pick.scenario]
        left_out += [LeftOut(session_id=s.id, kind=kind, reason=_other_scenario(s, pick, builtin)) for s in others]
        usable = [s for s in usable if s.scenario == pick.scenario]
        found = len(pick.unlocked)
        if len(usable) == 1:
            reasons[pick.id] = f"the only completed {kind} practice with {MIN_USER_LINES}+ lines"
        else:
            reasons[pick.id] = (f"the most informative of {len(usable)} completed {kind} practices: "
                                f"{found} of {pick.insights_total} insights found")
        for s in usable:
            if s is pick:
                continue
            other = len(s.unlocked)
            why = (f"fewer insights found than session {pick.id}: {other} against {found}" if other < found
                   else f"as many insights found as the later session {pick.id}")
            left_out.append(LeftOut(session_id=s.id, kind=kind, reason=why))
        chosen.append(pick)
    if rule == "latest":
        note = "--latest: the latest session of each conversation, whatever its quality." + since_text
    else:
        note = ("For each conversation, the completed practice with the most insights found (the latest on a "
                "tie), of your own scenario before a built-in demo; interrupted sessions and sessions with fewer "
                f"than {MIN_USER_LINES} lines are left out unless named with --session." + since_text)
    left_out.sort(key=lambda item: item.session_id)
    return Chosen(_oldest_first(chosen), Selection(rule=rule, note=note, left_out=left_out), reasons)


def named(sessions: list[SessionRecord]) -> Chosen:
    reasons = {s.id: "named with --session" for s in sessions}
    note = "The sessions named with --session, as given (short or interrupted ones included)."
    return Chosen(_oldest_first(sessions), Selection(rule="named", note=note), reasons)


def nothing_qualifies(chosen: Chosen) -> str:
    """One line: why no session qualifies and what to do."""
    reasons = [f"session {item.session_id} {_as_clause(item.reason)}" for item in chosen.selection.left_out[-4:]]
    more = len(chosen.selection.left_out) - len(reasons)
    listed = ", ".join(reasons) + (f" and {more} more" if more > 0 else "")
    return (f"no completed practice to plan from ({listed}): finish a session of at least {MIN_USER_LINES} lines "
            "with `nextround feedback` or `nextround career` (end it with /end), or name one with --session N")


def _as_clause(reason: str) -> str:
    if reason in ("interrupted", "unfinished"):
        return f"was {reason}"
    return f"has {reason}"


def select_sessions(store, session_ids: tuple[int, ...] = (), since: date | None = None,
                    latest: bool = False, scenarios: tuple[str, ...] = ()) -> Chosen:
    """The sessions for a plan from STORE: named ones, else by rule (best, or latest) among those since SINCE
    (and of the SCENARIOS named, if any)."""
    if session_ids:
        sessions = []
        for session_id in dict.fromkeys(session_ids):
            session = store.get_session(session_id)
            if session is None:
                raise SelectionError(f"no session {session_id} (see `nextround history`)")
            sessions.append(session)
        return named(sessions)
    pool = store.list_sessions(since=since.isoformat() if since else None)
    if scenarios:
        known = {s.scenario for s in pool}
        missing = [name for name in scenarios if name not in known]
        if missing:
            raise SelectionError(f"no sessions of the scenario {missing[0]!r}"
                                 + (f" (practised: {', '.join(sorted(known))})" if known else ""))
        pool = [s for s in pool if s.scenario in scenarios]
    if not pool:
        if since is not None:
            raise SelectionError(f"no sessions since {since.isoformat()} (see `nextround history`)")
        raise SelectionError("no sessions yet: run nextround feedback / career first")
    chosen = choose(pool, "latest" if latest else "best", since)
    if not chosen.sessions:
        raise SelectionError(nothing_qualifies(chosen))
    return chosen
