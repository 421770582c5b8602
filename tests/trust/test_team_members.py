"""A team sharing one host: real Unix users running the installed `stratui` on one database.

alice and bob are in the group stratui-team (the database's team_group), mallory is not.
`.ci/team_users` creates them (as root) and lets them run the project's venv; without root or
without those users, every test here is skipped with the reason.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from stratui import exchange
from stratui.demo import generate_demo

TEAM = "stratui-team"
TODAY = "2026-11-25"
STRATUI = Path(sys.executable).with_name("stratui")


def _missing_setup() -> str:
    if os.geteuid() != 0:
        return "runs stratui as other Unix users: needs root"
    if shutil.which("runuser") is None:
        return "needs runuser (util-linux)"
    try:
        members = set(grp.getgrnam(TEAM).gr_mem)
        for name in ("alice", "bob", "mallory"):
            pwd.getpwnam(name)
    except KeyError:
        return f"needs the group {TEAM} and the users alice, bob, mallory: run .ci/team_users CLONE as root"
    if not {"alice", "bob"} <= members or "mallory" in members:
        return f"{TEAM} must hold alice and bob and not mallory: run .ci/team_users CLONE as root"
    probe = subprocess.run(["runuser", "-u", "alice", "--", str(STRATUI), "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"alice cannot run {STRATUI} ({probe.stderr.strip()[:120]}): run .ci/team_users CLONE as root"
    return ""


pytestmark = [pytest.mark.process, pytest.mark.skipif(bool(_missing_setup()), reason=_missing_setup() or "ready")]


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Team:
    base: Path
    db: Path

    def home(self, user: str) -> Path:
        return self.base / "homes" / user

    def env(self, user: str) -> list[str]:
        home = self.home(user)
        return [
            "env",
            "-i",
            f"HOME={home}",
            f"USER={user}",
            f"LOGNAME={user}",
            "PATH=/usr/bin:/bin",
            "LANG=C.UTF-8",
            f"STRATUI_DB={self.db}",
            f"STRATUI_CONFIG={home / 'settings.toml'}",
            f"STRATUI_TODAY={TODAY}",
        ]

    def stratui(self, user: str, *args: str) -> Run:
        done = subprocess.run(
            ["runuser", "-u", user, "--", *self.env(user), str(STRATUI), *args], capture_output=True, text=True, timeout=120
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def python(self, user: str, code: str) -> Run:
        done = subprocess.run(
            ["runuser", "-u", user, "--", *self.env(user), sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def team() -> Iterator[Team]:
    """A shared folder the team can write in (others may pass through), and each user's home."""
    base = Path(tempfile.mkdtemp(prefix="stratui-team-", dir="/tmp"))
    os.chmod(base, 0o755)
    shared = base / "shared"
    shared.mkdir()
    os.chown(shared, 0, grp.getgrnam(TEAM).gr_gid)
    os.chmod(shared, 0o2775)
    (base / "homes").mkdir()
    for user in ("alice", "bob", "mallory"):
        home = base / "homes" / user
        home.mkdir()
        entry = pwd.getpwnam(user)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        os.chmod(home, 0o700)
        settings = home / "settings.toml"
        settings.write_text(f'team_group = "{TEAM}"\n' if user != "mallory" else "", "utf-8")
        os.chown(settings, entry.pw_uid, entry.pw_gid)
    try:
        yield Team(base=base, db=shared / "db")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def incoming(team: Team, count: int, seed: int) -> Path:
    """A JSON backup anyone may read, as one team would send another."""
    path = team.base / f"incoming-{seed}.json"
    path.write_text(exchange.dump_all(generate_demo(count, seed, date.fromisoformat(TODAY))), "utf-8")
    os.chmod(path, 0o644)
    return path


def ok(run: Run) -> str:
    assert run.code == 0, run.err or run.out
    assert "Traceback" not in run.err
    return run.out + run.err


def test_both_members_save_import_export_and_audit_one_database(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "3"))
    # bob appends to the audit log alice created, rewrites the index and records she wrote.
    ok(team.stratui("bob", "demo", "--count", "3", "--seed", "2"))
    assert "imported 4 discussions" in ok(team.stratui("bob", "import", str(incoming(team, 4, 3))))
    assert "imported 2 discussions" in ok(team.stratui("alice", "import", str(incoming(team, 2, 4))))
    for user in ("alice", "bob"):
        assert "12 entries, chain intact" in ok(team.stratui(user, "audit", "verify"))
        assert "all 12 discussions read cleanly" in ok(team.stratui(user, "check"))
        target = team.home(user) / "backup.json"
        ok(team.stratui(user, "export", "--all", "--format", "json", "-o", str(target)))
        assert len(json.loads(target.read_text("utf-8"))["discussions"]) == 12
    entries = [json.loads(line) for line in (team.db / "audit" / "audit.jsonl").read_text("utf-8").splitlines()]
    assert {e["user"] for e in entries} == {"alice", "bob"}
    # Whoever created a file, it stays the team's: group stratui-team, no one else.
    team_gid = grp.getgrnam(TEAM).gr_gid
    for path in [team.db, *team.db.rglob("*")]:
        if "drafts" in path.relative_to(team.db).parts:
            continue
        info = path.lstat()
        assert info.st_gid == team_gid, path
        assert stat.S_IMODE(info.st_mode) == (0o2770 if path.is_dir() else 0o660), (path, oct(info.st_mode))


def test_a_members_export_is_hers_alone_and_her_home_gets_nothing_the_group_can_write(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "2"))
    target = team.home("alice") / "minutes.md"
    some_id = json.loads((team.db / "audit" / "audit.jsonl").read_text("utf-8").splitlines()[0])["discussion_id"]
    ok(team.stratui("alice", "export", some_id, "-o", str(target)))
    info = target.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == pwd.getpwnam("alice").pw_uid
    # The minutes and the handover from the TUI go to her exports folder under her home.
    code = (
        "from stratui.context import open_context\n"
        "from stratui.exports import export_minutes\n"
        "from stratui.screens.handover import export_handover\n"
        "c = open_context()\n"
        f"print(*export_minutes(c.store.get({some_id!r})), export_handover(c, '# handover'))\n"
    )
    written = [Path(p) for p in ok(team.python("alice", code)).split()]
    assert len(written) == 3
    for path in written:
        assert path.is_relative_to(team.home("alice")), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    team_gid = grp.getgrnam(TEAM).gr_gid
    for folder in [p for p in team.home("alice").rglob("*") if p.is_dir()]:
        info = folder.stat()
        assert info.st_gid != team_gid, folder
        assert not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH | stat.S_ISGID), (folder, oct(info.st_mode))
        assert info.st_uid == pwd.getpwnam("alice").pw_uid, folder
    # Sharing the file with the team is an explicit choice.
    shared = team.base / "shared" / "for-the-team.md"
    ok(team.stratui("alice", "export", some_id, "-o", str(shared), "--share-with-team"))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o660 and shared.stat().st_gid == team_gid


SCAN = (
    "from stratui.context import open_context\n"
    "from stratui.drafts import scan_drafts\n"
    "scan = scan_drafts(open_context())\n"
    "print(len(scan.drafts))\n"
    "for line in scan.ignored: print(line)\n"
)


def test_a_draft_bob_plants_for_alice_is_never_offered_to_her(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "1"))
    # bob makes alice's drafts folder before she ever needed one, and leaves a draft in it.
    plant = (
        "import os, json\n"
        "from pathlib import Path\n"
        "from stratui.context import open_context\n"
        "c = open_context()\n"
        "s = c.store.summaries()[0]\n"
        "d = c.store.get(s.id)\n"
        "d.information.concerns = 'planted by bob'\n"
        f"folder = Path({str(team.db)!r}) / 'drafts' / 'alice'\n"
        "folder.mkdir(parents=True, exist_ok=True)\n"
        "(folder / f'{d.id}.1-planted.json').write_text(d.model_dump_json(), 'utf-8')\n"
    )
    ok(team.python("bob", plant))
    lines = ok(team.python("alice", SCAN)).splitlines()
    assert lines[0] == "0", lines
    assert any("drafts/alice" in line and "belongs to bob" in line for line in lines[1:]), lines


def test_a_draft_bob_slips_into_a_folder_alice_made_wrongly_is_not_hers(team: Team) -> None:
    # An old stratui (or a mistake) left alice's drafts folder writable by the team.
    ok(team.stratui("alice", "demo", "--count", "1"))
    setup = (
        "import os\n"
        "from pathlib import Path\n"
        f"folder = Path({str(team.db)!r}) / 'drafts' / 'alice'\n"
        "folder.mkdir(parents=True, exist_ok=True)\n"
        "os.chmod(folder, 0o2770)\n"
    )
    ok(team.python("alice", setup))
    plant = (
        "from pathlib import Path\n"
        "from stratui.context import open_context\n"
        "c = open_context()\n"
        "d = c.store.get(c.store.summaries()[0].id)\n"
        f"(Path({str(team.db)!r}) / 'drafts' / 'alice' / f'{{d.id}}.2-planted.json').write_text(d.model_dump_json(), 'utf-8')\n"
    )
    ok(team.python("bob", plant))
    lines = ok(team.python("alice", SCAN)).splitlines()
    assert lines[0] == "0" and len(lines) == 2, lines
    assert "chmod g-w" in lines[1]
    # With the folder put right, the file bob wrote is still not offered as hers.
    ok(team.python("alice", setup.replace("0o2770", "0o700")))
    lines = ok(team.python("alice", SCAN)).splitlines()
    assert lines[0] == "0" and "written by bob, not by you" in lines[1], lines


def test_a_save_goes_on_when_alices_drafts_folder_is_unusable(team: Team) -> None:
    """A drafts folder someone else made: a clear notice at start, and the new record is saved."""
    ok(team.stratui("bob", "demo", "--count", "1"))
    ok(team.python("bob", f"import os; os.makedirs({str(team.db / 'drafts' / 'alice')!r}); os.chmod({str(team.db / 'drafts' / 'alice')!r}, 0o777)"))
    save = (
        "from datetime import datetime\n"
        "from stratui.context import open_context\n"
        "from stratui.capture import DiscussionEditor\n"
        "from stratui.starting import new_discussion\n"
        "from stratui.models import DiscussionKind\n"
        "c = open_context()\n"
        "d = new_discussion(c, DiscussionKind.STRATEGY_DISCUSSION, datetime(2026, 11, 25, 10, 0))\n"
        "d.case_ref = 'CS-ALICE-1'\n"
        "e = DiscussionEditor.start(c, d)\n"
        "e.changed()\n"
        "print(e.save().saved, len(c.store))\n"
    )
    assert ok(team.python("alice", save)).split() == ["True", "2"]
    lines = ok(team.python("alice", SCAN)).splitlines()
    assert lines[0] == "0" and "any user on this machine" in lines[1] and len(lines) == 2, lines


def test_mallory_outside_the_team_can_read_nothing(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "2"))
    ok(team.stratui("alice", "export", "--all", "--format", "json", "-o", str(team.home("alice") / "backup.json")))
    for command in (["dashboard"], ["audit", "verify"], ["export", "--all", "--format", "json"], ["check"]):
        run = team.stratui("mallory", *command)
        assert run.code != 0 and "Traceback" not in run.err, (command, run.err)
        assert "CS-" not in run.out
    for path in [team.db / "audit" / "audit.jsonl", team.home("alice") / "backup.json", *team.db.rglob("*.json")]:
        peek = subprocess.run(["runuser", "-u", "mallory", "--", "cat", str(path)], capture_output=True, text=True)
        assert peek.returncode != 0 and not peek.stdout, path


def test_a_save_alice_was_killed_in_is_recovered_by_bob(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "4"))
    # alice's save dies after her record is on disk, before the index and the audit trail.
    killed = (
        "import os\n"
        "from stratui.context import open_context\n"
        "from stratui.store.index import Index\n"
        "c = open_context()\n"
        "d = c.store.get(next(s.id for s in c.store.summaries() if s.status == 'draft'))\n"
        "d.information.concerns = 'saved by alice as the power went'\n"
        "Index.write_saved = lambda *a, **k: os._exit(9)\n"
        "c.store.save(d)\n"
    )
    assert team.python("alice", killed).code == 9
    # A command that only reads shows the save from its file and leaves settling it to a writer.
    looked = team.stratui("bob", "check")
    assert looked.code == 1 and "was interrupted and is not settled yet" in looked.out, looked.out + looked.err
    assert "changed outside stratui" not in looked.out
    assert list((team.db / "journal").iterdir())
    # bob's next command that writes settles it and records it, in alice's log, as bob.
    assert "all 4 discussions read cleanly" in ok(team.stratui("bob", "check", "--repair"))
    assert "chain intact" in ok(team.stratui("alice", "audit", "verify"))
    entries = [json.loads(line) for line in (team.db / "audit" / "audit.jsonl").read_text("utf-8").splitlines()]
    assert entries[-1]["action"] == "recovered-save" and entries[-1]["user"] == "bob"
    assert not list((team.db / "journal").iterdir())
    exported = json.loads(ok(team.stratui("bob", "export", "--all", "--format", "json")))
    assert "saved by alice as the power went" in {d["information"]["concerns"] for d in exported["discussions"]}


REBUILD_CHAIN = (
    "import hashlib, json\n"
    "from pathlib import Path\n"
    "folder = Path({folder!r})\n"
    "entries = [json.loads(l) for l in (folder / 'audit.jsonl').read_text('utf-8').splitlines()]\n"
    "entries[0]['user'] = 'bob'\n"
    "prev, lines = '0' * 64, []\n"
    "for seq, e in enumerate(entries, 1):\n"
    "    e.pop('hash'); e['seq'], e['prev'] = seq, prev\n"
    "    prev = hashlib.sha256(json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(',', ':')).encode()).hexdigest()\n"
    "    lines.append(json.dumps({{**e, 'hash': prev}}, ensure_ascii=False, separators=(',', ':')) + '\\n')\n"
    "data = ''.join(lines).encode()\n"
    "(folder / 'audit.jsonl').write_bytes(data)\n"
    "(folder / 'head').write_text(json.dumps({{'hash': prev, 'count': len(lines), 'size': len(data)}}))\n"
    # The per-record index is derived (a missing one is rebuilt, never damage): bob drops it.
    "(folder / 'by-record').unlink(missing_ok=True)\n"
)


def test_a_chain_bob_rebuilds_is_caught_by_alices_own_witness(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "3"))
    assert "3 entries, chain intact" in ok(team.stratui("alice", "audit", "verify"))
    witnesses = list((team.home("alice") / ".local" / "state" / "stratui" / "audit-witness").glob("*.json"))
    assert len(witnesses) == 1 and stat.S_IMODE(witnesses[0].stat().st_mode) == 0o600
    # bob, who may write the audit folder, claims alice's first entry and recomputes every hash.
    ok(team.python("bob", REBUILD_CHAIN.format(folder=str(team.db / "audit"))))
    assert "chain intact" in ok(team.stratui("bob", "audit", "verify"))  # bob saw nothing before
    run = team.stratui("alice", "audit", "verify")
    assert run.code == 1 and "entry 3 is not the one you saw" in run.out, run.out + run.err
    # bob cannot reach alice's witness to rewrite it too.
    peek = subprocess.run(["runuser", "-u", "bob", "--", "cat", str(witnesses[0])], capture_output=True, text=True)
    assert peek.returncode != 0
