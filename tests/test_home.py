"""An unusable NEXTROUND_HOME (a file, a path inside a file, a folder that cannot be created) gives the same one
line and exit 1 from every command that needs it; `score` needs no data folder, and a reading cache that cannot
be written never fails a rehearsal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FAKE_CLASS = "langchain_core.language_models.fake_chat_models:FakeListChatModel"
NEW_SCENARIO = ("scenarios", "new", "--kind", "feedback", "--name", "mine", "--role-applied", "Team Lead",
                "--held-back", "vague answers", "--manager-style", "direct", "--counterpart-name", "Sam Lee",
                "--counterpart-role", "Director", "--no-input")
COMMANDS = [
    ("feedback", "--script", "-"),
    ("career", "--script", "-"),
    ("history",),
    ("history", "--json"),
    ("show", "latest"),
    ("show", "1"),
    ("export", "1", "--format", "md"),
    ("plan",),
    ("plan", "--format", "json"),
    ("scenarios", "list"),
    ("scenarios", "show", "feedback"),
    NEW_SCENARIO,
    ("config",),
    ("config", "--json"),
]


def _one_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def home_is_a_file(tmp_path, monkeypatch):
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n")
    monkeypatch.setenv("NEXTROUND_HOME", str(path))
    return path


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_home_that_is_a_file_gives_the_same_line_from_every_command(nextround, home_is_a_file, args):
    line = _one_line(nextround(*args, input="Thanks for meeting me.\n"))
    assert line == (f"Error: NEXTROUND_HOME={home_is_a_file} cannot be used: it is a file, not a folder; "
                    "point it at a folder you can write (or unset it)")
    assert home_is_a_file.read_text() == "not a folder\n"  # nothing was written into or over it


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_home_inside_a_file_names_the_file(nextround, tmp_path, monkeypatch, args):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("NEXTROUND_HOME", str(blocker / "home"))
    line = _one_line(nextround(*args, input="Thanks for meeting me.\n"))
    assert line == (f"Error: NEXTROUND_HOME={blocker / 'home'} cannot be used: {blocker} is a file, not a folder; "
                    "point it at a folder you can write (or unset it)")


def test_score_needs_no_data_folder(nextround, home_is_a_file):
    result = nextround("score", "Thanks for your time.", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["score"] >= 60


def test_a_folder_that_cannot_be_created_is_the_same_line(nextround, isolated_home, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    line = _one_line(nextround("history"))
    assert line == (f"Error: NEXTROUND_HOME={isolated_home} cannot be used: cannot create {isolated_home} "
                    "(Permission denied); point it at a folder you can write (or unset it)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_home_is_the_same_line(nextround, isolated_home):
    isolated_home.mkdir(mode=0o500)
    try:
        line = _one_line(nextround("feedback", "--script", "-", input="Thanks.\n"))
    finally:
        isolated_home.chmod(0o700)
    assert line.startswith(f"Error: NEXTROUND_HOME={isolated_home} cannot be used: ")
    assert "Permission denied" in line


def test_a_platform_data_folder_inside_a_file_suggests_nextround_home(nextround, tmp_path, monkeypatch):
    blocker = tmp_path / "xdg"
    blocker.write_text("x")
    monkeypatch.delenv("NEXTROUND_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    line = _one_line(nextround("history"))
    assert line == (f"Error: cannot use the folder {blocker / 'nextround'}: {blocker} is a file, not a folder; "
                    "set NEXTROUND_HOME to a folder you can write")


@pytest.mark.parametrize("command", ["feedback", "plan"])
def test_a_traffic_log_folder_that_is_a_file_stops_before_the_model_is_used(nextround, isolated_home, command):
    lines = "Thanks for meeting me.\nHow did my interview answers land?\nThank you, that helps.\n"
    assert nextround("feedback", "--script", "-", "--json", input=lines).exit_code == 0  # a session to plan from
    sessions = nextround("history", "--json").output
    (isolated_home / "config").mkdir(parents=True)
    (isolated_home / "config" / "config.toml").write_text(
        f'provider = "{FAKE_CLASS}"\nlog_traffic = true\n[model_kwargs]\nresponses = ["Fine."]\n')
    (isolated_home / "logs").write_text("x")
    result = nextround(command, *(["--script", "-"] if command == "feedback" else []), input=lines)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines()[-1] == (
        f"Error: NEXTROUND_HOME={isolated_home} cannot be used: {isolated_home / 'logs'} is a file, not a folder; "
        "point it at a folder you can write (or unset it)")
    assert nextround("history", "--json").output == sessions  # no half session


def test_a_reading_cache_that_cannot_be_written_is_skipped(nextround, isolated_home, monkeypatch):
    from nextround.reading import topics

    topics._IN_MEMORY.clear()
    isolated_home.mkdir()
    (isolated_home / "cache").write_text("x")  # where the cache folder would go
    result = nextround("feedback", "--script", "-", "--json", input="How did my interview answers come across?\n")
    assert result.exit_code == 0, result.output
    assert len([t for t in json.loads(result.stdout)["turns"] if t["role"] == "user"]) == 1
    assert (isolated_home / "cache").read_text() == "x"


def test_a_reading_cache_in_a_home_that_is_a_file_is_skipped(home_is_a_file):
    from nextround.reading import topics
    from nextround.reading.reader import LocalReader
    from nextround.scenario import load_builtin

    topics._IN_MEMORY.clear()
    reading = LocalReader(load_builtin("feedback")).read("How did my interview answers come across?")
    assert reading.topics  # the reader works; only the disk cache was skipped


def test_the_installed_command_prints_one_line_on_stderr(home_is_a_file):
    env = dict(os.environ, NEXTROUND_HOME=str(home_is_a_file))
    proc = subprocess.run([sys.executable, "-m", "nextround", "history"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"Error: NEXTROUND_HOME={home_is_a_file} cannot be used: it is a file, not a folder; point it at a folder "
        "you can write (or unset it)"]
