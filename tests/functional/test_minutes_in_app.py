"""The team's [minutes] settings reach what the app shows and exports: the preview (m) and the
exported files (e) on the review screen carry the team's marking and council, and DRAFT."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from stratui.context import open_context
from stratui.models import Discussion

from pilot import open_minutes_preview, open_review, stratui_at_80x24

MARKING = "OFFICIAL-SENSITIVE PERSONAL"
COUNCIL = "Riverside Council, Children's Services"
TODAY = "2026-11-25"


async def test_preview_and_export_carry_the_teams_marking(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    (tmp_path / "settings.toml").write_text(
        f'[minutes]\nprotective_marking = "{MARKING}"\norganisation = "{COUNCIL}"\n', "utf-8"
    )
    context = open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await open_minutes_preview(pilot)
        shown = app.screen.source
        assert shown.startswith(f"**{MARKING}**\n\n{COUNCIL}\n\n# DRAFT - ")
        assert shown.endswith(f"**{MARKING}**\n")
        on_screen = app.screen.rendered_text  # the Markdown drawn: marks gone, the words kept
        assert on_screen.startswith(f"{MARKING}\n") and on_screen.rstrip().endswith(MARKING) and "**" not in on_screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    exported = {path.suffix: path.read_text("utf-8") for path in (tmp_path / "exports").iterdir()}
    assert exported[".md"] == shown
    assert exported[".html"].count(f'<p class="marking">{MARKING}</p>') == 2
    assert f'<p class="organisation">{html.escape(COUNCIL)}</p>' in exported[".html"]
    assert f"<title>DRAFT - Strategy discussion: {record.case_ref}," in exported[".html"]
