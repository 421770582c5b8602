"""A signed-off record shows its rows, but not the boxes that would add one (they could not)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from stratui.context import Context
from stratui.models import Discussion, DiscussionStatus, SignOff
from stratui.screens.details import DetailsScreen
from stratui.screens.rows import RowList

from pilot import stratui_at_80x24


async def test_a_signed_off_record_hides_the_boxes_that_add_rows(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    record = make_discussion(
        status=DiscussionStatus.SIGNED_OFF,
        sign_off=SignOff(manager="Jo Reid", signed_at=datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)),
    )
    saved = context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        app.open_discussion(saved.id)
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        participants = app.screen.query_one("#participant-form", RowList)
        assert participants.has_class("locked")
        assert all(not line.display for line in participants.query(".row-line"))
        shown = app.screen.query_one("#participants")
        assert shown.display and shown.row_count == len(saved.participants)
