"""Recovery drafts: a private copy of the working record, written before every save, so nothing
typed is lost to a conflict, a full disk or a dropped connection; offered again on start.

drafts/<user>/<discussion id>.<instance>.json: one file a discussion a running app, so two
copies for one user (two terminals, two browser tabs) never overwrite or delete each other's.
The user's folder and files are theirs alone (0700/0600) even in a team's database, and a
draft is offered only if it is provably theirs: written by their uid, writable by no one else,
in a folder they own. Anything else is named in a notice and left alone.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from stratui.context import Context
from stratui.files import atomic_write, check_folder, ensure_folder, user_name
from stratui.models import Discussion, load_draft
from stratui.store import StoreError

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



def write_recovery(context: Context, snapshot: Discussion) -> Path | None:
    """This app's recovery copy of a record, written before the store save; None if the disk
    refused it (the store save reports the disk problem)."""
    path = recovery_path(context, snapshot.id)
    try:
        _ensure_drafts_folder(context)
        payload = snapshot.model_dump_json(warnings=False).encode("utf-8")
        atomic_write(path, payload, context.access.own())
    except OSError:
        return None
    return path


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
    from stratui.audit_changes import diff

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
        return f"was written by {user_name(info.st_uid)}, not by you", None, 0.0
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "can be changed by others", None, 0.0
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as source:
            return "", load_draft(json.loads(source.read().decode("utf-8"))), info.st_mtime
    except (OSError, ValueError, ValidationError):
        return "", None, 0.0  # half-written or damaged: the record itself is safe in the store


def _safe_user(user: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in user)
    # A leading dot could name the drafts folder itself ("." or "..") or hide the folder.
    return "_" + safe[1:] if safe.startswith(".") else safe or "unknown"
