"""The crash report keeps where in the code an error happened, never what the record holds."""

from __future__ import annotations

import stat
from datetime import datetime, timezone
from pathlib import Path

from stratui.crash import report_text, write_report

NOW = datetime(2026, 11, 25, 10, 42, 3, tzinfo=timezone.utc)


def failing_save(name: str) -> None:
    raise ValueError(f"children.0.name: '{name}' is not valid")


def caught() -> BaseException:
    try:
        try:
            failing_save("Zebedee Quillfeather")
        except ValueError as exc:
            raise RuntimeError(f"while saving {exc}") from exc
    except RuntimeError as outer:
        return outer
    raise AssertionError("unreachable")


def test_the_report_names_types_and_frames_only() -> None:
    text = report_text(caught(), NOW)
    assert "builtins.RuntimeError" in text and "builtins.ValueError" in text  # the chain, both
    assert "in failing_save" in text and "in caught" in text
    assert f"{Path(__file__)}:" in text  # file and line
    assert "Zebedee" not in text and "not valid" not in text and "while saving" not in text


def test_the_report_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "crash-reports"
    folder.mkdir(parents=True, mode=0o755)  # an existing folder others could read
    path = write_report(caught(), NOW, folder)
    assert path.parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text("utf-8") == report_text(caught(), NOW)
