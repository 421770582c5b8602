"""End to end over a real SSH connection, as duty workers reach stratui: 80x24, keys only.

The test starts its own sshd on 127.0.0.1 with throwaway keys, connects with `ssh -tt` inside
a tmux pane, records a minimal discussion with send-keys, reads the screen with capture-pane,
checks the database, then drops the connection mid-edit and checks the draft survived.
`.ci/run` installs openssh-server and tmux; elsewhere the test is skipped if they are missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import free_port, wait_until
from stratui.store import Store

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
NEEDED = {"sshd": SSHD, "ssh": shutil.which("ssh"), "ssh-keygen": shutil.which("ssh-keygen"), "tmux": shutil.which("tmux")}
pytestmark = [
    pytest.mark.process,
    pytest.mark.skipif(
        not all(NEEDED.values()) or os.geteuid() != 0,
        reason=f"needs root and {', '.join(k for k, v in NEEDED.items() if not v) or 'root'} (.ci/run installs them)",
    ),
]

TODAY = "2026-11-25"


@dataclass
class Sshd:
    port: int
    key: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    home = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "user_key"):
        subprocess.run([NEEDED["ssh-keygen"], "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)], check=True)
    (home / "authorized_keys").write_text((home / "user_key.pub").read_text())
    port = free_port()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {home / 'host_key'}",
                f"AuthorizedKeysFile {home / 'authorized_keys'}",
                f"PidFile {home / 'sshd.pid'}",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PrintMotd no",
                "PrintLastLog no",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("sshd did not start")
    yield Sshd(port, home / "user_key", process)
    process.terminate()
    process.wait(10)


class Terminal:
    """A tmux pane (own server socket) running `ssh -tt` into stratui."""

    def __init__(self, socket_name: str) -> None:
        self.socket = socket_name

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def start(self, command: str, term: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", "-e", f"TERM={term}", command)
        # Escape must reach the app at once, not after tmux's 500 ms wait for a sequence.
        self.tmux("set-option", "-s", "escape-time", "0")
        self.tmux("set-option", "-g", "remain-on-exit", "on")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.15)  # a person's pace; bursts are tested in the Pilot tests

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "e2e", "-l", text)
        time.sleep(0.3)

    def wait_for(self, *texts: str, timeout: float = 60) -> str:
        """The screen once every one of `texts` is on it (a screen is drawn over a link in
        pieces: one text up is not the rest of its frame). The bound is generous: a loaded
        machine makes this slower, not red."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} never all appeared; the screen was:\n{screen}")

    wait_until = staticmethod(wait_until)

    def client_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip())

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def ssh_command(sshd: Sshd, db: Path, lang: str) -> str:
    remote = (
        f"env LANG={lang} LC_ALL={lang} STRATUI_DB={db} STRATUI_CONFIG={db.parent / 'settings.toml'} "
        f"STRATUI_TODAY={TODAY} {sys.executable} -m stratui"
    )
    return (
        f"ssh -tt -i {sshd.key} -p {sshd.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
        f"-o LogLevel=ERROR root@127.0.0.1 '{remote}'"
    )


@pytest.mark.parametrize(
    ("term", "lang"),
    [("xterm-256color", "C.UTF-8"), ("xterm", "C.UTF-8"), ("vt100", "C.UTF-8"), ("xterm-256color", "C")],
)
def test_record_over_ssh_then_drop_the_connection_mid_edit(sshd: Sshd, tmp_path: Path, term: str, lang: str) -> None:
    db = tmp_path / "db"
    terminal = Terminal(f"stratui-e2e-{os.getpid()}-{term}-{lang}".replace(".", ""))
    try:
        terminal.start(ssh_command(sshd, db, lang), term)
        terminal.wait_for("No discussions yet", "stratui demo")  # the way to demo data, on the empty dashboard

        # A minimal discussion: case, child, concerns; then back to the dashboard.
        terminal.keys("n")
        terminal.wait_for("which kind")
        terminal.keys("Enter")
        terminal.wait_for("Case reference")
        terminal.type("CS-SSH-1")
        terminal.keys("Tab")
        terminal.type("Amy Over-Ssh")
        terminal.keys("Enter")  # adds the child row
        terminal.keys("NPage")
        terminal.wait_for("Nature of the concerns")
        terminal.type("Disclosure to teacher")
        terminal.keys("Escape")
        terminal.wait_for("overdue")

        def concerns() -> str | None:
            summaries = Store.open(db).summaries()
            return Store.open(db).get(summaries[0].id).information.concerns if summaries else None

        # Closing saves in the saver's thread: the dashboard may show before the save lands.
        assert terminal.wait_until(lambda: concerns() == "Disclosure to teacher"), concerns()
        store = Store.open(db)
        [summary] = store.summaries()
        record = store.get(summary.id)
        assert (record.case_ref, [c.name for c in record.children]) == ("CS-SSH-1", ["Amy Over-Ssh"])
        assert record.information.concerns == "Disclosure to teacher"

        # Drop the connection mid-edit, before the autosave delay has passed.
        terminal.keys("n")
        terminal.wait_for("which kind")
        terminal.keys("Enter")
        terminal.wait_for("Case reference")
        terminal.type("CS-SSH-DROPPED")
        # Typed means on the worker's screen: the keys have reached stratui (on a loaded machine
        # they may still be in flight through tmux and ssh a moment after send-keys).
        terminal.wait_for("CS-SSH-DROPPED")
        os.kill(terminal.client_pid(), signal.SIGKILL)
        deadline = time.monotonic() + 15
        cases: list[str] = []
        while time.monotonic() < deadline:
            cases = [s.case_ref for s in Store.open(db).summaries()]
            if "CS-SSH-DROPPED" in cases:
                break
            time.sleep(0.3)
        assert "CS-SSH-DROPPED" in cases, f"the draft typed before the connection dropped was lost: {cases}"
    finally:
        terminal.stop()


def test_dashboard_over_ssh_at_80x24_vt100_with_demo_data(sshd: Sshd, tmp_path: Path) -> None:
    db = tmp_path / "db"
    subprocess.run(
        [sys.executable, "-m", "stratui", "demo", "--count", "40", "--db", str(db), "--today", TODAY],
        check=True,
        capture_output=True,
        env={**os.environ, "STRATUI_CONFIG": str(tmp_path / "settings.toml")},
    )
    terminal = Terminal(f"stratui-e2e-demo-{os.getpid()}")
    try:
        terminal.start(ssh_command(sshd, db, "C.UTF-8"), "vt100")
        screen = terminal.wait_for("OVERDUE", "overdue", "due today")
        lines = screen.splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        (tmp_path / "dashboard-vt100.txt").write_text(screen)
        print(screen)
        terminal.keys("q")
    finally:
        terminal.stop()
