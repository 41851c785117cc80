"""SQLite store: sessions and turns, written as they happen.

WAL mode and a busy timeout let several sessions run at once without losing each other's turns. Schema changes
go through a tiny migration registry: a list of functions whose applied names are recorded in a table.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from nextround.errors import NextroundError
from nextround.paths import db_path, ensure_folder, unusable


# How long to wait for another nextround process holding the database before giving up.
BUSY_TIMEOUT_S = 10.0


class StoreError(NextroundError):
    """The database cannot be used; the message names the file and what to do."""


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


# --- migrations -------------------------------------------------------------------------------------------------


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would commit the surrounding transaction; run statements one by one instead.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _m001_initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            scenario TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_json TEXT NOT NULL,
            counterpart TEXT NOT NULL,
            provider TEXT NOT NULL DEFAULT 'offline',
            model TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            start_candor INTEGER NOT NULL,
            final_candor INTEGER,
            insights_total INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            score INTEGER,
            label TEXT,
            flags_json TEXT,
            rewrite TEXT,
            candor INTEGER,
            unlocked_json TEXT,
            reply_kind TEXT,
            judge_json TEXT,
            superseded INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX turns_by_session ON turns(session_id, seq);
        """
    )


def _m002_moves_readings_counterpart(conn: sqlite3.Connection) -> None:
    """Per turn: the counterpart's move topic and details (clarify options, acknowledgement kind, layer, closing
    tone), the topics a user line was read as asking about, and the readings (local and, in model mode, the
    model's). Per session: the counterpart's name and role as separate fields."""
    for statement in (
        "ALTER TABLE turns ADD COLUMN topic TEXT",
        "ALTER TABLE turns ADD COLUMN topics_json TEXT",
        "ALTER TABLE turns ADD COLUMN reading_json TEXT",
        "ALTER TABLE turns ADD COLUMN detail_json TEXT",
        "ALTER TABLE sessions ADD COLUMN counterpart_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN counterpart_role TEXT NOT NULL DEFAULT ''",
    ):
        conn.execute(statement)
    rows = conn.execute("SELECT id, scenario_json, counterpart FROM sessions").fetchall()
    for session_id, scenario_json, counterpart in rows:
        name, role = _split_counterpart(scenario_json, counterpart)
        conn.execute("UPDATE sessions SET counterpart_name = ?, counterpart_role = ? WHERE id = ?",
                     (name, role, session_id))


def _split_counterpart(scenario_json: str, counterpart: str) -> tuple[str, str]:
    """Name and role from the session's scenario snapshot; the old "Name, Role" text if the snapshot is unreadable."""
    try:
        person = json.loads(scenario_json)["counterpart"]
        return str(person["name"]), str(person["role"])
    except (ValueError, KeyError, TypeError):
        name, _, role = (counterpart or "").partition(", ")
        return name, role


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_initial, _m002_moves_readings_counterpart]


def _migration_names() -> list[str]:
    return [fn.__name__.lstrip("_") for fn in MIGRATIONS]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations. Safe when several processes start at once: one takes the write lock."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    if all(name in done for name in _migration_names()):
        return []
    applied = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM migrations")}  # re-read under the lock
        for fn in MIGRATIONS:
            name = fn.__name__.lstrip("_")
            if name in done:
                continue
            fn(conn)
            conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now_iso()))
            applied.append(name)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return applied


# --- records ----------------------------------------------------------------------------------------------------


@dataclass
class TurnRecord:
    seq: int
    role: str
    text: str
    score: int | None = None
    label: str | None = None
    flags: list[dict[str, Any]] = field(default_factory=list)
    rewrite: str | None = None
    candor: int | None = None
    unlocked: list[str] = field(default_factory=list)
    reply_kind: str | None = None  # the counterpart's move (see nextround.moves), or the user line's course
    judge: dict[str, Any] | None = None
    superseded: bool = False
    created_at: str = ""
    topic: str | None = None  # counterpart turns: the insight the move was about
    topics: list[str] = field(default_factory=list)  # user turns: insights the line was read as asking about
    reading: dict[str, Any] | None = None  # user turns: the local reading and, in model mode, the model's
    detail: dict[str, Any] | None = None  # counterpart turns: clarify options, acknowledgement kind, layer, closing


@dataclass
class SessionRecord:
    id: int
    kind: str
    scenario: str
    scenario_title: str
    scenario_json: str
    counterpart: str
    provider: str
    model: str | None
    started_at: str
    ended_at: str | None
    status: str
    start_candor: int
    final_candor: int | None
    insights_total: int
    prompt_tokens: int
    completion_tokens: int
    counterpart_name: str = ""
    counterpart_role: str = ""
    turns: list[TurnRecord] = field(default_factory=list)

    @property
    def live_turns(self) -> list[TurnRecord]:
        """Turns that count: rephrased (retried) ones are kept for the record but left out."""
        return [t for t in self.turns if not t.superseded]

    @property
    def unlocked(self) -> list[str]:
        ids: list[str] = []
        for turn in self.live_turns:
            for insight_id in turn.unlocked:
                if insight_id not in ids:
                    ids.append(insight_id)
        return ids


# --- the store --------------------------------------------------------------------------------------------------


class Store:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else db_path()
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        path = self.path
        ensure_folder(path.parent)
        created = not path.exists()
        if created:
            # Create the file user-only before SQLite opens it, so the database is never world-readable.
            try:
                fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            except OSError as exc:
                raise unusable(path.parent, f"cannot create the database {path} ({exc.strerror})") from None
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # a read-only folder cannot hold the WAL files; plain journaling still works for reads
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from None
        return conn

    def _explain(self, exc: sqlite3.Error) -> str:
        msg = str(exc).lower()
        if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
            return (
                f"the database {self.path} is damaged ({exc}). Move it aside (or delete it) and nextround will "
                "start a new one; set NEXTROUND_HOME to use another folder."
            )
        if "locked" in msg or "busy" in msg:
            return f"the database {self.path} is locked by another program; close it and try again."
        if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
            return (
                f"cannot write the database {self.path} ({exc}); check its permissions or set NEXTROUND_HOME "
                "to a writable folder."
            )
        return f"database error in {self.path}: {exc}"

    def _run(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from None

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    # sessions

    def create_session(self, *, kind: str, scenario: str, scenario_title: str, scenario_json: str,
                       counterpart_name: str, counterpart_role: str, provider: str, model: str | None,
                       start_candor: int, insights_total: int) -> int:
        # The first schema's combined "Name, Role" column stays filled for older readers of the same file.
        cur = self._run(
            "INSERT INTO sessions (kind, scenario, scenario_title, scenario_json, counterpart, counterpart_name,"
            " counterpart_role, provider, model, started_at, start_candor, final_candor, insights_total)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (kind, scenario, scenario_title, scenario_json, f"{counterpart_name}, {counterpart_role}",
             counterpart_name, counterpart_role, provider, model, now_iso(), start_candor, start_candor,
             insights_total),
        )
        return int(cur.lastrowid)

    def add_turn(self, session_id: int, turn: TurnRecord) -> None:
        """One statement per turn: committed at once, so an interruption keeps every turn already said."""
        self._run(
            "INSERT INTO turns (session_id, seq, role, text, score, label, flags_json, rewrite, candor,"
            " unlocked_json, reply_kind, judge_json, superseded, created_at, topic, topics_json, reading_json,"
            " detail_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, turn.seq, turn.role, turn.text, turn.score, turn.label,
             json.dumps(turn.flags) if turn.role == "user" else None, turn.rewrite, turn.candor,
             json.dumps(turn.unlocked) if turn.role == "user" else None, turn.reply_kind,
             json.dumps(turn.judge) if turn.judge is not None else None, int(turn.superseded),
             turn.created_at or now_iso(), turn.topic,
             json.dumps(turn.topics) if turn.role == "user" else None,
             json.dumps(turn.reading) if turn.reading is not None else None,
             json.dumps(turn.detail) if turn.detail else None),
        )
        if turn.role == "user" and turn.candor is not None:
            self._run("UPDATE sessions SET final_candor = ? WHERE id = ?", (turn.candor, session_id))

    def supersede_last_exchange(self, session_id: int) -> None:
        """Mark the last user turn and anything after it as rephrased: kept for the record, not counted."""
        row = self._run(
            "SELECT MAX(seq) FROM turns WHERE session_id = ? AND role = 'user' AND superseded = 0", (session_id,)
        ).fetchone()
        if row and row[0] is not None:
            self._run("UPDATE turns SET superseded = 1 WHERE session_id = ? AND seq >= ?", (session_id, row[0]))

    def set_reading(self, session_id: int, seq: int, reading: dict[str, Any]) -> None:
        self._run("UPDATE turns SET reading_json = ? WHERE session_id = ? AND seq = ?",
                  (json.dumps(reading), session_id, seq))

    def set_judge(self, session_id: int, seq: int, judge: dict[str, Any]) -> None:
        self._run("UPDATE turns SET judge_json = ? WHERE session_id = ? AND seq = ?",
                  (json.dumps(judge), session_id, seq))

    def set_candor(self, session_id: int, candor: int) -> None:
        self._run("UPDATE sessions SET final_candor = ? WHERE id = ?", (candor, session_id))

    def add_usage(self, session_id: int, prompt_tokens: int, completion_tokens: int) -> None:
        self._run(
            "UPDATE sessions SET prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?"
            " WHERE id = ?",
            (prompt_tokens, completion_tokens, session_id),
        )

    def finish_session(self, session_id: int, status: str = "completed") -> None:
        self._run("UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?", (now_iso(), status, session_id))

    # queries

    def _session_from_row(self, row: sqlite3.Row) -> SessionRecord:
        return SessionRecord(**{k: row[k] for k in row.keys()})

    def list_sessions(self, *, kind: str | None = None, since: str | None = None,
                      limit: int | None = None) -> list[SessionRecord]:
        sql = "SELECT * FROM sessions"
        where, params = [], []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if since:
            where.append("started_at >= ?")
            params.append(since)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        sessions = [self._session_from_row(r) for r in self._run(sql, tuple(params)).fetchall()]
        for session in sessions:
            session.turns = self._turns(session.id)
        return sessions

    def _turns(self, session_id: int) -> list[TurnRecord]:
        rows = self._run("SELECT * FROM turns WHERE session_id = ? ORDER BY seq, id", (session_id,)).fetchall()
        turns = []
        for r in rows:
            turns.append(
                TurnRecord(
                    seq=r["seq"], role=r["role"], text=r["text"], score=r["score"], label=r["label"],
                    flags=json.loads(r["flags_json"]) if r["flags_json"] else [], rewrite=r["rewrite"],
                    candor=r["candor"], unlocked=json.loads(r["unlocked_json"]) if r["unlocked_json"] else [],
                    reply_kind=r["reply_kind"], judge=json.loads(r["judge_json"]) if r["judge_json"] else None,
                    superseded=bool(r["superseded"]), created_at=r["created_at"], topic=r["topic"],
                    topics=json.loads(r["topics_json"]) if r["topics_json"] else [],
                    reading=json.loads(r["reading_json"]) if r["reading_json"] else None,
                    detail=json.loads(r["detail_json"]) if r["detail_json"] else None,
                )
            )
        return turns

    def get_session(self, session_id: int) -> SessionRecord | None:
        row = self._run("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        session = self._session_from_row(row)
        session.turns = self._turns(session_id)
        return session

    def latest_id(self, kind: str | None = None) -> int | None:
        if kind:
            row = self._run("SELECT MAX(id) FROM sessions WHERE kind = ?", (kind,)).fetchone()
        else:
            row = self._run("SELECT MAX(id) FROM sessions").fetchone()
        return row[0] if row and row[0] is not None else None
