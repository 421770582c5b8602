"""`stratui handover [--md]`: the duty handover from the shell."""

from __future__ import annotations

from datetime import date

import pytest

from stratui.cli import main
from stratui.context import Context
from stratui.models import Action, Milestone


def test_handover_md_prints_markdown(context: Context, make_discussion, capsys: pytest.CaptureFixture[str]) -> None:
    held = date(2026, 11, 20)
    context.store.save_all_new(
        [
            make_discussion(
                concern_date=held,
                milestones=[Milestone(key="minutes", on=held), Milestone(key="conference", on=held)],
                actions=[
                    Action(text="Joint visit", owner="Sam Patel", agency="Police", due=date(2026, 11, 24)),
                    Action(text="Ring the GP", owner="Sam Patel", due=date(2026, 11, 26)),
                ],
            )
        ]
    )
    assert main(["handover", "--md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**OFFICIAL-SENSITIVE**\n\n# Duty handover: Wed 25 Nov 2026")
    assert "## Overdue: 1" in out and "- **Joint visit**" in out and "Owner: Sam Patel, Police" in out
    assert "## Due next working day (Thu 26 Nov 2026): 1" in out and "Ring the GP" in out


def test_handover_without_md_is_plain_text(context: Context, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handover"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OFFICIAL-SENSITIVE\nDuty handover: Wed 25 Nov 2026")
    assert "OVERDUE: 0" in out and "nothing" in out
    assert "#" not in out


def test_handover_takes_the_common_options(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handover", "--md", "--db", str(tmp_path / "other"), "--today", "2026-12-24"]) == 0
    assert "(Tue 29 Dec 2026)" in capsys.readouterr().out


def test_handover_reports_a_bad_date_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handover", "--today", "christmas"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("stratui: ") and err.count("\n") == 1
