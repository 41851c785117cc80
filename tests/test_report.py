"""The end-of-session report: the best and the weakest line (a line taken back with /retry counts for neither),
the weakest one's better phrasing, and a closing that matches how the talk went."""

from __future__ import annotations

import json

import pytest

from factories import tiny_scenario
from nextround.report import summarize
from nextround.store import Store, TurnRecord

GOOD = "Thank you for making the time; I accept the decision and I'd value your advice on growing."
SHARP = "It feels like my experience was overlooked."
WORST_TAKEN_BACK = "This whole process was a clown show run by idiots."
PLAIN = "The interview was on a Tuesday morning."


def _session(scores: list[tuple[str, int]], superseded: set[int] = frozenset()) -> int:
    """A stored session with one user line per (text, score); the lines at the indexes in SUPERSEDED were taken
    back with /retry."""
    store = Store()
    scenario = tiny_scenario()
    sid = store.create_session(kind="feedback", scenario="tiny", scenario_title="Tiny",
                               scenario_json=json.dumps(scenario.model_dump(mode="json")),
                               counterpart_name="Alex Doe", counterpart_role="Manager", provider="offline",
                               model=None, start_candor=50, insights_total=3)
    seq = 0
    store.add_turn(sid, TurnRecord(seq=seq, role="counterpart", text="Hello.", reply_kind="opening"))
    for n, (text, score) in enumerate(scores):
        seq += 1
        store.add_turn(sid, TurnRecord(seq=seq, role="user", text=text, score=score, label="x",
                                       rewrite=f"better: {text}" if score < 50 else None, candor=50))
        seq += 1
        store.add_turn(sid, TurnRecord(seq=seq, role="counterpart", text="OK.", reply_kind="steer"))
        if n in superseded:
            store.supersede_last_exchange(sid)
    store.finish_session(sid)
    store.close()
    return sid


def _summary(sid: int) -> dict:
    store = Store()
    try:
        return summarize(store.get_session(sid))
    finally:
        store.close()


def test_best_and_weakest_lines_are_the_highest_and_lowest_scores():
    summary = _summary(_session([(PLAIN, 55), (GOOD, 95), (SHARP, 20), ("Fine.", 60)]))
    assert (summary["best"]["text"], summary["best"]["score"], summary["best"]["turn"]) == (GOOD, 95, 3)
    assert (summary["worst"]["text"], summary["worst"]["score"], summary["worst"]["turn"]) == (SHARP, 20, 5)
    assert summary["worst"]["better"] == f"better: {SHARP}"  # the weakest line comes with a better phrasing
    assert "better" not in summary["best"]


def test_on_a_tie_the_earlier_line_is_named():
    summary = _summary(_session([("First good.", 90), ("Second good.", 90), ("First bad.", 10), ("Second bad.", 10)]))
    assert summary["best"]["text"] == "First good." and summary["worst"]["text"] == "First bad."


def test_a_line_taken_back_counts_for_neither_best_nor_weakest():
    sid = _session([(GOOD, 95), (WORST_TAKEN_BACK, 2), (SHARP, 20), (PLAIN, 55)], superseded={1})
    summary = _summary(sid)
    assert summary["worst"]["text"] == SHARP and summary["user_turns"] == 3
    assert summary["tone_over_turns"] == [95, 20, 55] and summary["mean_tone"] == 56.7


def test_the_report_prints_the_best_and_weakest_line_with_a_better_phrasing(nextround, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("\n".join([PLAIN, GOOD, WORST_TAKEN_BACK, "/retry", SHARP]) + "\n", encoding="utf-8")
    data = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    users = [t for t in data["turns"] if t["role"] == "user"]
    scores = {t["text"]: t["tone"]["score"] for t in users}
    taken_back = json.loads(nextround("show", "latest", "--json").output)["turns"][5]
    # The lines land in a clear order, or this test would not tell best from weakest.
    assert taken_back["rephrased"] and taken_back["tone"]["score"] < scores[SHARP] < scores[PLAIN] < scores[GOOD]
    assert data["summary"]["best"]["text"] == GOOD and data["summary"]["worst"]["text"] == SHARP

    shown = nextround("show", "latest").output
    assert f"Best line ({scores[GOOD]}): “{GOOD}”" in shown
    assert f"Weakest line ({scores[SHARP]}): “{SHARP}”" in shown
    worst = next(t for t in users if t["text"] == SHARP)
    assert f"better: {worst['tone']['rewrite']}" in shown


# --- the closing ------------------------------------------------------------------------------------------------

HOSTILE = [
    "This whole process was rigged and everyone knows it.",
    "Honestly, I deserved this promotion more than anyone on the team.",
    "Promise me the next opening or I walk.",
]
SINCERE = [
    "Thank you for making the time; I accept the decision and I'd value your advice on becoming a stronger "
    "candidate.",
    "I'd appreciate hearing how my interview answers came across.",
    "Thank you, that's really helpful. Could we check in again in a couple of months?",
]


@pytest.mark.parametrize("lines, tone", [(HOSTILE, "cool"), (SINCERE, "warm")], ids=["hostile", "sincere"])
def test_a_hostile_talk_ends_on_a_cool_closing_and_a_sincere_one_on_a_warm_one(nextround, tmp_path, lines, tone):
    script = tmp_path / "s.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    closing = data["turns"][-1]
    assert closing["move"] == "closing" and closing["closing"] == tone
    from nextround.scenario import load_builtin

    assert closing["text"] in getattr(load_builtin("feedback").lines.closing, tone)
