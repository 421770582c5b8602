"""The architecture's import rules, read from the source (issue 12 item 4).

The core (stratui/*.py and the store package) imports no Textual and no screen, so it can be
used and tested without a terminal; the screens reach the store only through its public names.
Checked on the syntax tree of every module, imports inside functions included. (import-linter
cannot do it here: the screens install as stratui.screens from a folder beside stratui/, which
its graph builder does not find.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import stratui.screens
import stratui.store

REPO = Path(__file__).resolve().parents[2]
# Every module of the core, its packages (store, demo) included.
CORE = sorted((REPO / "stratui").rglob("*.py"))
SCREENS = sorted((REPO / "screens").glob("*.py"))
# The App itself joins the core to the screens: the one module of stratui/ that is Textual.
APP = REPO / "stratui" / "app.py"


def imports(path: Path, package: str = "") -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) for every import in the module; names is [] for `import x`.

    A relative import is read as the absolute one it stands for, from `package` (the module's
    own package, e.g. "stratui.screens").
    """
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level == 0:
                yield node.lineno, node.module or "", names
                continue
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
            yield node.lineno, module, names


def package_of(path: Path) -> str:
    """The installed package a source file belongs to (screens/ installs as stratui.screens)."""
    folder = path.parent.relative_to(REPO).parts
    return "stratui.screens" if folder == ("screens",) else ".".join(folder)


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_modules_are_found() -> None:
    assert len(CORE) > 20 and REPO / "stratui" / "store" / "records.py" in CORE
    assert REPO / "stratui" / "demo" / "generator.py" in CORE
    assert len(SCREENS) > 10 and REPO / "screens" / "dashboard.py" in SCREENS
    # The screens checked are the ones imported as stratui.screens (pyproject's package-dir).
    assert Path(stratui.screens.__file__).resolve().parent == REPO / "screens"


def test_the_core_never_imports_textual_or_a_screen() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in CORE
        if path != APP
        for line, module, names in imports(path, package_of(path))
        if is_within(module, "textual")
        or is_within(module, "stratui.screens")
        or (module == "stratui" and "screens" in names)
    ]
    assert found == []


def test_screens_use_only_the_stores_public_names() -> None:
    public = set(stratui.store.__all__)
    found = []
    for path in SCREENS:
        for line, module, names in imports(path, package_of(path)):
            where = f"{path.relative_to(REPO)}:{line}"
            if module.startswith("stratui.store."):
                found.append(f"{where} imports the store's internal module {module}")
            elif module == "stratui.store":
                found.extend(f"{where} imports stratui.store.{name}, not a public name" for name in names if name not in public)
            elif module == "stratui" and "store" in names:
                found.append(f"{where} imports the store package as a module: import its public names")
    assert found == []


def test_the_checks_catch_what_they_forbid(tmp_path: Path) -> None:
    """The walk sees an import inside a function and a from-import of an internal module."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from textual.app import App\n    from stratui.store.records import RecordFiles\n"
        "from ..store import records\nfrom .cells import plain\n"
    )
    assert [(line, module) for line, module, _ in imports(sample, "stratui.screens")] == [
        (4, "stratui.store"),
        (5, "stratui.screens.cells"),
        (2, "textual.app"),
        (3, "stratui.store.records"),
    ]
