"""Small helpers shared by command modules: reading input files and opening the store."""

from __future__ import annotations

import sys

import click


def looks_binary(data: bytes) -> bool:
    """Mostly bytes that are neither text nor UTF-8 (an image, an archive, a program), as opposed to a text file
    with a stray control character or a badly encoded word, which is cleaned up instead."""
    sample = data[:8192]
    if not sample:
        return False
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") + sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x1b")
    return bad > max(8, len(text) // 10)


def read_lines(path: str, what: str = "script", require_text: bool = False) -> tuple[list[str], list[str]]:
    """Read FILE (or '-' for stdin) as lines. Invalid UTF-8 is replaced, with a warning, rather than fatal; with
    `require_text`, a file that is not text at all (binary) is refused."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            name = "standard input"
        else:
            with open(path, "rb") as handle:
                data = handle.read()
            name = path
    except FileNotFoundError:
        raise click.ClickException(f"{path}: {what} file not found") from None
    except IsADirectoryError:
        raise click.ClickException(f"{path}: is a folder, not a {what} file") from None
    except PermissionError:
        raise click.ClickException(f"{path}: permission denied reading the {what} file") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the {what} file ({exc.strerror})") from None
    if require_text and looks_binary(data):
        raise click.ClickException(f"{path}: this is not a text file (it looks binary); a {what} has one line "
                                   "of plain text per turn")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        line_no = data[: exc.start].count(b"\n") + 1
        warnings.append(f"{name} is not valid UTF-8 (first at line {line_no}); unreadable bytes were replaced with �")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.splitlines(), warnings


def open_store():
    from nextround.store import Store

    return Store()
