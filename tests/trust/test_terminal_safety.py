"""Text is data, never terminal commands, for a team sharing one database.

An attacker with a login on the shared host put terminal commands into record text: a window
title (OSC 0), the clipboard (OSC 52), a terminal reset (ESC c), CSI sequences, NUL, a CR that
overwrites a line, a C1 CSI, bidi overrides and isolates. Every test here runs stratui as a real
process and reads the raw bytes it writes: none of those characters reaches the terminal, and
the text still shows, with a visible stand-in (␛, ‹U+202E›) where each one was.

Two ways in: `stratui import` of a hostile export file, and files in the store holding the raw
text, as an older stratui wrote them (before text was neutralised) or as anyone with write access
to the folder could.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from processes import wait_until
from stratui.exchange import FORMAT
from stratui.models import SCHEMA_VERSION, Discussion
from stratui.store import Store

HOSTILE = (
    "\x1b]0;PWNED-TITLE\x07"  # OSC 0: set the window title
    " \x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
    " \x1bc"  # RIS: reset the terminal
    " \x1b[2J\x1b[31m"  # CSI: clear the screen, turn red
    " nul\x00"
    " Innocent\rEVIL"  # CR: EVIL overwrites Innocent
    " \x9b31m"  # C1 CSI (a UTF-8 terminal may obey U+009B)
    " \u202eevil\u202c"  # right-to-left override ... pop
    " \u2066iso\u2069"  # left-to-right isolate ... pop
)
# What the store keeps, and every output shows, in its place.
SHOWN = "␛]0;PWNED-TITLE␇ ␛]52;c;cHduZWQ=␇ ␛c ␛[2J␛[31m nul␀"
# Written out here, not taken from stratui.text: C0 (but tab and newline), DEL, C1, bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# The text fields the attacker filled: each is shown somewhere (dashboard, handover, minutes).
POISONED_FIELDS = [
    ("case_ref",),
    ("social_worker",),
    ("concern_source",),
    ("children", 0, "name"),
    ("participants", 0, "name"),
    ("participants", 2, "agency"),
    ("information", "concerns"),
    ("actions", 0, "text"),
    ("actions", 0, "owner"),
    ("actions", 0, "agency"),
]


def poison(doc: dict[str, Any]) -> dict[str, Any]:
    for path in POISONED_FIELDS:
        parent: Any = doc
        for key in path[:-1]:
            parent = parent[key]
        # First, so every column shows it however narrow.
        parent[path[-1]] = f"{HOSTILE} {parent[path[-1]]}"
    return doc


def assert_inert(raw: bytes, where: str) -> str:
    """The bytes are UTF-8 text with no control or bidi character but tab and newline."""
    text = raw.decode("utf-8")  # strict: a stray C1 byte (0x9b) is refused here too
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: {found.group()!r} in {text[max(0, found.start() - 60) : found.start() + 20]!r}"
    return text


def stratui(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The real command, in its own process, output read as bytes (the conftest's environment
    points it at this test's database, settings and today)."""
    return subprocess.run([sys.executable, "-m", "stratui", *args], capture_output=True, timeout=120)


@pytest.fixture
def planted(tmp_path: Path, make_discussion: Callable[..., Discussion], monkeypatch: pytest.MonkeyPatch) -> Discussion:
    """A hostile record in the store with its text raw, in the discussion file, its index entry
    and the audit trail, as stratui wrote it before text was neutralised (and as anyone with
    write access to the folder could write it)."""
    store = Store.open(tmp_path / "db", user="attacker")
    with monkeypatch.context() as older_stratui:
        older_stratui.setattr("stratui.text.neutralise", lambda text: text)
        record = store.create(Discussion.model_validate(poison(make_discussion().model_dump(mode="json"))))
    files = [
        store.root / "discussions" / record.id[:2] / f"{record.id}.json",
        store.root / "index" / f"{record.id[:2]}.json",
    ]
    for path in files:
        assert b"\\u001b]0;PWNED-TITLE\\u0007" in path.read_bytes(), f"{path} does not hold the raw text"
    # The audit entry holds a new record packed (stratui.audit_record): raw once unpacked.
    [created] = store.audit.history(record.id)
    assert any("\x1b]0;PWNED-TITLE\x07" in str(change.get("new")) for change in created["changes"]), "the audit entry does not hold the raw text"
    return record


@pytest.fixture
def imported(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> Discussion:
    doc = poison(make_discussion().model_dump(mode="json"))
    export = tmp_path / "hostile.json"
    export.write_text(
        json.dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION, "discussions": [doc]}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert "\u202e".encode() in export.read_bytes() and b"\\u001b" in export.read_bytes()
    result = stratui("import", str(export))
    assert result.returncode == 0, result.stderr
    line = assert_inert(result.stdout, "import")
    assert line.count("\n") == 1 and "Traceback" not in line + result.stderr.decode()
    assert f"{len(POISONED_FIELDS)} text fields held control or bidirectional characters" in line, line
    assert "PWNED" not in line  # counted, never quoted
    return Store.open(tmp_path / "db").get(doc["id"])


def test_an_imported_hostile_record_is_kept_with_visible_stand_ins(tmp_path: Path, imported: Discussion) -> None:
    assert imported.case_ref == f"{SHOWN} Innocent\nEVIL ‹U+009B›31m ‹U+202E›evil‹U+202C› ‹U+2066›iso‹U+2069› CS-104233"
    assert imported.actions[0].text.startswith(SHOWN) and imported.actions[0].text.endswith(" Joint visit to see Maya and her mother")
    stored = [p for p in (tmp_path / "db").rglob("*") if p.is_file() and p.suffix in ("", ".json", ".jsonl")]
    assert len(stored) > 3
    for path in stored:
        raw = path.read_bytes()
        assert_inert(raw, str(path))
        # JSON writes C0 controls as escapes: none of those either.
        assert not re.search(rb"\\u00[01][0-9a-f]|\\u00[89][0-9a-f]|\\u007f|\\r", raw, re.IGNORECASE), path
    [shard] = [p for p in (tmp_path / "db" / "index").iterdir() if imported.id[:2] in p.name]
    assert SHOWN.encode() in shard.read_bytes()


OUTPUTS = {
    "dashboard": lambda d: ["dashboard"],
    "dashboard --all": lambda d: ["dashboard", "--all"],
    "handover": lambda d: ["handover"],
    "handover --md": lambda d: ["handover", "--md"],
    "audit ID": lambda d: ["audit", d.id],
    "audit ID --full": lambda d: ["audit", d.id, "--full"],
    "export md": lambda d: ["export", d.id, "--format", "md"],
    "export html": lambda d: ["export", d.id, "--format", "html"],
}


@pytest.mark.parametrize("how", ["imported", "planted"])
@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_no_output_of_the_command_line_carries_a_terminal_command(
    how: str, command: str, request: pytest.FixtureRequest
) -> None:
    record: Discussion = request.getfixturevalue(how)
    result = stratui(*OUTPUTS[command](record))
    assert result.returncode == 0, result.stderr
    out = assert_inert(result.stdout, command)
    assert_inert(result.stderr, f"{command} (stderr)")
    if command == "audit ID --full":  # values as JSON: an old raw value shows as \u001b
        assert "␛]0;PWNED-TITLE␇" in out or "\\u001b]0;PWNED-TITLE\\u0007" in out, out
    elif command != "audit ID":  # without --full a new record's fields are only counted
        assert "␛]0;PWNED-TITLE␇" in out or "␛\\]0;PWNED-TITLE␇" in out, out  # Markdown-escaped or not
    if command.startswith(("dashboard", "handover")):
        # A line break from the record cannot start a line of its own that passes for a row.
        assert not any(line.startswith("EVIL") for line in out.splitlines()), out


def test_the_html_minutes_run_nothing_from_the_record(imported: Discussion, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    store.update(
        imported.id,
        lambda d: setattr(
            d.information,
            "family_history",
            '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) '
            "<https://evil.example> https://evil.example &#x202E; &#27;]0;x",
        ),
    )
    html = assert_inert(stratui("export", imported.id, "--format", "html").stdout, "html")
    assert "<script" not in html and "<img" not in html and "<a " not in html and "href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Entities are shown as typed, never decoded into the characters they name.
    assert "&amp;#x202E;" in html and "&amp;#27;" in html
    assert "‹U+202E›evil‹U+202C›" in html


@pytest.mark.parametrize("how", ["imported", "planted"])
def test_json_output_carries_the_data_with_every_control_character_escaped(
    how: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    record: Discussion = request.getfixturevalue(how)
    as_read = Store.open(tmp_path / "db").get(record.id)  # neutralised when read, however stored
    for args in (["export", record.id, "--format", "json"], ["export", "--all", "--format", "json"]):
        result = stratui(*args)
        assert result.returncode == 0, result.stderr
        [exported] = json.loads(assert_inert(result.stdout, " ".join(args)))["discussions"]
        assert Discussion.model_validate(exported) == as_read
    result = stratui("dashboard", "--json")
    items = json.loads(assert_inert(result.stdout, "dashboard --json"))
    assert any("PWNED-TITLE" in item["title"] for item in items)


def test_an_error_quoting_the_file_escapes_it_too(tmp_path: Path) -> None:
    doc = {"id": "\x1b]0;PWNED\x07", "concern_date": "not a date"}
    export = tmp_path / "bad\x1bc.json"
    export.write_text(json.dumps({"format": FORMAT, "discussions": [doc]}), encoding="utf-8")
    result = stratui("import", str(export))
    assert result.returncode == 1
    err = assert_inert(result.stderr, "import error")
    assert err.startswith("stratui: ") and err.count("\n") == 1 and "␛]0;PWNED" in err and "bad␛c.json" in err


# -- the terminal app ---------------------------------------------------------------------------------


class RecordedTerminal:
    """The installed stratui in its own tmux server at 80x24, with every byte it writes to the
    terminal copied to a file (tmux pipe-pane) from its very first: the pane waits for Enter,
    the pipe is opened, then Enter starts stratui."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        command = Path(sys.executable).with_name("stratui")
        if not command.exists():
            pytest.skip("the stratui command is not installed beside this Python")
        self.log = log
        self.tmux = ["tmux", "-L", f"stratui-test-{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]
        start = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items()) + f" exec {command}"
        self._tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", f"read go; {start}")
        self._tmux("set-option", "-g", "escape-time", "0")
        self._tmux("pipe-pane", "-O", "-t", "t", f"cat >> {shlex.quote(str(log))}")
        self.keys("Enter")

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.tmux, *args], capture_output=True, text=True)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t").stdout

    def title(self) -> str:
        return self._tmux("display-message", "-p", "-t", "t", "#{pane_title}").stdout.strip()

    def running(self) -> bool:
        return self._tmux("has-session", "-t", "t").returncode == 0

    def wait_for(self, text: str) -> str:
        assert wait_until(lambda: text in self.screen()), self.screen()
        return self.screen()

    def stop(self) -> None:
        self._tmux("kill-server")


@pytest.fixture
def recorded_terminal(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], RecordedTerminal]]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    started: list[RecordedTerminal] = []

    def start(env: dict[str, str]) -> RecordedTerminal:
        started.append(RecordedTerminal(env, tmp_path / f"terminal-{len(started)}.bytes"))
        return started[-1]

    yield start
    for terminal in started:
        terminal.stop()


def test_the_app_shows_a_planted_record_on_every_screen_without_obeying_it(
    tmp_path: Path, planted: Discussion, recorded_terminal: Callable[[dict[str, str]], RecordedTerminal]
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('user = "Sam Patel"\n')
    terminal = recorded_terminal(
        {"TERM": "xterm-256color", "STRATUI_DB": str(tmp_path / "db"), "STRATUI_CONFIG": str(settings), "STRATUI_TODAY": "2026-11-25"}
    )
    seen = {"dashboard": terminal.wait_for("OVERDUE")}
    terminal.keys("v")  # the case view: its title and detail come from the index
    seen["case view"] = terminal.wait_for("Open actions of the case")
    terminal.keys("Escape")
    terminal.wait_for("OVERDUE")
    terminal.keys("Enter")  # the discussion of the highlighted (overdue, poisoned) action
    seen["details"] = terminal.wait_for("Case reference")
    terminal.keys("C-n")
    seen["information"] = terminal.wait_for("Nature of the concerns")
    terminal.keys("C-g")
    terminal.wait_for("Go to phase")
    terminal.keys("6")
    terminal.wait_for("s sign off")
    terminal.keys("m")
    seen["minutes preview"] = terminal.wait_for("Referral date:")
    terminal.keys("Escape")
    terminal.wait_for("s sign off")
    terminal.keys("Escape")
    terminal.wait_for("OVERDUE")
    terminal.keys("d")  # mark the planted action done: the prompt and the notice quote its text
    seen["done prompt"] = terminal.wait_for("Completion note")
    terminal.keys("Enter")
    seen["notice"] = terminal.wait_for("Done: ")
    terminal.keys("C-q")
    assert wait_until(lambda: not terminal.running()), terminal.screen()  # stratui has exited: the log is whole
    for name, screen in seen.items():
        assert "␛]0;PWNED" in screen, f"{name}: the planted text is not on the screen:\n{screen}"
    assert "PWNED" not in terminal.title()
    raw = terminal.log.read_bytes()
    assert raw.count("␛]0;PWNED".encode()) >= len(seen), "the screens were not all recorded"
    # Nothing of the record's commands. The only OSC is Textual's own mouse-pointer shape (OSC 22):
    # no window title (OSC 0), no clipboard (OSC 52). No reset, no C1 CSI, no NUL, no bidi
    # control, no CR before EVIL.
    assert {osc.split(b";")[0] for osc in re.findall(rb"\x1b\]([^\x07\x1b]*)", raw)} <= {b"22"}
    for sequence in (b"\x1bc", b"\xc2\x9b", b"\x00", *(c.encode() for c in "\u202e\u202c\u2066\u2069")):
        assert sequence not in raw, f"{sequence!r} reached the terminal"
    assert b"\rEVIL" not in raw and b"Innocent\r" not in raw


def test_check_repair_rebuilds_an_old_index_with_the_text_neutralised(tmp_path: Path, planted: Discussion) -> None:
    """After upgrading: the index an older stratui wrote still holds raw text (every output
    escapes it); `stratui check --repair` rewrites it from the records, neutralised."""
    shard = tmp_path / "db" / "index" / f"{planted.id[:2]}.json"
    assert b"\\u001b" in shard.read_bytes()
    result = stratui("check", "--repair")
    assert result.returncode == 0, result.stdout + result.stderr
    raw = shard.read_bytes()
    assert_inert(raw, str(shard))
    assert b"\\u001b" not in raw and SHOWN.encode() in raw
