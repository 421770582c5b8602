"""Exporting minutes to the private exports folder (exports.export_minutes)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from stratui.exports import export_minutes, export_stem
from stratui.models import Discussion


def test_export_stem_keeps_only_safe_characters(make_discussion: Callable[..., Discussion]) -> None:
    record = make_discussion(case_ref="../CS 12/34;rm -rf*")
    stem = export_stem(record)
    assert stem == f"CS-12-34-rm--rf_2026-11-20_{record.id[:8]}"
    assert all(c.isalnum() or c in "-_" for c in stem)


def test_export_stem_without_a_case_ref(make_discussion: Callable[..., Discussion]) -> None:
    record = make_discussion(case_ref="")
    assert export_stem(record).startswith("no-case-ref_2026-11-20_")


def test_two_discussions_of_a_case_on_one_day_do_not_overwrite_each_other(
    make_discussion: Callable[..., Discussion],
) -> None:
    assert export_stem(make_discussion()) != export_stem(make_discussion())


def test_export_minutes_writes_private_md_and_html(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> None:
    record = make_discussion()
    folder = tmp_path / "exports" / "nested"
    paths = export_minutes(record, folder)
    assert [p.suffix for p in paths] == [".md", ".html"]
    assert all(p.parent == folder for p in paths)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert "\n# DRAFT - Strategy discussion: CS-104233" in paths[0].read_text("utf-8")
    assert "<h1>" in paths[1].read_text("utf-8")
    # Exporting again replaces the same two files.
    assert export_minutes(record, folder) == paths
    assert len(list(folder.iterdir())) == 2


def test_export_minutes_defaults_to_the_exports_folder(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> None:
    # conftest points STRATUI_EXPORTS at tmp_path / "exports".
    paths = export_minutes(make_discussion())
    assert all(p.parent == tmp_path / "exports" for p in paths)
