"""Starting and stopping a real process that holds a database's write lock (for the lock tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOLDER_SCRIPT = Path(__file__).with_name("lock_holder.py")


class LockHolder:
    """`python lock_holder.py`: holds the lock from `start()` until `release()`."""

    def __init__(self, db: Path, name: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HOLDER_SCRIPT), str(db), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # blocks until it holds the lock (or died)
        assert line.startswith("held "), f"the lock holder did not start: {line!r}"
        self.pid = int(line.split()[1])

    def release(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        self.process.wait(60)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(60)

    def __enter__(self) -> LockHolder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(60)
