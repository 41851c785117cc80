"""Progress over time: `history`, `show` and `export`."""

from __future__ import annotations

import json
import os
import stat

import pytest

from nextround.render import SPARK

GOOD = [
    "Thank you for making the time. I accept the decision, and I'd value your advice on becoming a stronger candidate.",
    "I'd appreciate hearing how my interview answers came across.",
]
BAD = [
    "Honestly I deserved this promotion more than anyone on the team.",
    "The whole process was rigged and everyone knows it.",
]


@pytest.fixture
def sessions(nextround, tmp_path):
    made = []
    for kind, lines in (("feedback", BAD), ("feedback", GOOD), ("career", GOOD[:1])):
        script = tmp_path / f"{len(made)}.txt"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = nextround(kind, "--script", str(script), "--json")
        assert result.exit_code == 0, result.output
        made.append(json.loads(result.output))
    return made


def test_history_json_lists_every_session_with_progress_fields(nextround, sessions):
    rows = json.loads(nextround("history", "--json").output)
    assert [r["session_id"] for r in rows] == [s["session_id"] for s in reversed(sessions)]
    for row, session in zip(rows, reversed(sessions)):
        assert row["conversation"] == session["kind"]
        assert row["insights_found"] == len(session["insights"]["unlocked"])
        assert row["insights_total"] == session["insights"]["total"]
        assert row["tone_over_turns"] == [t["tone"]["score"] for t in session["turns"] if t["role"] == "user"]
        assert row["mean_tone"] == session["summary"]["mean_tone"]
        assert row["date"][:4].isdigit()


def test_history_table_shows_tone_sparklines_and_a_trend(nextround, sessions):
    result = nextround("history")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "by turn" in out and "found" in out
    assert "feedback  trend (oldest → newest)" in out
    assert any(ch in out for ch in SPARK)
    bad, good = sessions[0]["summary"]["mean_tone"], sessions[1]["summary"]["mean_tone"]
    assert f"{bad:.0f} → {good:.0f}" in out
    assert "1/" in nextround("history", "--kind", "career").output


def test_show_renders_tone_badges_flags_and_the_report(nextround, sessions):
    bad = sessions[0]
    result = nextround("show", str(bad["session_id"]))
    assert result.exit_code == 0, result.output
    out = result.output
    for turn in bad["turns"]:
        if turn["role"] == "user":
            assert turn["text"] in out
            assert f"tone {turn['tone']['score']} {turn['tone']['label']}" in out
            for flag in turn["tone"]["flags"]:
                assert flag["category"] in out and flag["phrase"] in out
    assert "⚑" in out and "try:" in out
    assert "Insights found" in out
    assert nextround("show", "latest").exit_code == 0
    assert nextround("show", "999").exit_code == 1
    assert nextround("show", "yesterday").exit_code == 2


def test_export_markdown_and_json(nextround, sessions, tmp_path):
    bad = sessions[0]
    md = nextround("export", str(bad["session_id"]), "--format", "md")
    assert md.exit_code == 0, md.output
    assert md.output.startswith(f"# Session {bad['session_id']}")
    assert "## Transcript" in md.output and "## Insights" in md.output and "⚑" in md.output
    out = tmp_path / "session.json"
    result = nextround("export", str(bad["session_id"]), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["session_id"] == bad["session_id"] and data["turns"] == bad["turns"]
