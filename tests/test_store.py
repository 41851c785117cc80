"""The store: migrations, concurrent sessions, damaged/locked/read-only databases, user-only files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nextround.store import MIGRATIONS, Store, StoreError, migrate


def test_migrations_are_recorded_and_not_reapplied(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    names = [r[0] for r in store.conn.execute("SELECT name FROM migrations")]
    assert names == [fn.__name__.lstrip("_") for fn in MIGRATIONS]
    assert migrate(store.conn) == []
    store.close()


def test_database_and_folder_are_user_only(tmp_path):
    home = tmp_path / "fresh"
    store = Store(home / "nextround.db")
    store.close()
    assert stat.S_IMODE((home / "nextround.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_damaged_database_gives_a_clear_message(tmp_path):
    path = tmp_path / "nextround.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as err:
        Store(path)
    assert str(path) in str(err.value)
    assert "damaged" in str(err.value)


def test_damaged_database_through_the_cli(nextround, isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "nextround.db").write_bytes(b"garbage" * 500)
    result = nextround("history")
    assert result.exit_code == 1
    assert "damaged" in result.output and "Traceback" not in result.output


def test_locked_database_gives_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "nextround.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("nextround.store.BUSY_TIMEOUT_S", 0.2)
    try:
        with pytest.raises(StoreError) as err:
            store = Store(path)
            store.create_session(kind="feedback", scenario="x", scenario_title="x", scenario_json="{}",
                                 counterpart_name="x", counterpart_role="y", provider="offline", model=None, start_candor=50,
                                 insights_total=1)
        assert "locked" in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_gives_a_clear_message(tmp_path):
    path = tmp_path / "nextround.db"
    Store(path).close()
    path.chmod(0o400)
    with pytest.raises(StoreError) as err:
        store = Store(path)
        store.create_session(kind="feedback", scenario="x", scenario_title="x", scenario_json="{}",
                             counterpart_name="x", counterpart_role="y", provider="offline", model=None, start_candor=50, insights_total=1)
    assert str(path) in str(err.value)


def test_eight_sessions_at_once_are_all_saved(tmp_path, isolated_home):
    script = tmp_path / "lines.txt"
    script.write_text("\n".join([
        "Thank you for meeting with me, I accept the decision.",
        "How did my interview come across?",
        "What skills would you suggest I build?",
    ]) + "\n", encoding="utf-8")
    env = dict(os.environ, NEXTROUND_HOME=str(isolated_home))
    procs = [
        subprocess.Popen([sys.executable, "-m", "nextround", kind, "--script", str(script), "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for kind in ["feedback", "career"] * 4
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    ids = {json.loads(o[0])["session_id"] for o in outputs}
    assert len(ids) == 8
    store = Store(isolated_home / "nextround.db")
    sessions = store.list_sessions()
    store.close()
    assert len(sessions) == 8
    assert all(sum(1 for t in s.turns if t.role == "user") == 3 for s in sessions)
