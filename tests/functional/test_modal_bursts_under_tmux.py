"""The key that opens a modal and the text after it in ONE write, over a real terminal (tmux).

Each `terminal.keys(...)` is one tmux send-keys: the terminal delivers it as one burst, as a slow
SSH link does. Pilot cannot show this (it waits after every key).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stratui.models import ActionStatus, Discussion, DiscussionStatus
from stratui.store import Store
from teams import team_settings
from test_modal_type_ahead import open_actions

pytestmark = pytest.mark.process

MANAGER_SETTINGS = team_settings(sam=None, jo=None)


def start(tmp_path: Path, stratui_in_tmux, settings: str = 'user = "Sam Patel"\n', *records: Discussion):  # type: ignore[no-untyped-def]
    (tmp_path / "settings.toml").write_text(settings, encoding="utf-8")
    db = tmp_path / "db"
    store = Store.open(db, user="tester")
    for record in records:
        store.create(record)
    env = {"TERM": "vt100", "STRATUI_DB": str(db), "STRATUI_CONFIG": str(tmp_path / "settings.toml"), "STRATUI_TODAY": "2026-11-25"}
    return stratui_in_tmux(env), db


def only_record(db: Path) -> Discussion | None:
    store = Store.open(db)
    summaries = store.summaries()
    return store.get(summaries[0].id) if summaries else None


def test_new_discussion_enter_and_the_case_reference_in_one_burst(tmp_path: Path, stratui_in_tmux) -> None:  # type: ignore[no-untyped-def]
    terminal, db = start(tmp_path, stratui_in_tmux)
    terminal.wait_for("No discussions yet")
    terminal.keys("n", "Enter", "CS-BURST-1")
    terminal.wait_for("CS-BURST-1")
    terminal.keys("C-s")
    assert terminal.wait_until(lambda: (r := only_record(db)) is not None and r.case_ref == "CS-BURST-1"), only_record(db)


def test_go_to_phase_and_its_digit_in_one_burst(tmp_path: Path, stratui_in_tmux) -> None:  # type: ignore[no-untyped-def]
    terminal, db = start(tmp_path, stratui_in_tmux)
    terminal.wait_for("No discussions yet")
    terminal.keys("n")
    terminal.wait_for("which kind")
    terminal.keys("Enter")
    terminal.wait_for("Case reference")
    terminal.keys("CS-G")
    terminal.wait_for("CS-G")
    terminal.keys("C-g", "3")
    terminal.wait_for("Analysis of risk")
    terminal.keys("C-s")
    assert terminal.wait_until(lambda: only_record(db) is not None), terminal.screen()
    record = only_record(db)
    assert record is not None and record.case_ref == "CS-G"
    # No stray digit anywhere: nothing but the case reference was typed.
    assert "3" not in (record.case_ref + record.model_dump_json(include={"information", "risk", "decisions", "plan"}))


def test_sign_off_with_the_managers_name_in_one_burst(tmp_path: Path, stratui_in_tmux, make_discussion: Callable[..., Discussion]) -> None:  # type: ignore[no-untyped-def]
    complete = make_discussion()
    terminal, db = start(tmp_path, stratui_in_tmux, MANAGER_SETTINGS, complete)
    terminal.wait_for("CS-104233")
    terminal.keys("Enter")
    terminal.wait_for("Case reference")
    terminal.keys("C-g")
    terminal.wait_for("Go to phase")
    terminal.keys("6")
    terminal.wait_for("Sign off")
    terminal.keys("s", "Jo Reid", "Enter")
    assert terminal.wait_until(lambda: Store.open(db).get(complete.id).status is DiscussionStatus.SIGNED_OFF), terminal.screen()
    assert Store.open(db).get(complete.id).sign_off.manager == "Jo Reid"  # type: ignore[union-attr]


def test_search_and_a_childs_name_in_one_burst(tmp_path: Path, stratui_in_tmux, make_discussion: Callable[..., Discussion]) -> None:  # type: ignore[no-untyped-def]
    terminal, _ = start(tmp_path, stratui_in_tmux, 'user = "Sam Patel"\n', open_actions(make_discussion, case_ref="CS-555001"))
    terminal.wait_for("Visit the child")
    terminal.keys("/", "Maya")
    screen = terminal.wait_for("1 discussion found")
    assert "CS-555001" in screen and "Maya" in screen


def test_done_and_its_note_in_one_burst(tmp_path: Path, stratui_in_tmux, make_discussion: Callable[..., Discussion]) -> None:  # type: ignore[no-untyped-def]
    record = open_actions(make_discussion)
    terminal, db = start(tmp_path, stratui_in_tmux, 'user = "Sam Patel"\n', record)
    terminal.wait_for("Visit the child")
    terminal.keys("d", "seen alone at school", "Enter")

    def closed() -> tuple[ActionStatus, str]:
        action = Store.open(db).get(record.id).actions[0]
        return action.status, action.closing_note

    assert terminal.wait_until(lambda: closed() == (ActionStatus.DONE, "seen alone at school")), (closed(), terminal.screen())
