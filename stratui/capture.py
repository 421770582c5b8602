"""Recording a discussion: starting one, following one up, autosave with recovery, sign-off.

Plain Python: the phase screens edit `DiscussionEditor.discussion` and call `changed()`; the app
calls `save()` (debounced, on quit, on SIGHUP/SIGTERM). A draft is saved even while it breaks
the record's rules (the status line says what is still to fix). Every save first writes a
private recovery copy of the working record, so nothing typed is lost to a conflict, a full
disk or a dropped connection.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from pydantic import ValidationError

from stratui import locations
from stratui.context import Context
from stratui.files import PRIVATE, atomic_write, check_folder, ensure_folder
from stratui.models import (
    DiscussionSummary,
    load_draft,
    Action,
    ActionStatus,
    Addendum,
    Attendance,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    MeetingFormat,
    Participant,
    SignOff,
    format_date,
)
from stratui.nations import CHILDRENS_SOCIAL_CARE
from stratui.phases import completeness
from stratui.store import ConflictError, InvalidRecordError, NotFoundError, Store, StoreError
from stratui.store.lock import Holder, LockBusyError, holder_sentence
from stratui.settings import MinutesSettings, Settings


class SignOffError(Exception):
    def __init__(self, problems: list[str], manager_refused: bool = False) -> None:
        super().__init__("Cannot sign off yet: " + " ".join(problems))
        self.problems = problems
        # The name given is not a configured manager: settled in the settings' team, not the record.
        self.manager_refused = manager_refused


def new_discussion(context: Context, kind: DiscussionKind, now: datetime) -> Discussion:
    """A blank record with the defaults of a duty call: today, now, by phone, me as social worker.

    "Me" is the team member running stratui (Context.name); an unknown login leaves it blank.
    """
    user = context.name
    return Discussion(
        kind=kind,
        concern_date=context.today,
        held_on=context.today,
        held_at=time(now.hour, now.minute),
        format=MeetingFormat.PHONE,
        social_worker=user,
        participants=[Participant(name=user, role="Social worker", agency=CHILDRENS_SOCIAL_CARE)] if user else [],
    )


def follow_up(context: Context, previous: Discussion, kind: DiscussionKind, now: datetime) -> Discussion:
    """A follow-up of `previous`: same case, children and people; its open actions come to review.

    The carried actions keep their ids' link (`carried_from`) and original due dates; the review
    (carry, complete or drop) is settled with `settle_carried_action` before or while recording.
    """
    fresh = new_discussion(context, kind, now)
    # The same people are likely, but who takes part this time is confirmed for each of them;
    # the one recording it takes part (and joins the list if they were not at the earlier one).
    me = context.name.casefold()
    participants = [
        p.model_copy(
            update={
                "attendance": Attendance.PRESENT if me and p.name.casefold() == me else Attendance.TO_CONFIRM,
                "absence_reason": "",
            }
        )
        for p in previous.participants
    ]
    if not any(me and p.name.casefold() == me for p in participants):
        participants = fresh.participants + participants
    carried = [
        Action(
            text=a.text,
            owner=a.owner,
            agency=a.agency,
            due=a.due,
            contingency=a.contingency,
            carried_from=a.id,
            category=a.category,
        )
        for a in previous.open_actions()
    ]
    if kind is DiscussionKind.NETWORK_MEETING:
        # A network meeting reviews every one of the previous meeting's actions first.
        fresh.network.start_review(previous)
    return fresh.model_copy(
        update={
            "case_ref": previous.case_ref,
            "children": [c.model_copy(deep=True) for c in previous.children],
            "other_children": [c.model_copy(deep=True) for c in previous.other_children],
            # The same family: its adults, referrer, consent and parents told are not typed again.
            "family": previous.family.model_copy(deep=True),
            "concern_date": min(previous.concern_date, context.today),
            "referral_date": previous.referral_date,
            "participants": participants,
            "actions": carried,
            "previous_discussion_ids": [previous.id],
        }
    )


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
        return PendingSave(self, snapshot, edits, self._write_recovery(snapshot))

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
            result = self._failed(f"Not saved yet: {holder_sentence(exc.holder)}; your draft is kept in {pending.recovery}.")
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

    def _write_recovery(self, snapshot: Discussion) -> Path | None:
        path = recovery_path(self.context, snapshot.id)
        try:
            _ensure_drafts_folder(self.context)
            payload = snapshot.model_dump_json(warnings=False).encode("utf-8")
            atomic_write(path, payload, self.context.access.own())
        except OSError:
            return None  # the store save below reports the disk problem
        return path

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

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._jobs:
                    self._ready.wait()
                pending = self._jobs.pop(0)
                self._busy = True
            try:
                with self.store.lock.patience(
                    None,
                    on_wait=lambda holder: self.on_wait(pending, holder),
                    cancelled=lambda: self.stop_waiting.is_set() or pending.withdrawn.is_set(),
                ):
                    pending.editor.write(pending)
            except Exception as exc:  # never leave a save unsettled: its waiter would hang
                pending.settle(pending.editor._failed(f"Not saved: {exc}"))
            finally:
                with self._ready:
                    self._busy = False
            self.on_done(pending)


def saved_message(saved: Discussion) -> str:
    """The status line after a save: when, and the rules the draft still breaks (it is saved anyway)."""
    when = f"Saved {saved.updated_at:%H:%M:%S}" if saved.updated_at else "Saved"
    broken = saved.rule_problems()
    if not broken:
        return when
    return f"{when}. Still to fix before sign-off: {' '.join(broken)}"


def settle_carried_action(
    context: Context, follow_up_record: Discussion, action_id: str, decision: ActionStatus, note: str = ""
) -> bool:
    """Review of a carried action at a follow-up: keep it (carry), or complete/drop it.

    The earlier discussion's copy is closed either way, so the dashboard never counts it twice.
    True when `follow_up_record` changed too (to be saved): a closed action leaves it, and a
    network meeting's review of the previous actions notes every state.
    """
    action = follow_up_record.action(action_id)
    if action.carried_from is None:
        raise ValueError("only actions carried from an earlier discussion are reviewed")
    if decision is ActionStatus.DROPPED and not note.strip():
        raise ValueError("say why the action is dropped")
    earlier_status = {
        ActionStatus.OPEN: ActionStatus.CARRIED_OVER,
        ActionStatus.DONE: ActionStatus.DONE,
        ActionStatus.DROPPED: ActionStatus.DROPPED,
    }[decision]
    earlier_note = note or f"Carried over to the discussion of {format_date(follow_up_record.held_on)}"
    earlier = _discussion_holding(context, follow_up_record.previous_discussion_ids, action.carried_from)
    if earlier is not None:
        context.store.update(
            earlier,
            lambda d: d.close_action(action.carried_from, earlier_status, context.today, context.name, earlier_note),
        )
    noted = follow_up_record.network.reviewed(action.carried_from, decision, context.today, context.name, note)
    if decision is ActionStatus.OPEN:
        return noted
    follow_up_record.actions = [a for a in follow_up_record.actions if a.id != action_id]
    return True


def _discussion_holding(context: Context, discussion_ids: list[str], action_id: str | None) -> str | None:
    for discussion_id in discussion_ids:
        try:
            earlier = context.store.get(discussion_id)
        except NotFoundError:
            continue
        if any(a.id == action_id for a in earlier.actions):
            return discussion_id
    return None


# -- recovery drafts -----------------------------------------------------------------------
# drafts/<user>/<discussion id>.<instance>.json: one file a discussion a running app, so two
# copies for one user (two terminals, two browser tabs) never overwrite or delete each other's.
# The user's folder and files are theirs alone (0700/0600) even in a team's database, and a
# draft is offered only if it is provably theirs: written by their uid, writable by no one else,
# in a folder they own. Anything else is named in a notice and left alone.

_instance: tuple[int, str] = (0, "")


def app_instance() -> str:
    """This running app, unique among processes past and present (a pid alone is reused)."""
    global _instance
    if _instance[0] != os.getpid():
        _instance = (os.getpid(), f"{os.getpid()}-{secrets.token_hex(4)}")
    return _instance[1]


def recovery_path(context: Context, discussion_id: str) -> Path:
    """Where this running app keeps its recovery copy of a discussion."""
    return _drafts_folder(context) / f"{discussion_id}.{app_instance()}.json"


@dataclass
class DraftScan:
    """What a start finds in the user's drafts folder: the drafts to offer, and what was ignored."""

    drafts: list[Discussion] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # discussion id -> the file offered
    ignored: list[str] = field(default_factory=list)  # one line each, for a notice


def scan_drafts(context: Context) -> DraftScan:
    """Working copies this user left unsaved (crash, conflict, invalid), newest per discussion."""
    folder = _drafts_folder(context)
    scan = DraftScan()
    if not os.path.lexists(folder):
        return scan
    try:
        check_folder(folder, context.access.own())
    except OSError as exc:
        scan.ignored.append(f"Unsaved work is not offered: {exc}")
        return scan
    found: dict[str, tuple[float, Path, Discussion]] = {}
    for path in sorted(folder.glob("*.json")):
        reason, draft, changed = _read_own_draft(path)
        if reason:
            scan.ignored.append(f"A draft was ignored: {path} {reason}.")
        elif draft is not None and (draft.id not in found or changed > found[draft.id][0]):
            found[draft.id] = (changed, path, draft)
    for changed, path, draft in sorted(found.values(), key=lambda item: str(item[1])):
        scan.drafts.append(draft)
        scan.files[draft.id] = path
    return scan


def recovered_drafts(context: Context) -> list[Discussion]:
    """Working copies this user left unsaved (crash, conflict, invalid): offered on start."""
    return scan_drafts(context).drafts


def draft_file(context: Context, discussion_id: str) -> Path | None:
    """The file holding the draft offered for a discussion (this app's own, else the newest)."""
    own = recovery_path(context, discussion_id)
    return own if own.exists() else scan_drafts(context).files.get(discussion_id)


def take_over_draft(context: Context, discussion_id: str) -> None:
    """Continuing a draft another (finished) copy left: make it this app's, so a save clears it."""
    found = draft_file(context, discussion_id)
    own = recovery_path(context, discussion_id)
    if found is not None and found != own:
        try:
            os.replace(found, own)
        except OSError:
            pass  # the editor writes its own copy at the first save; this one is offered again


def discard_recovery(context: Context, discussion_id: str) -> None:
    """Delete the offered draft of a discussion (another copy's older one is offered next time)."""
    found = draft_file(context, discussion_id)
    if found is not None:
        found.unlink(missing_ok=True)
    recovery_path(context, discussion_id).unlink(missing_ok=True)


def draft_changes(context: Context, draft: Discussion) -> list[str] | None:
    """The fields where a draft differs from the saved record; None if it was never saved."""
    from stratui.audit import diff

    try:
        stored = context.store.get(draft.id)
    except StoreError:
        return None
    return [change.field for change in diff(stored.model_dump(mode="json"), draft.model_dump(mode="json"))]


def _drafts_folder(context: Context) -> Path:
    return context.store.root / "drafts" / _safe_user(context.user)


def _ensure_drafts_folder(context: Context) -> Path:
    """The user's own drafts folder: the team may create theirs beside it, never write in it."""
    folder = _drafts_folder(context)
    ensure_folder(folder.parent, context.access)
    ensure_folder(folder, context.access.own())
    return folder


def _read_own_draft(path: Path) -> tuple[str, Discussion | None, float]:
    """(why it is not this user's, or ""), the draft if it reads, its last change."""
    try:
        info = os.lstat(path)
    except OSError:
        return "", None, 0.0
    if not stat.S_ISREG(info.st_mode):
        return "is not a plain file", None, 0.0
    if info.st_uid != os.geteuid():
        return f"was written by {_user_name(info.st_uid)}, not by you", None, 0.0
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "can be changed by others", None, 0.0
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as source:
            return "", load_draft(json.loads(source.read().decode("utf-8"))), info.st_mtime
    except (OSError, ValueError, ValidationError):
        return "", None, 0.0  # half-written or damaged: the record itself is safe in the store


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user id {uid}"


def _safe_user(user: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in user)
    # A leading dot could name the drafts folder itself ("." or "..") or hide the folder.
    return "_" + safe[1:] if safe.startswith(".") else safe or "unknown"


def export_stem(discussion: Discussion) -> str:
    """A file name for a discussion's minutes: case ref, date held and a short id, safe characters only.

    The short id keeps two discussions of one case on one day (a follow-up) from overwriting
    each other's minutes.
    """
    case = "".join(c if c.isalnum() or c in "-_" else "-" for c in discussion.case_ref).strip("-_") or "no-case-ref"
    return f"{case[:60]}_{discussion.held_on.isoformat()}_{discussion.id[:8]}"


def export_minutes(
    discussion: Discussion,
    folder: Path | None = None,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> list[Path]:
    """Write the minutes as Markdown and HTML into the private exports folder; returns the paths.

    The exports folder is the user's own (0700, files 0600) whatever the team's database access:
    minutes about a child are not left where the team group (or anyone else) can read them.
    """
    from stratui.minutes import render_html, render_markdown  # markdown-it: only when exporting

    folder = folder or locations.exports_dir()
    ensure_folder(folder, PRIVATE)
    stem = export_stem(discussion)
    written = []
    earlier = list(earlier) if earlier is not None else None
    pages = (
        (".md", render_markdown(discussion, settings, earlier)),
        (".html", render_html(discussion, settings, earlier)),
    )
    for suffix, text in pages:
        path = folder / f"{stem}{suffix}"
        atomic_write(path, text.encode("utf-8"), PRIVATE)
        written.append(path)
    return written
