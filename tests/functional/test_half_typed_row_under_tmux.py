"""A row typed but not added survives kill -9 once the autosave has run (a real process, tmux)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from stratui.store import Store


def test_a_half_typed_row_is_in_the_store_after_kill_9(tmp_path: Path, new_discussion_at_vt100) -> None:  # type: ignore[no-untyped-def]
    terminal = new_discussion_at_vt100
    db = tmp_path / "db"
    # One write: the case reference, then a child row typed but never added with Enter.
    terminal.keys("CS-KILL", "Tab", "Amy Stone", "Tab", "3/3/2019")
    terminal.wait_for("Date of birth: Sun 3 Mar 2019")
    terminal.wait_for("Saved")  # the autosave, a second after the last key
    os.kill(terminal.app_pid(), signal.SIGKILL)

    store = Store.open(db)
    [summary] = store.summaries()
    record = store.get(summary.id)
    assert record.case_ref == "CS-KILL"
    assert record.children == []
    assert record.pending_rows == {"child-form": {"name": "Amy Stone", "born": "3/3/2019", "notes": ""}}
