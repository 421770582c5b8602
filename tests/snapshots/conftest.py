"""Snapshots show what a screen draws, not the machine they were taken on."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def stratui_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hints name stratui as it runs from here (stratui.invocation), which depends on PATH and
    the current folder: in a snapshot it is always the plain name, as on PATH."""
    monkeypatch.setattr("stratui.invocation.stratui_command", lambda: "stratui")
