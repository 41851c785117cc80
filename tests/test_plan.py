"""`nextround plan`: take stock, decision, dated actions traced to what was said, in every format."""

from __future__ import annotations

import json
import os
import stat
from datetime import date

import pytest
import yaml

TODAY = "2025-03-03"

FEEDBACK_GOOD = [
    "Thank you for making the time. I accept the decision, and I'd really value your advice on becoming a stronger candidate.",
    "I'd appreciate hearing how my interview answers came across to the panel.",
    "Which skills would you suggest I focus on developing over the next year?",
    "What experience did the successful candidate bring that I could work towards?",
    "Is there a stretch project I could help with to build that experience?",
    "That's really helpful, thank you. Could we check in again in a couple of months?",
]
CAREER_GOOD = [
    "Thanks for making time. I'd like to talk about my goals and how I can grow here.",
    "Is there something I could take on to carry more responsibility?",
    "How could I make my work more visible to the people who make promotion decisions?",
    "Would you support me and put my name forward next time a role comes up?",
    "Could you give me your candid view of my prospects of moving up on this team?",
    "Is there someone outside the team you think I should talk to?",
]
FEEDBACK_BAD = [
    "Honestly I deserved this promotion more than anyone on the team.",
    "Why did you pick him over me? I've been here far longer.",
    "The whole process was rigged and everyone knows it.",
    "Just tell me what the panel said about my interview.",
    "If nothing changes I'm leaving.",
]
CAREER_BAD = [
    "You should have fought harder for me, this is ridiculous.",
    "I want a promotion by next quarter or I'm out.",
    "Everyone else gets the good projects, it's not fair.",
    "Just tell me straight what my prospects are, you owe me that.",
]

QUESTION_IDS = ["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]
PATHS = {"stay-and-build", "build-and-network", "search-now"}
AREAS = {"skill", "visibility", "relationships", "networking", "job-search"}


@pytest.fixture
def play(nextround, tmp_path):
    def run(kind, lines, *extra):
        script = tmp_path / f"{kind}-{abs(hash(tuple(lines)))}.txt"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = nextround(kind, "--script", str(script), "--json", *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


@pytest.fixture
def plan_json(nextround):
    def run(*extra):
        result = nextround("plan", "--format", "json", "--today", TODAY, *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


def _check_structure(plan):
    assert [a["id"] for a in plan["take_stock"]] == QUESTION_IDS
    for answer in plan["take_stock"]:
        assert {"id", "question", "answer", "known", "evidence", "ask_next"} <= answer.keys()
        assert answer["question"].endswith("?") and answer["answer"]
        if not answer["known"]:
            assert answer["ask_next"], answer
            assert answer["evidence"] == []
    assert plan["decision"]["path"] in PATHS and plan["decision"]["why"]
    today = date.fromisoformat(TODAY)
    for action in plan["actions"]:
        assert action["area"] in AREAS
        assert action["action"] and action["first_step"] and action["measure"]
        assert date.fromisoformat(action["due"]) > today
        assert action["sources"] and all(isinstance(s, str) and s for s in action["sources"])
    assert len(plan["milestones"]) == 3
    for milestone in plan["milestones"]:
        assert date.fromisoformat(milestone["due"]) > today and milestone["title"]
    assert date.fromisoformat(plan["check_in"]["date"]) > today
    assert plan["check_in"]["with"] and plan["check_in"]["agenda"]


def test_collaborative_practice_gives_a_full_traced_plan(play, plan_json):
    feedback = play("feedback", FEEDBACK_GOOD)
    career = play("career", CAREER_GOOD)
    plan = plan_json()
    _check_structure(plan)
    assert [s["session_id"] for s in plan["sessions"]] == [feedback["session_id"], career["session_id"]]
    known = [a for a in plan["take_stock"] if a["known"]]
    assert len(known) >= 4
    assert len(plan["actions"]) >= 3

    # Every piece of evidence quotes the counterpart turn that followed the user's question, verbatim.
    sessions = {feedback["session_id"]: feedback, career["session_id"]: career}
    for answer in known:
        assert answer["evidence"]
        for ev in answer["evidence"]:
            turns = {t["seq"]: t for t in sessions[ev["session_id"]]["turns"]}
            said = turns[ev["turn"]]
            assert said["role"] == "counterpart"
            assert said["text"].startswith(ev["quote"].rstrip("…"))
            question = turns[ev["turn"] - 1]
            assert question["role"] == "user" and ev["insight"] in question["unlocked"]
    # Actions point at insights that were actually unlocked, and at real turns.
    unlocked = set(feedback["insights"]["unlocked"]) | set(career["insights"]["unlocked"])
    for action in plan["actions"]:
        for source in action["sources"]:
            if source.startswith("session "):
                _, sid, _, turn = source.split()
                assert int(turn) in {t["seq"] for t in sessions[int(sid)]["turns"]}
            elif source != "decision":
                assert source in unlocked
    # The career conversation revealed a closed path and a manager who advocates: build here and network.
    if {"prospects", "advocacy"} <= set(career["insights"]["unlocked"]):
        assert plan["decision"]["path"] == "build-and-network"
        assert "session" in plan["decision"]["why"]


def test_adversarial_practice_knows_less_and_says_what_to_ask(play, plan_json, nextround):
    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    good = plan_json()
    bad_feedback = play("feedback", FEEDBACK_BAD)
    bad_career = play("career", CAREER_BAD)
    bad = plan_json()
    _check_structure(bad)
    assert {s["session_id"] for s in bad["sessions"]} == {bad_feedback["session_id"], bad_career["session_id"]}
    known_good = sum(a["known"] for a in good["take_stock"])
    known_bad = sum(a["known"] for a in bad["take_stock"])
    assert known_bad < known_good
    unknown = [a for a in bad["take_stock"] if not a["known"]]
    assert unknown and all(a["ask_next"] for a in unknown)
    assert any("revealed little" in note for note in bad["notes"])
    # No certainty is invented: an unknown answer says it is open.
    for answer in unknown:
        assert "not" in answer["answer"].lower()
    # Adversarial lines call for a repair, traced to the flagged turns.
    repairs = [a for a in bad["actions"] if a["area"] == "relationships" and "thank" in a["action"].lower()]
    assert repairs
    flagged = {f"session {bad_feedback['session_id']} turn {t['seq']}" for t in bad_feedback["turns"]
               if t["role"] == "user" and t["tone"]["flags"]}
    flagged |= {f"session {bad_career['session_id']} turn {t['seq']}" for t in bad_career["turns"]
                if t["role"] == "user" and t["tone"]["flags"]}
    assert all(set(r["sources"]) <= flagged for r in repairs)
    # The open questions become an action of their own.
    assert any("open take-stock question" in a["action"] for a in bad["actions"])


def test_markdown_has_headings(play, nextround):
    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    result = nextround("plan", "--format", "md", "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# Your plan (2025-03-03)")
    for heading in ("## Take stock", "## Decision", "## Actions", "## Milestones", "## Check-in"):
        assert f"\n{heading}\n" in text
    assert "### Why wasn't I selected?" in text
    assert "- Due: 2025-" in text and "- Sources: " in text


def test_ics_is_a_calendar_with_dated_items(play, nextround):
    from icalendar import Calendar

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    plan = json.loads(nextround("plan", "--format", "json", "--today", TODAY).output)
    result = nextround("plan", "--format", "ics", "--today", TODAY)
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.output.encode("utf-8"))
    assert cal["VERSION"] == "2.0" and "nextround" in str(cal["PRODID"])
    todos = [c for c in cal.walk("VTODO")]
    events = [c for c in cal.walk("VEVENT")]
    assert len(todos) == len(plan["actions"]) + len(plan["milestones"])
    assert len(events) == 1
    uids = [str(c["UID"]) for c in todos + events]
    assert len(set(uids)) == len(uids)
    for todo in todos:
        assert todo.get("DTSTAMP") is not None and todo.get("SUMMARY")
        assert todo.decoded("DUE") > date.fromisoformat(TODAY)
    action_dues = sorted(a["due"] for a in plan["actions"])
    assert sorted(t.decoded("DUE").isoformat() for t in todos if "Milestone" not in str(t["SUMMARY"])) == action_dues
    event = events[0]
    start = event.decoded("DTSTART")
    assert start.date().isoformat() == plan["check_in"]["date"] and start.hour == 10
    assert (event.decoded("DTEND") - start).total_seconds() == 30 * 60


def test_output_file_is_user_only_and_plan_is_reproducible(play, nextround, tmp_path):
    play("feedback", FEEDBACK_GOOD)
    out = tmp_path / "plan.json"
    result = nextround("plan", "--format", "json", "--today", TODAY, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    again = nextround("plan", "--format", "json", "--today", TODAY)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(again.output)
    ics = tmp_path / "plan.ics"
    assert nextround("plan", "--format", "ics", "--today", TODAY, "-o", str(ics)).exit_code == 0
    assert stat.S_IMODE(os.stat(ics).st_mode) == 0o600
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_only_a_feedback_session_leaves_the_manager_questions_open(play, plan_json):
    play("feedback", FEEDBACK_GOOD)
    plan = plan_json()
    _check_structure(plan)
    by_id = {a["id"]: a for a in plan["take_stock"]}
    assert by_id["why_not_selected"]["known"]
    for qid in ("prospects", "manager_values"):
        assert not by_id[qid]["known"] and by_id[qid]["ask_next"]
    assert any("No career session" in note for note in plan["notes"])
    assert plan["check_in"]["with"] == "your manager"


def test_no_sessions_is_a_clear_error(nextround):
    result = nextround("plan")
    assert result.exit_code == 1
    assert "no sessions yet: run nextround feedback / career first" in result.output


def test_session_selection(play, nextround, plan_json):
    first = play("feedback", FEEDBACK_BAD)
    play("feedback", FEEDBACK_GOOD)
    plan = plan_json("--session", str(first["session_id"]))
    assert [s["session_id"] for s in plan["sessions"]] == [first["session_id"]]
    assert nextround("plan", "--session", "999").exit_code == 1
    assert nextround("plan", "--today", "soon").exit_code == 2
    since = plan_json("--since", "2000-01-01")
    assert len(since["sessions"]) == 2
    assert nextround("plan", "--since", "2999-01-01").exit_code == 1


def test_text_output_is_readable(play, nextround):
    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    result = nextround("plan", "--today", TODAY)
    assert result.exit_code == 0, result.output
    for part in ("Take stock", "Decision", "Actions", "Milestones", "Check-in", "due 2025-", "sources:"):
        assert part in result.output


# --- decision logic, with scenarios whose insights carry other signals ------------------------------------------


def _career_variant(tmp_path, name, advocacy_signal=None, prospects_signal="path-closed"):
    from nextround.scenario import load_builtin

    data = load_builtin("career").model_dump(mode="json")
    data["name"] = name
    for insight in data["insights"]:
        if insight["id"] == "advocacy":
            insight["signal"] = advocacy_signal
        if insight["id"] == "prospects":
            insight["signal"] = prospects_signal
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_closed_path_and_a_lukewarm_manager_means_search_now(play, plan_json, tmp_path):
    scenario = _career_variant(tmp_path, "lukewarm", advocacy_signal="manager-lukewarm")
    career = play("career", CAREER_GOOD, "--scenario", scenario)
    if not {"prospects", "advocacy"} <= set(career["insights"]["unlocked"]):
        pytest.skip("the scripted lines did not open both insights with the current tone scorer")
    plan = plan_json()
    assert plan["decision"]["path"] == "search-now"
    assert f"session {career['session_id']}" in plan["decision"]["why"]
    assert any(a["area"] == "job-search" for a in plan["actions"])


def test_latest_session_wins_when_signals_disagree(play, plan_json, tmp_path):
    open_path = _career_variant(tmp_path, "open", advocacy_signal="manager-advocates", prospects_signal="path-open")
    older = play("career", CAREER_GOOD, "--scenario", open_path)
    newer = play("career", CAREER_GOOD)
    if "prospects" not in set(older["insights"]["unlocked"]) & set(newer["insights"]["unlocked"]):
        pytest.skip("the scripted lines did not open the prospects insight with the current tone scorer")
    plan = plan_json("--session", str(older["session_id"]), "--session", str(newer["session_id"]))
    assert plan["decision"]["path"] == "build-and-network"
    assert "latest" in plan["decision"]["why"]
    assert any("disagree" in note for note in plan["notes"])


def test_plan_model_round_trips_and_describes_itself(play, plan_json):
    from nextround.plan import Plan

    play("career", CAREER_GOOD)
    data = plan_json()
    assert Plan.model_validate(data).to_json_dict() == data
    schema = Plan.model_json_schema(by_alias=True)
    assert {"take_stock", "decision", "actions", "milestones", "check_in"} <= set(schema["properties"])
    assert "with" in schema["$defs"]["CheckIn"]["properties"]
    assert schema["$defs"]["Action"]["properties"]["sources"]["description"]


def test_offline_plans_pass_their_own_source_check(play, nextround):
    from datetime import date as _date

    from nextround.cli.common import open_store
    from nextround.plan import Action, build_plan, check_sources

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_BAD)
    store = open_store()
    try:
        sessions = store.list_sessions()
    finally:
        store.close()
    plan = build_plan(sessions, _date(2025, 3, 3))
    assert check_sources(plan, sessions) == []
    plan.actions.append(Action(area="skill", action="Invented", first_step="x", due=_date(2025, 4, 1), measure="y",
                               sources=["session 99 turn 1", "made-up-insight"]))
    problems = check_sources(plan, sessions)
    assert len(problems) == 2 and "session 99 turn 1" in problems[0]


def test_a_reply_that_revealed_two_insights_is_quoted_once(nextround, tmp_path):
    script = tmp_path / "two.txt"
    script.write_text(
        "Thank you for making the time, I accept the decision and I'd value your advice.\n"
        "What skills and experience did the person you chose bring that I lack?\n", encoding="utf-8")
    assert nextround("feedback", "--script", str(script), "--json").exit_code == 0
    plan = json.loads(nextround("plan", "--format", "json").output)
    for answer in plan["take_stock"]:
        cited = [(e["session_id"], e["turn"]) for e in answer["evidence"]]
        assert len(cited) == len(set(cited)), answer["id"]
