"""Markdown export of a session, and writing output files user-only."""

from __future__ import annotations

import os
import sys
from typing import Any

from nextround.errors import NextroundError


def write_private(path: str | os.PathLike, text: str) -> None:
    """Write TEXT to PATH with user-only permissions (new folders user-only too)."""
    folder = os.path.dirname(os.fspath(path))
    try:
        if folder and not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    except OSError as exc:
        raise NextroundError(f"{path}: cannot write ({exc.strerror})") from None


def check_output_folder(path: str | None) -> None:
    """An output file goes into a folder that exists: a mistyped folder is an error, not a new folder."""
    if path is None or path == "-":
        return
    folder = os.path.dirname(os.fspath(path))
    if folder and not os.path.isdir(folder):
        what = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise NextroundError(f"{path}: cannot write: the folder {folder} {what}")


def write_output(text: str, path: str | None) -> None:
    """Write to stdout, or to PATH (in an existing folder) created with user-only permissions."""
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    check_output_folder(path)
    write_private(path, text)
    print(f"wrote {path}", file=sys.stderr)


def session_markdown(session: dict[str, Any]) -> str:
    """The session as Markdown. Turns carry the numbers `show` prints and the plan cites (the opening is turn 0);
    a line taken back with /retry stays in its place, marked as rephrased."""
    s = session["summary"]
    name = session.get("counterpart_name") or session["counterpart"].split(",")[0]
    out = [
        f"# Session {session['session_id']}: {session['title']}",
        "",
        f"- Conversation: {session['kind']}, practised with {session['counterpart']}",
        f"- Started: {session['started_at']} · status: {session['status']}",
        f"- Mean tone: {s['mean_tone'] if s['mean_tone'] is not None else '—'} · candor "
        f"{s['start_candor']} → {s['final_candor']} · insights {s['insights_found']} of {s['insights_total']}",
        "",
        "## Transcript",
        "",
    ]
    for turn in session["turns"]:
        rephrased = turn.get("rephrased", False)
        if turn["role"] == "user":
            tone = turn["tone"]
            mark = " (rephrased: taken back with /retry, did not count)" if rephrased else ""
            out.append(f"**Turn {turn['turn']} · You{mark}:** {turn['text']}  ")
            out.append(f"*tone {tone['score']} ({tone['label']}), candor {turn['candor']}*")
            for flag in tone["flags"]:
                out.append(f"  - ⚑ {flag['category']}: “{flag['phrase']}” — {flag['why']} Try: {flag['better']}")
        else:
            mark = " (reply to the rephrased line)" if rephrased else ""
            out.append(f"**Turn {turn['turn']} · {name}{mark}:** {turn['text']}")
        out.append("")
    out += ["## Insights", ""]
    for item in s["found"]:
        out.append(f"- [x] {item['title']}")
    for item in s["missed"]:
        out.append(f"- [ ] {item['title']} — {item['ask_hint']}")
    out.append("")
    return "\n".join(out)
