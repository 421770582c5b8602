"""Record text that looks like markup ("[/]", "[b]", "[Police]") is shown as typed on every screen.

Textual and Rich read plain strings as markup in many widgets; a record holding "[/]" once
stopped the dashboard. This walks every screen of a discussion whose every text field holds such
text, by keys, and checks the app neither stops nor loses the brackets.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import events
from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast

from stratui.app import make_app
from stratui.context import Context
from stratui.models import Discussion
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.history import HistoryScreen

from pilot import press_to, save_now, start_new, stratui_at_80x24, wait_until, writes_landed

HOSTILE = "[/] [b]bold?[/b] [Police] [link=x]"


def poisoned(discussion: Discussion) -> Discussion:
    """The discussion with HOSTILE appended to every text field the model accepts it in."""
    data = discussion.model_dump(mode="json")

    def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if isinstance(node, dict):
            return [p for key, value in node.items() for p in leaves(value, (*path, key))]
        if isinstance(node, list):
            return [p for i, value in enumerate(node) for p in leaves(value, (*path, i))]
        return [path] if isinstance(node, str) else []

    for path in leaves(data):
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        before = parent[path[-1]]
        parent[path[-1]] = f"{before} {HOSTILE}"
        try:
            Discussion.model_validate(data)
        except ValidationError:
            parent[path[-1]] = before  # an id, a date, a choice: not free text
    return Discussion.model_validate(data)


def visible_text(app) -> str:  # type: ignore[no-untyped-def]
    parts = [str(w.render()) for w in app.screen.query(Static)]
    for table in app.screen.query(DataTable):
        parts += [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
    return "\n".join(parts)


async def test_every_screen_shows_markup_like_text_as_typed(context: Context, make_discussion) -> None:
    record = poisoned(make_discussion())
    assert HOSTILE in record.information.concerns and HOSTILE in record.actions[0].text
    saved = context.store.create(record)
    app = make_app(context)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "[Police]" in visible_text(app)
        # Marking the action done: the notice quotes its text, brackets and all.
        index = next(i for i, row in enumerate(app.screen.rows) if row.is_action)
        await pilot.press(*["j"] * index, "d")
        await pilot.pause()
        await pilot.press("enter")
        await writes_landed(pilot)
        [done] = [str(n.message) for n in app._notifications if str(n.message).startswith("Done: ")]
        assert "[/]" in done
        # The toast shows it exactly as the message says (markup would drop the brackets).
        assert done in [str(t.render()) for t in app.screen.query(Toast)]
        await pilot.press("enter")  # details
        await pilot.pause()
        seen = visible_text(app)
        for _ in range(5):  # information, risk, decisions, planning, review
            await pilot.press("ctrl+n")
            await pilot.pause()
            seen += visible_text(app)
        assert "[/]" in seen and "[b]bold?[/b]" in seen
        await pilot.press("m")  # the minutes preview
        await pilot.pause()
        drawn = app.screen.rendered_text  # Markdown drawn, record text in it never read as markup
        assert "[/]" in drawn and "[b]bold?[/b]" in drawn
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # back to the dashboard
        await pilot.pause()
        await pilot.press("v", "t")  # case view, then the audit trail
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await press_to(pilot, "escape", screen=CaseViewScreen)
        await pilot.press("escape", "slash", *"Maya")
        assert await wait_until(pilot, lambda: "[Police]" in visible_text(app) or "Maya" in visible_text(app))
    assert app.return_code in (None, 0)
    stored = context.store.get(record.id)
    assert stored.actions[0].is_open is False  # done, as asked
    stored.actions[0] = saved.actions[0]
    assert stored.model_copy(update={"revision": saved.revision, "updated_at": saved.updated_at}) == saved  # nothing else changed


async def test_text_pasted_with_terminal_commands_is_saved_with_visible_stand_ins(context: Context) -> None:
    """A paste (from an email, say) reaches the record through the same neutralising as an import."""
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert app.focused is app.screen.query_one("#field-case-ref Input")
        app.focused.post_message(events.Paste("CS-9 \x1b]0;PWNED\x07 \x1bc \x9b2J \u202eX"))
        await pilot.pause()
        await save_now(pilot)
        assert context.store.get(app.editor.discussion.id).case_ref == "CS-9 ␛]0;PWNED␇ ␛c ‹U+009B›2J ‹U+202E›X"
