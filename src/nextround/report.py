"""What a session taught: summary numbers, and the session as the JSON that `--json`, `show --json` and `export`
print (the fields are listed in the README, under Rehearsing).

Pure functions over stored session records, so the end-of-session report, `show`, `export` and `plan` agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextround.store import SessionRecord, TurnRecord

if TYPE_CHECKING:
    from nextround.scenario import Scenario


def scenario_of(session: SessionRecord) -> Scenario:
    """The scenario exactly as it was when the session ran (a snapshot is stored with each session). Imported here:
    `history` lists sessions without reading a scenario, and the scenario models (pydantic) cost a few hundred
    milliseconds to import on a slow machine."""
    from nextround.scenario import scenario_from_snapshot

    return scenario_from_snapshot(session.scenario_json)


def user_turns(session: SessionRecord) -> list[TurnRecord]:
    return [t for t in session.live_turns if t.role == "user"]


def mean_tone(session: SessionRecord) -> float | None:
    scores = [t.score for t in user_turns(session) if t.score is not None]
    return round(sum(scores) / len(scores), 1) if scores else None


def status_of(session: SessionRecord) -> str:
    if session.ended_at is None:
        return "unfinished"
    return session.status


def summarize(session: SessionRecord) -> dict[str, Any]:
    scenario = scenario_of(session)
    turns = user_turns(session)
    scored = [t for t in turns if t.score is not None]
    unlocked = session.unlocked
    best = max(scored, key=lambda t: (t.score, -t.seq), default=None)
    worst = min(scored, key=lambda t: (t.score, t.seq), default=None)
    missed = [
        {"id": i.id, "title": i.title, "ask_hint": i.ask_hint, "min_candor": i.min_candor}
        for i in scenario.insights
        if i.id not in unlocked
    ]
    found = [{"id": i, "title": scenario.insight(i).title} for i in unlocked]
    flagged = sum(1 for t in scored if t.flags)
    return {
        "user_turns": len(turns),
        "mean_tone": mean_tone(session),
        "tone_over_turns": [t.score for t in scored],
        "flagged_turns": flagged,
        "start_candor": session.start_candor,
        "final_candor": session.final_candor if session.final_candor is not None else session.start_candor,
        "insights_found": len(unlocked),
        "insights_total": session.insights_total,
        "found": found,
        "missed": missed,
        "best": _line(best),
        "worst": _line(worst, with_fix=True),
        "status": status_of(session),
        "tokens": {"prompt": session.prompt_tokens, "completion": session.completion_tokens},
    }


def history_row(session: SessionRecord) -> dict[str, Any]:
    """One session as `nextround history --json` lists it (the web page's history uses the same rows)."""
    return {
        "session_id": session.id,
        "date": session.started_at[:16].replace("T", " "),
        "started_at": session.started_at,
        "conversation": session.kind,
        "scenario": session.scenario,
        "turns": len(user_turns(session)),
        "mean_tone": mean_tone(session),
        "tone_over_turns": [t.score for t in user_turns(session) if t.score is not None],
        "insights_found": len(session.unlocked),
        "insights_total": session.insights_total,
        "start_candor": session.start_candor,
        "final_candor": session.final_candor,
        "status": status_of(session),
        "provider": session.provider,
    }


def _line(turn: TurnRecord | None, with_fix: bool = False) -> dict[str, Any] | None:
    if turn is None:
        return None
    line: dict[str, Any] = {"turn": turn.seq, "text": turn.text, "score": turn.score}
    if with_fix:
        line["flags"] = turn.flags
        line["better"] = turn.rewrite or (turn.flags[0]["better"] if turn.flags else None)
    return line


# Sessions saved before the counterpart answered moves spoke of reply kinds; they read as the nearest move.
_MOVE_OF_KIND = {"more": "deeper", "already_shared": "exhausted", "guarded": "deflect", "defensive": "procedural",
                 "off_topic": "steer"}


def turn_to_dict(turn: TurnRecord) -> dict[str, Any]:
    # `turn` is the number `show`, `export` and the plan's references use (the opening is turn 0).
    data: dict[str, Any] = {"turn": turn.seq, "seq": turn.seq, "role": turn.role, "text": turn.text}
    if turn.superseded:
        data["rephrased"] = True  # taken back with /retry: kept for the record, not counted
    if turn.role == "user":
        data["tone"] = {"score": turn.score, "label": turn.label, "flags": turn.flags, "rewrite": turn.rewrite}
        data["candor"] = turn.candor
        data["topics"] = turn.topics
        data["unlocked"] = turn.unlocked
        if turn.judge is not None:
            data["judge"] = turn.judge
        if turn.reading is not None and "model" in turn.reading:  # model mode: the local, model and merged readings
            data["reading"] = turn.reading
    else:
        data["move"] = _MOVE_OF_KIND.get(turn.reply_kind, turn.reply_kind)
        data["topic"] = turn.topic
        for key, value in (turn.detail or {}).items():
            data[key] = value
    return data


def session_to_dict(session: SessionRecord, *, include_superseded: bool = False) -> dict[str, Any]:
    """The session as JSON. With INCLUDE_SUPERSEDED (show, export) rephrased lines stay in their place, marked."""
    turns = session.turns if include_superseded else session.live_turns
    return {
        "session_id": session.id,
        "scenario": session.scenario,
        "kind": session.kind,
        "title": session.scenario_title,
        "counterpart_name": session.counterpart_name,
        "counterpart_role": session.counterpart_role,
        "counterpart": f"{session.counterpart_name}, {session.counterpart_role}",  # display form, as before
        "provider": session.provider,
        "model": session.model,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "status": status_of(session),
        "turns": [turn_to_dict(t) for t in turns],
        "insights": {"unlocked": session.unlocked, "total": session.insights_total},
        "summary": summarize(session),
    }
