"""A crash's technical report: where in the code it happened, never what the record holds.

An exception's message can quote the record (a ValidationError repeats the value it refused,
a KeyError its key) and a traceback's local variables hold whole records: a report keeps only
the exception's type and, for each frame, the file, line and function.
"""

from __future__ import annotations

import os
import platform
import stat
import traceback
from datetime import datetime
from pathlib import Path

from stratui import __version__, locations
from stratui.files import PRIVATE, atomic_write, ensure_folder

# Chained exceptions ("during handling of...", "the direct cause of...") reported at most.
MAX_CHAINED = 5


def report_text(error: BaseException, now: datetime) -> str:
    lines = [
        f"stratui {__version__} crash report, {now.isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} on {platform.system()}",
        "Exception messages and local variables are left out: they can hold record content.",
        "",
    ]
    for number, exc in enumerate(_chain(error)):
        if number:
            lines += ["", "raised while handling, or the cause of, the exception above:"]
        kind = type(exc)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_report(error: BaseException, now: datetime | None = None, folder: Path | None = None) -> Path:
    """Write the report into the private crash folder (0700, the file 0600); returns its path."""
    now = now or datetime.now().astimezone()
    folder = folder or locations.crash_reports_dir()
    ensure_folder(folder, PRIVATE)
    # An existing folder is made private too: ensure_folder only sets the mode it creates.
    if stat.S_IMODE(folder.stat().st_mode) != 0o700:
        os.chmod(folder, 0o700)
    path = folder / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    atomic_write(path, report_text(error, now).encode("utf-8"), PRIVATE)
    return path


def _chain(error: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < MAX_CHAINED:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain
