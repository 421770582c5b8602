"""The scrolling form of a phase (and of the child's details): restyled alone when focused."""

from __future__ import annotations

from textual.containers import VerticalScroll


class FormScroll(VerticalScroll):
    """A VerticalScroll whose focus restyles only itself, not every widget inside it.

    Textual restyles a widget and all its descendants when the widget gains or loses focus, in
    case a rule like `VerticalScroll:focus Input` styles what is inside it. No stratui stylesheet
    has such a rule (tests/functional/test_form_scroll.py reads them all), and a phase's form holds
    a hundred widgets: the form taking the focus (a signed-off record, the review, a modal
    closing) was half of all the restyling in the decisions tests.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
