"""The database's write lock: one writer at a time, served in the order they asked, naming who holds it.

    <db>/.lock           serialises every write: a kernel lock (flock) on a separate file, as
                         the data files' inodes change at every replace. The kernel drops it
                         when its holder dies, so a crashed writer never blocks the team.
    <db>/.lock-holder    who holds it: name, login, pid, host and since when, written by the
                         holder once it has the lock and removed before it lets go
    <db>/.lock-queue/<n> the line of writers: each takes the next number, flocks that file for as
                         long as it waits and holds the lock, and removes it when it lets go

The queue makes the wait fair. flock alone is not: when it is released every waiter wakes and
races, and a writer that lets go and asks again at once wins that race again and again (p99 of a
save with four busy writers was 0.3-0.8 s, max 2.5 s). With the queue a writer waits, blocked in
the kernel, on the flock of the nearest live number below its own, and takes `.lock` only once
no number below it is live: it is served after everyone who asked before it. The queue orders,
`.lock` excludes: a writer that skips the queue (an older stratui, `restore`) is still kept out,
it is only not served in turn. A number whose flock is free belongs to a writer that died (its
name is removed before its flock is let go): it is passed over and removed, so a waiter killed
in the line blocks no one. A number is claimed by a hard link from a file already flocked, so no
number is ever seen unlocked while its writer lives.

Every step of the wait blocks in a helper thread, so the wait has one bound (`Patience`) and can
be cancelled. The holder file and the queue are in the team's folder, where any member can
write: the holder file is read as data only (a bounded read of a plain file, never through a
link), every field checked, a record naming a process gone from this host ignored, and the
login shown is the file's owner, which the kernel vouches for, not the one the record claims.
Callers escape the text they show. Queue entries are opened relative to the queue folder, never
through a link, and only ever flocked or removed, never read or written.

Over 500 lines on purpose: the kernel lock, the queue that orders its waiters and the holder
file that names who has it are one protocol; each part is safe only in the order of the others'
steps, which is clearest read in one place.
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import secrets
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from stratui import files
from stratui.files import Access, apply_if_own
from stratui.store.errors import StoreError
from stratui.text import one_line

LOCK_FILE = ".lock"
HOLDER_FILE = ".lock-holder"
QUEUE_FOLDER = ".lock-queue"
# How long a write waits for the lock before it is refused, unless the caller says otherwise.
DEFAULT_WAIT_SECONDS = 15.0
# Overrides it (seconds): a test, or a team that would rather be told at once.
WAIT_ENV = "STRATUI_LOCK_WAIT"
# How long a wait goes on before the waiter is told who it is waiting for.
REPORT_AFTER_SECONDS = 0.5
# How often a waiter looks whether its caller stopped waiting (the kernel wakes it when given).
_CANCEL_POLL_SECONDS = 0.05
# Longer names in the queue are not numbers stratui takes (a planted one is passed over).
_MAX_NUMBER_DIGITS = 20
# Enough for any honest record; a larger file is not read.
_MAX_RECORD_BYTES = 2048
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as its holder file says (checked, but still another user's words)."""

    name: str
    login: str
    pid: int
    host: str
    since: datetime

    def sentence(self, now: datetime | None = None) -> str:
        """ "Alex Jones (pid 4242) has held the database lock since 14:02 (3 min)", escaped."""
        now = now or datetime.now().astimezone()
        where = "" if self.host == _host() else f" on {self.host}"
        who = self.name or self.login
        since = self.since.astimezone(now.tzinfo)
        day = "" if since.date() == now.date() else f" on {since:%d %b}"
        return one_line(
            f"{who} (pid {self.pid}{where}) has held the database lock since {since:%H:%M}{day} "
            f"({_duration(now - since)})"
        )


def holder_sentence(holder: Holder | None, now: datetime | None = None) -> str:
    if holder is None:
        return "another stratui process holds the database lock (it has not said who)"
    return holder.sentence(now)


class LockBusyError(StoreError):
    """The lock stayed held for the whole wait: nothing was written. `holder` says by whom."""

    def __init__(self, root: Path, holder: Holder | None) -> None:
        self.root = root
        self.holder = holder
        super().__init__(f"Not saved: {self.reason}; nothing was written, try again when it is free")

    @property
    def reason(self) -> str:
        """Why nothing was written, in words for the person at the screen."""
        return holder_sentence(self.holder)


class LockWaitCancelled(LockBusyError):
    """The caller stopped (the app is quitting) before it had the lock: nothing was written."""

    @property
    def reason(self) -> str:
        return holder_sentence(self.holder) if self.holder is not None else "stratui was closing"


@dataclass
class Patience:
    """How one thread's writes wait for the lock (see `Lock.patience`)."""

    seconds: float | None  # None: until given or cancelled
    on_wait: Callable[[Holder | None], None] | None = None  # told who holds it while waiting
    cancelled: Callable[[], bool] | None = None  # True: stop waiting, and take no lock (asked before and after too)


class Lock:
    """The database's write lock, turned into clear refusals; re-entered freely by its thread."""

    def __init__(self, root: Path, access: Access, *, name: Callable[[], str] = str) -> None:
        self.root = root
        self.path = root / LOCK_FILE
        self.holder_path = root / HOLDER_FILE
        self.access = access
        # The team member's name (read at each taking: the settings may name them later); the
        # login is the process's own, which readers check against the holder file's owner.
        self.name = name
        self.login = _login_of(os.geteuid())
        self._local = threading.local()
        self._queue_checked = False

    @contextmanager
    def patience(
        self,
        seconds: float | None,
        on_wait: Callable[[Holder | None], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[None]:
        """Within this block this thread's writes wait `seconds` (None: until cancelled)."""
        before = getattr(self._local, "patience", None)
        self._local.patience = Patience(seconds, on_wait, cancelled)
        try:
            yield
        finally:
            self._local.patience = before

    def __enter__(self) -> None:
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            patience = getattr(self._local, "patience", None) or Patience(wait_seconds())
            self._local.place, self._local.fd = self._acquire(patience)
            self._local.record = self._write_holder()
        self._local.depth = depth + 1

    def __exit__(self, *exc: object) -> None:
        self._local.depth -= 1
        if self._local.depth:
            return
        fd, self._local.fd = self._local.fd, None
        place, self._local.place = self._local.place, None
        self._clear_holder(self._local.record)
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
            # After `.lock` is free: the next in line, woken by this, finds it so.
            place.leave()

    def holder(self) -> Holder | None:
        return read_holder(self.holder_path)

    # -- taking it -------------------------------------------------------------------------

    def _acquire(self, patience: Patience) -> tuple[_Place, int]:
        """Take a number, wait for every live number below it, then take `.lock`."""
        waiting = _Waiting(self, patience)
        waiting.unless_cancelled()  # a caller that has stopped (the app said "not saved") writes nothing
        place = _Place.take(self)
        try:
            while (ahead := place.nearest_ahead()) is not None:
                waiting.until_given(ahead, fcntl.LOCK_SH)  # given: that writer is done, or died
                os.close(ahead)
            fd = self._open()
            waiting.until_given(fd, fcntl.LOCK_EX)
            try:
                waiting.unless_cancelled()  # given just as the caller stopped: let go at once
            except BaseException:
                os.close(fd)
                raise
        except BaseException:
            place.leave()
            raise
        return place, fd

    def _queue_folder(self) -> int:
        """The queue folder, opened (never through a link); made and checked once per Lock."""
        path = self.root / QUEUE_FOLDER
        flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC
        try:
            if not self._queue_checked:
                files.ensure_folder(path, self.access)
                self._queue_checked = True
            try:
                return os.open(path, flags)
            except FileNotFoundError:
                files.ensure_folder(path, self.access)  # removed since (a restore replaced the folder)
                return os.open(path, flags)
        except PermissionError:
            raise StoreError(f"cannot lock the database {self.root}: permission denied on {path}") from None
        except files.UnsafeFolderError as exc:
            raise StoreError(f"cannot lock the database {self.root}: {exc}") from None
        except OSError as exc:
            if os.path.islink(path):
                raise StoreError(
                    f"the database's lock queue {path} is a symbolic link, which stratui does not follow: "
                    "remove it (stratui makes a new one)"
                ) from None
            raise StoreError(f"cannot lock the database {self.root} ({exc.strerror or exc})") from None

    def _open(self) -> int:
        try:
            try:
                return os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
            except FileNotFoundError:
                fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | _NOFOLLOW | _CLOEXEC, self.access.file_mode)
                apply_if_own(fd, self.access)
                return fd
        except PermissionError:
            raise StoreError(f"cannot lock the database {self.root}: permission denied on {self.path}") from None
        except OSError as exc:
            if os.path.islink(self.path):
                raise StoreError(
                    f"the database's lock file {self.path} is a symbolic link, which stratui does not follow: "
                    "remove it (stratui makes a new one)"
                ) from None
            raise StoreError(f"cannot lock the database {self.root} ({exc.strerror or exc})") from None

    # -- naming the holder -----------------------------------------------------------------

    def _write_holder(self) -> tuple[int, int] | None:
        """Say who holds the lock; returns the record's (device, inode) to remove it by."""
        record = {
            "name": self.name() or self.login,
            "login": self.login,
            "pid": os.getpid(),
            "host": _host(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        tmp = self.root / f"{HOLDER_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, self.access.file_mode)
            try:
                apply_if_own(fd, self.access)
                os.write(fd, json.dumps(record, ensure_ascii=True).encode("ascii"))
                written = os.fstat(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.holder_path)
        except OSError:
            # The lock still serialises the writes; only the name is missing for a waiter.
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return None
        return written.st_dev, written.st_ino

    def _clear_holder(self, record: tuple[int, int] | None) -> None:
        if record is None:
            return
        try:
            found = os.lstat(self.holder_path)
            if (found.st_dev, found.st_ino) == record:
                os.unlink(self.holder_path)
        except OSError:
            pass  # gone, or replaced: a leftover names a finished pid, which a reader ignores


class _Place:
    """This writer's number in `<db>/.lock-queue`: a file it holds flocked from taking the number
    until it lets go of the lock. Its name goes before its flock, so a free flock means its
    writer died."""

    def __init__(self, folder: int, name: str, fd: int) -> None:
        self.folder = folder
        self.name = name
        self.number = int(name)
        self.fd = fd

    @classmethod
    def take(cls, lock: Lock) -> _Place:
        folder = lock._queue_folder()
        try:
            fd, name = _take_number(folder, lock.access)
        except OSError as exc:
            os.close(folder)
            raise StoreError(f"cannot lock the database {lock.root} ({exc.strerror or exc})") from None
        return cls(folder, name, fd)

    def nearest_ahead(self) -> int | None:
        """An open file of the nearest live writer ahead (the caller closes it); None: our turn.

        A number ahead whose flock is free is a writer that died in the line: removed."""
        for number, name in sorted(_numbers(self.folder), reverse=True):
            if number >= self.number:
                continue
            try:
                fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC, dir_fd=self.folder)
            except OSError:
                continue  # gone meanwhile, or not a file stratui made (a link): no one waits there
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    os.close(fd)
                    continue
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return fd  # live: wait for it
            except OSError:
                os.close(fd)
                continue
            _remove_if_same(name, fd, self.folder)
            os.close(fd)
        return None

    def leave(self) -> None:
        _unlink_quietly(self.name, self.folder)
        os.close(self.fd)  # lets go of the flock: the next in line wakes
        os.close(self.folder)


def _take_number(folder: int, access: Access) -> tuple[int, str]:
    """The next number in the queue, as a file flocked before any other writer can see it."""
    while True:
        tmp = f".{os.getpid()}.{threading.get_ident()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_RDONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, access.file_mode, dir_fd=folder)
        try:
            apply_if_own(fd, access)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # no one else holds it: given at once
            while True:
                name = str(max((n for n, _ in _numbers(folder)), default=0) + 1)
                try:
                    # A link claims the number whole; one taken meanwhile fails, and the next is tried.
                    os.link(tmp, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
                    break
                except FileExistsError:
                    continue
        except (FileNotFoundError, BlockingIOError):
            # Another writer's scan found it in the instant before it was flocked and took it for
            # a dead writer's (flocking it, then removing it): made again under a new name.
            os.close(fd)
            _unlink_quietly(tmp, folder)
            continue
        except BaseException:
            os.close(fd)
            _unlink_quietly(tmp, folder)
            raise
        _unlink_quietly(tmp, folder)
        return fd, name


def _numbers(folder: int) -> list[tuple[int, str]]:
    """The numbers taken in the queue; a writer killed between making its file and taking a
    number left a temp file there, removed once its flock is free."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.isascii() and name.isdigit() and len(name) <= _MAX_NUMBER_DIGITS:
                found.append((int(name), name))
            elif name.startswith(".") and name.endswith(".tmp"):
                _remove_if_dead(name, folder)
    return found


def _remove_if_dead(name: str, folder: int) -> None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC, dir_fd=folder)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        _remove_if_same(name, fd, folder)
    except OSError:
        pass  # held: a writer is taking its number with it (or it is not ours to judge)
    finally:
        os.close(fd)


def _remove_if_same(name: str, fd: int, folder: int) -> None:
    """Remove `name` if it is still the file open as `fd` (its number may have been taken anew)."""
    try:
        found = os.stat(name, dir_fd=folder, follow_symlinks=False)
        mine = os.fstat(fd)
        if (found.st_dev, found.st_ino) == (mine.st_dev, mine.st_ino):
            os.unlink(name, dir_fd=folder)
    except OSError:
        pass


def _unlink_quietly(name: str, folder: int) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass


class _Waiting:
    """One write's wait for the lock, through every step: one bound, one cancel, one report."""

    def __init__(self, lock: Lock, patience: Patience) -> None:
        self.lock = lock
        self.patience = patience
        self.began = time.monotonic()
        self.told = self.began

    def until_given(self, fd: int, operation: int) -> None:
        """flock `fd` (LOCK_SH or LOCK_EX), waiting within the patience left. Refused or failed,
        `fd` is closed (by the helper thread, if the flock is given after the caller gave up)."""
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except BaseException:
            os.close(fd)
            raise
        _Wait(fd, operation).until_given(self)

    def unless_cancelled(self) -> None:
        """Raise if the caller has stopped: whatever the lock's state, it is not to write."""
        if self.patience.cancelled is not None and self.patience.cancelled():
            raise LockWaitCancelled(self.lock.root, self.lock.holder())

    def check(self) -> None:
        """Raise if the caller stopped waiting or the bound is reached; tell who holds it now and then."""
        self.unless_cancelled()
        lock, patience, now = self.lock, self.patience, time.monotonic()
        if patience.seconds is not None and now - self.began >= patience.seconds:
            raise LockBusyError(lock.root, lock.holder())
        if patience.on_wait is not None and now - self.told >= REPORT_AFTER_SECONDS:
            self.told = now
            patience.on_wait(lock.holder())


class _Wait:
    """A blocking flock in a helper thread: woken by the kernel the moment the lock is free.

    If the waiter gives up first, the thread lets go of the lock as soon as it is given it.
    """

    def __init__(self, fd: int, operation: int) -> None:
        self.fd = fd
        self.operation = operation
        self.given = threading.Event()
        self.failed: OSError | None = None
        self.abandoned = False
        self.mutex = threading.Lock()
        threading.Thread(target=self._block, name="stratui-lock-wait", daemon=True).start()

    def _block(self) -> None:
        try:
            fcntl.flock(self.fd, self.operation)
        except OSError as exc:
            self.failed = exc
        with self.mutex:
            if not self.abandoned:
                self.given.set()
                return
        os.close(self.fd)  # closing lets go of the lock if it was given

    def until_given(self, waiting: _Waiting) -> None:
        try:
            while not self.given.wait(_CANCEL_POLL_SECONDS):
                waiting.check()
        except BaseException:
            with self.mutex:
                self.abandoned = not self.given.is_set()
            if not self.abandoned:
                os.close(self.fd)  # given just now, to a caller no longer waiting: let go at once
            raise
        if self.failed is not None:
            os.close(self.fd)
            lock = waiting.lock
            raise StoreError(f"cannot lock the database {lock.root} ({self.failed.strerror or self.failed})")


def wait_seconds() -> float:
    """How long a write waits for the lock: STRATUI_LOCK_WAIT seconds, else 15."""
    value = os.environ.get(WAIT_ENV, "").strip()
    if not value:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 24 * 3600:
        raise StoreError(f"{WAIT_ENV}={value!r} is not a number of seconds (0 to 86400)")
    return seconds


def read_holder(path: Path) -> Holder | None:
    """The holder record at `path`, or None if there is none, it is not sound, or names a
    process gone from this host (a leftover of a crash: the kernel already let go of its lock)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_RECORD_BYTES:
            return None
        raw = os.read(fd, _MAX_RECORD_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    holder = _parse(raw, owner=_login_of(info.st_uid))
    if holder is None or (holder.host == _host() and not _alive(holder.pid)):
        return None
    return holder


def _parse(raw: bytes, owner: str) -> Holder | None:
    try:
        record = json.loads(raw.decode("utf-8"))
        name, login, pid, host, since = (record[k] for k in ("name", "login", "pid", "host", "since"))
        if not (isinstance(name, str) and isinstance(login, str) and isinstance(host, str)):
            return None
        if type(pid) is not int or not 0 < pid < 2**31:
            return None
        when = datetime.fromisoformat(since) if isinstance(since, str) else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if when is None or when.tzinfo is None:
        return None
    if login != owner:
        # The record claims someone other than its writer: only the writer is known for sure.
        name = login = owner
    return Holder(name=one_line(name)[:80], login=one_line(login)[:40], pid=pid, host=one_line(host)[:80], since=when)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    return True


def _login_of(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user id {uid}"


def _host() -> str:
    return socket.gethostname()


def _duration(elapsed: timedelta) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    if seconds < 60:
        return "under a minute"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
