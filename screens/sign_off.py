"""A manager signs the record off: from then on it is read only and changes are addenda."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.capture import DiscussionEditor, SignOffError
from stratui.models import DiscussionStatus
from stratui.screens.kit import TypeAheadModal


class SignOffScreen(TypeAheadModal[bool]):
    """Dismissed with True once the signed-off record is saved; False when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-sign-off", priority=True),
        # The team's managers are settings: one key there and back, the name typed kept.
        Binding("ctrl+o", "team_settings", "Team settings", id="sign-off-team-settings", priority=True),
    ]
    TYPE_AHEAD = "#manager"

    def __init__(self, editor: DiscussionEditor) -> None:
        super().__init__()
        self.editor = editor

    def _who(self) -> str:
        managers = self.editor.context.settings.managers()
        if managers:
            return "Managers: " + ", ".join(managers) + "  (ctrl+o: the team's managers in the settings)"
        return "No managers are set in the settings: any name is accepted. ctrl+o adds the team's managers."

    def _default_manager(self) -> str:
        """The running user, when they are one of the team's managers: Enter signs off as them."""
        context = self.editor.context
        return context.name if context.settings.is_manager(context.name) else ""

    def compose(self) -> ComposeResult:
        managers = self.editor.context.settings.managers()
        with Vertical():
            yield Static(f"Sign off: {self.editor.discussion.title}", markup=False)
            yield Static(
                "Once signed off the record is read only; later changes are addenda. "
                "Type the manager's name, Enter to sign off, Esc to cancel.",
                markup=False,
            )
            yield Static(self._who(), id="sign-off-managers", markup=False)
            yield OrderedInput(
                value=self._default_manager(),
                placeholder="Manager's name",
                id="manager",
                suggester=SuggestFromList(managers, case_sensitive=False) if managers else None,
            )
            with VerticalScroll(id="sign-off-problems"):
                yield Static(id="sign-off-problem-list", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#manager", Input)
        if box.value:  # the running user's name, offered: typing replaces it, Enter keeps it
            box.select_all()

    @on(Input.Submitted, "#manager")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.sign_off(event.value.strip())

    def sign_off(self, manager: str) -> None:
        if not manager:
            self.show_problems(["Type the name of the manager signing the record off."])
            return
        app = self.stratui
        key = f"sign-off:{self.editor.discussion.id}"
        if app.writes.busy(key):
            self.show_problems(["The sign-off is being saved: it lands once the lock is free."])
            return
        try:
            self.editor.sign_off(manager, app.now())
        except SignOffError as exc:
            note = "ctrl+o: add the manager in the team settings, then Escape comes back here." if exc.manager_refused else ""
            self.show_problems(exc.problems, note)
            return
        self.show_saving("Saving the sign-off...")
        app.writes.save_editor(key, f"the sign-off of {self.editor.discussion.title}", self._signed, self._not_signed, self.show_saving)

    def _signed(self) -> None:
        if self.is_attached:
            self.dismiss(True)

    def _not_signed(self, exc: Exception) -> None:
        # Not stored, so not signed off: the record stays editable and says why.
        self.editor.discussion.status = DiscussionStatus.DRAFT
        self.editor.discussion.sign_off = None
        if self.is_attached:
            self.show_problems([f"Not signed off: the record could not be saved. {self.editor.last_message or exc}"])
        else:
            self.notify(f"Not signed off: the record could not be saved. {self.editor.last_message or exc}", severity="error", timeout=12)

    def show_saving(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#sign-off-problem-list", Static).update(text)
            self.query_one("#sign-off-problems").add_class("shown")

    def show_problems(self, problems: list[str], note: str = "") -> None:
        heading = f"Cannot sign off yet ({len(problems)}):" if len(problems) > 1 else "Cannot sign off yet:"
        lines = [heading, *(f"- {p}" for p in problems)] + ([note] if note else [])
        self.query_one("#sign-off-problem-list", Static).update("\n".join(lines))
        self.query_one("#sign-off-problems").add_class("shown")
        self.query_one("#manager", Input).focus()

    def action_team_settings(self) -> None:
        from stratui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.editor.context, start_at="team"), lambda _: self.resume())

    def resume(self) -> None:
        """Back from the settings: the managers as saved there, the name typed still in the box."""
        settings = self.editor.context.settings
        managers = settings.managers()
        self.query_one("#sign-off-managers", Static).update(self._who())
        box = self.query_one("#manager", Input)
        box.suggester = SuggestFromList(managers, case_sensitive=False) if managers else None
        name = box.value.strip() or self._default_manager()
        if name and not box.value.strip():
            box.value = name
        if name and (not managers or settings.is_manager(name)):
            self.query_one("#sign-off-problem-list", Static).update(f"{name} can sign off: Enter signs off, Esc cancels.")
            self.query_one("#sign-off-problems").add_class("shown")
        box.focus()

    def action_cancel(self) -> None:
        if self.stratui.writes.busy(f"sign-off:{self.editor.discussion.id}"):
            self.show_problems(["The sign-off is being saved: it lands, or is refused, once the lock is free."])
            return
        self.dismiss(False)
