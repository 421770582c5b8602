"""Damage is named, never hidden or shrunk (issue 11, item 7).

A damaged index shard (one of 256) hides nothing: its discussions are read from their files, the
shard is named with what it leaves out, and a writer rebuilds it under the lock. Commands that only
read (dashboard, handover, export, audit, check, the app while browsing) never write a byte, even
to what looks like a killed writer's leftovers; `check` names them instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stratui.app import make_app
from stratui.context import Context, open_context
from stratui.models import Discussion
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.welcome import WelcomePanel
from stratui.store import Store

TODAY = "2026-11-25"

SHARD_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda raw: b"\x00\xffnot json at all\x1b[2J",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "emptied-to-braces": lambda raw: b"{}",
    "emptied-table": lambda raw: b'{"summaries":{}}',
    "zero-bytes": lambda raw: b"",
}


def stratui(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "stratui", "--db", str(db), "--today", TODAY, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr


@pytest.fixture
def shared_shard(store: Store, make_discussion: Callable[..., Discussion]) -> tuple[Path, list[Discussion]]:
    """Three discussions in one index shard (same two first hex digits), one elsewhere."""
    prefix = "ab"
    same = [
        store.create(make_discussion(id=f"{prefix}{n:030x}", case_ref=f"CS-SHARD-{n}", held_on=date(2026, 11, 20)))
        for n in range(3)
    ]
    store.create(make_discussion(id="cd" + "0" * 30, case_ref="CS-ELSEWHERE"))
    return store.root / "index" / f"{prefix}.json", same


# -- a damaged shard hides nothing --------------------------------------------------------------


@pytest.mark.parametrize("how", [*SHARD_DAMAGE, "deleted"])
def test_the_dashboard_shows_every_discussion_of_a_damaged_shard_and_names_it(
    shared_shard: tuple[Path, list[Discussion]], store: Store, how: str
) -> None:
    shard, in_it = shared_shard
    if how == "deleted":
        shard.unlink()
    else:
        shard.write_bytes(SHARD_DAMAGE[how](shard.read_bytes()))

    listed = stratui(store.root, "dashboard", "--all", "--json")
    assert_one_clear_line(listed)
    shown = {item["case_ref"] for item in json.loads(listed.stdout)}
    assert {d.case_ref for d in in_it} | {"CS-ELSEWHERE"} <= shown
    # Not a silent exit 0: the shard is named, with how to rebuild it, on one line.
    assert listed.returncode == 1
    assert str(shard) in listed.stderr and "stratui check --repair" in listed.stderr
    assert len(listed.stderr.splitlines()) == 1

    handover = stratui(store.root, "handover")
    assert_one_clear_line(handover)
    assert handover.returncode == 1 and str(shard) in handover.stderr


def test_a_discussion_that_cannot_be_shown_is_named_with_why(
    shared_shard: tuple[Path, list[Discussion]], store: Store
) -> None:
    shard, in_it = shared_shard
    shard.write_bytes(b"{}")
    broken = store.root / "discussions" / "ab" / f"{in_it[0].id}.json"
    broken.write_bytes(broken.read_bytes()[:40])

    listed = stratui(store.root, "dashboard", "--all", "--json")
    assert_one_clear_line(listed)
    assert listed.returncode == 1
    assert "1 discussion cannot be shown" in listed.stderr and str(broken) in listed.stderr
    assert {d.case_ref for d in in_it[1:]} <= {item["case_ref"] for item in json.loads(listed.stdout)}


async def test_the_app_never_says_nothing_is_recorded_when_a_shard_is_damaged(
    shared_shard: tuple[Path, list[Discussion]], store: Store, tmp_path: Path
) -> None:
    shard, in_it = shared_shard
    for other in (store.root / "index").glob("*.json"):
        other.write_bytes(b"{}")  # every shard emptied: the index alone would say "none"
    context = open_context(db=store.root, config=tmp_path / "settings.toml", today=TODAY, read_only=True)
    app = make_app(context)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert not screen.has_class("empty")
        assert not screen.query_one(WelcomePanel).display or not screen.query_one(WelcomePanel).region.height
        notices = "\n".join(str(n.message) for n in app._notifications)
        assert str(shard) in notices and "check --repair" in notices
        assert screen._read is not None and {d.id for d in in_it} <= set(screen._read.summaries)
        assert "No discussions" not in str(screen.query_one("#summary").render())


def test_a_save_into_an_emptied_shard_keeps_its_neighbours(
    shared_shard: tuple[Path, list[Discussion]], store: Store
) -> None:
    """The finding: an emptied shard, saved into, used to keep only the saved entry."""
    shard, in_it = shared_shard
    shard.write_bytes(b"{}")
    edited = store.get(in_it[0].id)
    edited.concern_source = "Edited after the shard was emptied"
    store.save(edited)
    fresh = Store.open(store.root)
    assert {d.id for d in in_it} <= {s.id for s in fresh.summaries()}
    assert fresh.index_damage() == [] and fresh.check() == []


# -- read-only commands never write ---------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time (the lock file is the lock's, not data)."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def damaged_db(shared_shard: tuple[Path, list[Discussion]], store: Store) -> Path:
    """What a bad day leaves: garbage after the audit log, a damaged shard, a killed save's marker."""
    shard, in_it = shared_shard
    root = store.root
    with open(root / "audit" / "audit.jsonl", "ab") as log:
        log.write(b"garbage appended by hand\x00")
    shard.write_bytes(b"{}")
    # A save killed after its file was replaced: a journal marker, and the file ahead of the index.
    (root / "journal" / in_it[1].id).write_bytes(b"")
    edited = in_it[1].model_copy(update={"concern_source": "Saved just before the kill", "revision": 2})
    path = root / "discussions" / "ab" / f"{in_it[1].id}.json"
    path.write_text(json.dumps({"discussion": {"1": edited.model_dump(mode="json")}}), "utf-8")
    return root


READ_ONLY_COMMANDS = [
    ["dashboard"],
    ["dashboard", "--all", "--json"],
    ["handover"],
    ["handover", "--md"],
    ["export", "--all", "--format", "json"],
    ["export", "ab" + "0" * 30, "--format", "md"],
    ["audit", "verify"],
    ["audit", "ab" + "0" * 30, "--full"],
    ["check"],
]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: " ".join(c)[:40])
def test_a_read_only_command_on_a_damaged_database_writes_nothing(damaged_db: Path, command: list[str]) -> None:
    before = snapshot(damaged_db)
    result = stratui(damaged_db, *command)
    assert_one_clear_line(result)
    assert snapshot(damaged_db) == before


def test_check_names_garbage_after_the_audit_log_and_leaves_it(damaged_db: Path) -> None:
    log = damaged_db / "audit" / "audit.jsonl"
    before = log.read_bytes()
    checked = stratui(damaged_db, "check")
    assert_one_clear_line(checked)
    assert checked.returncode == 1 and str(log) in checked.stdout
    assert log.read_bytes() == before


async def test_browsing_the_app_on_a_damaged_database_writes_nothing(damaged_db: Path, tmp_path: Path) -> None:
    before = snapshot(damaged_db)
    context: Context = open_context(db=damaged_db, config=tmp_path / "settings.toml", today=TODAY, read_only=True)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for keys in (["down", "down", "up"], ["v"], ["escape"], ["h"], ["escape"], ["slash", "M", "a", "y", "a"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
    assert snapshot(damaged_db) == before
