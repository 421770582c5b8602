"""Private folders and atomic file writes: the only way stratui puts bytes on disk.

A write goes to a temp file in the same folder, is fsynced, then renamed over the target, so a
crash at any moment leaves the old or the new file, never a torn one.
"""

from __future__ import annotations

import grp
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path


class UnsafeFolderError(Exception):
    """A data folder others could write to: refusing protects the records from tampering."""


@dataclass(frozen=True)
class Access:
    """Who may read the files: the owner only, or the owner and a team group."""

    group: str = ""

    @property
    def gid(self) -> int | None:
        if not self.group:
            return None
        try:
            return grp.getgrnam(self.group).gr_gid
        except KeyError:
            raise UnsafeFolderError(f"the team group '{self.group}' does not exist on this machine") from None

    @property
    def file_mode(self) -> int:
        return 0o660 if self.group else 0o600

    @property
    def folder_mode(self) -> int:
        # setgid keeps new files in the team's group.
        return 0o2770 if self.group else 0o700


PRIVATE = Access()


def ensure_folder(path: Path, access: Access = PRIVATE) -> None:
    """Create `path` (and parents) with the access's mode; refuse a folder others can write to."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        _apply(folder, access.folder_mode, access.gid)
    mode = path.stat().st_mode
    if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
        raise UnsafeFolderError(
            f"{path} can be written by any user on this machine; stratui will not keep records there. "
            f"Run: chmod o-w '{path}'"
        )


def atomic_write(
    path: Path, data: bytes, access: Access = PRIVATE, keep_backup: bool | int = False, undoable: bool = False
) -> Replacement:
    """Replace `path` with `data` atomically.

    keep_backup keeps the previous versions: True or 1 keeps the last one as `path.bak`, N keeps
    `path.bak`, `path.bak.2` ... `path.bak.N` (newest first). With undoable the caller must call
    `commit()` or `undo()` on the result: `undo()` puts the old file and its versions back exactly
    as they were (renames only, so it works on a full disk).
    """
    keep = int(keep_backup)
    unique = f"{os.getpid()}.{threading.get_ident()}"
    tmp = path.with_name(f".{path.name}.{unique}.tmp")
    rotation = _Rotation(path, keep, unique)
    existed = False
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), access.file_mode)
    try:
        try:
            _apply_fd(fd, access.file_mode, access.gid)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        existed = os.path.lexists(path)
        if keep and existed:
            rotation.rotate()
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        rotation.undo_quietly()
        raise
    _fsync_folder(path.parent)
    replacement = Replacement(path, rotation, existed)
    if not undoable:
        replacement.commit()
    return replacement


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
        _fsync_folder(self.path.parent)


def _apply(path: Path, mode: int, gid: int | None) -> None:
    if gid is not None:
        os.chown(path, -1, gid)
    os.chmod(path, mode)


def _apply_fd(fd: int, mode: int, gid: int | None) -> None:
    if gid is not None:
        os.fchown(fd, -1, gid)
    os.fchmod(fd, mode)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk.
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


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
