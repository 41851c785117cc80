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
