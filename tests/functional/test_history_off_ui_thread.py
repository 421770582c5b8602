"""The history screen reads the audit trail off the UI thread: keys work while it reads."""

from __future__ import annotations

import threading

from textual.widgets import Static

from stratui.app import make_app
from stratui.audit import AuditLog
from stratui.context import Context
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.history import READING, HistoryScreen

from pilot import press_to


async def test_a_slow_audit_log_leaves_the_keys_working(context: Context, make_discussion, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    context.store.create(record)
    release, reads = threading.Event(), []
    real_history = AuditLog.history

    def slow_history(log: AuditLog, discussion_id: str) -> list[dict[str, object]]:
        reads.append(discussion_id)
        release.wait(60)  # a log on a slow disk: held until the test lets it go
        return real_history(log, discussion_id)

    monkeypatch.setattr(AuditLog, "history", slow_history)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v", "t")  # the case view, then its audit trail
        for _ in range(600):
            if reads:
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, HistoryScreen)
        assert str(app.screen.query_one("#history", Static).render()) == READING
        await pilot.press("f")  # full values: taken while it reads, shown when it comes
        assert app.screen.full
        release.set()
        for _ in range(600):
            text = str(app.screen.query_one("#history", Static).render())
            if text != READING:
                break
            await pilot.pause(0.05)
        assert f"Audit trail of discussion {record.id}: 1 entry" in text
        assert "created with" not in text  # shown in full, as asked while it read
        await press_to(pilot, "escape", screen=CaseViewScreen)


async def test_closing_the_history_while_it_reads_is_harmless(context: Context, make_discussion, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    context.store.create(record)
    release, reads = threading.Event(), []
    real_history = AuditLog.history

    def slow_history(log: AuditLog, discussion_id: str) -> list[dict[str, object]]:
        reads.append(discussion_id)
        release.wait(60)
        return real_history(log, discussion_id)

    monkeypatch.setattr(AuditLog, "history", slow_history)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v", "t")
        for _ in range(600):
            if reads:
                break
            await pilot.pause(0.05)
        await pilot.press("escape")  # back before the trail came
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
    assert app.return_code in (None, 0)
