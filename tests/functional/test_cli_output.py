"""`-o FILE` wherever a command prints a document (export, handover, dashboard): the file is
written whole and is the user's own (0600), and the minutes carry the team's marking."""

from __future__ import annotations

import gc
import json
import stat
from datetime import date
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.context import Context
from stratui.models import Action, Milestone


@pytest.fixture
def one_overdue(context: Context, make_discussion) -> str:
    held = date(2026, 11, 20)
    record = make_discussion(
        concern_date=held,
        milestones=[Milestone(key="minutes", on=held), Milestone(key="conference", on=held)],
        actions=[Action(text="Joint visit", owner="Sam Patel", agency="Police", due=date(2026, 11, 24))],
    )
    context.store.save_all_new([record])
    return record.id


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["handover", "--md"], "# Duty handover: Wed 25 Nov 2026"),
        (["handover"], "Duty handover: Wed 25 Nov 2026"),
        (["dashboard"], "Joint visit"),
    ],
)
def test_a_document_goes_to_the_file_not_the_terminal(
    one_overdue: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], expected: str
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("an older file anyone could read\n")
    target.chmod(0o644)
    assert main([*command, "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"wrote {target}\n"
    text = target.read_text("utf-8")
    assert expected in text and "Joint visit" in text
    assert private(target)  # replaced, not rewritten in place: the old file's mode does not carry over


def test_the_handover_file_is_what_the_terminal_would_show(one_overdue: str, tmp_path: Path, capsys) -> None:
    assert main(["handover", "--md"]) == 0
    shown = capsys.readouterr().out
    assert main(["handover", "--md", "--output", str(tmp_path / "handover.md")]) == 0
    assert (tmp_path / "handover.md").read_text("utf-8") == shown


def test_dashboard_json_to_a_file_reads_back(one_overdue: str, tmp_path: Path) -> None:
    target = tmp_path / "dashboard.json"
    assert main(["dashboard", "--json", "-o", str(target)]) == 0
    items = json.loads(target.read_text("utf-8"))
    assert [item["title"] for item in items] == ["Joint visit"]
    assert private(target)


@pytest.mark.parametrize("argv", [["dashboard", "--json"], ["dashboard"], ["dashboard", "--json", "-o", "/no/such/folder/x.json"]])
def test_the_dashboard_command_gives_the_collector_back(one_overdue: str, argv: list[str], capsys) -> None:
    """`dashboard` pauses the cyclic collector for its read; a caller in the same process (the
    suite's workers) gets it back, refused or not. Left off, every later test's garbage stayed
    until a test collected by hand: one gc.collect took 22 s in CI."""
    assert gc.isenabled()
    main(argv)
    assert gc.isenabled()


def test_a_file_that_cannot_be_written_is_one_line_and_nothing_is_left(
    one_overdue: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "handover.md"
    assert main(["handover", "--md", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"stratui: cannot write {target}: No such file or directory") and err.count("\n") == 1
    assert not target.parent.exists()


def test_exported_minutes_carry_the_teams_marking_and_council(
    one_overdue: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings.toml").write_text(
        '[minutes]\nprotective_marking = "OFFICIAL-SENSITIVE PERSONAL"\norganisation = "Riverside Council"\n'
    )
    assert main(["export", one_overdue[:8]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["**OFFICIAL-SENSITIVE PERSONAL**", "", "Riverside Council"]
    assert lines[-1] == "**OFFICIAL-SENSITIVE PERSONAL**"
    assert main(["export", one_overdue[:8], "--format", "html", "-o", str(tmp_path / "m.html")]) == 0
    page = (tmp_path / "m.html").read_text("utf-8")
    assert '<p class="organisation">Riverside Council</p>' in page
    assert page.count('<p class="marking">OFFICIAL-SENSITIVE PERSONAL</p>') == 2


def test_a_bad_marking_in_the_settings_is_one_clear_line(one_overdue: str, tmp_path: Path, capsys) -> None:
    (tmp_path / "settings.toml").write_text('[minutes]\nprotective_marking = ""\n')
    assert main(["export", one_overdue[:8]]) == 1
    err = capsys.readouterr().err
    assert "minutes.protective_marking: must not be empty" in err and err.count("\n") == 1
