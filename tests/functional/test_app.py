"""The app driven by keys through the Pilot, at the 80x24 our users have."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from stratui.app import make_app
from stratui.context import Context
from stratui.demo import generate_demo


async def test_empty_database_says_how_to_load_demo_data(context: Context) -> None:
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        summary = app.screen.query_one("#summary", Static)
        assert "stratui demo" in str(summary.render())
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("q")
    assert app.return_code == 0


async def test_dashboard_lists_overdue_first_and_counts_each_group(context: Context) -> None:
    context.store.save_all_new(generate_demo(30, 2, date(2026, 11, 25)))
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        states = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        assert states and states[0] == "!! OVERDUE"
        order = {"!! OVERDUE": 0, "!  TODAY": 1, "soon": 2}
        assert [order[s] for s in states] == sorted(order[s] for s in states)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert f"{states.count('!! OVERDUE')} overdue" in summary
        await pilot.press("down", "r")
        assert table.row_count == len(states)
        await pilot.press("q")
