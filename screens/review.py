"""Review and sign-off: what the record still lacks, its status, the minutes, sign-off, addenda, export."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from stratui.exports import export_minutes
from stratui.files import UnsafeFolderError
from stratui.models import Discussion, format_date
from stratui.phases import PHASES, REVIEW, completeness, phase_problems, phase_title
from stratui.screens.kit import show_content
from stratui.screens.phase import PhaseScreen
from stratui.settings import Settings


def status_line(discussion: Discussion) -> str:
    sign_off = discussion.sign_off
    if sign_off is None:
        return "Status: DRAFT, not signed off (edit any phase until a manager signs it off)"
    when = sign_off.signed_at
    return f"Status: SIGNED OFF by {sign_off.manager} at {when:%H:%M} on {format_date(when.date())} (read only)"


def checklist_lines(discussion: Discussion, nation: str, settings: Settings | None = None) -> tuple[list[str], int, int]:
    """The checklist, a phase a heading: "[x]" when complete, else "[ ]" and what it lacks."""
    lines: list[str] = []
    complete = missing = 0
    for phase in PHASES:
        problems = phase_problems(discussion, phase, nation, settings)
        complete += not problems
        missing += len(problems)
        mark = "[ ]" if problems else "[x]"
        lines.append(f"{mark} {phase_title(phase, discussion.kind)}" + (f" ({len(problems)} to do)" if problems else ""))
        lines.extend(f"      - {problem}" for problem in problems)
    return lines, complete, missing


class ReviewScreen(PhaseScreen):
    PHASE = REVIEW
    CSS_PATH = "review.tcss"
    # Priority (this screen takes no text): the sign-off or addendum box opens as the key is
    # read, so a name typed in the same burst over SSH goes to the box, not to this screen.
    BINDINGS = [
        Binding("m", "minutes", "Minutes", priority=True, id="preview-minutes"),
        Binding("s", "sign_off", "Sign off", priority=True, id="sign-off"),
        Binding("a", "addendum", "Addendum", priority=True, id="add-addendum"),
        Binding("e", "export", "Export", priority=True, id="export-minutes"),
        Binding("t", "history", "History", priority=True, id="review-history", show=False,
                tooltip="History: who changed what and when (the audit trail)"),
        # The last phase: its own keys take the footer's room in 80 columns (help lists the rest).
        Binding("ctrl+n,pagedown", "next_phase", "Next", priority=True, id="next-phase", show=False),
        Binding("pageup", "previous_phase", "Prev", priority=True, id="previous-phase", show=False),
        Binding("ctrl+g", "go_to_phase", "Phases", id="go-to-phase", priority=True, show=False),
    ]

    def compose_form(self) -> ComposeResult:
        yield Static(id="review-status", markup=False)
        # The keys before the checklist: a long checklist must not push them off an 80x24 screen.
        yield Static(id="review-keys", markup=False)
        yield Static(id="checklist", markup=False)
        yield Static(id="addenda", markup=False)

    def show_lists(self) -> None:
        self.show_review()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_review()
        # No text inputs here: the scrolling form takes focus, so letters reach this screen's keys
        # and up/down/Home/End scroll a long checklist (PgUp/PgDn change phase).
        self.query_one("#form", VerticalScroll).focus()

    def show_review(self) -> None:
        discussion = self.editor.discussion
        settings = self.editor.context.settings
        lines, complete, missing = checklist_lines(discussion, settings.nation, settings)
        show_content(self.query_one("#review-status", Static), status_line(discussion))
        heading = f"Checklist: {complete} of {len(PHASES)} phases complete, {missing} item(s) to do"
        show_content(self.query_one("#checklist", Static), "\n".join([heading, *lines]))
        addenda = [f"Addenda ({len(discussion.addenda)}):"] if discussion.addenda else []
        for n, addendum in enumerate(discussion.addenda, start=1):
            when = addendum.written_at
            addenda.append(f"  {n}. {addendum.author}, {when:%H:%M} {format_date(when.date())}: {addendum.reason}")
            addenda.extend(f"     {line}" for line in addendum.text.splitlines()[:3])
        show_content(self.query_one("#addenda", Static), "\n".join(addenda))
        if self.editor.locked:
            keys = "Keys: m minutes   a add an addendum   e export (.md, .html)   t history"
        elif completeness(discussion, settings.nation, settings):
            keys = "Keys: m minutes   s sign off (once complete)   e export draft   t history"
        else:
            keys = "Complete. Keys: s sign off (manager)   m minutes   e export   t history"
        show_content(self.query_one("#review-keys", Static), keys)

    # -- actions ------------------------------------------------------------------------

    def action_minutes(self) -> None:
        from stratui.screens.minutes_preview import MinutesPreviewScreen

        context = self.editor.context
        self.app.push_screen(MinutesPreviewScreen(self.editor.discussion, context.settings, context.store.summaries()))

    def action_sign_off(self) -> None:
        sign_off = self.editor.discussion.sign_off
        if sign_off is not None:
            self.show_status(f"Already signed off by {escape(sign_off.manager)}. Press a to add an addendum.", error=True)
            return
        from stratui.screens.sign_off import SignOffScreen

        def done(signed: bool | None) -> None:
            if signed:
                # A fresh screen: every field, banner and key now shows the record is read only.
                self.stratui.show_phase(self.editor, REVIEW)
                return
            # The settings may have changed on the way (the team's managers, the nation).
            self.show_review()
            self.refresh_progress()

        self.app.push_screen(SignOffScreen(self.editor), done)

    def action_addendum(self) -> None:
        if not self.editor.locked:
            self.show_status(
                "Not signed off yet: change the record itself (PgUp to a phase). Addenda are for signed-off records.",
                error=True,
            )
            return
        from stratui.screens.addendum import AddendumScreen

        def done(added: bool | None) -> None:
            if added:
                self.show_review()
                self.refresh_progress()
                self.show_status(escape(self.editor.last_message), error=self.editor.dirty)

        self.app.push_screen(AddendumScreen(self.editor), done)

    def action_export(self) -> None:
        try:
            context = self.editor.context
            paths = export_minutes(self.editor.discussion, settings=context.settings, earlier=context.store.summaries())
        except (OSError, UnsafeFolderError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.show_status(f"Minutes not exported: {reason}", error=True)
            return
        note = "" if self.editor.discussion.is_signed_off else " (marked DRAFT: not signed off)"
        names = "  ".join(escape(p.name) for p in paths)
        self.show_status(f"Minutes exported{note} to {escape(str(paths[0].parent))}:\n{names}")
