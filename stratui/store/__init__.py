"""The discussion store: TinyDB files in one folder, safe for several users at once.

Layout (see README, "Architecture"); each seam is one module of this package:

    <db>/stratui.json                  meta: schema version                     integrity.py
    <db>/.lock                         serialises every write                  lock.py
    <db>/discussions/<ab>/<id>.json    one TinyDB file per discussion (+ .bak,  records.py
                                       .bak.2 ... .bak.N: the previous saves)
    <db>/index/<ab>.json               256 index shards of the summaries        index.py
    <db>/journal/<id>                  a save in progress                       writes.py
    <db>/audit/audit.jsonl, head       the audit trail (stratui.audit)

A save rewrites one small discussion file and one index shard, whatever the size of the
database. Every write holds the lock, reads fresh data and checks the revision, so a concurrent
edit is refused as a conflict instead of silently overwriting. Only this package touches these
files: everything else goes through `Store` and the names below.
"""

from stratui.store.errors import (
    ConflictError,
    DamagedFileError,
    InvalidRecordError,
    LockedError,
    NotFoundError,
    StoreError,
)
from stratui.store.index import ByShard, IndexedAction, IndexedSummary, IndexStamp, ShardDamage, SummariesById
from stratui.store.lock import REPORT_AFTER_SECONDS, Holder, LockBusyError, holder_sentence, wait_seconds
from stratui.store.records import AtomicJSONStorage
from stratui.store.store import Store

__all__ = [
    "REPORT_AFTER_SECONDS",
    "AtomicJSONStorage",
    "ByShard",
    "ConflictError",
    "DamagedFileError",
    "Holder",
    "IndexStamp",
    "IndexedAction",
    "IndexedSummary",
    "InvalidRecordError",
    "LockBusyError",
    "LockedError",
    "NotFoundError",
    "ShardDamage",
    "Store",
    "StoreError",
    "SummariesById",
    "holder_sentence",
    "wait_seconds",
]
