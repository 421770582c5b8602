"""The lock's queue with real Unix users of one team: bob waits in the line alice's process made.

Runs only where tests/trust/test_team_members.py does (root, the users alice and bob in the
group stratui-team); skipped with its reason otherwise.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess
import sys

import pytest

from test_lock_queue import numbers_taken, served, wait_until
from test_team_members import TEAM, Team, _missing_setup, ok, team  # noqa: F401 (team: the fixture)
from stratui.store.lock import QUEUE_FOLDER

pytestmark = [pytest.mark.process, pytest.mark.skipif(bool(_missing_setup()), reason=_missing_setup() or "ready")]

# Each member's store as their app opens it: STRATUI_DB, and settings naming the team group.
HOLD = (
    "import sys\n"
    "from stratui.context import open_context\n"
    "store = open_context().store\n"
    "with store.lock:\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.readline()\n"
)
WAIT = (
    "import sys\n"
    "from stratui.context import open_context\n"
    "store = open_context().store\n"
    "with store.lock.patience(None), store.lock:\n"
    "    with open(sys.argv[1], 'a', encoding='utf-8') as out:\n"
    "        out.write('bob\\n')\n"
)


def as_user(team: Team, user: str, code: str, *args: str, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["runuser", "-u", user, "--", *team.env(user), sys.executable, "-c", code, *args], text=True, **popen  # type: ignore[call-overload]
    )


def test_bob_waits_in_the_line_alice_made_and_is_served_when_she_lets_go(team: Team) -> None:
    ok(team.stratui("alice", "demo", "--count", "1"))
    out = team.base / "served"
    out.touch()
    os.chmod(out, 0o666)
    alice = as_user(team, "alice", HOLD, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert alice.stdout is not None and alice.stdout.readline().strip() == "held"
        bob = as_user(team, "bob", WAIT, str(out))
        assert wait_until(lambda: len(numbers_taken(team.db)) == 2 or bob.poll() is not None)
        assert bob.poll() is None and served(out) == []  # bob waits: alice holds it
        # bob's number is the team's, like every file in the database.
        queue = team.db / QUEUE_FOLDER
        team_gid = grp.getgrnam(TEAM).gr_gid
        for path in [queue, *queue.iterdir()]:
            info = path.lstat()
            assert info.st_gid == team_gid, path
            assert stat.S_IMODE(info.st_mode) == (0o2770 if path.is_dir() else 0o660), (path, oct(info.st_mode))
        assert alice.stdin is not None
        alice.stdin.write("\n")
        alice.stdin.flush()
        assert bob.wait(120) == 0
    finally:
        if alice.poll() is None:
            alice.kill()
        alice.wait(60)
    assert served(out) == ["bob"]
    assert numbers_taken(team.db) == []
    assert "chain intact" in ok(team.stratui("bob", "audit", "verify"))
