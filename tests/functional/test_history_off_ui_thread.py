"""The history screen reads the audit trail off the UI thread: keys work while it reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from stratui.audit import AuditLog
from stratui.context import Context
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.history import READING, HistoryScreen

from pilot import press_to, stratui_at_80x24
from pilot import wait_until


class SlowAuditLog:
    """The audit log on a slow disk: each read of a history is held until the test releases it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.reads: list[str] = []


@pytest.fixture
def slow_audit_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowAuditLog]:
    slow = SlowAuditLog()
    real_history = AuditLog.history

    def slow_history(log: AuditLog, discussion_id: str) -> list[dict[str, object]]:
        slow.reads.append(discussion_id)
        slow.release.wait(60)
        return real_history(log, discussion_id)

    monkeypatch.setattr(AuditLog, "history", slow_history)
    yield slow
    slow.release.set()  # a test that failed before letting it go leaves no reader waiting


async def open_the_trail_while_it_reads(pilot: Pilot, slow: SlowAuditLog) -> None:
    """From the dashboard: the case view, then its audit trail (v, t), until its read has begun."""
    await pilot.pause()
    await pilot.press("v", "t")
    await wait_until(pilot, lambda: bool(slow.reads))


async def test_a_slow_audit_log_leaves_the_keys_working(context: Context, make_discussion, slow_audit_log: SlowAuditLog) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_the_trail_while_it_reads(pilot, slow_audit_log)
        assert isinstance(app.screen, HistoryScreen)
        assert str(app.screen.query_one("#history", Static).render()) == READING
        await pilot.press("f")  # full values: taken while it reads, shown when it comes
        assert app.screen.full
        slow_audit_log.release.set()
        history = lambda: str(app.screen.query_one("#history", Static).render())  # noqa: E731
        await wait_until(pilot, lambda: history() != READING)
        text = history()
        assert f"Audit trail of discussion {record.id}: 1 entry" in text
        assert "created with" not in text  # shown in full, as asked while it read
        await press_to(pilot, "escape", screen=CaseViewScreen)


async def test_closing_the_history_while_it_reads_is_harmless(context: Context, make_discussion, slow_audit_log: SlowAuditLog) -> None:  # type: ignore[no-untyped-def]
    context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_the_trail_while_it_reads(pilot, slow_audit_log)
        await press_to(pilot, "escape", screen=CaseViewScreen)  # back before the trail came
        slow_audit_log.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
    assert app.return_code in (None, 0)
