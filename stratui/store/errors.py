"""What the store tells its callers went wrong: one clear sentence or two, never a traceback."""

from __future__ import annotations

from pathlib import Path

from stratui.files import backup_path, backup_paths
from stratui.models import Discussion

# The folder of the index shards: a damaged shard is rebuilt, not restored (see DamagedFileError).
INDEX_FOLDER = "index"


class StoreError(Exception):
    """Something the user must be told about; the message is one clear sentence or two."""


class DamagedFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        backup = backup_path(path)
        older = backup_paths(path)[1:]
        if path.parent.name == INDEX_FOLDER:
            # The index holds nothing of its own: it is rebuilt from the discussion files.
            restore = "The index is rebuilt from the discussion files by running: stratui check --repair"
        elif backup.exists():
            kept = f" (older versions: {', '.join(str(p) for p in older)})" if older else ""
            restore = (
                f"The previous version is kept at {backup}{kept}: check it, then copy it over the damaged file."
            )
        else:
            restore = "There is no backup of this file beside it; restore it from your backups."
        super().__init__(f"{path} is damaged ({reason}). stratui has not changed it. {restore}")
        self.path = path
        self.reason = reason
        self.backup = backup


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """Someone else saved the discussion after this copy was read; `stored` is their version."""

    def __init__(self, stored: Discussion, attempted_revision: int) -> None:
        who = stored.updated_by or "another user"
        when = f" at {stored.updated_at:%H:%M on %d %b %Y}" if stored.updated_at else ""
        super().__init__(
            f"{who} saved this discussion{when} after you opened it (revision {stored.revision}, yours was "
            f"{attempted_revision}). Your changes were not saved over theirs."
        )
        self.stored = stored


class InvalidRecordError(StoreError):
    """The record cannot be stored (a wrong type, or signed off while breaking a rule); nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Not saved: " + "; ".join(problems))
        self.problems = problems


class LockedError(StoreError):
    """A signed-off record can only gain addenda and action updates."""


def reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
