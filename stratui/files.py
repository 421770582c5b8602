"""Private folders and atomic file writes: the only way stratui puts bytes on disk.

A write goes to a temp file in the same folder, is fsynced, then renamed over the target, so a
crash at any moment leaves the old or the new file, never a torn one; the folder is fsynced
after the rename, so the new file is the one a power cut keeps. A caller whose file can be
rebuilt, or whose old version is as good, may skip either flush (`sync_data`, `sync_folder`):
each fsync waits for the disk, and a save makes several (see stratui.store.writes).
"""

from __future__ import annotations

import functools
import grp
import os
import pwd
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO


class UnsafeFolderError(OSError):
    """A data folder others could write to: refusing protects the records from tampering.

    An OSError, so every path that copes with a disk that refuses a write (rolling back an
    import, keeping the work on screen) copes with this refusal the same way.
    """


@dataclass(frozen=True)
class Access:
    """Who may read the files: the owner only, or the owner and a team group.

    `personal`: the user's own files inside a team's database (their recovery drafts): private
    (0700/0600, the user's group), while the team's folders above them are still trusted.
    """

    group: str = ""
    personal: bool = False

    @property
    def gid(self) -> int | None:
        if not self.group:
            return None
        try:
            return grp.getgrnam(self.group).gr_gid
        except KeyError:
            raise UnsafeFolderError(f"the team group '{self.group}' does not exist on this machine") from None

    @property
    def shared(self) -> bool:
        return bool(self.group) and not self.personal

    @property
    def file_mode(self) -> int:
        return 0o660 if self.shared else 0o600

    @property
    def folder_mode(self) -> int:
        # setgid keeps new files in the team's group.
        return 0o2770 if self.shared else 0o700

    def own(self) -> Access:
        """The same trust, for files only this user may read and change."""
        return replace(self, personal=True)

    def team(self) -> Access:
        return replace(self, personal=False)


PRIVATE = Access()


def ensure_folder(path: Path, access: Access = PRIVATE) -> None:
    """Create `path` (and parents) and refuse it if anyone outside `access` could change it.

    `path` itself gets the access's mode and group, and so do the parents created inside a
    folder that already is the team's (its group, setgid: inside the database); the parents
    created anywhere else are the user's own (0700, the user's group), so a team's group never
    reaches a home folder. Existing folders are never chmod'ed or chown'ed (they may be another
    member's): they are checked, with the folders above them (see `check_folder`).
    """
    target = Path(os.path.abspath(path))
    missing = []
    probe = target
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        if folder == target:
            given = access
        else:
            given = access.team() if _is_team_folder(folder.parent, access) else PRIVATE
        _apply(folder, *_mode_and_group(given, folder=True))
        # On disk before anything is written in it: a file made durable in a folder a power cut
        # takes back would be lost with it.
        fsync_folder(folder.parent)
    check_folder(path, access)


def _is_team_folder(folder: Path, access: Access) -> bool:
    if access.gid is None:
        return False
    info = os.stat(folder)
    return info.st_gid == access.gid and bool(info.st_mode & stat.S_ISGID)


def check_folder(path: Path, access: Access = PRIVATE) -> None:
    """Refuse `path` if someone outside the user (and team) could write in it or swap it.

    The folder itself: no write for others; group write only for the team's group (or a group
    of the user alone); owned by the user, root or (team database) a team member. Each folder
    above it could otherwise be used to rename the next one away and put another in its place,
    so: not writable by anyone untrusted, unless it is sticky (like /tmp), where only the owner
    of an entry (or of the sticky folder, or root) may rename or delete it; then the entry under
    it must belong to a trusted user (which also stops someone creating it first for us).
    """
    trust = _Trust(access)
    here = Path(os.path.abspath(path))
    info = os.stat(here)
    if info.st_mode & stat.S_IWOTH:
        raise UnsafeFolderError(
            f"{here} can be written by any user on this machine; stratui will not keep records there. "
            f"Run: chmod o-w '{here}'"
        )
    if info.st_mode & stat.S_IWGRP and not trust.group(info.st_gid):
        raise UnsafeFolderError(
            f"{here} can be written by the group '{_group_name(info.st_gid)}', which includes people "
            f"outside {trust.who}; stratui will not keep records there. Run: chmod g-w '{here}'"
        )
    if info.st_mode & stat.S_IWGRP and access.personal and not _members(info.st_gid) <= {user_name(trust.uid)}:
        raise UnsafeFolderError(
            f"{here} is yours alone but others in the group '{_group_name(info.st_gid)}' can write to it; "
            f"stratui will not keep your work there. Run: chmod g-w '{here}'"
        )
    owner_trusted = info.st_uid in (0, trust.uid) if access.personal else trust.owner(info.st_uid)
    if not owner_trusted:
        whose = "you" if access.personal else trust.who
        raise UnsafeFolderError(
            f"{here} belongs to {user_name(info.st_uid)}, not to {whose}; stratui will not keep records "
            f"there. Remove it (or ask its owner to) and let stratui create it."
        )
    chains = {here, Path(os.path.realpath(here))}
    for chain in chains:
        for child in (chain, *chain.parents):
            if child.parent != child:
                _check_parent(child.parent, child, trust)


def _check_parent(parent: Path, child: Path, trust: _Trust) -> None:
    info = os.stat(parent)
    writers = []
    if info.st_mode & stat.S_IWOTH:
        writers.append("any user on this machine")
    if info.st_mode & stat.S_IWGRP and not trust.group(info.st_gid):
        writers.append(f"the group '{_group_name(info.st_gid)}' (people outside {trust.who})")
    if not trust.owner(info.st_uid):
        writers.append(f"its owner {user_name(info.st_uid)}")
    if not writers:
        return
    if info.st_mode & stat.S_ISVTX and trust.owner(info.st_uid):
        # Sticky: the others can only rename what they own; the entry must not be theirs.
        owner = os.lstat(child).st_uid
        if trust.owner(owner):
            return
        raise UnsafeFolderError(
            f"{child} belongs to {user_name(owner)} and sits in {parent}, which others can write to: "
            f"it could be replaced. Use a folder of your own (e.g. under your home folder)."
        )
    advice = (
        f"run: chmod o-w,g-w '{parent}'"
        if trust.owner(info.st_uid)
        else "use a folder that you (or root, or your team) own"
    )
    raise UnsafeFolderError(
        f"{parent} can be changed by {' and '.join(writers)}, who could replace {child}; stratui will not "
        f"keep records below it. To fix it, {advice}."
    )


class _Trust:
    """Who may own or write the folders: the user and root, and with a team group its members."""

    def __init__(self, access: Access) -> None:
        self.uid = os.geteuid()
        self.team_gid = access.gid
        self.team = _members(self.team_gid) if self.team_gid is not None else frozenset()
        self.who = f"the team group '{access.group}'" if access.group else "you"

    def owner(self, uid: int) -> bool:
        if uid in (0, self.uid):
            return True
        return self.team_gid is not None and user_name(uid) in self.team

    def group(self, gid: int) -> bool:
        if gid == self.team_gid:
            return True
        allowed = self.team | {user_name(self.uid), "root"}
        return _members(gid) <= allowed


@functools.lru_cache(maxsize=64)
def _members(gid: int) -> frozenset[str]:
    """Everyone in a group: listed members and those whose primary group it is."""
    try:
        listed = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        listed = set()
    return frozenset(listed | {entry.pw_name for entry in pwd.getpwall() if entry.pw_gid == gid})


def user_name(uid: int) -> str:
    """A user id as the login it belongs to, or "user id N" where none does."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user id {uid}"


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"group id {gid}"


def _mode_and_group(access: Access, folder: bool) -> tuple[int, int]:
    """The mode and group for something stratui creates: the team's, or the user's own group."""
    mode = access.folder_mode if folder else access.file_mode
    # A private folder made in a setgid team folder would otherwise inherit the team's group.
    gid = access.gid if access.shared else None
    return mode, gid if gid is not None else os.getegid()


def atomic_write(
    path: Path,
    data: bytes,
    access: Access = PRIVATE,
    keep_backup: bool | int = False,
    undoable: bool = False,
    *,
    sync_data: bool = True,
    sync_folder: bool = True,
    before_rename: Callable[[], None] | None = None,
) -> Replacement:
    """Replace `path` with `data` atomically.

    keep_backup keeps the previous versions: True or 1 keeps the last one as `path.bak`, N keeps
    `path.bak`, `path.bak.2` ... `path.bak.N` (newest first). With undoable the caller must call
    `commit()` or `undo()` on the result: `undo()` puts the old file and its versions back exactly
    as they were (renames only, so it works on a full disk).

    Against a power cut (a killed process needs neither): sync_data puts the new bytes on disk
    before the name points at them (without it the file may be found torn or empty: only for a
    file whose damage is detected and rebuilt); sync_folder puts the rename on disk before
    returning (without it the old file may come back: only where that is as good).
    `before_rename` is called once the new bytes are written (and flushed), before the rename:
    what it raises leaves `path` as it was.
    """
    keep = int(keep_backup)
    unique = f"{os.getpid()}.{threading.get_ident()}"
    tmp = path.with_name(f".{path.name}.{unique}.tmp")
    rotation = _Rotation(path, keep, unique)
    existed = False
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), access.file_mode)
    try:
        try:
            _apply_fd(fd, *_mode_and_group(access, folder=False))
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if sync_data:
                os.fsync(fd)
        finally:
            os.close(fd)
        if before_rename is not None:
            before_rename()
        existed = os.path.lexists(path)
        if keep and existed:
            rotation.rotate()
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        rotation.undo_quietly()
        raise
    if sync_folder:
        fsync_folder(path.parent)
    replacement = Replacement(path, rotation, existed)
    if not undoable:
        replacement.commit()
    return replacement


def create_empty(path: Path, access: Access = PRIVATE) -> None:
    """Make `path` an empty file, if nothing is there yet (a marker: its name is all it says).

    Made whole by the kernel, so no temp file and nothing to flush but the folder (`fsync_folder`).
    A link planted at `path` is not followed (O_EXCL): it is taken as the file already there.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, access.file_mode)
    except FileExistsError:
        return
    try:
        _apply_fd(fd, *_mode_and_group(access, folder=False))
    finally:
        os.close(fd)


@contextmanager
def atomic_writer(path: Path, access: Access = PRIVATE) -> Iterator[BinaryIO]:
    """`atomic_write` for a document written in pieces as they are made (an export of every
    discussion): `path` is replaced only once the block ends without error and the pieces are
    on disk; an error or Ctrl+C leaves `path` as it was (its temp file removed), and a kill -9
    leaves only a hidden temp file beside it, never a half file under its name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), access.file_mode)
    try:
        with os.fdopen(fd, "wb") as out:
            _apply_fd(fd, *_mode_and_group(access, folder=False))
            yield out
            out.flush()
            os.fsync(fd)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    fsync_folder(path.parent)


def backup_path(path: Path, version: int = 1) -> Path:
    """The file keeping the version-th previous save of `path` (1 is the newest)."""
    return path.with_name(path.name + ".bak" + (f".{version}" if version > 1 else ""))


def backup_paths(path: Path) -> list[Path]:
    """The previous versions of `path` that exist, newest first."""
    found = []
    version = 1
    while backup_path(path, version).exists():
        found.append(backup_path(path, version))
        version += 1
    return found


class _Rotation:
    """Moves path.bak -> path.bak.2 -> ... and links the current file as path.bak; undoable."""

    def __init__(self, path: Path, keep: int, unique: str) -> None:
        self.path = path
        self.keep = keep
        self.link = path.with_name(f".{path.name}.{unique}.bak.tmp")
        self.aside = path.with_name(f".{path.name}.{unique}.old.tmp")
        self.moves: list[tuple[Path, Path]] = []

    def rotate(self) -> None:
        versions = [backup_path(self.path, n) for n in range(1, self.keep + 1)]
        if versions[-1].exists():
            # Kept aside, not deleted, until the caller commits: an undo puts it back.
            self._move(versions[-1], self.aside)
        for n in range(len(versions) - 1, 0, -1):
            if versions[n - 1].exists():
                self._move(versions[n - 1], versions[n])
        # A hard link keeps the previous version without ever leaving `path` missing.
        _unlink_quietly(self.link)
        os.link(self.path, self.link)
        self._move(self.link, versions[0])

    def _move(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)
        self.moves.append((src, dst))

    def undo(self, replaced: bool) -> None:
        """Put every version back; `replaced`: the new file is in place and the old is path.bak."""
        while self.moves:
            src, dst = self.moves[-1]
            os.replace(dst, self.path if replaced and src == self.link else src)
            self.moves.pop()
        _unlink_quietly(self.link)

    def undo_quietly(self) -> None:
        try:
            self.undo(replaced=False)
        except OSError:
            pass
        _unlink_quietly(self.link)

    def commit(self) -> None:
        self.moves.clear()
        _unlink_quietly(self.aside)


class Replacement:
    """A file written by atomic_write(undoable=True): commit() it, or undo() to put the old one back."""

    def __init__(self, path: Path, rotation: _Rotation, existed: bool) -> None:
        self.path = path
        self.rotation = rotation
        self.existed = existed
        self.done = False

    def commit(self) -> None:
        if not self.done:
            self.done = True
            self.rotation.commit()

    def undo(self) -> None:
        """Put the previous file (and its versions) back; a file that did not exist is removed."""
        if self.done:
            return
        if not self.existed:
            _unlink_quietly(self.path)
        elif not self.rotation.moves:
            raise OSError(f"no previous version of {self.path} was kept to put back")
        else:
            self.rotation.undo(replaced=True)
        self.done = True
        fsync_folder(self.path.parent)


def _apply(path: Path, mode: int, gid: int) -> None:
    """Mode and group of a folder this process just created (only its owner may change them)."""
    os.chown(path, -1, gid)
    os.chmod(path, mode)


def _apply_fd(fd: int, mode: int, gid: int) -> None:
    """Mode and group of a file this process just created (umask and a setgid folder change them)."""
    os.fchown(fd, -1, gid)
    os.fchmod(fd, mode)


def apply_if_own(fd: int, access: Access) -> None:
    """Give an open file the access's mode and group if this user owns it.

    A team member's file (the audit log, say) is left as its creator made it: only the owner
    may chmod it, and the team's access came with it when it was created.
    """
    if os.fstat(fd).st_uid == os.geteuid():
        _apply_fd(fd, *_mode_and_group(access, folder=False))


def fsync_folder(folder: Path) -> None:
    """Put the folder's entries on disk: a file made, renamed or removed in it is durable only then."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Flushing:
    """A flush under way in a helper thread (`flushing`, `flushing_file`): `wait()` for it before
    the step it must come before (it raises what the flush raised). Two flushes that need not be
    ordered between themselves then wait for the disk side by side, not one after the other."""

    def __init__(self, flush: Callable[[], None]) -> None:
        self._done = threading.Event()
        self._failed: BaseException | None = None
        threading.Thread(target=self._run, args=(flush,), name="stratui-flush", daemon=True).start()

    def _run(self, flush: Callable[[], None]) -> None:
        try:
            flush()
        except BaseException as exc:
            self._failed = exc
        finally:
            self._done.set()

    def wait(self) -> None:
        self._done.wait()
        if self._failed is not None:
            raise self._failed


def flushing(folder: Path) -> Flushing:
    """Start putting `folder`'s entries on disk (as `fsync_folder`, which never raises) meanwhile."""
    return Flushing(lambda: fsync_folder(folder))


def flushing_file(fd: int) -> Flushing:
    """Start putting the open file's bytes on disk meanwhile; `fd` is closed once they are (or
    the flush failed: `wait()` raises its OSError)."""

    def flush() -> None:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    return Flushing(flush)


def flush_everything() -> None:
    """Put every file written so far on disk: one flush for a bulk write's thousands of files,
    where an fsync of each (and of its folder) made the disk wait for each in turn.

    Linux's sync(2) returns once it is all written, as an fsync of every file would (sync(2),
    NOTES); it flushes the other programs' writes too, once.
    """
    os.sync()


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
