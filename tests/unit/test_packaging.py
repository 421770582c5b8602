"""What `pip install .` puts in the package: every subpackage, and the screens' stylesheets.

An installed (not editable) copy has only what pyproject lists: a package left out there works
from the clone and fails for users (`stratui demo` once found no stratui.demo).
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from textual.screen import Screen

import stratui.screens

REPO = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_installed() -> None:
    folders = {
        ".".join(init.parent.relative_to(REPO / "stratui").parts)
        for init in (REPO / "stratui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    wanted = {f"stratui.{name}" if name else "stratui" for name in folders} | {"stratui.screens", "stratui.data"}
    assert wanted <= set(SETUPTOOLS["packages"])
    assert SETUPTOOLS["package-dir"]["stratui.screens"] == "screens"


def screen_classes() -> list[type[Screen[object]]]:
    found = []
    for module in pkgutil.iter_modules(stratui.screens.__path__):
        loaded = importlib.import_module(f"stratui.screens.{module.name}")
        for thing in vars(loaded).values():
            if isinstance(thing, type) and issubclass(thing, Screen) and thing.__module__ == loaded.__name__:
                found.append(thing)
    return found


def test_screens_keep_their_css_in_installed_tcss_files_beside_them() -> None:
    classes = screen_classes()
    assert len(classes) > 15
    globs = SETUPTOOLS["package-data"]["stratui.screens"]
    for screen in classes:
        assert "DEFAULT_CSS" not in vars(screen) and "CSS" not in vars(screen), f"{screen.__name__}: CSS in Python"
        paths = screen.CSS_PATH if isinstance(screen.CSS_PATH, list) else [screen.CSS_PATH] if screen.CSS_PATH else []
        for name in paths:
            assert (REPO / "screens" / str(name)).is_file(), f"{screen.__name__}: no {name}"
            assert any(fnmatch(str(name), glob) for glob in globs), f"{name} is not installed"
