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


def atomic_write(path: Path, data: bytes, access: Access = PRIVATE, keep_backup: bool = False) -> None:
    """Replace `path` with `data` atomically; with keep_backup the old file stays as `path.bak`."""
    unique = f"{os.getpid()}.{threading.get_ident()}"
    tmp = path.with_name(f".{path.name}.{unique}.tmp")
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
        if keep_backup and path.exists():
            # A hard link keeps the previous version without ever leaving `path` missing.
            link = path.with_name(f".{path.name}.{unique}.bak.tmp")
            _unlink_quietly(link)
            os.link(path, link)
            os.replace(link, backup_path(path))
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_folder(path.parent)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


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
    except FileNotFoundError:
        pass
