"""The API key never reaches the database, exports, plans, config output, the traffic log or cassettes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import LLM_BASE_URL, LLM_MODEL, REPO

FAKE_KEY = "sk-test-NEVER-WRITE-ME-0123456789abcdefghij"
FEEDBACK = [
    "Thanks for making the time; I accept the decision and I'd love your advice on becoming a stronger candidate.",
    "I'd appreciate hearing how my interview answers came across.",
    "What experience did the person you chose bring that I could work towards?",
]
RECORDED = str(REPO / "cassettes" / "test_cli_feedback_with_a_model_reads_judges_and_renders_each_line.yaml")


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.vcr(RECORDED)
def test_fake_key_is_never_written_anywhere(nextround, tmp_path, monkeypatch, isolated_home):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("NEXTROUND_MAX_RETRIES", "0")
    script = tmp_path / "s.txt"
    script.write_text("\n".join(FEEDBACK) + "\n", encoding="utf-8")
    # --debug: the model traffic log is written too, and must not hold the key either.
    session = nextround("--debug", "feedback", "--provider", "openai", "--base-url", LLM_BASE_URL, "--model",
                        LLM_MODEL, "--script", str(script), "--json")
    assert session.exit_code == 0, session.output
    log = isolated_home / "logs" / "model-traffic.jsonl"
    assert len(log.read_text().splitlines()) == 10  # every request of the recording (see test_llm_cassettes)
    assert log.stat().st_mode & 0o077 == 0  # readable by the user only
    exports = tmp_path / "exports"
    exports.mkdir()
    outputs = [session.output]
    for fmt in ("md", "json"):
        result = nextround("export", "latest", "--format", fmt, "-o", str(exports / f"session.{fmt}"))
        assert result.exit_code == 0, result.output
    for fmt in ("md", "json", "ics"):
        result = nextround("plan", "--provider", "offline", "--format", fmt, "-o", str(exports / f"plan.{fmt}"))
        assert result.exit_code == 0, result.output
    for args in (["history", "--json"], ["show", "latest", "--json"], ["config"], ["--debug", "config"]):
        outputs.append(nextround(*args).output)
    written = _all_bytes(isolated_home) + _all_bytes(exports)
    assert len(written) > 1000  # the database and exports really are there
    assert FAKE_KEY.encode() not in written
    for text in outputs:
        assert FAKE_KEY not in text


def test_cassettes_hold_no_secrets_or_account_headers():
    pattern = re.compile(r"sk-[A-Za-z0-9_-]{20,}|[Bb]earer [A-Za-z0-9._-]{16,}|openai-organization|openai-project",
                         re.IGNORECASE)
    cassettes = sorted((REPO / "cassettes").glob("*.yaml"))
    assert len(cassettes) >= 5
    for cassette in cassettes:
        text = cassette.read_text(encoding="utf-8")
        assert not pattern.search(text), cassette.name
        assert "authorization:" not in text.lower(), cassette.name
