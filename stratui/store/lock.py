"""The database's write lock: one writer at a time, on a separate file.

    <db>/.lock    serialises every write (a separate file, as the data files' inodes change at
                  every replace)
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from stratui.files import Access
from stratui.store.errors import StoreError

LOCK_TIMEOUT_SECONDS = 15


class Lock:
    """The database's write lock, turned into clear refusals."""

    def __init__(self, root: Path, access: Access) -> None:
        self.root = root
        self.lock = FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=access.file_mode)

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except Timeout:
            raise StoreError(
                f"the database {self.root} is busy (another user is saving); try again in a moment"
            ) from None
        except PermissionError:
            raise StoreError(f"cannot lock the database {self.root}: permission denied") from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


