"""The discussion files: one TinyDB database per discussion, read and written through TinyDB.

    <db>/discussions/<ab>/<id>.json    {"discussion":{"1":{...the record...}}}
                                       (+ <id>.json.bak, .bak.2 ... .bak.N: the previous saves)

The file is named by the discussion's id; inside it TinyDB's table "discussion" holds the one
document, without the values equal to their defaults (stratui.stored_form: reading fills them
back, so the same Discussion is read). Underneath, `AtomicJSONStorage` writes a temp file in the same folder, fsyncs it and
renames it over the old one (stratui.files.atomic_write), keeps the rolling versions, and never
writes over a file it could not parse: TinyDB reads before every write, and a damaged file
fails that read. A bulk write's new files are the one exception: their bytes are made ahead, as
TinyDB makes them (`file_bytes`), in the processes that prepare its records, and written whole
(`RecordFiles.write_new`) where no file was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from stratui import files, migrations
from stratui.files import PRIVATE, Access, Replacement
from stratui.models import Discussion, explain_validation_error
from stratui.stored_form import stored
from stratui.store.errors import DamagedFileError, NotFoundError, StoreError

FOLDER = "discussions"
TABLE = "discussion"
# The document id of a file's one discussion (TinyDB's first id); the file name is its key.
DOCUMENT_ID = 1


class AtomicJSONStorage(Storage):
    """TinyDB storage that never rewrites a file in place and never overwrites a damaged one.

    Opened for one operation under the store's lock (TinyDB reads before it writes): the data
    read is kept until the next write, so a save parses its discussion file once.
    """

    def __init__(self, path: Path, access: Access = PRIVATE, versions_kept: int = 0) -> None:
        self.path = Path(path)
        self.access = access
        self.versions_kept = versions_kept
        # With undoable, the caller commits or undoes `replacement` (see files.atomic_write).
        self.undoable = False
        # Off for a bulk write's files, which it puts on disk all at once (stratui.store.writes).
        self.flush = True
        # Off when the caller flushes the folder itself (a save: meanwhile, see stratui.store.writes).
        self.sync_folder = True
        self.replacement: Replacement | None = None
        self.raw: bytes | None = None  # the bytes the data read was parsed from
        self._data: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return None
            self._data = parse_tinydb_file(self.path, raw)
            self.raw = raw
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # TinyDB changed the dict read in place: it is the file's content only once written.
        self._data = self.raw = None
        payload = encode_tables(data)
        self.replacement = files.atomic_write(
            self.path,
            payload,
            self.access,
            keep_backup=self.versions_kept,
            undoable=self.undoable,
            sync_data=self.flush,
            sync_folder=self.flush and self.sync_folder,
        )
        self._data = data

    def close(self) -> None:
        pass


def encode_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """A TinyDB file's bytes: its tables as compact JSON (the bytes, and the speed, of the files
    stratui always wrote)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def file_bytes(doc: dict[str, Any]) -> bytes:
    """The bytes of a new discussion file holding `doc` (its stored form), as TinyDB writes it."""
    return encode_tables({TABLE: {str(DOCUMENT_ID): doc}})


def document_json(written: bytes, doc_id: int = DOCUMENT_ID) -> bytes:
    """The compact JSON of the one document of a discussion file's bytes, cut from them (a bulk
    write packs it into the audit entry instead of encoding the record again)."""
    head = b'{"%s":{"%d":' % (TABLE.encode("ascii"), doc_id)
    if not (written.startswith(head) and written.endswith(b"}}")):
        raise ValueError("not written as one discussion")
    return written[len(head) : -2]


def parse_json_file(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DamagedFileError(path, f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        reason = "empty file" if not raw.strip() else f"not valid JSON at line {exc.lineno}, column {exc.colno}"
        raise DamagedFileError(path, reason) from None
    except ValueError:
        # int() refuses more than 4,300 digits; JSONDecodeError (a ValueError) is caught above.
        raise DamagedFileError(path, "it holds a number too long to be stratui's") from None
    except RecursionError:
        raise DamagedFileError(path, "nested too deeply to be stratui's") from None
    if not isinstance(data, dict):
        raise DamagedFileError(path, "not a TinyDB database")
    return data


def parse_tinydb_file(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """A TinyDB file's tables, refused unless each is a table of documents (TinyDB would crash)."""
    data = parse_json_file(path, raw)
    for table in data.values():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise DamagedFileError(path, "not a TinyDB database")
    return data


def open_database(path: Path, access: Access = PRIVATE, versions_kept: int = 0) -> TinyDB:
    """A TinyDB over the atomic storage, for one operation: no cache outlives it."""
    return TinyDB(path, storage=AtomicJSONStorage, access=access, versions_kept=versions_kept)


def put_document(table: Table, doc: dict[str, Any], doc_id: int = DOCUMENT_ID) -> None:
    """Store `doc` as the document `doc_id`, replacing it whole, in one write of the file.

    Not TinyDB's upsert: its update merges the fields (a field a migration removed would stay),
    and on a new file it writes twice (an empty table, then the insert).
    """

    def replace_whole(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    if table.contains(doc_id=doc_id):
        table.update(replace_whole, doc_ids=[doc_id])
    else:
        table.insert(Document(doc, doc_id=doc_id))


class RecordFile:
    """One discussion's file, opened for one read or one read-then-write."""

    def __init__(self, path: Path, access: Access, versions_kept: int) -> None:
        self.path = path
        self.db = open_database(path, access, versions_kept)
        self.table = self.db.table(TABLE, cache_size=0)
        self.storage: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]
        self.doc_id = DOCUMENT_ID

    def read(self) -> dict[str, Any] | None:
        """The stored document (a copy); None if there is no file."""
        if self.storage.read() is None:
            return None
        docs = self.table.all()
        if not docs:
            raise DamagedFileError(self.path, "it holds no discussion")
        # A file written by TinyDB itself may number its one document otherwise.
        self.doc_id = docs[0].doc_id
        return dict(docs[0])

    def write(self, doc: dict[str, Any], undoable: bool = False, *, flush: bool = True) -> Replacement:
        """Replace the document whole (a field a migration removed is gone), creating the file if new;
        `doc` is the whole document (model_dump(mode="json")), stored without its defaults.

        Callers have read the file first, so a damaged one has already been refused. `flush=False`
        leaves the file's bytes and name to the kernel (a bulk write flushes them all at once).
        """

        return self.write_stored(stored(doc), undoable, flush=flush)

    def write_stored(
        self, doc: dict[str, Any], undoable: bool = False, *, flush: bool = True, sync_folder: bool = True
    ) -> Replacement:
        """`write` of a document already in its stored form (stratui.stored_form.stored);
        `sync_folder=False`: its new name is left for the caller to flush (files.fsync_folder)."""
        self.storage.undoable, self.storage.flush, self.storage.sync_folder = undoable, flush, sync_folder
        put_document(self.table, doc, self.doc_id)
        assert self.storage.replacement is not None
        return self.storage.replacement

    def unchanged(self) -> bool:
        """Whether the file still holds the very bytes the last read parsed (False once this
        file was written, or if it was never read or is gone)."""
        raw = self.storage.raw
        if raw is None:
            return False
        try:
            return self.path.read_bytes() == raw
        except FileNotFoundError:
            return False


class RecordFiles:
    """Every discussion's file, found by its id."""

    def __init__(self, root: Path, access: Access, versions_kept: int) -> None:
        self.folder = root / FOLDER
        self.access = access
        self.versions_kept = versions_kept

    def path(self, discussion_id: str) -> Path:
        if not is_safe_id(discussion_id):
            raise NotFoundError(f"'{discussion_id}' is not a discussion id")
        return self.folder / shard_of(discussion_id) / f"{discussion_id}.json"

    def open(self, path: Path) -> RecordFile:
        return RecordFile(path, self.access, self.versions_kept)

    def read_doc(self, path: Path, migrate: bool = True) -> dict[str, Any] | None:
        doc = self.open(path).read()
        return self._migrated(path, doc) if doc is not None and migrate else doc

    def _migrated(self, path: Path, doc: dict[str, Any]) -> dict[str, Any]:
        try:
            return migrations.migrate(doc)
        except migrations.MigrationError as exc:
            raise StoreError(f"{path}: {exc}") from None

    def write_new(self, discussion_id: str, payload: bytes) -> None:
        """Write a new discussion's file from its bytes (`file_bytes`, made by a bulk write ahead),
        left to the kernel: the bulk write puts all of it on disk at once. The caller has found
        that no file of that id exists and made its folder."""
        files.atomic_write(self.path(discussion_id), payload, self.access, sync_data=False, sync_folder=False)

    def write_doc(self, path: Path, doc: dict[str, Any]) -> None:
        """Write a document whose file the caller has already read (a migration, an import)."""
        files.ensure_folder(path.parent, self.access)
        self.open(path).write(doc)

    def get(self, discussion_id: str) -> Discussion:
        return self.load(discussion_id)[1]

    def load(self, discussion_id: str) -> tuple[RecordFile, Discussion]:
        """The discussion and its open file, for a write that follows under the lock."""
        path = self.path(discussion_id)
        record = self.open(path)
        doc = record.read()
        if doc is None:
            raise NotFoundError(f"no discussion with id {discussion_id}")
        return record, validate(path, self._migrated(path, doc))

    def exists(self, discussion_id: str) -> bool:
        return self.path(discussion_id).exists()

    def paths(self) -> list[Path]:
        return sorted(self.folder.glob("*/*.json"))

    def any(self) -> bool:
        """Some discussion is recorded: stops at the first file found, whatever the size."""
        try:
            with os.scandir(self.folder) as folders:
                for folder in folders:
                    if folder.is_dir():
                        with os.scandir(folder.path) as entries:
                            if any(e.name.endswith(".json") and not e.name.startswith(".") for e in entries):
                                return True
        except FileNotFoundError:
            pass
        return False

    def discussions(self) -> Iterator[Discussion]:
        """Every discussion in full (export, checks): reads every file."""
        for path in self.paths():
            doc = self.read_doc(path)
            if doc is not None:
                yield validate(path, doc)


def validate(path: Path, doc: dict[str, Any]) -> Discussion:
    try:
        discussion = Discussion.model_validate(doc)
    except ValidationError as exc:
        raise DamagedFileError(path, "; ".join(explain_validation_error(exc)[:3])) from None
    expected = path.name.split(".", 1)[0]
    if discussion.id != expected:
        # Taken for another record, it would be shown and saved under the wrong id.
        raise DamagedFileError(path, f"it holds the discussion with id {discussion.id}, not {expected}")
    return discussion


def shard_of(discussion_id: str) -> str:
    """The sub-folder (and index shard) of a discussion: the first two hex digits of its id."""
    return discussion_id[:2].lower()


def is_safe_id(discussion_id: str) -> bool:
    return 2 <= len(discussion_id) <= 64 and all(c in "0123456789abcdefABCDEF-" for c in discussion_id)
