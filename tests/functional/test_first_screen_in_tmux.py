"""The first screen's files in a real process (tmux): a first screenful planted by another hand
is never shown, and another user's save shows within seconds of a start drawn from the files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from stratui.context import Context
from stratui.dashboard_read import DashboardRead, read_first_screenful, read_rows, write_first_screen
from stratui.models import ActionStatus
from stratui.store import first_screen

from tests.functional.conftest import TmuxApp

WAIT_SECONDS = 90.0  # a start on a loaded machine takes seconds, normally well under one


def _written(context: Context) -> DashboardRead:
    read = read_rows(context, with_closed=False)
    assert write_first_screen(context, read)
    return read


def _overdue(read: DashboardRead) -> int:
    return sum(1 for r in read.rows if r.state is not None and r.state.value == "overdue")


def _start(context: Context, stratui_in_tmux: Callable[[dict[str, str]], TmuxApp], tmp_path: Path) -> TmuxApp:
    return stratui_in_tmux(
        {"STRATUI_DB": str(context.store.root), "STRATUI_CONFIG": str(tmp_path / "settings.toml"), "STRATUI_TODAY": "2026-11-25"}
    )


def test_a_planted_first_screenful_is_never_shown(
    demo_context: Callable[..., Context], stratui_in_tmux: Callable[[dict[str, str]], TmuxApp], tmp_path: Path
) -> None:
    context = demo_context(200)
    read = _written(context)
    # Another hand's first screenful: a row no record has, the stamps' digest left as it was.
    head_path = first_screen.folder(context.store) / first_screen.HEAD_FILE
    head = json.loads(head_path.read_bytes())
    head["rows"][0][4] = "PLANTED ROW"
    head_path.write_bytes(json.dumps(head).encode())
    terminal = _start(context, stratui_in_tmux, tmp_path)
    assert terminal.wait_until(lambda: f"{_overdue(read)} overdue" in terminal.screen(), WAIT_SECONDS), terminal.screen()
    assert "OVERDUE" in terminal.screen() and "PLANTED" not in terminal.screen()


def test_another_users_save_shows_on_a_start_drawn_from_the_files(
    demo_context: Callable[..., Context], stratui_in_tmux: Callable[[dict[str, str]], TmuxApp], tmp_path: Path
) -> None:
    context = demo_context(200)
    read = _written(context)
    first = read_first_screenful(context)
    assert first is not None and first.total == len(read.rows)  # the start reads nothing else
    terminal = _start(context, stratui_in_tmux, tmp_path)
    overdue = _overdue(read)
    assert terminal.wait_until(lambda: f"{overdue} overdue" in terminal.screen(), WAIT_SECONDS), terminal.screen()
    # Another user marks an overdue action done: the running app shows one fewer overdue.
    action = next(r for r in read.rows if r.state is not None and r.state.value == "overdue" and r.action_id)
    context.store.update(
        action.discussion_id, lambda d: d.close_action(str(action.action_id), ActionStatus.DONE, context.today, "x")
    )
    assert terminal.wait_until(lambda: f"{overdue - 1} overdue" in terminal.screen(), WAIT_SECONDS), terminal.screen()
