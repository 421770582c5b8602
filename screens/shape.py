"""A phase screen's fields and lists as the kind of discussion asks them (stratui.phases.asks)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.widget import Widget

from stratui.models import DiscussionKind
from stratui.phases import asks
from stratui.screens.rows import RowList
from stratui.screens.widgets import Field


def name_of(widget: Widget) -> str | None:
    """What `asks` knows a widget by: a field's record path, a list's form id (else None)."""
    if isinstance(widget, Field):
        return widget.path
    if isinstance(widget, RowList):
        return widget.kind.form.id
    return None


def shaped(kind: DiscussionKind, widgets: Iterable[Widget]) -> Iterator[Widget]:
    """The widgets of a phase's form that `kind` asks (composed once: the kind is set on Details)."""
    for widget in widgets:
        name = name_of(widget)
        if name is None or asks(kind, name):
            yield widget


def show_as_asked(root: Widget, kind: DiscussionKind) -> None:
    """Show or hide what `kind` asks, in place (Details, where the kind itself is chosen)."""
    for widget in [*root.query(Field), *root.query(RowList)]:
        name = name_of(widget)
        if name is not None:
            widget.display = asks(kind, name)
