"""The package says what it is: one version everywhere, a licence, a changelog entry for it."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

from stratui import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_version_is_the_one_stratui_prints() -> None:
    assert importlib.metadata.version("stratui") == __version__


def test_the_changelog_has_an_entry_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## [{__version__}] - " in changelog


def test_the_licence_is_declared_and_shipped() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert importlib.metadata.metadata("stratui")["License-Expression"] == "MIT"
    assert project["authors"] == [{"name": "stratui developers"}]
