"""Rehearsals that are open in the page, each on its own thread.

A `Rehearsal` (nextround.session) and its SQLite connection belong to the thread that made them, so each open
rehearsal gets one worker thread, and every call for it runs there, one at a time, in the order the page sent
them. Turns are saved the moment they happen, exactly as on the command line: closing the tab loses nothing,
and stopping the server marks every open rehearsal as interrupted (as Ctrl-C does in the terminal).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from nextround.errors import NextroundError


class NotOpen(NextroundError):
    """The page names a rehearsal that is not open (finished, or from before the server restarted)."""


class LiveRehearsal:
    """One rehearsal and the thread it lives on."""

    def __init__(self, key: int):
        self.key = key
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"nextround-web-{key}")
        self.rehearsal = None  # set on the worker thread by `open`
        self.store = None

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """FUNC(*ARGS) on this rehearsal's thread."""
        return await asyncio.wrap_future(self._pool.submit(func, *args))

    def submit(self, func: Callable[..., Any], *args: Any):
        return self._pool.submit(func, *args)

    def close(self) -> None:
        """Mark the session interrupted if it is still open, close its database connection, stop the thread."""

        def finish() -> None:
            if self.rehearsal is not None:
                self.rehearsal.abandon()
            if self.store is not None:
                self.store.close()

        try:
            self._pool.submit(finish).result(timeout=30)
        except Exception:  # noqa: BLE001 - shutting down: the turns are already saved
            pass
        self._pool.shutdown(wait=False, cancel_futures=True)


class LiveRehearsals:
    """The rehearsals open in this server, by a number of their own (the session id is known only once the
    opening line is saved)."""

    def __init__(self) -> None:
        self._open: dict[int, LiveRehearsal] = {}
        self._by_session: dict[int, LiveRehearsal] = {}
        self._lock = threading.Lock()
        self._next = 1

    def new(self) -> LiveRehearsal:
        with self._lock:
            live = LiveRehearsal(self._next)
            self._open[self._next] = live
            self._next += 1
            return live

    def bind(self, live: LiveRehearsal, session_id: int) -> None:
        with self._lock:
            self._by_session[session_id] = live

    def get(self, session_id: int) -> LiveRehearsal:
        with self._lock:
            live = self._by_session.get(session_id)
        if live is None or live.rehearsal is None or live.rehearsal.finished:
            raise NotOpen(f"Practice session {session_id} is not open any more; start a new one from the first page.")
        return live

    def still_open(self) -> list[LiveRehearsal]:
        """Rehearsals started and not ended (e.g. their tab was closed), newest first."""
        with self._lock:
            found = list(self._by_session.values())
        return sorted((live for live in found if live.rehearsal is not None and not live.rehearsal.finished),
                      key=lambda live: -live.key)

    def drop(self, live: LiveRehearsal) -> None:
        with self._lock:
            self._open.pop(live.key, None)
            for session_id, other in list(self._by_session.items()):
                if other is live:
                    del self._by_session[session_id]
        live.close()

    def close_all(self) -> None:
        with self._lock:
            everything = list(self._open.values())
            self._open.clear()
            self._by_session.clear()
        for live in everything:
            live.close()
