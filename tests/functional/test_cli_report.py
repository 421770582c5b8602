"""`stratui report`: the team timeliness figures from the shell, and clear messages for bad options."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date

import pytest

from stratui.cli import main
from stratui.context import Context
from stratui.models import Action, ActionStatus


def test_report_defaults_to_markdown_for_the_last_twelve_months(
    context: Context, make_discussion, capsys: pytest.CaptureFixture[str]
) -> None:
    context.store.save_all_new([make_discussion(held_on=date(2026, 11, 20), concern_date=date(2026, 11, 19))])
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**OFFICIAL-SENSITIVE**\n\n# Team timeliness: 1 Dec 2025 to 25 Nov 2026")
    assert "| Strategy discussions held | 1 | 1 (100%) | 0 | 1 wd |" in out
    assert "| Dec 2025 |" in out and "| Nov 2026 | 1 | 1 | 0 | 1 |" in out


def test_report_csv_and_json_to_a_private_file(
    context: Context, make_discussion, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = Action(
        text="Visit", owner="Sam Patel", agency="Police", due=date(2026, 11, 20),
        status=ActionStatus.DONE, closed_on=date(2026, 11, 24),
    )
    context.store.save_all_new([make_discussion(actions=[late])])
    out = tmp_path / "report.csv"
    assert main(["report", "--csv", "--from", "2026-11-01", "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows if r["scope"] == "month"] == ["2026-11"]
    police = next(r for r in rows if r["scope"] == "agency")
    assert (police["name"], police["actions_completed_late"], police["actions_median_working_days_late"]) == ("Police", "1", "2")
    assert main(["report", "--json", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["by_owner"][0]["owner"] == "Sam Patel" and document["by_owner"][0]["completed_late"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1 Nov"], "--from '1 Nov' is not a date: use YYYY-MM-DD"),
        (["--from", "2026-11-10", "--to", "2026-11-01"], "--to (2026-11-01) is before --from (2026-11-10)"),
    ],
)
def test_report_refuses_a_bad_period_in_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"stratui: {message}") and err.count("\n") == 1


def test_report_takes_one_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "--csv", "--json"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("form", ["--md", "--csv", "--json"])
def test_report_output_never_carries_a_terminal_command(
    form: str, context: Context, make_discussion, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = Action(
        text="Visit", owner="\x1b]0;PWNED\x07 Sam\u202e", agency="Police\r\nEVIL", due=date(2026, 11, 20),
        status=ActionStatus.DONE, closed_on=date(2026, 11, 24),
    )
    context.store.save_all_new([make_discussion(actions=[hostile])])
    assert main(["report", form, "--from", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out
    assert "PWNED" in out  # shown, with visible stand-ins (or \u escapes in JSON)
    if form != "--json":
        assert not any(line.startswith("EVIL") for line in out.splitlines())
