"""`stratui COMMAND --help` as the good tools have it: a description, examples, every option
explained with its default, and only the options the command uses."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stratui.cli import build_parser
from tests.functional.test_small_commands import imported_by, loaded

STRATUI = Path(sys.executable).with_name("stratui")
CONTEXT_OPTIONS = ("--db", "--config", "--today")
# What each command uses: --today only where a date counts from today, nothing for schema.
USES = {
    "tui": {"--db", "--config", "--today"},
    "demo": {"--db", "--config", "--today"},
    "dashboard": {"--db", "--config", "--today"},
    "handover": {"--db", "--config", "--today"},
    "report": {"--db", "--config", "--today"},
    "serve": {"--db", "--config", "--today"},
    "export": {"--db", "--config"},
    "import": {"--db", "--config"},
    "check": {"--db", "--config"},
    "audit": {"--db", "--config"},
    "locate": {"--db", "--config"},
    "schema": set(),
}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def test_the_table_names_every_command() -> None:
    assert set(subcommands()) == set(USES)


@pytest.mark.parametrize("name", sorted(USES))
def test_each_command_has_a_description_and_an_example(name: str) -> None:
    text = subcommands()[name].format_help()
    usage, description, *_ = text.split("\n\n")
    assert usage.startswith(f"usage: stratui {name}")
    assert len(description.strip()) > 20
    examples = text.split("examples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith(f"  stratui {name}") for line in examples)


@pytest.mark.parametrize("name", sorted(USES))
def test_each_command_offers_only_the_context_options_it_uses(name: str) -> None:
    offered = {o for a in subcommands()[name]._actions for o in a.option_strings if o in CONTEXT_OPTIONS}
    assert offered == USES[name]


@pytest.mark.parametrize("name", sorted(USES))
def test_every_option_is_explained_with_its_default(name: str) -> None:
    for action in subcommands()[name]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help and len(action.help) > 5, action.dest
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
            assert "default" in subcommands()[name]._get_formatter()._get_help_string(action), action.dest


def test_a_context_option_a_command_does_not_use_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(STRATUI), "schema", "--db", str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 2
    assert "unrecognized arguments: --db" in result.stderr


def test_export_help_as_a_real_process_explains_the_format_and_how_to_name_a_discussion() -> None:
    result = subprocess.run([str(STRATUI), "export", "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps option help to the terminal's width
    assert "--format {md,html,json} md: minutes as Markdown; html: minutes to print from a browser" in text
    assert "(default: md)" in text
    assert "CS-2026-08014@2026-11-25 the one held that day" in text
    assert 'stratui export "Leah Morgan"' in result.stdout
    assert "--today" not in result.stdout


def test_the_top_level_help_lists_every_command_with_its_summary() -> None:
    text = build_parser().format_help()
    for name, command in subcommands().items():
        assert f"\n    {name} " in text, name
    assert "examples:" in text


def test_an_ordinary_start_never_loads_argcomplete() -> None:
    _, modules = imported_by("--version")
    assert not loaded(modules, "argcomplete")


def test_tab_completion_when_argcomplete_is_installed(tmp_path: Path) -> None:
    pytest.importorskip("argcomplete")
    answer = tmp_path / "completions"
    env = dict(
        os.environ,
        _ARGCOMPLETE="1",
        COMP_LINE="stratui export --fo",
        COMP_POINT=str(len("stratui export --fo")),
        _ARGCOMPLETE_STDOUT_FILENAME=str(answer),
    )
    result = subprocess.run([str(STRATUI)], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert answer.read_text().split() == ["--format"]
