"""The saver's thread (stratui.capture.Saver), without a terminal."""

from __future__ import annotations

import threading
from collections.abc import Callable

from stratui.capture import DiscussionEditor, PendingSave, Saver
from stratui.context import Context
from stratui.models import Discussion


def test_the_saver_is_idle_only_once_the_outcome_is_on_its_way(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    """Whoever waits for idle (quitting, a test reading the status line) finds the outcome
    already sent: before, idle came first and the outcome could follow it."""
    record = context.store.create(make_discussion())
    editor = DiscussionEditor.open(context, record.id)
    editor.discussion.information.concerns = "Typed"
    editor.changed()
    idle_when_told: list[bool] = []
    told = threading.Event()

    def on_done(pending: PendingSave) -> None:
        idle_when_told.append(saver.idle())
        told.set()

    saver = Saver(context.store, on_done=on_done, on_wait=lambda pending, holder: None)
    pending = editor.begin_save()
    assert pending is not None
    saver.submit(pending)
    assert told.wait(30)
    saver.close()
    assert saver.wait_closed(30)
    assert idle_when_told == [False] and saver.idle()
    assert pending.result is not None and pending.result.saved
    assert context.store.get(record.id).information.concerns == "Typed"
