"""`stratui dashboard` prints the same from the first screen's file as from a full read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.deadlines import dashboard_items
from stratui.settings import Settings
from stratui.context import open_context
from stratui.dashboard_read import read_rows, write_first_screen
from stratui.store import Store, first_screen
from stratui.store.index import Index


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    def run(*args: str) -> str:
        capsys.readouterr()
        assert main(list(args)) == 0
        return capsys.readouterr().out

    return run


def test_dashboard_json_from_the_file_is_the_full_reads_output(
    run: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("demo", "--count", "40", "--seed", "3")
    db = tmp_path / "db"
    store = Store.open(db)
    engine = [d.to_json() for d in dashboard_items(store.summaries(), date(2026, 11, 25), Settings())]
    assert not (first_screen.folder(store) / first_screen.STAMPS_FILE).exists()
    first = run("dashboard", "--json")  # a full read: a read-only command, so the file is not written
    assert not (first_screen.folder(store) / first_screen.STAMPS_FILE).exists()
    context = open_context(db=db, config=tmp_path / "none.toml", today="2026-11-25")
    assert write_first_screen(context, read_rows(context, with_closed=False))  # as the app writes it
    assert (first_screen.folder(store) / first_screen.STAMPS_FILE).exists()

    def not_read(index: object) -> list[object]:
        raise AssertionError("the summaries were read")

    monkeypatch.setattr(Index, "summaries", not_read)
    monkeypatch.setattr(Index, "by_shard", not_read)
    second = run("dashboard", "--json")  # from the file: no summary read
    assert first == second
    assert json.loads(second) == engine
    assert run("dashboard") == run("dashboard")
    assert len(run("dashboard").splitlines()) == len(engine)
