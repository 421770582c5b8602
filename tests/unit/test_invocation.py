"""Hints name stratui as the user can run it from here (stratui.invocation)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stratui.invocation import shell_command, stratui_command


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    stratui_command.cache_clear()
    yield
    stratui_command.cache_clear()


def install(folder: Path, *, script: bool = True) -> Path:
    """A venv's bin folder: its python, and the stratui script beside it."""
    bin_ = folder / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").write_text("#!/bin/sh\n")
    if script:
        (bin_ / "stratui").write_text("#!/bin/sh\n")
        (bin_ / "stratui").chmod(0o755)
    return bin_


def test_stratui_when_that_name_on_path_is_this_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = install(tmp_path / "venv")
    monkeypatch.setattr(sys, "executable", str(bin_ / "python"))
    monkeypatch.setenv("PATH", f"{bin_}:/usr/bin:/bin")
    assert shell_command("demo") == "stratui demo"


def test_the_scripts_path_from_here_when_the_venv_is_not_activated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = install(tmp_path / "clone" / ".venv")
    monkeypatch.setattr(sys, "executable", str(bin_ / "python"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(tmp_path / "clone")  # where the README's install leaves the user
    assert shell_command("demo") == ".venv/bin/stratui demo"
    stratui_command.cache_clear()
    monkeypatch.chdir(tmp_path / "clone" / ".venv" / "bin")
    assert stratui_command() == "./stratui"  # a bare name would be looked up on PATH


def test_the_full_path_elsewhere_and_quoted_for_the_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = install(tmp_path / "my tools" / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setattr(sys, "executable", str(bin_ / "python"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(elsewhere)
    assert stratui_command() == f"'{bin_ / 'stratui'}'"


def test_another_stratui_on_path_is_not_this_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = install(tmp_path / "ours")
    theirs = install(tmp_path / "theirs")
    monkeypatch.setattr(sys, "executable", str(ours / "python"))
    monkeypatch.setenv("PATH", f"{theirs}:/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    assert stratui_command() == "ours/bin/stratui"


def test_python_m_stratui_when_no_script_was_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = install(tmp_path / "py", script=False)
    monkeypatch.setattr(sys, "executable", str(bin_ / "python"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    assert shell_command("check --repair") == "py/bin/python -m stratui check --repair"
