"""The `stratui` command, run in-process (and twice as a real process): output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stratui import __version__
from stratui.cli import main
from stratui.exchange import parse_export
from stratui.models import ActionStatus, Discussion
from stratui.store import Store

MakeDiscussion = Callable[..., Discussion]
DASHBOARD_STATES = {"overdue", "due-today", "due-soon"}
DEADLINE_KEYS = {"due", "state", "title", "case_ref", "owner", "agency", "kind", "discussion_id", "working_days"}


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def assert_one_line_error(self, *expected: str) -> str:
        assert self.code != 0, self.out
        assert "Traceback" not in self.err + self.out
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("stratui: ")
        for words in expected:
            assert words in lines[0]
        return lines[0]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --version, --help, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def export_all(run: Callable[..., Result], path: Path) -> dict[str, Any]:
    """`stratui export --all` as JSON into `path`; what it wrote, for a test to edit."""
    result = run("export", "--all", "--format", "json", "-o", path)
    assert result.code == 0, result.err
    return json.loads(path.read_text())


def discussion_files(root: Path) -> list[Path]:
    return sorted((root / "discussions").glob("*/*.json"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db"  # STRATUI_DB, set by the conftest


@pytest.fixture
def two_saved(store: Store, make_discussion: MakeDiscussion) -> list[Discussion]:
    first = store.create(make_discussion())
    second = store.create(make_discussion(case_ref="CS-200417", held_on=date(2026, 11, 21)))
    return [first, second]


# -- no database needed ---------------------------------------------------------------


def test_version(run: Callable[..., Result]) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"stratui {__version__}"


def test_schema_is_the_json_schema_of_a_discussion(run: Callable[..., Result]) -> None:
    result = run("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["title"] == "Discussion"
    assert schema["type"] == "object"
    assert {"held_on", "concern_date", "participants", "actions"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"held_on", "concern_date"}


def test_locate_prints_the_paths(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("locate")
    assert result.code == 0
    assert f"database: {tmp_path / 'db'}" in result.out
    assert f"settings: {tmp_path / 'settings.toml'}" in result.out
    assert f"exports:  {tmp_path / 'exports'}" in result.out
    assert f"crash reports: {tmp_path / 'crash-reports'}" in result.out
    assert not (tmp_path / "db").exists()  # locating creates nothing

    other = run("locate", "--db", tmp_path / "team-db", "--config", tmp_path / "team.toml")
    assert f"database: {tmp_path / 'team-db'}" in other.out
    assert f"settings: {tmp_path / 'team.toml'}" in other.out


# -- errors before anything is opened ---------------------------------------------------


@pytest.mark.parametrize("bad", ["25/11/2026", "2026-02-30", "tomorrow"])
def test_a_bad_today_is_one_line(run: Callable[..., Result], bad: str) -> None:
    line = run("dashboard", "--today", bad).assert_one_line_error(f"'{bad}' is not a date", "YYYY-MM-DD")
    assert "--today" in line


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_today_outside_the_supported_years_is_one_line(run: Callable[..., Result], far: str) -> None:
    run("dashboard", "--today", far).assert_one_line_error(f"'{far}' is outside the years stratui works with")


def test_a_bad_stratui_today_is_one_line(run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRATUI_TODAY", "next week")
    run("dashboard").assert_one_line_error("'next week' is not a date")


def test_db_pointing_at_a_file(run: Callable[..., Result], tmp_path: Path) -> None:
    regular = tmp_path / "notes.txt"
    regular.write_text("not a database")
    run("check", "--db", regular).assert_one_line_error(str(regular), "is a file, not a stratui database folder")
    assert regular.read_text() == "not a database"


def test_a_database_from_a_newer_stratui(run: Callable[..., Result], older_database: Callable[[str], Path]) -> None:
    newer = older_database("v1_database")
    (newer / "stratui.json").write_text(json.dumps({"meta": {"1": {"schema_version": 99}}}))
    run("check", "--db", newer).assert_one_line_error(str(newer), "newer stratui", "upgrade stratui")


def test_a_settings_file_with_an_unknown_key(run: Callable[..., Result], tmp_path: Path, db: Path) -> None:
    (tmp_path / "settings.toml").write_text('nation = "england"\n\n[timescales]\nminutes_workng_days = 2\n')
    run("dashboard").assert_one_line_error(
        str(tmp_path / "settings.toml"), "timescales.minutes_workng_days", "not a known setting"
    )


def test_a_settings_file_that_is_not_toml(run: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("nation = england\n")
    run("check").assert_one_line_error(str(tmp_path / "settings.toml"), "not valid TOML")


def test_a_settings_file_named_with_config(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "elsewhere.toml"
    bad.write_text("colour = 'blue'\n")
    run("check", "--config", bad).assert_one_line_error(str(bad), "colour")


@pytest.mark.parametrize("before_the_command", [True, False], ids=["before", "after"])
def test_global_options_are_honoured_before_or_after_the_command(
    run: Callable[..., Result], tmp_path: Path, before_the_command: bool
) -> None:
    """`stratui --db X check` must use X: argparse lets a subcommand's own default (None) override it."""
    regular = tmp_path / "notes.txt"
    regular.write_text("")
    options = ["--db", str(regular), "--config", str(tmp_path / "none.toml")]  # check has no --today: it uses none
    args = [*options, "check"] if before_the_command else ["check", *options]
    run(*args).assert_one_line_error(str(regular), "is a file")

    today = ["--today", "never"]
    args = [*today, "dashboard"] if before_the_command else ["dashboard", *today]
    run(*args).assert_one_line_error("'never' is not a date")


# -- export ---------------------------------------------------------------------------


def test_export_by_id_prefix_as_markdown(run: Callable[..., Result], two_saved: list[Discussion]) -> None:
    wanted = two_saved[1]
    result = run("export", wanted.id[:8], "--format", "md")
    assert result.code == 0, result.err
    assert "CS-200417" in result.out
    assert "Maya Okafor" in result.out
    assert "CS-104233" not in result.out


def test_export_as_html(run: Callable[..., Result], two_saved: list[Discussion]) -> None:
    result = run("export", two_saved[0].id[:6], "--format", "html")
    assert result.code == 0, result.err
    assert "<" in result.out and "</" in result.out
    assert "CS-104233" in result.out


def test_export_one_as_json_imports_back(run: Callable[..., Result], two_saved: list[Discussion]) -> None:
    result = run("export", two_saved[0].id.upper(), "--format", "json")
    assert result.code == 0, result.err
    assert parse_export(result.out.encode("utf-8")) == [two_saved[0]]


def test_export_to_a_file(run: Callable[..., Result], two_saved: list[Discussion], tmp_path: Path) -> None:
    target = tmp_path / "out" / "minutes.md"
    target.parent.mkdir()
    result = run("export", two_saved[0].id, "--output", target)
    assert result.code == 0, result.err
    assert result.out == ""
    assert "CS-104233" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_errors(run: Callable[..., Result], two_saved: list[Discussion]) -> None:
    run("export").assert_one_line_error("name a discussion to export")
    run("export", "abc").assert_one_line_error("at least 4 characters")
    run("export", "ffffffff").assert_one_line_error("no discussion id starts with 'ffffffff'")
    run("export", "--all", "--format", "md").assert_one_line_error("--format json")
    run("export", two_saved[0].id, "-o", Path(two_saved[0].id) / "no-such-folder" / "x.md").assert_one_line_error(
        "cannot write", "No such file or directory"
    )


def test_an_ambiguous_prefix(run: Callable[..., Result], store: Store, make_discussion: MakeDiscussion) -> None:
    for suffix in ("1", "2"):
        store.create(make_discussion(id="abcd" + suffix * 28))
    result = run("export", "abcd")
    assert result.code == 1 and result.out == ""
    heading, *listed = result.err.splitlines()
    assert heading.startswith("stratui: 'abcd' matches 2 discussions")
    assert sorted(line.split()[-1] for line in listed) == ["abcd1111", "abcd2222"]


# -- export --all and import ----------------------------------------------------------


def test_export_all_then_import_into_a_fresh_database(
    run: Callable[..., Result], two_saved: list[Discussion], tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    export_all(run, backup)

    fresh = tmp_path / "fresh"
    result = run("import", backup, "--db", fresh)
    assert result.code == 0, result.err
    assert result.out.startswith("imported 2 discussions")
    imported = Store.open(fresh)
    assert sorted(imported.discussions(), key=lambda d: d.id) == sorted(two_saved, key=lambda d: d.id)

    before = snapshot(fresh)
    again = run("import", backup, "--db", fresh)
    assert again.code == 0
    assert again.out.startswith("imported 0 discussions")
    assert "2 were already there unchanged" in again.out
    assert snapshot(fresh) == before


def test_import_of_a_bad_file_changes_nothing(
    run: Callable[..., Result], two_saved: list[Discussion], tmp_path: Path, db: Path
) -> None:
    data = export_all(run, tmp_path / "good.json")
    data["discussions"][1]["held_on"] = "yesterday"
    bad = tmp_path / "bad.json"
    for discussion in data["discussions"]:
        discussion["id"] = discussion["id"][::-1]  # new ids, so only the bad date stops the import
    bad.write_text(json.dumps(data))
    before = snapshot(db)

    run("import", bad).assert_one_line_error(str(bad), "1 of 2 discussions are not valid", "held_on")
    run("import", tmp_path / "missing.json").assert_one_line_error("no such file")
    (tmp_path / "junk.json").write_bytes(b"\xff\xfe junk")
    run("import", tmp_path / "junk.json").assert_one_line_error("not UTF-8")

    assert snapshot(db) == before


def test_import_of_a_changed_copy_is_refused(
    run: Callable[..., Result], two_saved: list[Discussion], tmp_path: Path, db: Path
) -> None:
    backup = tmp_path / "backup.json"
    data = export_all(run, backup)
    data["discussions"][0]["case_ref"] = "CS-EDITED"
    backup.write_text(json.dumps(data))
    before = snapshot(db)
    run("import", backup).assert_one_line_error("already exists with different content", "nothing was imported")
    assert snapshot(db) == before


# -- check --------------------------------------------------------------------------------


def test_check_a_clean_database(run: Callable[..., Result], two_saved: list[Discussion], db: Path) -> None:
    result = run("check")
    assert result.code == 0, result.out
    assert f"{db}: all 2 discussions read cleanly" in result.out


@pytest.fixture
def truncated(store: Store, two_saved: list[Discussion]) -> Path:
    """A discussion file cut short, as a full disk or a copy tool can leave it; its .bak is intact."""
    edited = store.save(two_saved[0].model_copy(update={"concern_source": "Anonymous call"}))  # leaves a .bak
    path = next(p for p in discussion_files(store.root) if p.stem == edited.id)
    path.write_bytes(path.read_bytes()[:40])
    return path


def test_check_finds_a_truncated_discussion_file(run: Callable[..., Result], truncated: Path) -> None:
    result = run("check")
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert f"{truncated} is damaged (not valid JSON" in result.out
    assert f"The previous version is kept at {truncated}.bak" in result.out


def test_check_does_not_call_a_damaged_file_missing(run: Callable[..., Result], truncated: Path) -> None:
    result = run("check")
    assert result.code == 1
    assert "file is missing" not in result.out
    assert len(result.out.splitlines()) == 1


def test_check_repair_rebuilds_a_deleted_index(
    run: Callable[..., Result], two_saved: list[Discussion], db: Path
) -> None:
    shutil.rmtree(db / "index")
    assert run("check").code == 1

    result = run("check", "--repair")
    assert result.code == 0, result.out
    assert "rebuilt the index of 2 discussions" in result.out
    assert sorted(s.id for s in Store.open(db).summaries()) == sorted(d.id for d in two_saved)


# -- demo and the dashboard (need stratui.demo and stratui.deadlines) -------------------


@pytest.fixture
def demo_db(run: Callable[..., Result], db: Path) -> Path:
    result = run("demo", "--count", "20", "--seed", "3")
    assert result.code == 0, result.err
    assert result.out.startswith(f"wrote 20 demo discussions to {db}")
    return db


def dashboard(run: Callable[..., Result], *args: str) -> list[dict[str, object]]:
    result = run("dashboard", "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_demo_then_dashboard_json(run: Callable[..., Result], demo_db: Path) -> None:
    items = dashboard(run)
    assert isinstance(items, list) and items
    for item in items:
        assert DEADLINE_KEYS <= set(item)
        assert item["state"] in DASHBOARD_STATES
        date.fromisoformat(str(item["due"]))
    assert [item["due"] for item in items] == sorted(item["due"] for item in items)

    text = run("dashboard")
    assert text.code == 0
    assert len(text.out.splitlines()) == len(items)


def test_demo_again_with_the_same_seed_writes_nothing(run: Callable[..., Result], demo_db: Path) -> None:
    before = snapshot(demo_db)
    result = run("demo", "--count", "20", "--seed", "3")
    assert result.code == 0, result.err
    assert "(20 were already there)" in result.out
    assert snapshot(demo_db) == before


def test_today_changes_the_dashboard(
    run: Callable[..., Result], demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dashboard(run)
    much_later = dashboard(run, "--today", "2031-01-06")
    assert much_later != now
    assert {item["state"] for item in much_later} == {"overdue"}

    monkeypatch.setenv("STRATUI_TODAY", "2031-01-06")
    assert dashboard(run) == much_later
    # --today wins over STRATUI_TODAY.
    assert dashboard(run, "--today", "2026-11-25") == now


def test_dashboard_all_includes_later_deadlines(run: Callable[..., Result], demo_db: Path) -> None:
    window = dashboard(run)
    everything = dashboard(run, "--all")
    assert len(everything) >= len(window)
    assert {item["state"] for item in everything} <= DASHBOARD_STATES | {"later"}


def test_the_database_is_private(run: Callable[..., Result], demo_db: Path) -> None:
    run("check")
    assert stat.S_IMODE(demo_db.stat().st_mode) == 0o700
    for path in demo_db.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_dir():
            assert mode == 0o700, path
        else:
            assert mode == 0o600, path


# -- a real process -------------------------------------------------------------------


def stratui_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, "-m", "stratui", *map(str, args)], check=False, capture_output=True, text=True, env=env, timeout=60
    )


def test_python_m_stratui_runs() -> None:
    result = stratui_process("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"stratui {__version__}"


def test_a_real_process_error_has_no_traceback(tmp_path: Path) -> None:
    regular = tmp_path / "file"
    regular.write_text("")
    result = stratui_process("check", "--db", regular)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"stratui: {regular} is a file, not a stratui database folder"]
    assert result.stdout == ""


# -- the audit trail ----------------------------------------------------------------------------


def test_audit_verify_counts_the_entries_of_an_intact_chain(
    run: Callable[..., Result], store: Store, two_saved: list[Discussion]
) -> None:
    store.save(two_saved[0].model_copy(update={"concern_source": "Anonymous call"}))
    result = run("audit", "verify")
    assert result.code == 0, result.out + result.err
    assert result.out.strip() == "3 entries, chain intact"


def test_audit_verify_names_the_first_broken_entry_and_check_reports_it(
    run: Callable[..., Result], store: Store, two_saved: list[Discussion]
) -> None:
    store.save(two_saved[0].model_copy(update={"concern_source": "Anonymous call"}))
    log = store.root / "audit" / "audit.jsonl"
    lines = log.read_text("utf-8").splitlines()
    entry = json.loads(lines[1])
    entry["user"] = "mallory"
    lines[1] = json.dumps(entry, ensure_ascii=False)
    log.write_text("\n".join(lines) + "\n", "utf-8")
    result = run("audit", "verify")
    assert result.code == 1
    first = result.out.splitlines()[0]
    assert str(log) in first and "entry 2" in first and "changed" in first
    checked = run("check")
    assert checked.code == 1 and "audit trail" in checked.out and "entry 2" in checked.out


def test_audit_of_a_record_by_prefix_shows_who_changed_what(
    run: Callable[..., Result], store: Store, two_saved: list[Discussion]
) -> None:
    target = two_saved[0]
    edited = store.save(target.model_copy(update={"concern_source": "Anonymous call"}))
    store.update(edited.id, lambda d: d.close_action(d.actions[0].id, ActionStatus.DONE, date(2026, 11, 25), "Sam"))
    result = run("audit", target.id[:8])
    assert result.code == 0, result.err
    assert f"Audit trail of discussion {target.id}: 3 entries" in result.out
    assert "create  by " in result.out and "edit  by " in result.out and "action-done  by " in result.out
    assert 'concern_source: "School designated safeguarding lead" -> "Anonymous call"' in result.out
    assert 'actions.0.status: "open" -> "done"' in result.out
    assert two_saved[1].id not in result.out
    # A new record's fields are listed only when asked for.
    assert "Maya Okafor" not in result.out
    assert "Maya Okafor" in run("audit", target.id, "--full").out


def test_audit_of_an_unknown_or_too_short_id_is_one_line(run: Callable[..., Result], two_saved: list[Discussion]) -> None:
    run("audit", "abc").assert_one_line_error("at least 4 characters")
    run("audit", "0000000000").assert_one_line_error("no discussion id starts with '0000000000'")


def test_demo_in_a_nation_s_words_and_by_default_the_settings_nation(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    def exported(db: Path) -> str:
        result = run("export", "--all", "--format", "json", "--db", db)
        assert result.code == 0, result.err
        return result.out

    assert run("demo", "--count", "12", "--nation", "scotland", "--db", tmp_path / "scot").code == 0
    scottish = exported(tmp_path / "scot")
    assert "Police Scotland" in scottish and "section 47" not in scottish and "ICPC" not in scottish
    again = run("demo", "--count", "12", "--nation", "scotland", "--db", tmp_path / "scot")
    assert "(12 were already there)" in again.out

    settings = tmp_path / "settings.toml"  # STRATUI_CONFIG, set by the conftest
    settings.write_text('nation = "northern-ireland"\n', "utf-8")
    assert run("demo", "--count", "12", "--db", tmp_path / "ni").code == 0
    assert "PSNI" in exported(tmp_path / "ni")

    refused = run("demo", "--nation", "france")
    assert refused.code == 2 and "invalid choice: 'france'" in refused.err
