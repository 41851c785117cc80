"""Loading scenario files: YAML (the C loader where available), validation with one-line errors, lookup by name.

A scenario is found by file path, by the name of one of your own scenarios, or by built-in name. Files in the
first schema are upgraded on load (see `legacy`), so older files and saved sessions keep working.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from nextround.errors import NextroundError
from nextround.scenario.legacy import upgrade
from nextround.scenario.models import Scenario
from nextround.schema import format_validation_error, yaml_load


class ScenarioError(NextroundError):
    """A scenario file is missing, unreadable or invalid. The message names the file and the field."""


def scenario_from_data(data: object, source: str) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario file must be a YAML mapping")
    try:
        return Scenario.model_validate(upgrade(data))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc)) from None


def parse_scenario(text: str, source: str) -> Scenario:
    import yaml

    try:
        data = yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{source}: not valid YAML{where}") from None
    return scenario_from_data(data, source)


def scenario_from_snapshot(snapshot: str) -> Scenario:
    """The scenario exactly as a session ran it (sessions store it as JSON), upgraded if it is schema 1."""
    return scenario_from_data(json.loads(snapshot), "the session's scenario snapshot")


def load_scenario_file(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, not a scenario file") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: scenario file is not valid UTF-8") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario file ({exc.strerror})") from None
    return parse_scenario(text, str(path))


def _builtin_folder():
    return resources.files("nextround.prompts") / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in _builtin_folder().iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    res = _builtin_folder() / f"{name}.yaml"
    if not res.is_file():
        raise ScenarioError(f"no built-in scenario named {name!r} (built-in: {', '.join(builtin_names())})")
    return res.read_text(encoding="utf-8")


def load_builtin(name: str) -> Scenario:
    return parse_scenario(builtin_text(name), f"built-in scenario {name}")


def user_scenario_dir() -> Path:
    from nextround.paths import check_folder, config_dir

    return check_folder(config_dir() / "scenarios")


def resolve_scenario(ref: str | None, default_name: str) -> Scenario:
    """Find a scenario by file path, user scenario name or built-in name."""
    if ref is None:
        return load_builtin(default_name)
    as_path = Path(ref).expanduser()
    if as_path.suffix in {".yaml", ".yml"} or as_path.exists() or "/" in ref:
        return load_scenario_file(as_path)
    user_file = user_scenario_dir() / f"{ref}.yaml"
    if user_file.exists():
        return load_scenario_file(user_file)
    return load_builtin(ref)


def catalogue() -> list[dict]:
    """Every scenario we can find: built-ins, then the user's own (a broken user file is listed with its error)."""
    rows = []
    folder = _builtin_folder()
    for name in builtin_names():
        sc = load_builtin(name)
        rows.append({"name": name, "source": "built-in", "kind": sc.kind, "title": sc.title,
                     "insights": len(sc.insights), "counterpart": sc.counterpart.name,
                     "path": str(folder / f"{name}.yaml"), "error": None})
    user_dir = user_scenario_dir()
    if user_dir.is_dir():
        for path in sorted(list(user_dir.glob("*.yaml")) + list(user_dir.glob("*.yml"))):
            try:
                sc = load_scenario_file(path)
            except ScenarioError as exc:
                rows.append({"name": path.stem, "source": "yours", "kind": None, "title": None, "insights": None,
                             "counterpart": None, "path": str(path), "error": str(exc)})
                continue
            rows.append({"name": path.stem, "source": "yours", "kind": sc.kind, "title": sc.title,
                         "insights": len(sc.insights), "counterpart": sc.counterpart.name, "path": str(path),
                         "error": None})
    return rows
