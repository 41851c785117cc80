"""No import cycle between the packages and top-level modules of nextround, counting every import statement:
module-level ones and the lazy ones inside functions alike (a lazy import hides a cycle, it does not remove it).

Data flows one way (scenario -> reading -> engine -> persona -> store -> report/plan; models below the persona,
the assembly of parts above both), so the graph of "unit A imports unit B" must have no cycle. A unit is a
subpackage (`nextround.models`) or a top-level module (`nextround.engine`)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "nextround"


def _unit(module: str) -> str | None:
    """"nextround.models.judge" -> "models"; "nextround.engine" -> "engine"; outside nextround -> None."""
    parts = module.split(".")
    if parts[0] != "nextround" or len(parts) < 2:
        return None
    if not ((SRC / parts[1]).is_dir() or (SRC / f"{parts[1]}.py").is_file()):
        return None  # a name imported from the package itself ("from nextround import __version__")
    return parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, wherever the statement sits (ast.walk visits function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # "from nextround import engine" imports the module nextround.engine
            if module == "nextround":
                found.update(f"nextround.{alias.name}" for alias in node.names)
    return found


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        if "prompts" in path.relative_to(SRC).parts:
            continue
        source = _unit(_module_name(path))
        if source is None:
            continue
        targets = {_unit(m) for m in _imports(path)} - {None, source}
        graph.setdefault(source, set()).update(t for t in targets if t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if state.get(target) is None:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_between_packages_or_top_level_modules():
    cycle = find_cycle(unit_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_walker_sees_lazy_imports_and_reports_a_cycle():
    # The checker itself: a lazy import inside a function counts, and a two-unit loop is found.
    code = "def f():\n    from nextround.persona import llm\n"
    tree_imports = {n.module for n in ast.walk(ast.parse(code)) if isinstance(n, ast.ImportFrom)}
    assert tree_imports == {"nextround.persona"}
    assert find_cycle({"models": {"persona"}, "persona": {"models"}}) == ["models", "persona", "models"]
    assert find_cycle({"models": {"scenario"}, "persona": {"models"}}) is None
