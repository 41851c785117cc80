from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own NEXTROUND_HOME and no model settings from the developer's shell."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEXTROUND_HOME", str(home))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEXTROUND_MODEL", "NEXTROUND_PROVIDER", "NEXTROUND_DEBUG"):
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
# record mode "none". Requests match on method and URL only, so a replay does not depend on prompt wording.
LLM_BASE_URL = os.environ.get("NEXTROUND_TEST_BASE_URL", "http://127.0.0.1:8765/v1")
LLM_AUTH_BASE_URL = os.environ.get("NEXTROUND_TEST_AUTH_BASE_URL", "http://127.0.0.1:8766/v1")
LLM_MODEL = os.environ.get("NEXTROUND_TEST_MODEL", "smollm2")
# Read once at import, before the autouse fixture clears it: only used when re-recording against OpenAI.
_RECORDING_KEY = os.environ.get("OPENAI_API_KEY") or None
_SECRET_HEADERS = ["authorization", "openai-organization", "openai-project", "x-api-key", "cookie", "set-cookie"]


def _scrub_response(response):
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS or name.lower().startswith("openai-"):
            del headers[name]
    return response


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
    from nextround.llm import Settings

    return Settings(provider="openai", base_url=LLM_BASE_URL, model=LLM_MODEL, api_key=_RECORDING_KEY,
                    max_retries=0, timeout=180)
