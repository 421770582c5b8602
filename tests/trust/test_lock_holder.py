"""The lock names its holder, and the holder file is another member's words, read as data.

Found on a shared host: a lock held forever said only "busy", never who or since when. The
holder file lives in the team's folder, where any member can write: what it says is checked
(a plain file, bounded, well formed), a record naming a process gone from this host is ignored,
the login shown is the file's owner, and the text is escaped before it is shown.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from holding import LockHolder
from stratui.models import Child, Discussion
from stratui.store import Store, StoreError
from stratui.store.lock import HOLDER_FILE, LockBusyError, read_holder


def _record(**overrides: object) -> dict[str, object]:
    record: dict[str, object] = {
        "name": "Alex Jones",
        "login": pwd.getpwuid(os.geteuid()).pw_name,
        "pid": os.getpid(),
        "host": os.uname().nodename,
        "since": (datetime.now().astimezone() - timedelta(minutes=3)).isoformat(timespec="seconds"),
    }
    record.update(overrides)
    return record


def _write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def test_a_held_lock_is_refused_naming_its_holder_pid_and_since_when(store: Store) -> None:
    with LockHolder(store.root, "Alex Jones") as holder:
        with pytest.raises(LockBusyError) as refused, store.lock.patience(0.3):
            store.create(_new())
        message = str(refused.value)
        assert f"Alex Jones (pid {holder.pid}) has held the database lock since " in message
        assert refused.value.holder is not None and refused.value.holder.pid == holder.pid
        holder.release()
    assert store.create(_new()).revision == 1  # free again: nothing stands in the way


def test_a_waiting_write_is_given_the_lock_when_it_is_released(store: Store) -> None:
    told: list[str] = []
    done = threading.Event()
    with LockHolder(store.root, "Alex Jones") as holder:

        def save() -> None:
            with store.lock.patience(None, on_wait=lambda h: told.append(h.name if h else "")):
                store.create(_new())
            done.set()

        writer = threading.Thread(target=save)
        writer.start()
        for _ in range(600):  # the waiter says who it waits for, and waits
            if told:
                break
            done.wait(0.05)
        assert told and told[-1] == "Alex Jones" and not done.is_set()
        holder.release()
        assert done.wait(60)
        writer.join(60)
    assert len(store) == 1


def test_a_killed_holder_is_no_obstacle(store: Store) -> None:
    holder = LockHolder(store.root, "Alex Jones")
    holder.kill()  # kill -9 while holding: its record stays behind, the kernel lets go
    assert (store.root / HOLDER_FILE).exists()
    assert read_holder(store.root / HOLDER_FILE) is None  # names a process that is gone
    with store.lock.patience(5):
        store.create(_new())
    assert len(store) == 1


def test_a_record_naming_a_dead_pid_on_this_host_is_ignored(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path = _write(tmp_path / HOLDER_FILE, _record(pid=int(gone.stdout)))
    assert read_holder(path) is None
    # The same record from another host cannot be checked here: it is shown as it is.
    _write(path, _record(pid=int(gone.stdout), host="other-host"))
    found = read_holder(path)
    assert found is not None and "on other-host" in found.sentence()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b"[1, 2, 3]",
        json.dumps(_record(pid="4242")).encode(),
        json.dumps(_record(pid=-1)).encode(),
        json.dumps(_record(since="yesterday")).encode(),
        json.dumps(_record(since="2026-11-25T10:00:00")).encode(),  # no time zone
        json.dumps(_record(name=["a"])).encode(),
        json.dumps({**_record(), "padding": "x" * 5000}).encode(),  # larger than any honest record
    ],
    ids=["empty", "binary", "a list", "pid text", "pid negative", "since words", "since naive", "name list", "huge"],
)
def test_garbage_in_the_holder_file_names_no_one(tmp_path: Path, content: bytes) -> None:
    assert read_holder(_write(tmp_path / HOLDER_FILE, content)) is None


def test_a_holder_file_that_is_a_link_or_a_fifo_is_not_read(tmp_path: Path) -> None:
    elsewhere = _write(tmp_path / "elsewhere.json", _record())
    link = tmp_path / HOLDER_FILE
    link.symlink_to(elsewhere)
    assert read_holder(link) is None
    link.unlink()
    os.mkfifo(link)
    assert read_holder(link) is None  # and did not block waiting for a writer


def test_terminal_commands_in_the_record_are_shown_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path / HOLDER_FILE, _record(name="Alex\x1b]52;c;ZXZpbA==\x07\r\nJones\u202e"))
    found = read_holder(path)
    assert found is not None
    shown = found.sentence()
    assert not any(c in shown for c in "\x1b\x07\r\n\u202e")
    assert "Alex" in shown and "Jones" in shown


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's needs root")
def test_a_record_written_by_another_account_names_that_account_not_its_claim(tmp_path: Path) -> None:
    nobody = pwd.getpwnam("nobody")
    path = _write(tmp_path / HOLDER_FILE, _record(name="Alex Jones", login="alex"))
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    found = read_holder(path)
    assert found is not None
    assert found.name == found.login == "nobody"
    assert "Alex Jones" not in found.sentence()


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's needs root")
def test_another_members_lock_files_do_not_stop_a_save_nor_keep_their_name(store: Store) -> None:
    nobody = pwd.getpwnam("nobody")
    lock_file = store.root / ".lock"
    lock_file.touch()
    os.chown(lock_file, nobody.pw_uid, nobody.pw_gid)
    left = _write(store.root / HOLDER_FILE, _record(name="Left Behind", login="nobody"))
    os.chown(left, nobody.pw_uid, nobody.pw_gid)
    seen: list[object] = []
    with store.lock:
        seen.append(store.lock.holder())
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert seen[0] is not None and seen[0].login == me and seen[0].name == "tester"  # type: ignore[attr-defined]
    assert not (store.root / HOLDER_FILE).exists()  # removed with the lock


def _new() -> Discussion:
    return Discussion(
        case_ref="LOCK-1", children=[Child(name="Amy Stone")], concern_date=date(2026, 11, 23), held_on=date(2026, 11, 24)
    )


def test_a_lock_file_planted_as_a_link_is_refused_in_one_clear_line(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "someone-elses-file"
    target.write_text("keep me")
    (store.root / ".lock").unlink(missing_ok=True)  # made when the store was opened
    (store.root / ".lock").symlink_to(target)
    with pytest.raises(StoreError) as refused:
        store.create(_new())
    assert "is a symbolic link, which stratui does not follow" in str(refused.value)
    assert target.read_text() == "keep me"
