"""`stratui export --all`: written a discussion at a time, byte for byte what it always wrote,
private, and never a half file under the target's name, even when the export is killed."""

from __future__ import annotations

import gc
import json
import os
import signal
import stat
import subprocess
import sys
import weakref
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.demo import generate_demo
from stratui.exchange import FORMAT, export_text, scan_file
from stratui.models import SCHEMA_VERSION, Discussion
from stratui.store import Store
from stratui.text import escape_json

TODAY = date(2026, 11, 25)
# Text the store keeps with visible stand-ins, and text that must survive as typed.
HOSTILE = "Ó Dónaill — “Zoë”\nline two \x1b[31m red \u202e reversed \u0085 \u2028 tab\t end"


def the_export_as_it_always_was(discussions: list[Discussion]) -> str:
    """What `export --all --format json -o FILE` wrote before it was streamed: the whole export as
    one json.dumps, a final newline, escaped as a document going to a terminal or a file."""
    docs = [d.model_dump(mode="json") for d in discussions]
    text = json.dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION, "discussions": docs}, indent=1, ensure_ascii=False)
    return escape_json(text + "\n")


def export_all(store: Store, *options: str | Path) -> int:
    return main(["--db", str(store.root), "export", "--all", "--format", "json", *[str(o) for o in options]])


@pytest.fixture
def saved(store: Store) -> list[Discussion]:
    demo = generate_demo(12, 7, TODAY)
    demo[3] = demo[3].model_copy(update={"case_ref": "CS-HOSTILE", "concern_source": HOSTILE})
    assert store.save_all_new(demo) == len(demo)
    return list(store.discussions())


def test_the_streamed_export_is_byte_for_byte_the_export_it_always_was(
    store: Store, saved: list[Discussion], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.json"
    assert export_all(store, "-o", backup) == 0
    expected = the_export_as_it_always_was(saved)
    assert backup.read_bytes() == expected.encode("utf-8")
    capsys.readouterr()
    assert export_all(store) == 0
    assert capsys.readouterr().out == expected
    # ...and it is what `stratui import` reads: every discussion, the hostile text as typed.
    scanned: list[Discussion] = []
    assert scan_file(backup, each=scanned.append).count == len(saved)
    assert scanned == saved


@pytest.mark.parametrize("count", [0, 1])
def test_an_export_of_none_or_one_is_the_export_it_always_was(
    store: Store, tmp_path: Path, count: int
) -> None:
    store.save_all_new(generate_demo(count, 2, TODAY))
    backup = tmp_path / "backup.json"
    assert export_all(store, "-o", backup) == 0
    assert backup.read_bytes() == the_export_as_it_always_was(list(store.discussions())).encode("utf-8")
    assert scan_file(backup).count == count


def test_export_holds_one_discussion_at_a_time(
    store: Store, saved: list[Discussion], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, only_new_objects: None
) -> None:
    """Each discussion read is gone before the one after the next is read: the export's memory is
    one discussion's, whatever the database's size."""
    read = Store.discussions
    held_at_each_read: list[int] = []

    def counted(self: Store) -> Iterator[Discussion]:
        alive: list[weakref.ref[Discussion]] = []
        for discussion in read(self):
            gc.collect()
            held_at_each_read.append(sum(1 for ref in alive if ref() is not None))
            alive.append(weakref.ref(discussion))
            yield discussion

    monkeypatch.setattr(Store, "discussions", counted)
    del saved[:]  # the fixture's own copies are not the export's
    backup = tmp_path / "backup.json"
    assert export_all(store, "-o", backup) == 0
    assert len(held_at_each_read) == 12
    # At most the one just written, still named by the loop that asks for the next.
    assert max(held_at_each_read) <= 1, held_at_each_read
    assert scan_file(backup).count == 12


def test_the_export_file_is_private_unless_shared(store: Store, saved: list[Discussion], tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text("an older backup")
    os.chmod(backup, 0o644)
    assert export_all(store, "-o", backup) == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup.json")] == []


# -- killed part-way ---------------------------------------------------------------------------

# Runs `stratui export --all`, announcing on stderr when two discussions have gone out, then
# waiting there to be killed (a large export is killed at some point in the middle).
SLOW_EXPORT = """
import signal, sys, time
# Started from a background job (CI), a process inherits SIGINT ignored: Ctrl+C as a terminal sends it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from stratui import cli, exchange
streamed = exchange.export_text
def slowly(discussions):
    for number, piece in enumerate(streamed(discussions), start=1):
        yield piece
        if number == 2:
            print("two written", file=sys.stderr, flush=True)
            time.sleep(120)
exchange.export_text = slowly
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("how", ["kill -9", "ctrl+c"])
@pytest.mark.parametrize("existed", [True, False], ids=["over an older backup", "new file"])
def test_a_killed_export_never_leaves_a_half_file_under_the_target_name(
    store: Store, saved: list[Discussion], tmp_path: Path, how: str, existed: bool
) -> None:
    backup = tmp_path / "out" / "backup.json"
    backup.parent.mkdir()
    if existed:
        backup.write_text("the older backup, whole\n")
    command = [sys.executable, "-c", SLOW_EXPORT, "--db", str(store.root), "export", "--all", "--format", "json", "-o", str(backup)]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stderr is not None
        assert child.stderr.readline() == "two written\n"  # blocks until then (or EOF if it died)
        temp = [p for p in backup.parent.iterdir() if p.name.startswith(".backup.json.")]
        assert len(temp) == 1, temp  # the export under way, beside the target
        child.send_signal(signal.SIGKILL if how == "kill -9" else signal.SIGINT)
        code = child.wait(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert code != 0
    if existed:
        assert backup.read_text() == "the older backup, whole\n"
    else:
        assert not backup.exists()
    left = sorted(p.name for p in backup.parent.iterdir())
    if how == "ctrl+c":
        # Interrupted, it cleans up after itself; killed, only its hidden temp file is left.
        assert left == (["backup.json"] if existed else [])
    # Run again, it writes the whole export.
    assert export_all(store, "-o", backup) == 0
    assert scan_file(backup).count == len(saved)

