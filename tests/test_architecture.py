"""The import graph: packages import only downward, and nothing imports in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: What each package may import (besides itself): the layers of ARCHITECTURE.md.
ALLOWED = {
    "aligner": set(),
    "workbench.formats": {"aligner"},
    "workbench.store": set(),
    "workbench.mt": {"aligner", "workbench.store"},
    "workbench.tm": {"aligner", "workbench.formats", "workbench.store"},
    "workbench.terms": {"aligner", "workbench.formats", "workbench.store"},
    "workbench.review": {
        "aligner",
        "workbench.formats",
        "workbench.store",
        "workbench.mt",
        "workbench.tm",
        "workbench.terms",
    },
    "workbench.ingest": {
        "aligner",
        "workbench.formats",
        "workbench.store",
        "workbench.mt",
        "workbench.tm",
        "workbench.terms",
        "workbench.review",
    },
    "workbench.exchange": {
        "aligner",
        "workbench.formats",
        "workbench.store",
        "workbench.mt",
        "workbench.tm",
        "workbench.terms",
        "workbench.review",
    },
    "workbench.batch": {
        "aligner",
        "workbench.formats",
        "workbench.store",
        "workbench.mt",
        "workbench.ingest",
    },
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for top in ("aligner", "workbench"):
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> set[str]:
    """Every project module this one imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # ``from pkg import submodule`` imports the submodule; any other name, pkg itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def package_of(module: str) -> str:
    if module.startswith("aligner"):
        return "aligner"
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_lower_layers(package):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if package_of(module) == package
        for target in targets
        if package_of(target) not in ALLOWED[package] | {package, "workbench"}
    )
    assert not wrong, "\n".join(wrong)


def test_aligner_never_imports_workbench():
    assert not [
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("aligner")
        for target in targets
        if target.startswith("workbench")
    ]


@pytest.mark.parametrize("package", ["workbench.formats", "workbench.ingest"])
def test_formats_and_ingest_never_import_web_or_cli(package):
    assert not [
        (module, target)
        for module, targets in GRAPH.items()
        if package_of(module) == package
        for target in targets
        if package_of(target) in {"workbench.web", "workbench.cli"}
    ]


def test_no_import_cycles():
    """A module-level cycle anywhere (function-level imports count too)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_every_package_says_what_it_may_import():
    for name, path in MODULES.items():
        if path.name == "__init__.py" and name.count(".") == 1:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert "May import" in doc, f"{name}'s docstring does not say what it may import"
