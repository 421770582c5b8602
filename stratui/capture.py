"""Recording a discussion: the editor the phase screens type into, autosave, sign-off, addenda.

Plain Python: the phase screens edit `DiscussionEditor.discussion` and call `changed()`; the app
calls `save()` (debounced, on quit, on SIGHUP/SIGTERM). A draft is saved even while it breaks
the record's rules (the status line says what is still to fix). Every save first writes a
private recovery copy of the working record (stratui.drafts), so nothing typed is lost to a
conflict, a full disk or a dropped connection. Starting a record or a follow-up is
stratui.starting; writing the minutes out, stratui.exports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from stratui.context import Context
from stratui.drafts import write_recovery
from stratui.models import Addendum, Discussion, DiscussionStatus, SignOff
from stratui.phases import completeness
from stratui.store import ConflictError, InvalidRecordError, Store, StoreError
from stratui.store.lock import Holder, LockBusyError, holder_sentence


class SignOffError(Exception):
    def __init__(self, problems: list[str], manager_refused: bool = False) -> None:
        super().__init__("Cannot sign off yet: " + " ".join(problems))
        self.problems = problems
        # The name given is not a configured manager: settled in the settings' team, not the record.
        self.manager_refused = manager_refused



@dataclass
class SaveResult:
    saved: bool
    message: str


# What a save changes in the record besides what was typed (see stratui.store.writes._write).
_BOOKKEEPING = ("revision", "updated_at", "updated_by", "created_at", "created_by")


@dataclass(eq=False)
class PendingSave:
    """One save: a copy of the record taken when it was asked for, written later (in a worker).

    `edits` is the editor's count of changes at that moment: a save that lands after more
    typing leaves the record unsaved (dirty) and the next save carries the rest.
    """

    editor: DiscussionEditor
    snapshot: Discussion
    edits: int
    recovery: Path | None
    result: SaveResult | None = None
    done: threading.Event = field(default_factory=threading.Event)
    # Saves asked for later and dropped in favour of this one (it holds what they held, and more).
    superseded: list[PendingSave] = field(default_factory=list)
    # Set by Saver.withdraw: a wait for the lock stops, and the save is refused.
    withdrawn: threading.Event = field(default_factory=threading.Event)

    def settle(self, result: SaveResult) -> None:
        for pending in (self, *self.superseded):
            pending.result = result
            pending.done.set()


@dataclass
class DiscussionEditor:
    """One discussion being recorded or reviewed."""

    context: Context
    discussion: Discussion
    dirty: bool = False
    last_message: str = ""
    conflict: ConflictError | None = None
    _persisted: bool = field(default=False)
    # Counts every change, so a save that lands after more typing is known to be behind it.
    _edits: int = field(default=0)
    # Held while a save's outcome is applied (in the saver's thread) and while a change is counted.
    _mutex: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def start(cls, context: Context, discussion: Discussion) -> DiscussionEditor:
        editor = cls(context=context, discussion=discussion, _persisted=discussion.revision > 0)
        if not editor._persisted:
            # A new record is where a blank "me" shows: say once how to be named.
            editor.last_message = context.name_hint()
        return editor

    @classmethod
    def open(cls, context: Context, discussion_id: str) -> DiscussionEditor:
        return cls.start(context, context.store.get(discussion_id))

    @property
    def locked(self) -> bool:
        return self.discussion.is_signed_off

    def changed(self) -> None:
        with self._mutex:
            self.dirty = True
            self._edits += 1

    def changed_elsewhere(self) -> Discussion | None:
        """The stored version, if someone else saved the discussion since this editor read it.

        With nothing unsaved, the app opens that version in a new editor (the worker sees their
        colleague's version before typing); with unsaved changes this editor keeps its own, and
        its next save is refused as a conflict with the worker's text kept as a recovery draft.
        """
        if not self._persisted:
            return None
        try:
            stored = self.context.store.get(self.discussion.id)
        except StoreError:
            return None  # reported by the next save
        return stored if stored.revision > self.discussion.revision else None

    def save(self) -> SaveResult:
        """Save the draft now, in this thread; on any failure the working copy stays in memory
        and in a recovery file."""
        pending = self.begin_save()
        if pending is None:
            return SaveResult(True, self.last_message)
        return self.write(pending)

    def begin_save(self) -> PendingSave | None:
        """The first half of a save, where the record is edited (the UI thread): the recovery
        file written and a copy taken. None when nothing is unsaved. `write` does the rest."""
        if not self.dirty:
            return None
        with self._mutex:
            edits = self._edits
            snapshot = self.discussion.model_copy(deep=True)
        return PendingSave(self, snapshot, edits, write_recovery(self.context, snapshot))

    def write(self, pending: PendingSave) -> SaveResult:
        """The second half: the store write (which may wait for the lock), in any thread."""
        with self._mutex:
            # Saves are written one at a time in order: one that landed after this copy was
            # taken moved the revision on, and this one follows it (another user's is a conflict).
            for name in _BOOKKEEPING:
                setattr(pending.snapshot, name, getattr(self.discussion, name))
            persisted = self._persisted
        try:
            if persisted:
                saved = self.context.store.save(pending.snapshot)
            else:
                saved = self.context.store.create(pending.snapshot)
        except ConflictError as exc:
            self.conflict = exc
            result = self._failed(f"{exc} Your version is kept in {pending.recovery}.")
        except InvalidRecordError as exc:
            # Only what the store cannot hold at all (a wrong type, a signed-off record breaking
            # a rule): a draft breaking the rules between fields is saved (see saved_message).
            result = self._failed(f"Draft kept, not yet saved: {'; '.join(exc.problems)}")
        except LockBusyError as exc:
            result = self._failed(f"Not saved yet: {exc.reason}; your draft is kept in {pending.recovery}.")
        except StoreError as exc:
            result = self._failed(f"{exc}")
        else:
            result = self._landed(pending, saved)
        pending.settle(result)
        return result

    def _landed(self, pending: PendingSave, saved: Discussion) -> SaveResult:
        # The record being edited is kept (never swapped for the saved copy): a key typed
        # meanwhile, in any thread's view of it, stays. It takes on what the save changed.
        with self._mutex:
            for name in _BOOKKEEPING:
                setattr(self.discussion, name, getattr(saved, name))
            self._persisted = True
            self.conflict = None
            caught_up = self._edits == pending.edits
            if caught_up:
                self.dirty = False
            self.last_message = saved_message(saved)
        if caught_up and pending.recovery is not None:
            pending.recovery.unlink(missing_ok=True)
        return SaveResult(True, self.last_message)

    def _failed(self, message: str) -> SaveResult:
        self.last_message = message
        return SaveResult(False, message)

    # -- record operations --------------------------------------------------------------

    def sign_off(self, manager: str, now: datetime) -> None:
        settings = self.context.settings
        problems = []
        refused = bool(settings.managers()) and not settings.is_manager(manager)
        if refused:
            problems.append(f"{manager} is not a configured manager (Settings > Team: name, login, manager yes).")
        problems += completeness(self.discussion, settings.nation, settings)
        if problems:
            raise SignOffError(problems, manager_refused=refused)
        self.discussion.status = DiscussionStatus.SIGNED_OFF
        self.discussion.sign_off = SignOff(manager=manager, signed_at=now)
        self.changed()

    def add_addendum(self, reason: str, text: str, now: datetime) -> Addendum:
        addendum = Addendum(author=self.context.name, written_at=now, reason=reason, text=text)
        self.discussion.addenda.append(addendum)
        self.changed()
        return addendum


class Saver:
    """An app's saves, written one at a time in the order asked for, off the UI thread.

    A save asked for while an older one of the same record still waits its turn replaces it
    (the newer copy holds everything the older did), so a long-held lock does not pile up
    saves, and an older copy is never written after a newer one. `on_wait` is told who holds
    the lock while a save waits for it; `on_done` when a save is written or refused.
    """

    def __init__(
        self,
        store: Store,
        on_done: Callable[[PendingSave], None],
        on_wait: Callable[[PendingSave, Holder | None], None],
    ) -> None:
        self.store = store
        self.on_done = on_done
        self.on_wait = on_wait
        # Set when the app is closing: a save waiting for the lock stops waiting (the draft stays).
        self.stop_waiting = threading.Event()
        self._jobs: list[PendingSave] = []
        self._editors: list[DiscussionEditor] = []  # every editor a save was asked for
        self._busy = False
        self._closed = False
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, pending: PendingSave) -> PendingSave:
        with self._ready:
            for older in [job for job in self._jobs if job.editor is pending.editor]:
                self._jobs.remove(older)
                pending.superseded += [older, *older.superseded]
            self._jobs.append(pending)
            if not any(editor is pending.editor for editor in self._editors):
                self._editors.append(pending.editor)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="stratui-saver", daemon=True)
                self._thread.start()
            self._ready.notify()
        return pending

    def withdraw(self, pending: PendingSave) -> None:
        """Take back a save not written yet (its caller stopped waiting): refused if it has not
        got the lock, written if it has. Either way it settles at once; see `pending.result`."""
        with self._ready:
            queued = pending in self._jobs
            if queued:
                self._jobs.remove(pending)
            else:
                pending.withdrawn.set()
        if queued:
            holder = holder_sentence(self.store.lock.holder())
            pending.settle(pending.editor._failed(f"Not saved yet: {holder}; your draft is kept in {pending.recovery}."))

    def unsaved(self) -> list[DiscussionEditor]:
        """The editors whose changes are not all saved (their drafts are on disk)."""
        with self._ready:
            return [editor for editor in self._editors if editor.dirty]

    def idle(self) -> bool:
        with self._ready:
            return not self._jobs and not self._busy

    def wait_closed(self, seconds: float) -> bool:
        """After `close`: wait up to `seconds` for the thread to write what was asked for and end.
        False if it is still at work (behind a lock someone else holds, say)."""
        with self._ready:
            thread = self._thread
        if thread is not None:
            thread.join(seconds)
        return thread is None or not thread.is_alive()

    def close(self) -> None:
        """The app is gone: the thread writes the saves still asked for, then ends (it held the
        app, through its callbacks, for as long as the process lived)."""
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._jobs and not self._closed:
                    self._ready.wait()
                if not self._jobs:
                    self._thread = None
                    return
                pending = self._jobs.pop(0)
                self._busy = True
            try:
                self._write(pending)
                self.on_done(pending)
            finally:
                # Idle only once the outcome is on its way to the screen: whoever waits for
                # idle (quitting, a test) finds the status line's word already in the queue.
                with self._ready:
                    self._busy = False

    def _write(self, pending: PendingSave) -> None:
        try:
            with self.store.lock.patience(
                None,
                on_wait=lambda holder: self.on_wait(pending, holder),
                cancelled=lambda: self.stop_waiting.is_set() or pending.withdrawn.is_set(),
            ):
                pending.editor.write(pending)
        except Exception as exc:  # never leave a save unsettled: its waiter would hang
            pending.settle(pending.editor._failed(f"Not saved: {exc}"))


def saved_message(saved: Discussion) -> str:
    """The status line after a save: when, and the rules the draft still breaks (it is saved anyway)."""
    when = f"Saved {saved.updated_at:%H:%M:%S}" if saved.updated_at else "Saved"
    broken = saved.rule_problems()
    if not broken:
        return when
    return f"{when}. Still to fix before sign-off: {' '.join(broken)}"
