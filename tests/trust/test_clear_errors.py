"""Every error path of issue 11's findings gives one clear line: never "unexpected error (X)", never
a traceback, never a child's name. Each runs the real `stratui` in its own process.
"""

from __future__ import annotations

import grp
import json
import os
import pty
import pwd
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stratui.app import make_app
from stratui.context import open_context
from stratui.files import UnsafeFolderError
from stratui.models import Child, Discussion
from stratui.screens.dashboard import DashboardScreen
from stratui.settings import MAX_TIMESCALE_DAYS, SettingsError
from stratui.settings_file import load_settings
from stratui.store import Store, StoreError

TODAY = "2026-11-25"
CHILD = "Maya Okafor"  # the conftest's child: must never appear in an error


def stratui(
    *args: str, env: dict[str, str] | None = None, user: str | None = None, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "stratui", "--today", TODAY, *args]
    environment = {**os.environ, **(env or {})}
    if user is not None:
        home = Path(environment["STRATUI_CONFIG"]).parent
        environment.update(
            HOME=str(home), STRATUI_WITNESS=str(home / f"witness-{user}"), STRATUI_CONFIG=str(home / f"{user}.toml")
        )
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, env=environment, stdin=stdin, timeout=120)


def one_clear_line(result: subprocess.CompletedProcess[str], *wanted: str) -> str:
    """The command failed with exactly one line on stderr, holding each of `wanted`."""
    err = result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, err)
    assert "Traceback" not in err + result.stdout and "unexpected error" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("stratui: ")
    for text in wanted:
        assert text in err, err
    assert CHILD not in err + result.stdout
    return err


def as_nobody(tmp_path: Path) -> str:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("runs stratui as another, unprivileged user: needs root and runuser")
    probe = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-c", "pass"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"nobody cannot run {sys.executable}")
    # nobody's own home for the settings and witness, reachable through tmp_path.
    for folder in (tmp_path, *tmp_path.parents):
        if folder.stat().st_mode & 0o005 != 0o005:
            os.chmod(folder, folder.stat().st_mode | 0o005)
        if folder == Path("/tmp"):
            break
    os.chown(tmp_path, pwd.getpwnam("nobody").pw_uid, -1)
    return "nobody"


# -- folders that are not (or cannot be) a database -------------------------------------------------


def test_a_system_folder_you_cannot_write_is_refused_in_one_line(tmp_path: Path) -> None:
    user = as_nobody(tmp_path)
    one_clear_line(stratui("--db", "/etc", "dashboard", user=user), "/etc is not a stratui database", "empty")
    one_clear_line(stratui("--db", "/etc/stratui-db", "demo", user=user), "/etc/stratui-db", "permission denied")
    assert not Path("/etc/stratui-db").exists()


def test_proc_is_refused_in_one_line() -> None:
    one_clear_line(stratui("--db", "/proc", "dashboard"), "/proc is not a stratui database")
    one_clear_line(stratui("--db", "/proc/stratui", "demo"), "/proc/stratui")


def test_a_folder_holding_other_files_is_not_turned_into_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "thesis"
    folder.mkdir(mode=0o700)
    (folder / "chapter1.md").write_text("my work\n")
    for command in (["dashboard"], ["demo", "--count", "2"], ["import", str(tmp_path / "none.json")]):
        one_clear_line(
            stratui("--db", str(folder), *command),
            f"{folder} is not a stratui database (it holds chapter1.md",
            "a folder that does not exist yet or is empty",
        )
    assert sorted(p.name for p in folder.iterdir()) == ["chapter1.md"]
    # An empty folder is a new database, as before.
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o700)
    assert stratui("--db", str(empty), "demo", "--count", "2").returncode == 0


# -- damaged or planted files in the database ------------------------------------------------------


def test_a_deeply_nested_audit_head_is_named(store: Store, make_discussion: Callable[..., Discussion]) -> None:
    store.create(make_discussion())
    head = store.root / "audit" / "head"
    head.write_text("[" * 100_000)
    for command in (["audit", "verify"], ["demo", "--count", "1", "--yes"]):
        result = stratui("--db", str(store.root), *command)
        assert result.returncode == 1 and "unexpected error" not in result.stderr, result.stderr
        assert str(head) in result.stdout + result.stderr and "damaged" in result.stdout + result.stderr
    assert head.read_text() == "[" * 100_000


def test_an_unreadable_audit_head_is_named(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> None:
    user = as_nobody(tmp_path)
    db = tmp_path / "nobodys-db"
    made = stratui("--db", str(db), "demo", "--count", "2", user=user)
    assert made.returncode == 0, made.stderr
    head = db / "audit" / "head"
    os.chmod(head, 0)
    for command in (["audit", "verify"], ["demo", "--count", "3"], ["check"]):
        one_clear_line(stratui("--db", str(db), *command, user=user), str(head), "Permission denied")


def test_a_planted_lock_link_is_refused_and_never_followed(store: Store, tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("a file the link points at\n")
    lock = store.root / ".lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    for command in (["dashboard"], ["demo", "--count", "1"], ["check", "--repair"]):
        one_clear_line(stratui("--db", str(store.root), *command), f"{lock} is a symbolic link", "rm ")
    assert victim.read_text() == "a file the link points at\n"
    with pytest.raises(StoreError, match="symbolic link"):
        Store.open(store.root)


# -- output a terminal cannot encode ---------------------------------------------------------------


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}], ids=["ascii", "LANG=C"]
)
def test_names_a_terminal_cannot_show_are_escaped_not_crashed_on(
    store: Store, make_discussion: Callable[..., Discussion], env: dict[str, str]
) -> None:
    saved = store.create(make_discussion(case_ref="CS-ZOE", children=[Child(name="Zoé Lefèvre", age="6")], social_worker="Renée Brûlé"))
    for command in (["dashboard", "--all"], ["export", saved.id, "--format", "md"], ["handover"]):
        result = stratui("--db", str(store.root), *command, env=env)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
        assert "CS-ZOE" in result.stdout or command[0] == "handover"
        if env.get("PYTHONIOENCODING") == "ascii" and command[0] == "export":
            assert "Zo\\xe9 Lef\\xe8vre" in result.stdout


# -- settings out of range ---------------------------------------------------------------------


def test_a_timescale_far_out_of_range_is_a_settings_message_naming_its_range(
    store: Store, make_discussion: Callable[..., Discussion], tmp_path: Path
) -> None:
    store.create(make_discussion())
    settings = tmp_path / "settings.toml"
    settings.write_text("[timescales]\nconference_working_days = 99999999\n")
    expected = ("timescales.conference_working_days", f"from 1 to {MAX_TIMESCALE_DAYS}", "99999999", str(settings))
    one_clear_line(stratui("--db", str(store.root), "dashboard"), *expected)
    # The app itself (no command): the same line, before any screen (or record) is drawn.
    one_clear_line(stratui("--db", str(store.root)), *expected)
    with pytest.raises(SettingsError, match="from 1 to 365"):
        load_settings(settings)


async def test_the_app_works_at_the_longest_timescales_allowed(
    store: Store, make_discussion: Callable[..., Discussion], tmp_path: Path
) -> None:
    store.create(make_discussion())
    settings = tmp_path / "settings.toml"
    settings.write_text(
        "[timescales]\n"
        + "".join(
            f"{key} = {MAX_TIMESCALE_DAYS}\n"
            for key in ("conference_working_days", "strategy_discussion_working_days", "minutes_working_days",
                        "assessment_working_days", "warning_window_working_days", "meeting_after_phone_working_days")
        )  # fmt: skip
    )
    context = open_context(db=store.root, config=settings, today=TODAY)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("enter")  # the discussion: every deadline drawn
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert stratui("--db", str(store.root), "--config", str(settings), "dashboard", "--all").returncode == 0


# -- demo data into a live database ----------------------------------------------------------------


def test_demo_into_a_database_with_real_discussions_asks_first(
    store: Store, make_discussion: Callable[..., Discussion]
) -> None:
    store.create(make_discussion())
    db = str(store.root)
    one_clear_line(stratui("--db", db, "demo", "--count", "3"), "holds 1 real (not demo) discussion", "--yes")
    assert len(Store.open(store.root)) == 1

    # At a terminal it asks; anything but yes writes nothing.
    for answer, written in ((b"no\n", 1), (b"yes\n", 4)):
        primary, secondary = pty.openpty()
        try:
            os.write(primary, answer)
            asked = subprocess.run(
                [sys.executable, "-m", "stratui", "--today", TODAY, "--db", db, "demo", "--count", "3"],
                stdin=secondary, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
        finally:
            os.close(primary)
            os.close(secondary)
        assert "Mix 3 fictional demo discussions in with them?" in asked.stdout
        assert len(Store.open(store.root)) == written, asked.stdout + asked.stderr

    assert stratui("--db", db, "demo", "--count", "3", "--seed", "9", "--yes").returncode == 0
    assert len(Store.open(store.root)) == 7


def test_demo_again_into_a_demo_database_does_not_ask(tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    assert stratui("--db", db, "demo", "--count", "3").returncode == 0
    again = stratui("--db", db, "demo", "--count", "3", "--seed", "2")
    assert again.returncode == 0 and "wrote 3 demo discussions" in again.stdout, again.stderr


# -- folders others could change ---------------------------------------------------------------------


def a_group_with_outsiders() -> grp.struct_group:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another group needs root")
    for entry in grp.getgrall():
        members = set(entry.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == entry.gr_gid}
        if members - {"root"} and entry.gr_gid != os.getegid():
            return entry
    pytest.skip("no group with members other than root on this machine")


def test_a_database_folder_writable_by_a_group_with_outsiders_is_refused(tmp_path: Path) -> None:
    group = a_group_with_outsiders()
    db = tmp_path / "db"
    Store.open(db)
    os.chown(db, -1, group.gr_gid)
    os.chmod(db, 0o770)
    with pytest.raises(UnsafeFolderError, match=f"can be written by the group '{group.gr_name}'.*chmod g-w"):
        Store.open(db)
    one_clear_line(stratui("--db", str(db), "dashboard"), f"{db} can be written by the group '{group.gr_name}'")


def test_a_parent_writable_by_a_group_with_outsiders_is_refused(tmp_path: Path) -> None:
    group = a_group_with_outsiders()
    parent = tmp_path / "shared"
    parent.mkdir()
    os.chown(parent, -1, group.gr_gid)
    os.chmod(parent, 0o775)
    one_clear_line(stratui("--db", str(parent / "db"), "dashboard"), f"{parent} can be changed by the group '{group.gr_name}'")


@pytest.mark.parametrize("folder", ["audit", "index", "discussions", "journal"])
def test_a_sticky_world_writable_folder_inside_the_database_is_refused(
    store: Store, make_discussion: Callable[..., Discussion], folder: str, tmp_path: Path
) -> None:
    store.create(make_discussion())
    elsewhere, backup = tmp_path / "elsewhere", tmp_path / "backup.json"
    assert stratui("--db", str(elsewhere), "demo", "--count", "2").returncode == 0
    assert stratui("--db", str(elsewhere), "export", "--all", "--format", "json", "-o", str(backup)).returncode == 0
    inside = store.root / folder
    os.chmod(inside, 0o1777)  # like /tmp: anyone could add files, and the owner of each remove it
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"}
    for command in (["demo", "--count", "1", "--yes"], ["import", str(backup)]):
        result = stratui("--db", str(store.root), *command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{inside} can be written by any user" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"} == before
    assert stat.S_IMODE(inside.stat().st_mode) == 0o1777


def test_a_sticky_world_writable_database_folder_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "db"
    Store.open(db)
    os.chmod(db, 0o1777)
    one_clear_line(stratui("--db", str(db), "dashboard"), f"{db} can be written by any user", "chmod o-w")
    assert json.loads((db / "stratui.json").read_text())
