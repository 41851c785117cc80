"""Every practice script in tests/data/scripts through the CLI: collaborative practice reads as collaborative,
raises candor and opens insights; adversarial practice is flagged, lowers candor and opens (almost) nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).parent / "data" / "scripts").glob("*.txt"))


def _play(nextround, script: Path) -> dict:
    kind = script.name.split("_")[0]
    result = nextround(kind, "--script", str(script), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_practice_script_lands_as_intended(nextround, script):
    data = _play(nextround, script)
    summary = data["summary"]
    users = [t for t in data["turns"] if t["role"] == "user"]
    closing = data["turns"][-1]
    assert closing["move"] == "closing"
    if "_collaborative" in script.name:
        assert summary["mean_tone"] >= 65
        assert summary["final_candor"] > summary["start_candor"]
        assert summary["insights_found"] >= 2
        # Warm, unless a line was read as adversarial: then the goodbye is never warm.
        misread = any(t["tone"]["score"] <= 40 for t in users)
        assert (closing["closing"] != "warm") if misread else (closing["closing"] == "warm")
    else:
        assert summary["mean_tone"] <= 40
        assert summary["final_candor"] < summary["start_candor"]
        assert sum(1 for t in users if t["tone"]["flags"]) >= len(users) - 1
        assert summary["insights_found"] <= 1
        assert closing["closing"] == "cool"


@pytest.mark.parametrize("kind", ["feedback", "career"])
def test_collaborative_practice_opens_at_least_two_more_insights(nextround, kind):
    for good in [s for s in SCRIPTS if s.name.startswith(kind) and "_collaborative" in s.name]:
        for bad in [s for s in SCRIPTS if s.name.startswith(kind) and "_adversarial" in s.name]:
            opened = len(_play(nextround, good)["insights"]["unlocked"])
            assert opened >= len(_play(nextround, bad)["insights"]["unlocked"]) + 2
