"""`nextround plan`: which sessions, what it says, what it asks you to do, and that every reference can be followed.

Sessions come two ways: played through the CLI with the built-in scenarios (assertions that hold whatever their
wording), and hand-built store records of small scenarios of our own (`plan_fixtures`) where exact content matters.
"""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date

import pytest
from plan_fixtures import (
    CAREER_PERSONA,
    FEEDBACK_PERSONA,
    Exchange,
    career_scenario,
    feedback_scenario,
    record,
    strong_career,
    strong_feedback,
    weak_feedback,
)

TODAY = "2025-03-03"  # a Monday: +5 days is a Saturday

FEEDBACK_GOOD = [
    "Thank you for making the time. I accept the decision, and I'd really value your advice on becoming a stronger "
    "candidate.",
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
]
CAREER_BAD = [
    "You should have fought harder for me, this is ridiculous.",
    "I want a promotion by next quarter or I'm out.",
    "Everyone else gets the good projects, it's not fair.",
]
QUESTION_IDS = ["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]
TURN_REF = re.compile(r"^session (\d+) turn (\d+)$")


@pytest.fixture
def plan_json(nextround):
    def run(*extra):
        result = nextround("plan", "--format", "json", "--today", TODAY, *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


@pytest.fixture
def store():
    from nextround.store import Store

    s = Store()
    yield s
    s.close()


def _texts(plan) -> list[str]:
    """Everything the plan tells you to do or believe: answers, decision, actions (and later), milestones,
    check-in."""
    out = [a["answer"] for a in plan["take_stock"]] + [a["ask_next"] or "" for a in plan["take_stock"]]
    out.append(plan["decision"]["why"])
    for action in plan["actions"] + plan["later"]:
        out += [action["action"], action["first_step"], action["measure"], action["condition"] or ""]
        out += [item["question"] for item in action["ask"]] + [item["practice"] or "" for item in action["ask"]]
        out += action["bring"]
    out += [item for m in plan["milestones"] for item in m["items"]]
    out += plan["check_in"]["agenda"] + [plan["check_in"]["with"]]
    return out


def _persona_names(plan) -> set[str]:
    names = set()
    for s in plan["sessions"]:
        names.add(s["counterpart_name"])
        names.update(p for p in s["counterpart_name"].split() if len(p) > 2)
    return names


def _shown_turns(nextround, session_id: int) -> dict[int, str]:
    """Turn number -> the line `nextround show` prints for it."""
    result = nextround("show", str(session_id))
    assert result.exit_code == 0, result.output
    shown = {}
    for line in result.output.splitlines():
        match = re.match(r"^turn (\d+)  (.*)$", line.strip())
        if match:
            shown[int(match.group(1))] = match.group(2)
    return shown


def _assert_traceable(nextround, plan) -> None:
    """Every "session N turn M" in the plan is a turn `show N` prints; every quote is what that turn says."""
    cache: dict[int, dict[int, str]] = {}

    def shown(session_id):
        if session_id not in cache:
            cache[session_id] = _shown_turns(nextround, session_id)
        return cache[session_id]

    for action in plan["actions"] + plan["later"]:
        refs = [TURN_REF.match(s) for s in action["sources"]]
        assert any(refs), action  # each action names at least one turn
        refs += [TURN_REF.match(s) for item in action["ask"] for s in item["sources"]]
        refs += [TURN_REF.match(r["source"]) for r in action["rephrase"]]
        for match in filter(None, refs):
            assert int(match.group(2)) in shown(int(match.group(1))), match.group(0)
    for answer in plan["take_stock"]:
        for e in answer["evidence"]:
            line = shown(e["session_id"])[e["turn"]]
            assert e["quote"].rstrip("…")[:60] in line
            if e["asked_turn"] is not None:
                assert e["asked"].rstrip("…")[:40] in shown(e["session_id"])[e["asked_turn"]]


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:[”\"]?)(?=\s+[A-Z“]|\s*$)", text))


def _check_answers(plan) -> None:
    assert [a["id"] for a in plan["take_stock"]] == QUESTION_IDS
    for a in plan["take_stock"]:
        assert 1 <= _sentences(a["answer"]) <= 2, a["answer"]
        assert "Ask: In" not in a["answer"] and "  " not in a["answer"]
        if a["known"]:
            assert a["evidence"], a
            assert not re.search(r"\b(nobody|no one) has said|\bnot (settled|revealed)|^Open\b", a["answer"]), a
        else:
            assert a["ask_next"] and "In the real " in a["answer"], a


# --- session choice ---------------------------------------------------------------------------------------------


def test_the_strong_sessions_are_used_over_later_weak_and_interrupted_ones(play, plan_json, store, nextround):
    from nextround.scenario import load_builtin

    good_feedback = play("feedback", FEEDBACK_GOOD)
    good_career = play("career", CAREER_GOOD)
    weak_feedback_run = play("feedback", FEEDBACK_BAD)
    weak_career = play("career", CAREER_BAD)
    assert len(good_feedback["insights"]["unlocked"]) > len(weak_feedback_run["insights"]["unlocked"])
    assert len(good_career["insights"]["unlocked"]) > len(weak_career["insights"]["unlocked"])
    # A session cut off after one line (Ctrl-C), the latest of all.
    builtin = load_builtin("feedback").model_dump(mode="json")
    cut = record(store, builtin, [Exchange("Thanks for seeing me; I'd value your advice.", "Of course.")],
                 status="interrupted")

    plan = plan_json()
    used = {s["session_id"]: s for s in plan["sessions"]}
    assert set(used) == {good_feedback["session_id"], good_career["session_id"]}
    assert {s["kind"] for s in plan["sessions"]} == {"feedback", "career"}
    assert all(s["chosen"] for s in plan["sessions"])
    assert plan["selection"]["rule"] == "best" and plan["selection"]["note"]
    left = {item["session_id"]: item["reason"] for item in plan["selection"]["left_out"]}
    assert left[cut] == "interrupted"
    assert "fewer insights" in left[weak_feedback_run["session_id"]]
    assert "fewer insights" in left[weak_career["session_id"]]
    assert len(plan["actions"]) <= 5
    _check_answers(plan)
    _assert_traceable(nextround, plan)
    names = _persona_names(plan)
    for text in _texts(plan):
        assert not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names), text
    # The text and Markdown say which sessions were used and why.
    text = nextround("plan", "--today", TODAY).output
    md = nextround("plan", "--format", "md", "--today", TODAY).output
    for out in (text, md):
        assert f"Session {good_feedback['session_id']}: feedback" in out
        assert f"session {cut} (interrupted)" in out and "Left out:" in out


def test_latest_keeps_the_latest_session_of_each_conversation(play, plan_json):
    play("feedback", FEEDBACK_GOOD)
    weak = play("feedback", FEEDBACK_BAD)
    career = play("career", CAREER_GOOD)
    plan = plan_json("--latest")
    assert [s["session_id"] for s in plan["sessions"]] == [weak["session_id"], career["session_id"]]
    assert plan["selection"]["rule"] == "latest"
    best = plan_json()
    assert weak["session_id"] not in [s["session_id"] for s in best["sessions"]]


def test_a_tie_goes_to_the_latest_and_a_named_session_is_used_as_is(store, plan_json):
    first = record(store, feedback_scenario(), strong_feedback())
    second = record(store, feedback_scenario(), strong_feedback())
    short = record(store, feedback_scenario(), strong_feedback()[:1], status="interrupted")
    plan = plan_json()
    assert [s["session_id"] for s in plan["sessions"]] == [second]
    assert "as many insights" in {i["session_id"]: i["reason"] for i in plan["selection"]["left_out"]}[first]
    named = plan_json("--session", str(short))
    assert [s["session_id"] for s in named["sessions"]] == [short] and named["selection"]["rule"] == "named"
    assert any("interrupted" in note for note in named["notes"])


def test_nothing_that_qualifies_is_one_clear_line(store, nextround):
    assert "no sessions yet" in nextround("plan").output
    short = record(store, feedback_scenario(), strong_feedback()[:2])
    cut = record(store, career_scenario(), strong_career(), status="interrupted")
    result = nextround("plan")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: no completed practice")
    assert f"session {short} has only 2 lines" in lines[0] and f"session {cut} was interrupted" in lines[0]
    assert "--session" in lines[0] and "nextround feedback" in lines[0]
    assert nextround("plan", "--session", str(cut), "--format", "json").exit_code == 0
    assert nextround("plan", "--session", "999").exit_code == 1
    assert nextround("plan", "--session", "1", "--latest").exit_code == 2
    assert nextround("plan", "--today", "soon").exit_code == 2
    assert "no sessions since 2999-01-01" in nextround("plan", "--since", "2999-01-01").output


def test_since_narrows_the_sessions_considered(store, plan_json):
    record(store, feedback_scenario(), strong_feedback())
    plan = plan_json("--since", "2000-01-01")
    assert len(plan["sessions"]) == 1 and "since 2000-01-01" in plan["selection"]["note"]


def test_choose_per_kind_never_mixes_conversations():
    from nextround.plan.select import choose
    from nextround.store import SessionRecord, TurnRecord

    def session(id, kind, unlocked, status="completed", lines=3):
        turns = [TurnRecord(seq=i, role="user", text="x", unlocked=unlocked if i == 0 else []) for i in range(lines)]
        return SessionRecord(id=id, kind=kind, scenario=kind, scenario_title="", scenario_json="{}", counterpart="",
                             provider="offline", model=None, started_at=f"2025-01-0{id}", ended_at="x",
                             status=status, start_candor=50, final_candor=50, insights_total=5,
                             prompt_tokens=0, completion_tokens=0, turns=turns)

    pool = [session(1, "feedback", ["a", "b"]), session(2, "career", ["c"]), session(3, "feedback", ["a"]),
            session(4, "career", ["c", "d", "e"], status="interrupted"), session(5, "career", ["c", "d"], lines=2)]
    chosen = choose(pool, "best")
    assert [s.id for s in chosen.sessions] == [1, 2]
    assert {i.session_id for i in chosen.selection.left_out} == {3, 4, 5}
    assert [s.id for s in choose(pool, "latest").sessions] == [3, 5]


# --- what the plan says ------------------------------------------------------------------------------------------


def _strong_pair(store):
    return record(store, feedback_scenario(), strong_feedback()), record(store, career_scenario(), strong_career())


def test_answers_are_sentences_that_sum_up_the_takeaways(store, plan_json, nextround):
    feedback, career = _strong_pair(store)
    plan = plan_json()
    _check_answers(plan)
    by_id = {a["id"]: a for a in plan["take_stock"]}
    why = by_id["why_not_selected"]
    assert why["known"]
    # The takeaways of the layers said (each citing its turn), not the titles, and no practice persona.
    assert why["answer"] == (
        f"Practice suggested that your interview answers about handovers described the process, with no hard "
        f"handover you ran yourself (session {feedback} turn 6). It also suggested that the person chosen had already "
        f"run a rollout across two sites, with people who did not report to them (session {feedback} turn 10).")
    assert "Your handover answers were thin" not in why["answer"]
    assert by_id["path_here"]["known"] and by_id["manager_values"]["known"]
    for text in _texts(plan):
        assert FEEDBACK_PERSONA.split()[0] not in text and CAREER_PERSONA.split()[0] not in text, text
    _assert_traceable(nextround, plan)


def test_quotes_come_from_the_substance_not_the_reply_right_after(store, plan_json):
    feedback = record(store, feedback_scenario(), strong_feedback())
    plan = plan_json()
    evidence = [e for a in plan["take_stock"] for e in a["evidence"] if e["insight"] == "handover-answers"]
    # Turn 3 opened the insight, turn 4 only asked which topic was meant; turns 6 (reveal) and 8 (deeper) carry it.
    assert sorted({e["turn"] for e in evidence}) == [6, 8]
    assert all(e["session_id"] == feedback for e in evidence)
    assert {e["asked_turn"] for e in evidence} == {5, 7}


def test_older_sessions_without_topics_quote_the_reply_after_the_opening_line(store, plan_json):
    exchanges = [Exchange("Thanks, I accept it and want to learn.", "Good."),
                 Exchange("How did my interview answers land?", "The handover questions were the weak spot.",
                          move="reveal", unlocks=["handover-answers"]),
                 Exchange("Thank you.", "You're welcome.")]
    record(store, feedback_scenario(), exchanges, with_topics=False)
    plan = plan_json()
    evidence = [e for a in plan["take_stock"] for e in a["evidence"]]
    assert [(e["turn"], e["asked_turn"]) for e in evidence] == [(4, 3)]


def test_an_unsettled_path_is_open_and_says_what_to_ask(store, plan_json):
    data = career_scenario()
    for item in data["insights"]:
        if item["id"] == "depot-move":
            item["informs"] = ["what_it_takes", "path_here"]
    record(store, feedback_scenario(), strong_feedback())
    record(store, data, strong_career()[:2] + [Exchange("What else could help?", "Keep going.")])
    plan = plan_json()
    _check_answers(plan)
    path = {a["id"]: a for a in plan["take_stock"]}["path_here"]
    assert not path["known"]
    assert path["answer"].startswith("Not settled: practice suggested that there is a chance to lead the Q3")
    assert "In the real career talk, ask about your prospects here." in path["answer"]
    assert path["ask_next"].endswith("?") and path["evidence"]
    assert plan["decision"]["path"] == "stay-and-build" and path["ask_next"] in plan["decision"]["why"]


def test_only_a_feedback_session_leaves_the_manager_questions_open(store, plan_json):
    record(store, feedback_scenario(), strong_feedback())
    plan = plan_json()
    _check_answers(plan)
    by_id = {a["id"]: a for a in plan["take_stock"]}
    for qid in ("prospects", "manager_values", "path_here"):
        assert not by_id[qid]["known"]
        assert by_id[qid]["answer"].startswith("Open: you have not practised the career talk yet.")
    assert any("No career session" in note for note in plan["notes"])
    assert plan["check_in"]["with"] == "your manager"
    assert any(item.startswith("Ask: “") for item in plan["check_in"]["agenda"])


# --- what the plan asks you to do -------------------------------------------------------------------------------


def test_actions_prepare_and_follow_up_the_real_meetings(store, plan_json):
    _strong_pair(store)
    plan = plan_json()
    actions = plan["actions"]
    assert len(actions) == 5 and plan["later"]
    # The real meetings come first; the career talk leads (it can settle the decision).
    assert actions[0]["action"].startswith("Hold the real career talk with your manager")
    assert actions[1]["action"].startswith("Hold the real feedback meeting with the hiring manager")
    for meeting in actions[:2]:
        assert meeting["ask"] and meeting["bring"]
        assert all(item["question"].endswith(("?", ".")) for item in meeting["ask"])
        assert all("Check whether that holds for real" in item["practice"] for item in meeting["ask"])
    # Your own words that worked in practice, without the practice persona's name.
    career_asks = [item["question"] for item in actions[0]["ask"]]
    assert "Would you back me next time?" in career_asks
    # Then the decision's own move (building options elsewhere: the scenario's networking suggestion relies on a
    # layer practice never reached, so it only asks), then the follow-ups that bear on the decision first.
    assert actions[2]["action"].startswith("Build options outside the team") and actions[2]["condition"]
    follow_ups = actions[3:]
    assert {a["sources"][0] for a in follow_ups[:2]} == {"no-opening", "backing"}
    for action in follow_ups + plan["later"]:
        assert action["condition"].startswith(("If the real ", "Practice only rehearsed the offer")), action
        assert action["first_step"].startswith("After the real ")
    # The scenario's "Ask Morgan…" / "Tell Alex…" become the real people.
    shadow = next(a for a in actions + plan["later"] if a["sources"][0] == "shadow-offer")
    assert shadow["first_step"] == ("After the real feedback meeting, ask the hiring manager which budget meetings "
                                    "you could sit in on.")
    assert len(plan["milestones"][0]["items"]) <= 3


def test_due_dates_fit_the_order_and_the_periods_they_name(store, plan_json):
    data = feedback_scenario()
    data["insights"][0]["action"]["due_days"] = 1  # suggested for tomorrow: still after the meeting it follows up
    record(store, data, strong_feedback())
    record(store, career_scenario(), strong_career())
    plan = plan_json()
    everything = plan["actions"] + plan["later"]
    due = {a["sources"][0]: date.fromisoformat(a["due"]) for a in everything if not a["action"].startswith("Hold")}
    meetings = {("career" if "career talk" in a["action"] else "feedback"): date.fromisoformat(a["due"])
                for a in everything if a["action"].startswith("Hold the real")}
    # Monday 3 March + 5 days is a Saturday: the feedback meeting moves to Monday 10 March.
    assert meetings["feedback"] == date(2025, 3, 10)
    assert all(date.fromisoformat(a["due"]).weekday() < 5 for a in everything)
    for insight, meeting in (("handover-answers", "feedback"), ("shadow-offer", "feedback"),
                             ("winner-scope", "feedback"), ("no-opening", "career"), ("backing", "career")):
        assert due[insight] > meetings[meeting], insight  # follow-ups come after the meeting
    # "Lead the Q3 depot move … to the go-live" relies on a layer practice never reached (the go-live): it became
    # something to take up with your manager, due after the career talk, not a Q3 commitment.
    assert due["depot-move"] > meetings["career"]
    depot = next(a for a in everything if a["sources"][0] == "depot-move")
    assert "go-live" not in depot["action"] and depot["action"].startswith("Act on what your manager tells you")


def test_an_action_that_names_a_period_is_due_within_it(store, plan_json):
    record(store, feedback_scenario(), strong_feedback())
    # This time the depot move's second layer (the plan and the go-live) was said too.
    record(store, career_scenario(), strong_career() + [Exchange(
        "What would leading it involve for me?", "You would own the plan and the go-live date, and report to me "
        "weekly.", move="deeper", topic="depot-move")])
    plan = plan_json()
    depot = next(a for a in plan["actions"] + plan["later"] if a["sources"][0] == "depot-move")
    assert depot["action"].startswith("Lead the Q3 depot move")
    # "Lead the Q3 depot move" (suggested 20 days out) is due within Q3, not in March.
    assert date(2025, 7, 1) <= date.fromisoformat(depot["due"]) <= date(2025, 9, 30)


def test_weak_lines_become_phrasings_to_rehearse_before_the_meeting(store, plan_json, nextround):
    weak = record(store, feedback_scenario(), weak_feedback())
    plan = plan_json("--session", str(weak))
    rehearse = [a for a in plan["actions"] if a["rephrase"]]
    assert len(rehearse) == 1
    action = rehearse[0]
    assert action["action"].startswith("Rehearse a better phrasing of the line that came across as adversarial")
    assert action["rephrase"][0] == {"said": "I still think the process was unfair to me.",
                                     "better": "I'd like to understand how the decision was made.",
                                     "source": f"session {weak} turn 1"}
    meeting = next(a for a in plan["actions"] if a["action"].startswith("Hold the real"))
    assert action["due"] < meeting["due"]
    assert not any("thank" in a["action"].lower() and "note" in a["action"].lower() for a in plan["actions"])
    _assert_traceable(nextround, plan)


def test_ranking_and_date_rules():
    from nextround.plan.dates import due_in, fit, windows, working_day

    today = date(2025, 3, 3)
    assert working_day(date(2025, 3, 8)) == date(2025, 3, 10)  # Saturday -> Monday
    assert due_in(today, 6) == date(2025, 3, 10)  # Sunday -> Monday
    assert due_in(today, 4) == date(2025, 3, 7)
    assert fit(date(2025, 4, 1), "Lead the Q3 migration.", today) == date(2025, 9, 30)
    assert fit(date(2025, 12, 1), "Finish the Q3 migration.", today) == date(2025, 9, 30)
    assert fit(date(2025, 6, 2), "Finish it before Q2.", today) == date(2025, 3, 31)
    assert fit(date(2025, 4, 28), "Send the draft by the end of April.", today) == date(2025, 4, 28)
    assert fit(date(2025, 6, 2), "Send the draft by the end of April.", today) == date(2025, 4, 30)
    assert fit(date(2025, 6, 2), "Do it within six weeks.", today) == date(2025, 4, 14)
    # Within the window, a weekend moves back to the Friday rather than past the deadline.
    assert fit(date(2025, 6, 2), "Finish it in May 2025.", today) == date(2025, 5, 30)
    assert fit(date(2025, 3, 1), "May I suggest this.", today) == date(2025, 3, 3)
    assert windows("Build next year's case.", today) == []
    assert fit(date(2025, 3, 5), "Lead the Q1 review.", date(2025, 11, 3)) == date(2026, 3, 31)
    # Ordering wins over a period already gone.
    assert fit(date(2025, 3, 4), "Before March.", today, earliest=date(2025, 3, 11)) == date(2025, 3, 11)


def test_follow_ups_rank_by_the_decision_path():
    from nextround.plan.actions import AREA_WEIGHT

    assert AREA_WEIGHT["search-now"]["job-search"] > AREA_WEIGHT["search-now"]["skill"]
    assert AREA_WEIGHT["stay-and-build"]["skill"] > AREA_WEIGHT["stay-and-build"]["job-search"]


def test_closed_path_and_a_lukewarm_manager_means_search_now(store, plan_json):
    record(store, career_scenario(advocacy_signal="manager-lukewarm"), strong_career())
    plan = plan_json()
    assert plan["decision"]["path"] == "search-now"
    assert "session 1 turn 8" in plan["decision"]["why"] and "check it in the real career talk" in plan["decision"]["why"]
    search = [a for a in plan["actions"] if a["area"] == "job-search"]
    assert search and search[0]["condition"].startswith("If the real career talk confirms")
    assert date.fromisoformat(search[0]["due"]) > date.fromisoformat(plan["actions"][0]["due"])


def test_latest_session_wins_when_signals_disagree(store, plan_json):
    older = record(store, career_scenario("open-career", path_signal="path-open"), strong_career())
    newer = record(store, career_scenario(), strong_career())
    plan = plan_json("--session", str(older), "--session", str(newer))
    assert plan["decision"]["path"] == "build-and-network"
    assert "the plan follows the latest" in plan["decision"]["why"]
    assert any("disagree" in note for note in plan["notes"])


# --- references and formats -------------------------------------------------------------------------------------


def test_show_and_export_number_turns_as_the_plan_cites_them(play, nextround, tmp_path):
    session = play("feedback", [FEEDBACK_GOOD[0], "Honestly, I think I was the obvious choice for this role.",
                                "/retry", FEEDBACK_GOOD[1], FEEDBACK_GOOD[3]])
    sid = session["session_id"]
    assert [t["turn"] for t in session["turns"]] == [t["seq"] for t in session["turns"]]
    shown = _shown_turns(nextround, sid)
    assert shown[0] and shown[1].startswith("you: Thank you for making the time.")
    assert shown[3].startswith("you (rephrased): Honestly, I think I was the obvious choice")
    assert "(reply to the rephrased line)" in shown[4] and shown[5].startswith("you: I'd appreciate")
    md = nextround("export", str(sid), "--format", "md").output
    assert "**Turn 3 · You (rephrased" in md and "**Turn 5 · You:** I'd appreciate" in md
    data = json.loads(nextround("export", str(sid), "--format", "json").output)
    turns = {t["turn"]: t for t in data["turns"]}
    assert turns[3]["rephrased"] is True and turns[3]["text"].startswith("Honestly")
    assert "rephrased" not in turns[5]
    # The plan's references point at those numbers.
    plan = json.loads(nextround("plan", "--session", str(sid), "--format", "json", "--today", TODAY).stdout)
    _assert_traceable(nextround, plan)


def test_markdown_keeps_quotes_and_questions_apart(store, nextround):
    _strong_pair(store)
    result = nextround("plan", "--format", "md", "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# Your plan (2025-03-03)")
    for heading in ("## Sessions used", "## Take stock", "## Decision", "## Actions", "## Later", "## Milestones",
                    "## Check-in"):
        assert f"\n{heading}\n" in text
    lines = text.splitlines()
    assert any(line.startswith("> “") for line in lines) and any(line.startswith("> You had asked") for line in lines)
    for i, line in enumerate(lines):
        if line.startswith("> “"):  # a quote is its own paragraph: an empty quote line follows
            assert lines[i + 1] == ">"
        if line.startswith("> You had asked"):
            assert lines[i - 1] == ">"
    assert "- Ask, in these words:" in text and "- *If the real career talk bears out what practice suggested: " in text
    # The full plan, each quote once: a reply that answers two questions is quoted under the first.
    quotes = [line for line in lines if line.startswith("> “")]
    assert quotes and len(quotes) == len(set(quotes))


def test_ics_is_a_calendar_with_the_actions_milestones_and_check_in(store, nextround):
    from icalendar import Calendar

    _strong_pair(store)
    plan = json.loads(nextround("plan", "--format", "json", "--today", TODAY).stdout)
    result = nextround("plan", "--format", "ics", "--today", TODAY)
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.output.encode("utf-8"))
    todos, events = list(cal.walk("VTODO")), list(cal.walk("VEVENT"))
    # The full plan: every action and later item, and the milestones.
    assert len(todos) == len(plan["actions"]) + len(plan["later"]) + len(plan["milestones"]) and len(events) == 1
    uids = [str(c["UID"]) for c in todos + events]
    assert len(set(uids)) == len(uids)
    assert sorted(t.decoded("DUE").isoformat() for t in todos if "Milestone" not in str(t["SUMMARY"])) == \
        sorted(a["due"] for a in plan["actions"] + plan["later"])
    meeting = next(t for t in todos if "Hold the real feedback meeting" in str(t["SUMMARY"]))
    assert "Ask, in these words:" in str(meeting["DESCRIPTION"])
    start = events[0].decoded("DTSTART")
    assert start.date().isoformat() == plan["check_in"]["date"] and start.hour == 10


def test_text_output_is_readable(store, nextround):
    _strong_pair(store)
    result = nextround("plan", "--today", TODAY)
    assert result.exit_code == 0, result.output
    for part in ("Take stock", "Decision", "Actions", "Later", "Check-in", "ask, in these words:",
                 "practised with " + FEEDBACK_PERSONA, "--full"):
        assert part in result.output
    full = nextround("plan", "--today", TODAY, "--full")
    for part in ("Milestones", "sources:", "measure:", "bring:",
                 "  If the real career talk bears out what practice suggested"):
        assert part in full.output and part not in result.output
    assert len(full.output.splitlines()) > len(result.output.splitlines())


def test_output_file_is_user_only_reproducible_and_needs_an_existing_folder(store, nextround, tmp_path):
    _strong_pair(store)
    out = tmp_path / "plan.json"
    result = nextround("plan", "--format", "json", "--today", TODAY, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    again = nextround("plan", "--format", "json", "--today", TODAY)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(again.stdout)
    missing = tmp_path / "no-such-folder" / "plan.md"
    for args in (("plan", "--format", "md"), ("export", "1", "--format", "md")):
        result = nextround(*args, "-o", str(missing))
        assert result.exit_code == 1
        assert f"the folder {missing.parent} does not exist" in result.output
        assert not missing.parent.exists()


def test_plan_model_round_trips_and_passes_its_own_source_check(store, plan_json):
    from nextround.plan import Action, Plan, build_plan, check_sources

    _strong_pair(store)
    data = plan_json()
    assert Plan.model_validate(data).to_json_dict() == data
    schema = Plan.model_json_schema(by_alias=True)
    assert {"selection", "take_stock", "decision", "actions", "later", "milestones", "check_in"} <= \
        set(schema["properties"])
    sessions = store.list_sessions()
    plan = build_plan(sessions, date(2025, 3, 3))
    assert check_sources(plan, sessions) == []
    plan.later.append(Action(area="skill", action="Invented", first_step="x", due=date(2025, 4, 1), measure="y",
                             sources=["session 99 turn 1", "made-up-insight"]))
    problems = check_sources(plan, sessions)
    assert len(problems) == 2 and "session 99 turn 1" in problems[0]


def test_a_reply_that_revealed_two_insights_is_quoted_once(store, plan_json):
    exchanges = strong_feedback()[:1] + [
        Exchange("What did the person chosen bring, and how did my answers land?",
                 "Two things: the handover answers were thin, and they had run a cross-site rollout.",
                 move="reveal", topic="handover-answers", unlocks=["handover-answers", "winner-scope"])]
    record(store, feedback_scenario(), exchanges + [Exchange("Thanks.", "Welcome.")], with_topics=False)
    plan = plan_json()
    for answer in plan["take_stock"]:
        cited = [(e["session_id"], e["turn"]) for e in answer["evidence"]]
        assert len(cited) == len(set(cited)), answer["id"]


# --- a model that cannot be reached -------------------------------------------------------------------------------


def test_an_unreachable_model_gives_the_offline_plan_with_one_warning(store, isolated_home):
    import socket
    import subprocess
    import sys

    _strong_pair(store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEXTROUND_"))}
    env.update(NEXTROUND_HOME=str(isolated_home), NEXTROUND_MAX_RETRIES="0", NEXTROUND_TIMEOUT="5")
    proc = subprocess.run([sys.executable, "-m", "nextround", "plan", "--provider", "openai", "--base-url",
                           f"http://127.0.0.1:{port}/v1", "--format", "json", "--today", TODAY],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning:") and str(port) in warnings[0]
    assert "offline plan" in warnings[0] and "Traceback" not in proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["drafted_by"] == "offline"
    assert plan["notes"][-1].startswith("The model could not be used") and plan["notes"][-1].endswith(
        "this is the offline plan.")
