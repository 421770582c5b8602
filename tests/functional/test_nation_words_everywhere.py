"""A Welsh, Scottish or Northern Irish team never reads another nation's words (issue 13 item 3).

For each nation, the app is driven by keys at 80x24 over a demo database of that nation: the
welcome, the dashboard and its filters, the new-discussion picker, every phase of records of
every shape, the minutes, the history, the case view, the follow-up, search, the handover, the
report, help, settings, the command palette and the dashboard's modals. Everything each screen
holds (what is drawn, and what a scroll would show) and the CLI's dashboard, handover and report
are searched for the words of the other nations, read from data/nations.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from stratui import nations
from stratui.app import StratuiApp
from stratui.cli import main
from stratui.context import Context, open_context
from stratui.demo import generate_demo
from stratui.models import Discussion, DiscussionKind
from stratui.phases import PHASES
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.minutes_preview import MinutesPreviewScreen
from pilot import stratui_at_80x24, tab_to, type_text, wait_until

TODAY = "2026-11-25"
COUNT = 40
NATIONS = ("wales", "scotland", "northern-ireland")

# Words that name each nation's procedure. Generic ones (the plan headings, "investigation",
# the law's long title) are left out: "joint investigation" belongs to every nation.
_WORD_FIELDS = (
    "discussion_name", "meeting_name", "enquiry_name", "enquiries_name", "enquiry_short",
    "enquiry_decision_label", "conference_name", "conference_short_name", "assessment_name",
)
# The short forms a nation's texts also use ("s47" for "section 47 enquiry").
_ALSO = {
    "section 47": ["section 47", "s47", "s.47"],
    "article 66": ["Article 66"],
    "unocini": ["UNOCINI"],
    "part 3": ["Part 3 assessment"],
    "strategy discussion": ["strategy disc."],
    "strategy meeting": ["strategy mtg"],
}


def _terms(rules: nations.NationRules) -> set[str]:
    terms: set[str] = set()
    for field in _WORD_FIELDS:
        words = getattr(rules, field)
        if not words or " " not in words and words.islower():
            continue  # "" (no assessment) or one generic word ("investigation")
        terms.add(words)
        # "initial child protection conference (ICPC)": the name and the abbreviation apart.
        match = re.fullmatch(r"(.+?) \(([^)]+)\)", words)
        if match:
            terms.update(match.groups())
    for term in list(terms):
        for phrase, spellings in _ALSO.items():
            if phrase in term.casefold():
                terms.update(spellings)
    return terms


# Words a nation shares with another though its own names differ: Northern Ireland's Article 66
# investigation is a child protection investigation, as in Scotland.
_SHARED = {"northern-ireland": {"child protection investigation"}}


def forbidden(nation: str) -> list[str]:
    """The other nations' words that none of this nation's own words contain."""
    own = _terms(nations.rules_for(nation)) | _SHARED.get(nation, set())
    others = {term for other in nations.RULES if other != nation for term in _terms(nations.rules_for(other))}
    return sorted(t for t in others if not any(t.casefold() in mine.casefold() for mine in own))


def found_in(text: str, nation: str) -> list[str]:
    return [t for t in forbidden(nation) if re.search(rf"(?<![\w-]){re.escape(t)}(?:s|es)?(?![\w-])", text, re.IGNORECASE)]


def test_the_forbidden_words_come_from_the_other_nations() -> None:
    scotland = forbidden("scotland")
    for term in ("section 47", "s47", "ICPC", "strategy discussion", "child and family assessment", "Article 66"):
        assert term in scotland
    assert {"section 47", "ICPC", "child and family assessment"} <= set(forbidden("northern-ireland"))
    assert "strategy discussion" not in forbidden("northern-ireland")
    wales = forbidden("wales")
    assert "child and family assessment" in wales and "IRD" in wales
    assert "section 47" not in wales and "ICPC" not in wales


# -- what a screen holds ------------------------------------------------------------------------

_console = Console(width=80, no_color=True, record=True, file=open("/dev/null", "w"))  # noqa: SIM115


def _plain(renderable: object) -> str:
    if isinstance(renderable, str):
        return renderable
    text = getattr(renderable, "plain", None)
    if isinstance(text, str):
        return text
    with _console.capture() as captured:
        _console.print(renderable)
    return captured.get()


def screen_text(app: StratuiApp) -> str:
    """What the screen draws, and what every widget on it would show when scrolled to."""
    screen = app.screen
    parts = [strip.text for strip in screen._compositor.render_strips()]
    parts += [str(screen.title or ""), str(screen.sub_title or ""), str(app.sub_title)]
    for widget in screen.query("*"):
        if isinstance(widget, Static):
            parts.append(_plain(widget.render()))
        elif isinstance(widget, DataTable):
            parts += [_plain(column.label) for column in widget.columns.values()]
            for row in range(widget.row_count):
                parts += [_plain(cell) for cell in widget.get_row_at(row)]
        elif isinstance(widget, Input):
            parts += [widget.value, widget.placeholder]
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, OptionList):
            parts += [_plain(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        tooltip = getattr(widget, "tooltip", None)
        if tooltip:
            parts.append(_plain(tooltip))
    if isinstance(screen, MinutesPreviewScreen):  # one view of lines, not a widget per paragraph
        parts.append(screen.rendered_text)
    for binding in screen.active_bindings.values():
        parts += [binding.binding.description, binding.binding.tooltip]
    parts += [str(n.message) for n in app._notifications]
    return "\n".join(parts)


class Visit:
    """Every screen seen in one app run, each one's text checked as it is shown."""

    def __init__(self, app: StratuiApp, pilot: Pilot, nation: str) -> None:
        self.app, self.pilot, self.nation = app, pilot, nation
        self.seen: list[str] = []
        self.texts: list[str] = []
        self.wrong: list[tuple[str, list[str], str]] = []

    async def look(self, where: str) -> None:
        await self.pilot.pause()
        assert getattr(self.app, "_exception", None) is None, where
        text = screen_text(self.app)
        self.seen.append(where)
        self.texts.append(text)
        found = found_in(text, self.nation)
        if found:
            lines = [line for line in text.splitlines() if found_in(line, self.nation)]
            self.wrong.append((where, found, "\n".join(dict.fromkeys(lines))))

    async def back_to_dashboard(self) -> None:
        for _ in range(8):
            if isinstance(self.app.screen, DashboardScreen):
                return
            await self.pilot.press("escape")
            await self.pilot.pause()
        assert isinstance(self.app.screen, DashboardScreen), self.app.screen

    def report(self) -> str:
        return "\n\n".join(f"{where}: {found}\n{lines}" for where, found, lines in self.wrong)


def context_for(tmp_path: Path, nation: str, count: int) -> tuple[Context, list[Discussion]]:
    config = tmp_path / "settings.toml"
    config.write_text(f'nation = "{nation}"\nuser = "Sam Patel"\n', encoding="utf-8")
    context = open_context(db=tmp_path / "db", config=config, today=TODAY)
    records = generate_demo(count, 1, date.fromisoformat(TODAY), nation)
    if records:
        context.store.save_all_new(records)
    return context, records


def one_of_each_shape(records: list[Discussion]) -> list[Discussion]:
    def shape(d: Discussion) -> tuple[object, ...]:
        return (d.kind, d.decisions.s47_enquiry.made, d.is_signed_off and d.kind is DiscussionKind.STRATEGY_DISCUSSION)

    return list({shape(d): d for d in records}.values())


async def row_of(visit: Visit, wanted: str) -> bool:
    """Move the dashboard's cursor to the first row whose title holds `wanted`."""
    screen = visit.app.screen
    for index, row in enumerate(screen.rows):  # type: ignore[attr-defined]
        if wanted in row.title:
            screen.query_one(DataTable).move_cursor(row=index)
            await visit.pilot.pause()
            return True
    return False


async def visit_the_dashboard(visit: Visit) -> None:
    pilot = visit.pilot
    await wait_until(pilot, lambda: bool(visit.app.screen.rows))  # type: ignore[attr-defined]
    await visit.look("the dashboard")
    for key, where in (("l", "overdue only"), ("s", "sorted by case"), ("w", "mine"), ("x", "closed this week")):
        await pilot.press(key)
        await visit.look(f"the dashboard, {where}")
    await pilot.press("escape")
    await pilot.press("a")
    await visit.look("the agency filter's prompt")
    await type_text(pilot, "Police")
    await pilot.press("enter")
    await visit.look("the dashboard filtered by agency")
    await visit.back_to_dashboard()
    await pilot.press("escape")
    await pilot.press("c")
    await visit.look("the case filter's prompt")
    await visit.back_to_dashboard()
    rules = nations.rules_for(visit.nation)
    for wanted, where in ((rules.conference_short_name, "the conference's outcome"), ("inutes", "a statutory step met")):
        if await row_of(visit, wanted):
            await pilot.press("m")
            await visit.look(where)
            await visit.back_to_dashboard()
    action = next((i for i, r in enumerate(visit.app.screen.rows) if r.is_action), None)  # type: ignore[attr-defined]
    if action is not None:
        visit.app.screen.query_one(DataTable).move_cursor(row=action)
        await pilot.press("d")
        await visit.look("marking an action done")
        await visit.back_to_dashboard()
    await pilot.press("m")  # on an action: says what m is for
    await visit.look("m on an action")
    await pilot.press("n")
    await visit.look("the new-discussion picker")
    await visit.back_to_dashboard()


async def visit_a_record(visit: Visit, context: Context, record: Discussion) -> None:
    app, pilot = visit.app, visit.pilot
    what = f"{record.kind.value} {record.status.value} s47={record.decisions.s47_enquiry.made}"
    app.open_discussion(record.id)
    await visit.look(f"{what}: {PHASES[0].title}")
    for phase in PHASES[1:]:
        assert app.editor is not None
        app.show_phase(app.editor, phase)
        await visit.look(f"{what}: {phase.title}")
    await pilot.press("m")
    await visit.look(f"{what}: the minutes preview")
    await pilot.press("escape")
    await pilot.press("t")
    await visit.look(f"{what}: the history")
    await pilot.press("escape")
    if not record.is_signed_off:
        await pilot.press("s")
        await visit.look(f"{what}: sign-off")
        await pilot.press("escape")
    app.close_discussion()
    await visit.back_to_dashboard()


async def visit_the_case_and_a_follow_up(visit: Visit, record: Discussion) -> None:
    app, pilot = visit.app, visit.pilot
    from stratui.screens.case_view import CaseViewScreen

    app.push_screen(CaseViewScreen(app.context, record.id))
    await visit.look("the case view")
    await pilot.press("f")
    await visit.look("the follow-up's picker")
    await pilot.press("enter")
    await visit.look("the follow-up's first screen")
    for phase in PHASES:
        if app.editor is None:
            break
        app.show_phase(app.editor, phase)
        await visit.look(f"the follow-up: {phase.title}")
    if app.editor is not None:
        app.close_discussion()
    await visit.back_to_dashboard()


async def visit_a_new_discussion(visit: Visit) -> None:
    """A new discussion with the enquiry decided yes, then no: the hints the answers bring."""
    app, pilot = visit.app, visit.pilot
    await pilot.press("n", "enter")
    await visit.look("a new discussion's details")
    for phase in PHASES[1:]:
        assert app.editor is not None
        app.show_phase(app.editor, phase)
        await visit.look(f"a new discussion: {phase.title}")
        if phase.title.startswith("4"):
            for answer in ("y", "n"):
                await tab_to(pilot, "#field-decisions-s47-enquiry-made")
                await pilot.press(answer)
                await visit.look(f"a new discussion: the enquiry decided {answer}")
    app.close_discussion()
    await visit.back_to_dashboard()


def palette_settled(app: StratuiApp) -> bool:
    """The command palette has gathered its commands for what is typed (Textual's worker ended)."""
    return not any(worker.group == CommandPalette._GATHER_COMMANDS_GROUP and not worker.is_finished for worker in app.workers)


async def visit_the_other_screens(visit: Visit) -> None:
    pilot = visit.pilot
    await pilot.press("slash")
    await visit.look("search")
    for query in ("conference", "a"):
        await type_text(pilot, query)  # names and case references are matched as each key lands
        await visit.look(f"search for {query!r}")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: not visit.app.screen._searching)  # type: ignore[attr-defined]
        await visit.look(f"search for {query!r}, full text")
        await pilot.press("home", "ctrl+k")
    await visit.back_to_dashboard()
    for key, where in (("h", "the handover"), ("r", "the report"), ("question_mark", "help"), ("ctrl+o", "settings")):
        await pilot.press(key)
        await visit.look(where)
        if key == "r":
            for more in ("y", "left_square_bracket"):
                await pilot.press(more)
                await visit.look(f"the report after {more}")
        if key == "ctrl+o":
            await pilot.press("ctrl+t")
            await visit.look("settings: the team")
        await visit.back_to_dashboard()
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(visit.app.screen, CommandPalette))
    await wait_until(pilot, lambda: palette_settled(visit.app))
    await visit.look("the command palette")
    for query in ("new", "go", "rec"):
        await type_text(pilot, query)
        await wait_until(pilot, lambda: palette_settled(visit.app))
        await visit.look(f"the command palette: {query!r}")
        for _ in query:
            await pilot.press("backspace")
    await visit.back_to_dashboard()


@pytest.mark.parametrize("nation", NATIONS)
async def test_every_screen_speaks_only_the_nation_s_words(tmp_path: Path, nation: str) -> None:
    context, records = context_for(tmp_path, nation, COUNT)
    sample = one_of_each_shape(records)
    assert {d.kind for d in sample} == set(DiscussionKind)
    async with stratui_at_80x24(context) as (app, pilot):
        visit = Visit(app, pilot, nation)
        await visit_the_dashboard(visit)
        for record in sample:
            await visit_a_record(visit, context, record)
        follow_up_of = next(d for d in sample if d.kind is DiscussionKind.STRATEGY_DISCUSSION)
        await visit_the_case_and_a_follow_up(visit, follow_up_of)
        await visit_a_new_discussion(visit)
        await visit_the_other_screens(visit)
    assert len(visit.seen) > 40
    assert not visit.wrong, visit.report()
    # The screens were read, in the nation's own words.
    everything = "\n".join(visit.texts)
    rules = nations.rules_for(nation)
    for own in (rules.discussion_short_name, rules.enquiry_decision_label, rules.conference_short_name, rules.plan_heading):
        assert own.casefold() in everything.casefold(), own


@pytest.mark.parametrize("nation", NATIONS)
async def test_the_welcome_speaks_the_nation_s_words(tmp_path: Path, nation: str) -> None:
    context, _ = context_for(tmp_path, nation, 0)
    async with stratui_at_80x24(context) as (app, pilot):
        visit = Visit(app, pilot, nation)
        await visit.look("the welcome")
        await pilot.press("n")
        await visit.look("the first new-discussion picker")
    assert not visit.wrong, visit.report()


def cli_outputs() -> Iterator[list[str]]:
    yield ["dashboard"]
    yield ["dashboard", "--all"]
    yield ["dashboard", "--all", "--json"]
    yield ["handover"]
    yield ["handover", "--md"]
    for form in ("--md", "--csv", "--json"):
        yield ["report", form]


@pytest.mark.parametrize("nation", ("england", *NATIONS))
def test_the_command_line_speaks_the_nation_s_words(
    tmp_path: Path, nation: str, capsys: pytest.CaptureFixture[str]
) -> None:
    context_for(tmp_path, nation, COUNT)
    wrong = {}
    for args in cli_outputs():
        capsys.readouterr()
        code = main([*args, "--db", str(tmp_path / "db"), "--config", str(tmp_path / "settings.toml"), "--today", TODAY])
        out = capsys.readouterr().out
        assert code == 0 and out, args
        found = found_in(out, nation)
        if found:
            wrong[" ".join(args)] = (found, [line for line in out.splitlines() if found_in(line, nation)][:8])
    assert not wrong, wrong
