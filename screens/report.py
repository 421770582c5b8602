"""The team timeliness report on screen: a month's (or twelve months') figures with text bar charts.

Thin over stratui.report. The bars are drawn with block characters, or with ASCII ones on a
terminal that cannot show them (stratui.terminal), and each series has its own glyph as well
as its colour, so the charts read in monochrome; the numbers are always printed beside them.
"""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from stratui.context import Context
from stratui.report import (
    ActionFigures,
    Record,
    Report,
    add_months,
    build_report,
    format_days,
    month_end,
    month_label,
    month_start,
    percent,
    period_label,
    records_of,
    sentence,
)
from stratui.screens.cells import shown
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import reading_keys, ReadingScreen, ScreenHeader
from stratui.screens.theme import MONOCHROME
from stratui.store import StoreError
from stratui.terminal import shorten, shows_unicode
from stratui.text import one_line

# A database larger than this (index bytes, about 200 discussions) is read in a worker thread,
# as the dashboard does: the report reads every discussion file.
LOAD_IN_BACKGROUND_BYTES = 200_000
# Rows in the by-agency and by-owner charts (the worst first); the CLI report lists them all.
CHART_ROWS = 8
# Months in the trend chart under a one-month view.
TREND_MONTHS = 6
LABEL_WIDTH = 22


class Glyphs:
    """A glyph per series of a chart, so that it does not rely on colour alone: block
    characters, or ASCII on a terminal that cannot show them."""

    def __init__(self, unicode: bool) -> None:
        self.solid, self.light, self.medium = ("\u2588", "\u2591", "\u2592") if unicode else ("#", "-", "=")


def segments(counts: list[int], scale: int, width: int) -> list[int]:
    """How many cells each count takes in a bar `width` cells long for `scale`; a count above
    zero always shows (one cell at least), and the cells never exceed `width`."""
    if scale <= 0:
        return [0 for _ in counts]
    cells = [max(1, round(count * width / scale)) if count else 0 for count in counts]
    while sum(cells) > width:
        cells[cells.index(max(cells))] -= 1
    return cells


class ReportScreen(ReadingScreen):
    CSS_PATH = "report.tcss"
    SCROLLER = "#report-scroll"
    BINDINGS = [
        Binding("left_square_bracket,left", "previous_month", "Prev month", id="report-previous", key_display="["),
        Binding("right_square_bracket,right", "next_month", "Next month", id="report-next", key_display="]"),
        Binding("t", "this_month", "This month", id="report-this-month"),
        Binding("y", "toggle_span", "1/12 months", tooltip="One month, or the twelve months up to it", id="report-span"),
        Binding("escape,q", "close", "Back", id="close-report"),
        *reading_keys("report"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.month = month_start(context.today)
        self.months = 1
        self.records: list[Record] | None = None
        self.problem = ""
        self.report: Report | None = None
        # The months the trend chart shows: under a single month, the months before it too.
        self.trend: Report | None = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(id="report-period", markup=False)
        with VerticalScroll(id="report-scroll"):
            yield Static(id="report", markup=False)
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Team timeliness"
        self.query_one("#report-scroll").focus()
        if self.context.store.index_size() > LOAD_IN_BACKGROUND_BYTES:
            self.query_one("#report-scroll").loading = True
            self._load_in_background()
        else:
            self._loaded(self._read())

    def _read(self) -> list[Record] | StoreError:
        try:
            return records_of(self.context.store.discussions())
        except StoreError as exc:
            return exc

    @work(thread=True, exclusive=True, group="report-load")
    def _load_in_background(self) -> None:
        self.app.call_from_thread(self._loaded, self._read())

    def _loaded(self, read: list[Record] | StoreError) -> None:
        self.query_one("#report-scroll").loading = False
        if isinstance(read, StoreError):
            self.problem = f"The report could not be built: {read}"
        else:
            self.records = read
        self._show()

    # -- the period -------------------------------------------------------------------------

    @property
    def period(self) -> tuple[date, date]:
        start = add_months(self.month, -(self.months - 1))
        return start, min(month_end(self.month), self.context.today)

    def action_previous_month(self) -> None:
        self.month = add_months(self.month, -1)
        self._show()

    def action_next_month(self) -> None:
        if self.month < month_start(self.context.today):
            self.month = add_months(self.month, 1)
            self._show()
        else:
            self.notify("This is the current month: the report does not look ahead.", timeout=4)

    def action_this_month(self) -> None:
        self.month = month_start(self.context.today)
        self._show()

    def action_toggle_span(self) -> None:
        self.months = 12 if self.months == 1 else 1
        self._show()

    # -- drawing ---------------------------------------------------------------------------

    def _show(self) -> None:
        header = self.query_one("#report-period", Static)
        body = self.query_one("#report", Static)
        if self.problem:
            body.update(shown(self.problem))
            return
        if self.records is None:
            return
        start, end = self.period
        today, settings = self.context.today, self.context.settings
        self.report = build_report(self.records, start, end, today, settings)
        self.trend = self.report
        if self.months == 1:
            self.trend = build_report(self.records, add_months(self.month, 1 - TREND_MONTHS), end, today, settings)
        span = month_label(self.month) if self.months == 1 else f"12 months to {month_label(self.month)}"
        header.update(f"{span}: {period_label(self.report)}, whole team ({self.report.nation_label})")
        self._draw()
        self.query_one("#report-scroll", VerticalScroll).scroll_home(animate=False)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The charts for the figures worked out, as wide as the screen."""
        if self.report is not None and self.trend is not None:
            self.query_one("#report", Static).update(Group(*self._figures(self.report, self.trend)))

    def _figures(self, report: Report, trend: Report) -> list[Text]:
        glyphs = Glyphs(shows_unicode())
        styles = _styles(self.app.theme == MONOCHROME.name)
        width = max(40, (self.size.width or 80) - 3)
        figures = report.period
        d, c, a = figures.discussions, figures.conferences, figures.actions
        unit = "d" if report.conference_unit == "calendar days" else "wd"
        measures = [
            (f"{sentence(report.discussion_short_name)}s held {report.discussion_rule}", d.within, d.late,
             f"median {format_days(d.median_days)} wd"),
            (f"{report.conference_name}s {report.conference_rule}", c.within, c.late,
             f"median {format_days(c.median_days)} {unit}"),
            ("Actions completed by their due date", a.on_time, a.late, f"median {format_days(a.median_days_late)} wd late"),
        ]
        bar_width = min(40, width - 40)
        lines: list[Text] = []
        for label, within, late, median in measures:
            lines.append(Text(shorten(label, width), style="bold"))
            total = within + late
            line = Text("  ")
            _bar(line, [(within, glyphs.solid, styles["within"]), (late, glyphs.light, styles["late"])], total, bar_width)
            line.append(f"  {within} of {total} ({percent(within, total)}), {median}" if total else "  none in the period")
            lines.append(line)
        lines.append(Text(f"  {glyphs.solid} within timescale   {glyphs.light} late"))
        lines.append(
            Text(
                f"Open and overdue actions: {a.open_overdue} (median {format_days(a.median_days_overdue)} wd). "
                f"{report.conference_name} not held, past due: {len(figures.conference_overdue_days)}; "
                f"none needed (enquiry outcome): {figures.conference_not_needed}."
            )
        )
        lines += self._groups("Late and overdue actions by agency", report.by_agency, glyphs, styles, width)
        lines += self._trend(trend, glyphs, styles, width)
        lines += self._groups("Late and overdue actions by owner", report.by_owner, glyphs, styles, width)
        lines.append(Text(""))
        lines.append(Text("Every figure as a table: stratui report --md (or --csv, --json) --from --to."))
        return lines

    def _groups(
        self, title: str, groups: list[tuple[str, ActionFigures]], glyphs: Glyphs, styles: dict[str, str], width: int
    ) -> list[Text]:
        rows = [(name, g) for name, g in groups if g.late or g.open_overdue][:CHART_ROWS]
        lines = [Text(""), Text(title, style="bold")]
        if not rows:
            lines.append(Text("  No action completed late or open and overdue."))
            return lines
        lines.append(Text(f"  {glyphs.solid} completed late   {glyphs.medium} open and overdue"))
        scale = max(g.late + g.open_overdue for _, g in rows)
        bar_width = max(10, width - LABEL_WIDTH - 22)
        for name, g in rows:
            # Names are record text: on one line, escaped, and never read as markup (a Text).
            line = Text(shorten(one_line(name), LABEL_WIDTH).ljust(LABEL_WIDTH) + " ")
            _bar(line, [(g.late, glyphs.solid, styles["late"]), (g.open_overdue, glyphs.medium, styles["overdue"])], scale, bar_width)
            line.append(f" {g.late:>3} late {g.open_overdue:>3} overdue")
            lines.append(line)
        return lines

    def _trend(self, report: Report, glyphs: Glyphs, styles: dict[str, str], width: int) -> list[Text]:
        lines = [Text(""), Text(f"{sentence(report.discussion_short_name)}s within timescale, by month", style="bold")]
        bar_width = max(10, width - 32)
        for month, f in report.months:
            d = f.discussions
            line = Text(f"  {month_label(month)}  ")
            _bar(line, [(d.within, glyphs.solid, styles["within"]), (d.late, glyphs.light, styles["late"])], d.measured, bar_width)
            line.append(f"  {d.within:>3} of {d.measured:<3} {percent(d.within, d.measured):>4}")
            lines.append(line)
        return lines


def _bar(line: Text, parts: list[tuple[int, str, str]], scale: int, width: int) -> None:
    """Append a bar of `width` cells: each part's glyph for its share of `scale`, then blanks."""
    cells = segments([count for count, _, _ in parts], scale, width)
    for (_, glyph, style), n in zip(parts, cells, strict=True):
        line.append(glyph * n, style=style)
    line.append(" " * (width - sum(cells)))


def _styles(monochrome: bool) -> dict[str, str]:
    if monochrome:
        return {"within": "", "late": "", "overdue": ""}
    return {"within": "green", "late": "red", "overdue": "yellow"}


