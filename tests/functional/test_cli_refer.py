"""Naming a discussion as people do (case reference, child's name, @day or @latest, id prefix),
as `stratui` commands on a `stratui demo --count 20` database.

The commands run in this process (`stratui.cli.main` with the command line, the environment and
the output a shell would give it): naming is the same in a process of its own, and
tests/functional/test_cli.py runs the installed command as real processes.

Which cases have one discussion or several is read from the demo's own index, so the tests do
not depend on the names the demo generator happens to pick.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.models import DiscussionSummary
from stratui.store import Store

TODAY = "2026-11-25"


@dataclass
class Ran:
    """What a `stratui` command left: its exit code and what it wrote to stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


class Demo:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {
            "STRATUI_DB": str(folder / "db"),
            "STRATUI_CONFIG": str(folder / "settings.toml"),
            "STRATUI_WITNESS": str(folder / "witness"),
            "STRATUI_TODAY": TODAY,
        }

    def run(self, *args: str) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            for name, value in self.env.items():
                env.setenv(name, value)
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
        return Ran(code, out.getvalue(), err.getvalue())

    def summaries(self) -> list[DiscussionSummary]:
        return list(Store.open(self.folder / "db").summaries())

    def single_case(self) -> DiscussionSummary:
        """A discussion that is its case's only one, and whose first child has no other."""
        summaries = self.summaries()
        refs = Counter(s.case_ref for s in summaries)
        names = Counter(name for s in summaries for name in s.children)
        return next(s for s in summaries if refs[s.case_ref] == 1 and s.children and names[s.children[0]] == 1)

    def shared_case(self) -> list[DiscussionSummary]:
        """The discussions of a case that has several, each held on a different day."""
        summaries = self.summaries()
        refs = Counter(s.case_ref for s in summaries)
        for ref in sorted(r for r, count in refs.items() if count > 1):
            held = [s for s in summaries if s.case_ref == ref]
            if len({s.held_on for s in held}) == len(held):
                return sorted(held, key=lambda s: s.held_on)
        raise AssertionError("the demo holds no case with several discussions on different days")


def make_demo(folder: Path) -> Demo:
    demo = Demo(folder)
    made = demo.run("demo", "--count", "20")
    assert made.returncode == 0, made.stderr
    return demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Read only by the tests that use it: one demo database for the module."""
    return make_demo(tmp_path_factory.mktemp("refer-demo"))


def exported(demo: Demo, reference: str) -> str:
    """The id of the discussion `export` wrote for the reference."""
    result = demo.run("export", reference, "--format", "json")
    assert result.returncode == 0, result.stderr
    [discussion] = json.loads(result.stdout)["discussions"]
    return discussion["id"]


def test_a_case_reference_with_one_discussion_names_it(demo: Demo) -> None:
    one = demo.single_case()
    by_ref = demo.run("export", one.case_ref)
    assert by_ref.returncode == 0, by_ref.stderr
    assert by_ref.stdout == demo.run("export", one.id).stdout
    assert exported(demo, one.case_ref.lower()) == one.id  # case references compare without case


def test_a_child_s_full_name_names_their_discussion(demo: Demo) -> None:
    one = demo.single_case()
    first, last = one.children[0].split(" ", 1)
    assert exported(demo, one.children[0]) == one.id
    assert exported(demo, f"  {first.upper()}   {last.lower()} ") == one.id


def test_an_id_prefix_still_names_a_discussion(demo: Demo) -> None:
    one = demo.single_case()
    assert exported(demo, one.id[:6]) == one.id


def test_a_case_with_several_discussions_lists_them_and_exports_nothing(demo: Demo) -> None:
    held = demo.shared_case()
    result = demo.run("export", held[0].case_ref)
    assert result.returncode == 1
    assert result.stdout == ""
    heading, *listed = result.stderr.splitlines()
    assert heading == (
        f"stratui: '{held[0].case_ref}' matches {len(held)} discussions: "
        "add @YYYY-MM-DD (the day it was held) or @latest, or give the id:"
    )
    assert len(listed) == len(held)
    for line, summary in zip(listed, reversed(held)):  # the latest first
        assert line.split()[0] == summary.held_on.isoformat()
        assert summary.kind.label in line and summary.case_ref in line
        assert all(child in line for child in summary.children)
        assert line.endswith(f"id {summary.id[:8]}")
    assert "Traceback" not in result.stderr


def test_the_day_held_or_latest_chooses_within_a_case(demo: Demo) -> None:
    held = demo.shared_case()
    ref = held[0].case_ref
    assert exported(demo, f"{ref}@{held[0].held_on.isoformat()}") == held[0].id
    assert exported(demo, f"{ref} @ {held[0].held_on.strftime('%d/%m/%Y')}") == held[0].id  # as typed in the app
    assert exported(demo, f"{ref}@latest") == held[-1].id
    assert exported(demo, f"{ref}@LATEST") == held[-1].id


def test_a_day_with_no_discussion_lists_the_ones_the_case_has(demo: Demo) -> None:
    held = demo.shared_case()
    result = demo.run("export", f"{held[0].case_ref}@2020-01-01")
    assert result.returncode == 1 and result.stdout == ""
    heading, *listed = result.stderr.splitlines()
    assert heading == f"stratui: '{held[0].case_ref}' has no discussion held on 2020-01-01; its {len(held)} discussions are:"
    assert len(listed) == len(held)


def test_what_follows_the_at_must_be_a_day_or_latest(demo: Demo) -> None:
    held = demo.shared_case()
    result = demo.run("export", f"{held[0].case_ref}@soonish")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "stratui: after @ give the day the discussion was held (YYYY-MM-DD, e.g. 2026-11-25) or 'latest', not 'soonish'"
    ]


def test_nothing_matching_is_one_line(demo: Demo) -> None:
    result = demo.run("export", "Nobody Atall")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "stratui: nothing is called 'Nobody Atall': give a case reference (e.g. CS-2026-08014), "
        "a child's full name or at least 4 characters of the discussion id"
    ]


def test_part_of_a_name_is_offered_never_taken(demo: Demo) -> None:
    one = demo.single_case()
    surname = one.children[0].split()[-1]
    result = demo.run("export", surname)
    assert result.returncode == 1 and result.stdout == ""
    heading, *listed = result.stderr.splitlines()
    assert heading.startswith(f"stratui: no case reference, child or id is exactly '{surname}'")
    assert any(line.endswith(f"id {one.id[:8]}") for line in listed)


def test_audit_takes_a_case_reference_and_a_child_s_name(demo: Demo) -> None:
    one = demo.single_case()
    by_id = demo.run("audit", one.id)
    assert by_id.returncode == 0, by_id.stderr
    assert demo.run("audit", one.case_ref).stdout == by_id.stdout
    assert demo.run("audit", one.children[0]).stdout == by_id.stdout
    ambiguous = demo.run("audit", demo.shared_case()[0].case_ref)
    assert ambiguous.returncode == 1 and "matches" in ambiguous.stderr.splitlines()[0]


def test_check_restore_takes_a_child_s_name(tmp_path: Path) -> None:
    demo = make_demo(tmp_path)
    one = demo.single_case()
    path = next((tmp_path / "db" / "discussions").glob(f"*/{one.id}.json"))
    data = json.loads(path.read_text("utf-8"))
    data["discussion"]["1"]["information"]["concerns"] = "Edited by hand."
    path.write_text(json.dumps(data), "utf-8")

    restored = demo.run("check", "--restore", one.children[0])
    assert restored.returncode == 0, restored.stderr
    assert f"restored discussion {one.id}" in restored.stdout
    back = json.loads(path.read_text("utf-8"))["discussion"]["1"]
    assert back["information"]["concerns"] != "Edited by hand."
    assert demo.run("check").returncode == 0
