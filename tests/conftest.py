from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own NEXTROUND_HOME and no model settings from the developer's shell."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEXTROUND_HOME", str(home))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEXTROUND_MODEL", "NEXTROUND_PROVIDER", "NEXTROUND_DEBUG",
                "NEXTROUND_JUDGE", "NEXTROUND_LOG_TRAFFIC", "NEXTROUND_STRUCTURED_OUTPUT", "NEXTROUND_TIMEOUT",
                "NEXTROUND_MAX_RETRIES"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def nextround(runner):
    """Invoke the CLI in-process: nextround("score", "hi") -> Result."""
    from nextround.cli import cli

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


# --- LLM mode: recorded HTTP (cassettes/) -------------------------------------------------------------------------
# Cassettes are recorded from a real OpenAI-compatible server (scripts/record_cassettes.sh) and replayed with
# record mode "none". Requests match on method and URL, so a replay does not depend on prompt wording; tests where
# the request itself is the point (what reaches the prompt) also match on the JSON body (`BODY_MATCH`).
LLM_BASE_URL = os.environ.get("NEXTROUND_TEST_BASE_URL", "http://127.0.0.1:8765/v1")
LLM_AUTH_BASE_URL = os.environ.get("NEXTROUND_TEST_AUTH_BASE_URL", "http://127.0.0.1:8766/v1")
LLM_MODEL = os.environ.get("NEXTROUND_TEST_MODEL", "smollm2")
# Read once at import, before the autouse fixture clears it: only used when re-recording against OpenAI.
_RECORDING_KEY = os.environ.get("OPENAI_API_KEY") or None
_SECRET_HEADERS = ["authorization", "openai-organization", "openai-project", "x-api-key", "cookie", "set-cookie"]


@pytest.fixture
def play(nextround, tmp_path):
    """Play LINES as a `--script --json` rehearsal of KIND; the session as the JSON contract has it."""

    def run(kind, lines, *extra):
        script = tmp_path / f"{kind}-{abs(hash(tuple(lines)))}.txt"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = nextround(kind, "--script", str(script), "--json", *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


def _scrub_response(response):
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS or name.lower().startswith("openai-"):
            del headers[name]
    return response


def _json_body(request) -> object:
    body = request.body or b""
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return text


def json_body_matcher(r1, r2) -> None:
    """Two requests match when their JSON bodies are equal (key order and whitespace aside)."""
    assert _json_body(r1) == _json_body(r2), "the request body differs from the recorded one"


def pytest_recording_configure(config, vcr):
    vcr.register_matcher("json_body", json_body_matcher)


#: For @pytest.mark.vcr(match_on=BODY_MATCH): the replay fails unless the app sends the recorded bodies.
BODY_MATCH = ("method", "scheme", "host", "port", "path", "json_body")


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(REPO / "cassettes")


@pytest.fixture
def vcr_config():
    return {
        "filter_headers": _SECRET_HEADERS,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path"],
        "before_record_response": _scrub_response,
    }


@pytest.fixture
def llm_settings():
    """Settings for the recorded server: no retries, so each cassette holds exactly the calls a test makes."""
    from nextround.models.settings import Settings

    return Settings(provider="openai", base_url=LLM_BASE_URL, model=LLM_MODEL, api_key=_RECORDING_KEY,
                    max_retries=0, timeout=180)


@pytest.fixture
def llm_model(llm_settings):
    """ChatOpenAI for the recorded server, as a command builds it."""
    from nextround.models.client import build_model

    return build_model(llm_settings)
