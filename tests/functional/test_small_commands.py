"""The small commands (`--version`, `--help`, `locate`, `schema`) load only what they need.

Asserted as the modules a real process imports, not as a time: the store, pydantic's models,
the bank holidays and Textual are what made `stratui --version` take 12x a bare Python.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stratui import __version__

# Run as the `stratui` command runs (its console script calls stratui.cli.main), then list what
# was imported: the same interpreter, no shell, no timing.
PROBE = """
import json, sys
from stratui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
raise SystemExit(code)
"""

HEAVY = ("pydantic", "holidays", "textual", "rich", "tomlkit", "tinydb", "filelock", "stratui.store", "stratui.models")


def imported_by(*args: str) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    marker = result.stderr.rindex("MODULES ")
    return result.stdout, set(json.loads(result.stderr[marker + len("MODULES ") :]))


def loaded(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in modules)


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("locate",), ("demo", "--help")])
def test_a_small_command_loads_no_store_models_holidays_or_textual(args: tuple[str, ...]) -> None:
    out, modules = imported_by(*args)
    assert out.strip()
    assert [package for package in HEAVY if loaded(modules, package)] == []


def test_version_prints_the_version() -> None:
    out, _ = imported_by("--version")
    assert out.strip() == f"stratui {__version__}"


def test_schema_loads_the_models_but_not_the_store_or_textual() -> None:
    out, modules = imported_by("schema")
    assert json.loads(out)["title"] == "Discussion"
    assert loaded(modules, "pydantic")
    assert [package for package in ("textual", "stratui.store", "tinydb", "filelock") if loaded(modules, package)] == []
