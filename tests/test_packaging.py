"""A plain `pip install .` ships every package and the data files the reader needs."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_for_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(REPO / "src").parts) for p in (REPO / "src").rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml: the wheel would leave them out"


def test_the_reader_data_is_declared_as_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["nextround"]
    data = REPO / "src" / "nextround" / "data"
    shipped = {p for pattern in patterns for p in data.parent.glob(pattern)}
    for needed in ("politeness.json", "reader.npz", "minilm/weights.npz", "minilm/tokenizer.json",
                   "minilm/LICENSE"):
        assert data / needed in shipped, needed
