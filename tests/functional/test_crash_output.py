"""An unexpected error never shows record content: the draft is saved, the terminal gets a short
message, and a private report (0600 in a 0700 folder) keeps only where in the code it happened.

Found by users: Textual's default crash screen printed a traceback with local variables, i.e.
children's names and dates of birth, into the terminal and its scrollback.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import textwrap
import uuid
from datetime import date
from pathlib import Path

import pytest

from stratui.app import make_app
from stratui.context import Context
from stratui.models import Child
from stratui.screens.phase import PhaseScreen

CHILD = "Zebedee Quillfeather"
BORN = date(2019, 3, 14)


def forced_error(screen: PhaseScreen) -> None:
    """A bug whose message and locals quote the record, as a ValidationError's would."""
    child = screen.editor.discussion.children[0]
    raise ValueError(f"cannot show the history of {child.name}, born {child.date_of_birth}")


def assert_private_report(folder: Path) -> str:
    [report] = list(folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text("utf-8")
    assert "builtins.ValueError" in text and "in forced_error" in text  # where, and what kind
    for secret in ("Zebedee", "Quillfeather", "2019", "cannot show the history"):
        assert secret not in text
    return text


async def test_a_crash_saves_the_draft_and_shows_no_record_content(
    context: Context,
    make_discussion,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = context.store.create(make_discussion(children=[Child(name=CHILD, date_of_birth=BORN)]))
    monkeypatch.setattr(PhaseScreen, "action_history", forced_error)
    app = make_app(context)
    with pytest.raises(ValueError):  # run_test hands the error on to the test, as Textual's own handler does
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_discussion(record.id)
            await pilot.pause()
            await pilot.press("end", *"-TYPED", "ctrl+t")
            await pilot.pause()
    assert app.return_code == 1
    shown = capsys.readouterr().err  # what Textual prints on leaving (its error console)
    assert "stratui stopped after an unexpected error. Your discussion was saved." in shown
    [report] = (tmp_path / "crash-reports").iterdir()
    assert str(report) in shown.splitlines()
    assert CHILD not in shown and "2019" not in shown
    assert context.store.get(record.id).case_ref.endswith("-TYPED")
    assert_private_report(tmp_path / "crash-reports")


SCRIPT = """
    import sys
    from stratui.app import StratuiApp, make_app
    from stratui.context import open_context
    from stratui.screens.phase import PhaseScreen

    def forced_error(screen):
        child = screen.editor.discussion.children[0]
        raise ValueError(f"cannot show the history of {child.name}, born {child.date_of_birth}")

    PhaseScreen.action_history = forced_error
    opening = StratuiApp.on_mount

    async def open_the_record(self):
        await opening(self)
        self.open_discussion(sys.argv[1])

    StratuiApp.on_mount = open_the_record
    app = make_app(open_context())
    app.run(mouse=False)
    sys.exit(app.return_code or 0)
"""


@pytest.mark.process
def test_a_real_crash_in_a_terminal_leaves_no_record_content(
    tmp_path: Path, context: Context, make_discussion  # type: ignore[no-untyped-def]
) -> None:
    record = context.store.create(make_discussion(children=[Child(name=CHILD, date_of_birth=BORN)]))
    script = tmp_path / "crashing_stratui.py"
    script.write_text(textwrap.dedent(SCRIPT))
    (tmp_path / "tmux.conf").write_text("set -g remain-on-exit on\nset -g escape-time 0\nset -g history-limit 5000\n")
    env = {name: os.environ[name] for name in ("STRATUI_DB", "STRATUI_CONFIG", "STRATUI_EXPORTS", "STRATUI_TODAY", "STRATUI_CRASH_REPORTS")}
    command = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command += f" exec {shlex.quote(sys.executable)} {shlex.quote(str(script))} {record.id}"
    tmux = ["tmux", "-L", f"stratui-crash-{uuid.uuid4().hex[:8]}", "-f", str(tmp_path / "tmux.conf")]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command], check=True)

        def pane() -> str:
            # The visible screen and all its scrollback.
            return subprocess.run([*tmux, "capture-pane", "-p", "-S", "-", "-t", "t"], capture_output=True, text=True).stdout

        def dead() -> bool:
            out = subprocess.run([*tmux, "list-panes", "-t", "t", "-F", "#{pane_dead}"], capture_output=True, text=True).stdout
            return out.strip() == "1"

        from tests.functional.conftest import TmuxApp

        assert TmuxApp.wait_until(lambda: "Case reference" in pane()), pane()
        assert CHILD in pane()  # the record is open: its child's name is on the screen
        subprocess.run([*tmux, "send-keys", "-t", "t", "End", "-TYPED"], check=True)
        assert TmuxApp.wait_until(lambda: "-TYPED" in pane()), pane()
        subprocess.run([*tmux, "send-keys", "-t", "t", "C-t"], check=True)
        assert TmuxApp.wait_until(dead), pane()
        after = pane()
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert "stratui stopped after an unexpected error" in after
    for secret in ("Zebedee", "Quillfeather", "2019", "cannot show the history", "Traceback"):
        assert secret not in after, after
    assert context.store.get(record.id).case_ref.endswith("-TYPED")
    assert_private_report(Path(env["STRATUI_CRASH_REPORTS"]))
