"""The rehearsal commands through the CLI, as a user or another tool would drive them."""

from __future__ import annotations

import json
import sqlite3

import pytest

COLLABORATIVE = [
    "Thanks for making the time; I accept the decision and I'd love your advice on becoming a stronger candidate.",
    "I'd appreciate hearing how my interview answers came across.",
    "Which skills would you suggest I build over the coming year?",
    "What experience did the person you chose bring that I could work towards?",
    "Is there a stretch project I could help with to grow in that direction?",
    "Thank you, that's really useful. Could we check in again in a couple of months?",
]
ADVERSARIAL = [
    "Honestly I deserved this promotion more than anyone on the team.",
    "Why did you pick him over me? I've been here far longer.",
    "The whole process was rigged and everyone knows it.",
    "Just tell me what the panel said about my interview.",
    "If nothing changes I'm leaving.",
]


def play(nextround, tmp_path, lines, kind="feedback", *extra):
    script = tmp_path / f"{kind}-{len(lines)}.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = nextround(kind, "--script", str(script), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_script_json_follows_the_contract(nextround, tmp_path):
    data = play(nextround, tmp_path, COLLABORATIVE)
    assert {"session_id", "scenario", "turns", "insights", "summary"} <= data.keys()
    assert data["scenario"] == "feedback"
    user = [t for t in data["turns"] if t["role"] == "user"]
    assert [t["text"] for t in user] == COLLABORATIVE
    for turn in user:
        assert 0 <= turn["tone"]["score"] <= 100
        assert isinstance(turn["tone"]["flags"], list)
        assert 0 <= turn["candor"] <= 100
    assert all(t["text"] for t in data["turns"] if t["role"] == "counterpart")
    assert data["insights"]["total"] >= 5
    assert set(data["insights"]["unlocked"]) <= {i for t in user for i in t["unlocked"]}


def test_collaborative_practice_opens_more_than_adversarial(nextround, tmp_path):
    good = play(nextround, tmp_path, COLLABORATIVE)
    bad = play(nextround, tmp_path, ADVERSARIAL)
    assert len(good["insights"]["unlocked"]) >= 2
    assert len(good["insights"]["unlocked"]) >= len(bad["insights"]["unlocked"]) + 2
    assert good["summary"]["final_candor"] > bad["summary"]["final_candor"]
    assert good["summary"]["mean_tone"] >= 65
    assert bad["summary"]["mean_tone"] <= 40
    bad_user = [t for t in bad["turns"] if t["role"] == "user"]
    assert sum(1 for t in bad_user if t["tone"]["flags"]) >= len(bad_user) - 1


def test_career_conversation_runs_from_a_script(nextround, tmp_path):
    lines = [
        "Thanks for making time. I'd like to talk about my goals and how I can grow here.",
        "Is there something I could take on to carry more responsibility?",
        "How could I make my work more visible beyond our team?",
        "Could you give me your candid view of my prospects of moving up here?",
    ]
    data = play(nextround, tmp_path, lines, "career")
    assert data["scenario"] == "career"
    assert len(data["insights"]["unlocked"]) >= 2


def test_retry_replaces_a_line_before_it_counts(nextround, tmp_path):
    data = play(nextround, tmp_path, ["This process was a joke.", "/retry", COLLABORATIVE[0]])
    user = [t for t in data["turns"] if t["role"] == "user"]
    assert [t["text"] for t in user] == [COLLABORATIVE[0]]
    assert data["summary"]["final_candor"] > 50


def test_sessions_are_listed_in_history(nextround, tmp_path):
    first = play(nextround, tmp_path, COLLABORATIVE[:2])
    second = play(nextround, tmp_path, ADVERSARIAL[:2], "career")
    listed = json.loads(nextround("history", "--json").output)
    assert {s["session_id"] for s in listed} == {first["session_id"], second["session_id"]}
    shown = nextround("show", str(first["session_id"]))
    assert shown.exit_code == 0
    assert COLLABORATIVE[1][:30] in shown.output


def test_interactive_session_fed_by_a_pipe_saves_everything(nextround):
    result = nextround("feedback", input="Thank you for meeting me.\n/hint\nHow did my interview come across?\n")
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "Report" in result.output
    listed = json.loads(nextround("history", "--json").output)
    assert len(listed) == 1 and listed[0]["turns"] == 2


def test_interrupted_session_keeps_its_turns(nextround, monkeypatch, isolated_home):
    """Ctrl-C in the middle: the turns already said stay in the database and the session shows in history."""
    import builtins

    answers = iter(["Thanks for seeing me, I'd value your advice.", KeyboardInterrupt])

    def fake_input(prompt=""):
        item = next(answers)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item

    monkeypatch.setattr(builtins, "input", fake_input)
    result = nextround("feedback")
    assert "saved as session" in result.output
    listed = json.loads(nextround("history", "--json").output)
    assert listed[0]["turns"] == 1
    assert listed[0]["status"] == "interrupted"
    rows = sqlite3.connect(isolated_home / "nextround.db").execute("SELECT role FROM turns").fetchall()
    assert ("user",) in rows


def test_empty_script_is_a_clear_error(nextround, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = nextround("feedback", "--script", str(empty))
    assert result.exit_code == 1
    assert "no lines" in result.output


def test_missing_script_is_a_clear_error(nextround, tmp_path):
    result = nextround("feedback", "--script", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "not found" in result.output


def test_json_without_script_is_a_usage_error(nextround):
    result = nextround("feedback", "--json")
    assert result.exit_code == 2


@pytest.mark.parametrize("kind", ["feedback", "career"])
def test_script_from_stdin(nextround, kind):
    result = nextround(kind, "--script", "-", "--json", input="Thank you for your time.\n")
    assert result.exit_code == 0
    assert json.loads(result.output)["scenario"] == kind


def test_readable_script_run_shows_each_line_with_its_badge_before_the_reply(nextround, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("Why did you pick him over me?\n", encoding="utf-8")
    result = nextround("feedback", "--script", str(script))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    said = next(i for i, line in enumerate(lines) if line.startswith("you: Why did you pick him"))
    assert "tone" in lines[said + 1] and "adversarial" in lines[said + 1] and "candor" in lines[said + 1]
    assert any("⚑" in line for line in lines[said + 2:said + 6])  # flagged with why and a better way
    assert "Report" in result.output


@pytest.mark.parametrize("word", ["exit", "quit", "bye", "Bye!", "  EXIT  ", "quit."])
def test_exit_quit_or_bye_alone_on_a_script_line_ends_the_session_unspoken(nextround, tmp_path, word):
    lines = ["Thanks for meeting me; I accept the decision and I'd value your advice.", word,
             "This line comes after the end and is never played."]
    script = tmp_path / "ends.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = nextround("feedback", "--script", str(script), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    said = [t["text"] for t in data["turns"] if t["role"] == "user"]
    assert said == lines[:1]  # neither spoken nor scored, and the session ended there
    assert data["turns"][-1]["move"] == "closing"


def test_a_sentence_that_contains_bye_is_still_said(nextround, tmp_path):
    script = tmp_path / "bye.txt"
    script.write_text("Thank you, bye for now and see you next month.\n", encoding="utf-8")
    data = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    assert [t["text"] for t in data["turns"] if t["role"] == "user"] == ["Thank you, bye for now and see you next month."]
