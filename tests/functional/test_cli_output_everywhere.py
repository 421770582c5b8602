"""`-o FILE` on every command that prints a document, and only there: what a command reports
(demo, import, check, audit verify, locate, serve) is a message, not a file to keep."""

from __future__ import annotations

import argparse
import json
import stat
from pathlib import Path

import pytest

from stratui.cli import build_parser, main
from stratui.context import Context
from stratui.invocation import shell_command

DOCUMENTS = {"dashboard", "handover", "report", "export", "schema", "audit"}


def commands_with_output() -> set[str]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {
        name
        for name, command in commands.choices.items()
        if any("-o" in action.option_strings for action in command._actions)
    }


def test_every_command_that_prints_a_document_takes_o_file() -> None:
    assert commands_with_output() == DOCUMENTS


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_schema_goes_to_the_file_as_it_would_to_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    shown = capsys.readouterr().out
    target = tmp_path / "discussion.schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"wrote {target}\n"
    assert target.read_text("utf-8") == shown
    assert json.loads(shown)["title"] == "Discussion"
    assert private(target)


def test_a_discussions_history_goes_to_the_file_named_by_its_case_reference(
    context: Context, make_discussion, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = make_discussion(case_ref="CS-2026-08014")
    context.store.save_all_new([record])
    assert main(["audit", "CS-2026-08014"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"Audit trail of discussion {record.id}: 1 entry") and "created with" in shown
    target = tmp_path / "history.txt"
    assert main(["audit", "CS-2026-08014", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"wrote {target}\n"
    assert target.read_text("utf-8") == shown
    assert private(target)


def test_audit_verify_with_o_says_what_o_is_for_and_writes_nothing(
    context: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "verify.txt"
    assert main(["audit", "verify", "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    # The command as it runs from here (stratui.invocation): `stratui` only when it is on PATH.
    assert err == f"stratui: -o writes one discussion's history to a file: `{shell_command('audit verify')}` only reports\n"
    assert not target.exists()
