"""Expected failures, and how each one is described to the user in one line."""

from __future__ import annotations


class NextroundError(Exception):
    """A failure the user can act on; its message is shown as is."""


def describe(exc: BaseException) -> str:
    if isinstance(exc, NextroundError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"input is not valid UTF-8 ({exc.reason} at byte {exc.start})"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return f"unexpected error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
