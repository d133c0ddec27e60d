"""The shape of the house: no import circle, exporters apart from the reader and the
output layer, and CONTRIBUTING.md's map naming every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "wpmigrate"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules its top level imports."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        tree = ast.parse(path.read_text("utf-8"))
        top = list(tree.body)
        for node in tree.body:  # imports for type checking only count too: still a circle
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                top.extend(node.body)
        for node in top:  # the module's top level: what loading it imports
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _is_parent_package(importer: str, imported: str) -> bool:
    # Importing a submodule loads its package first: not a circle of ours.
    return importer.startswith(imported + ".")


def test_no_import_circle() -> None:
    graph = {
        name: {t for t in targets if not _is_parent_package(name, t)}
        for name, targets in _imports().items()
    }
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_exporters_import_neither_the_reader_nor_the_output_layer() -> None:
    forbidden = re.compile(r"^wpmigrate\.(wxr|output|output_folder|pipeline|batch|cli)(\.|$)")
    for name, targets in _imports().items():
        if name.startswith("wpmigrate.exporters"):
            bad = sorted(t for t in targets if forbidden.match(t))
            assert not bad, f"{name} imports {bad}"


def test_the_map_in_contributing_names_every_module() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    named = set(re.findall(r"`(wpmigrate/[\w/]*(?:\.py)?)`", text))
    modules = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    packages = {str(p.parent.relative_to(ROOT)) + "/" for p in PACKAGE.rglob("__init__.py")}
    missing = sorted(m for m in modules | packages if m not in named and m.rstrip("/") not in named)
    assert not missing, f"CONTRIBUTING.md's map does not name {missing}"
    gone = sorted(n for n in named if not (ROOT / n).exists())
    assert not gone, f"CONTRIBUTING.md names what is not there: {gone}"
