"""Where nextround keeps its data. One variable, NEXTROUND_HOME, moves everything (and isolates tests)."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path | None:
    value = os.environ.get("NEXTROUND_HOME", "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    root = home()
    if root is not None:
        return root
    from platformdirs import user_data_dir

    return Path(user_data_dir("nextround", appauthor=False))


def config_dir() -> Path:
    root = home()
    if root is not None:
        return root / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir("nextround", appauthor=False))


def db_path() -> Path:
    return data_dir() / "nextround.db"
