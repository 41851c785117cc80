"""Where nextround keeps its files. One variable, NEXTROUND_HOME, moves everything (and isolates tests).

The data folder (database, traffic log, reading cache) and the config folder (config.toml, your own scenarios)
are checked whenever a command asks for them: a folder that is a file, or that sits inside a file, or that
cannot be created, is a `FolderError` worded by `unusable` alone, so every command says the same thing
("NEXTROUND_HOME=/x cannot be used: it is a file, not a folder; point it at a folder you can write (or unset
it)"). Stdlib only.
"""

from __future__ import annotations

import os
from pathlib import Path

from nextround.errors import NextroundError


class FolderError(NextroundError):
    """A folder nextround needs cannot be used; the message says which, why and what to do."""


def home() -> Path | None:
    value = os.environ.get("NEXTROUND_HOME", "").strip()
    return Path(value).expanduser() if value else None


def unusable(path: Path, reason: str) -> FolderError:
    """The one wording of "this folder cannot be used": NEXTROUND_HOME is named when the folder is inside it."""
    root = home()
    if root is not None and (path == root or root in path.parents):
        return FolderError(f"NEXTROUND_HOME={root} cannot be used: {reason}; point it at a folder you can write "
                           "(or unset it)")
    return FolderError(f"cannot use the folder {path}: {reason}; set NEXTROUND_HOME to a folder you can write")


def _not_a_folder(found: Path, path: Path) -> FolderError:
    who = "it is" if found == (home() or path) else f"{found} is"
    return unusable(path, f"{who} a file, not a folder" if found.is_file() else f"{who} not a folder")


def check_folder(path: Path) -> Path:
    """PATH, after checking that it is a folder or could become one: it and every part of it that exists are
    folders. Creates nothing (reading needs no folder: a missing one is simply empty)."""
    for part in (*reversed(path.parents), path):
        if part.exists() and not part.is_dir():
            raise _not_a_folder(part, path)
    return path


def ensure_folder(path: Path) -> Path:
    """PATH as an existing folder, created user-only (with its parents) when missing."""
    check_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise unusable(path, f"cannot create {path} ({exc.strerror or exc})") from None
    return path


def data_dir() -> Path:
    """Sessions, the traffic log and caches: $NEXTROUND_HOME, or the platform's user data folder."""
    root = home()
    if root is None:
        from platformdirs import user_data_dir

        root = Path(user_data_dir("nextround", appauthor=False))
    return check_folder(root)


def config_dir() -> Path:
    """config.toml and your own scenarios: $NEXTROUND_HOME/config, or the platform's user config folder."""
    root = home()
    if root is not None:
        return check_folder(root / "config")
    from platformdirs import user_config_dir

    return check_folder(Path(user_config_dir("nextround", appauthor=False)))


def db_path() -> Path:
    return data_dir() / "nextround.db"
