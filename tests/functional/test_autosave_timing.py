"""When autosave stores a change: a quiet second after the last key, at most 3 s after the first
unsaved one while typing goes on, and at once on leaving a phase.

Found by users: the 1 s timer restarted on every key, so someone typing steadily through a call
was never saved, and a crash lost everything. The delays are patched here (the quiet second made
longer than any test, or the deadline), so a save can only come from the rule under test: no
test depends on how fast the machine is.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from stratui import app as app_module
from stratui.app import StratuiApp
from stratui.context import Context, open_context
from stratui.drafts import recovered_drafts
from stratui.models import Discussion

from pilot import save_now, start_new, stratui_at_80x24, wait_until, writes_landed

NEVER = 3600.0  # longer than any test runs: a timer with this delay never fires in one


def stored(app: StratuiApp) -> Discussion | None:
    assert app.editor is not None
    store = app.context.store
    return store.get(app.editor.discussion.id) if store.exists(app.editor.discussion.id) else None


def concerns(app: StratuiApp) -> str | None:
    record = stored(app)
    return record.information.concerns if record else None


async def open_information(pilot: Pilot) -> None:
    await start_new(pilot)
    await pilot.press("pagedown")
    await pilot.pause()


async def test_steady_typing_is_saved_by_the_deadline_without_a_quiet_second(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", NEVER)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", 0.2)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_information(pilot)
        # Each chunk is saved by the deadline alone (the quiet second never comes): again and
        # again, as while someone keeps typing through a call.
        typed = ""
        for chunk in ("Dad ", "shouted ", "at the window"):
            await pilot.press(*chunk)
            typed += chunk
            assert await wait_until(pilot, lambda: concerns(app) == typed), (concerns(app), typed)


async def test_the_deadline_is_not_pushed_back_by_each_key(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    fired: list[str] = []
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", NEVER)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", NEVER)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_information(pilot)
        original = app.set_timer

        def counted(delay, callback=None, **kwargs):  # type: ignore[no-untyped-def]
            fired.append(kwargs.get("name") or "")
            return original(delay, callback, **kwargs)

        monkeypatch.setattr(app, "set_timer", counted)
        await pilot.press(*"abcde")
        await pilot.pause()
        # Five changes: the quiet-second timer restarted five times, the deadline set once.
        assert fired.count("autosave") == 5
        assert fired.count("autosave-deadline") == 1
        assert concerns(app) is None  # nothing could have fired yet
        await save_now(pilot)
        assert concerns(app) == "abcde"
        # Once saved, the next change starts a new deadline.
        await pilot.press("f")
        await pilot.pause()
        assert fired.count("autosave-deadline") == 2


async def test_a_quiet_second_saves(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", 0.05)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", NEVER)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_information(pilot)
        await pilot.press(*"Seen at school")
        assert await wait_until(pilot, lambda: concerns(app) == "Seen at school")


@pytest.mark.parametrize("leave", [["ctrl+n"], ["pagedown"], ["pageup"], ["ctrl+g", "3"], ["escape"]])
async def test_leaving_a_phase_saves_at_once(context: Context, monkeypatch: pytest.MonkeyPatch, leave: list[str]) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", NEVER)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", NEVER)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_information(pilot)
        editor = app.editor
        assert editor is not None
        await pilot.press(*"Typed, then left", *leave)
        await writes_landed(pilot)  # saved at once: in the saver's thread, so not yet read back here
        record = context.store.get(editor.discussion.id)
        assert record.information.concerns == "Typed, then left"


async def test_quitting_saves_at_once(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", NEVER)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", NEVER)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_information(pilot)
        record_id = app.editor.discussion.id  # type: ignore[union-attr]
        await pilot.press(*"Typed, then quit", "ctrl+q")
        await pilot.pause()
    assert context.store.get(record_id).information.concerns == "Typed, then quit"


# -- a real terminal, a real kill -------------------------------------------------------------

TYPING_SECONDS = 6.0
KEY_GAP_SECONDS = 0.2
# The deadline is 3 s; a second more for the save itself on a busy machine.
SAFE_AGE_SECONDS = app_module.AUTOSAVE_MAX_WAIT_SECONDS + 1.0


@pytest.mark.process
def test_kill_9_while_typing_steadily_loses_at_most_the_last_seconds(tmp_path: Path, stratui_in_tmux) -> None:  # type: ignore[no-untyped-def]
    settings = tmp_path / "settings.toml"
    settings.write_text('user = "Sam Patel"\n')
    db = tmp_path / "db"
    terminal = stratui_in_tmux(
        {"STRATUI_DB": str(db), "STRATUI_CONFIG": str(settings), "STRATUI_TODAY": "2026-11-25"}
    )
    terminal.wait_for("No discussions yet")
    terminal.keys("n")
    terminal.wait_for("which kind")
    terminal.keys("Enter")
    terminal.wait_for("Case reference")
    terminal.keys("-l", "CS-KILL")
    terminal.wait_for("CS-KILL")
    terminal.keys("PageDown")
    terminal.wait_for("Information sharing")
    pid = terminal.app_pid()

    # Words typed without a pause long enough for the quiet second; after each, what the
    # screen shows, stamped once the capture is done (so the screen was so by then).
    shown: list[tuple[float, int]] = []
    start = time.monotonic()
    number = 0
    while time.monotonic() - start < TYPING_SECONDS:
        terminal.keys("-l", f"w{number:03d} ")
        number += 1
        screen = terminal.screen()
        words = [int(n) for n in re.findall(r"w(\d{3})", screen)]
        shown.append((time.monotonic(), max(words, default=-1)))
        time.sleep(KEY_GAP_SECONDS)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()

    old_enough = [last for at, last in shown if at <= killed - SAFE_AGE_SECONDS]
    assert old_enough and old_enough[-1] >= 0, f"nothing was on screen {SAFE_AGE_SECONDS} s before the kill: {shown}"
    expected = " ".join(f"w{n:03d}" for n in range(old_enough[-1] + 1))

    context = open_context(db=db, config=settings, today="2026-11-25")
    [summary] = context.store.summaries()
    kept = [context.store.get(summary.id).information.concerns]
    kept += [d.information.concerns for d in recovered_drafts(context)]
    assert any(text.startswith(expected) for text in kept), (expected, kept, shown)
