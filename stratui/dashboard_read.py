"""Reading the dashboard's rows off the UI thread, and `stratui dashboard --json`'s text.

`read_rows` reads the index (and the few files saved lately, for actions closed this week).
`read_first_screen` gives the same open rows from the first screen's file (stratui.store.
first_screen) without reading a summary, when that file is in step with the index, and
`read_first_screenful` only the first of them (what a start draws at once); a full read that
finds the file out of step says so (`stale_file`), and `write_first_screen` writes it anew.
What the rows are, how they are filtered and ordered and the words shown are stratui.dashboard_rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from itertools import chain
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple
from weakref import WeakKeyDictionary

import orjson

from stratui.context import Context
from stratui.dashboard_rows import CLOSED, RECENTLY_CLOSED_DAYS, Row
from stratui.deadlines import Deadline, DeadlineKind, DeadlineState, KeptItems, dashboard_items
from stratui.json_text import indented
from stratui.models import DiscussionKind, DiscussionSummary
from stratui.settings import Settings
from stratui.store import IndexedSummary, IndexStamp, Store, StoreError, SummariesById, first_screen
from stratui.store.index import collector_paused


class Held(NamedTuple):
    """What a row's details say of its discussion (its kind and date held), kept in the
    first screen's file: the same fields of the discussion's summary."""

    kind: DiscussionKind
    held_on: date


@dataclass(frozen=True)
class DashboardRead:
    """One read of the index (or of the first screen's file): what the dashboard shows, worked
    out off the screen."""

    stamp: IndexStamp
    # The discussions the rows' details name (from a full read: every discussion's summary).
    summaries: Mapping[str, IndexedSummary | Held]
    rows: list[Row]
    # Files that could not be read while looking for actions closed lately (stratui check).
    unreadable: int = 0
    # Index shards not used, each saying which discussions cannot be shown and why.
    damage: tuple[str, ...] = ()
    # No discussion files at all (not merely nothing in the index): only then is the welcome shown.
    empty: bool = False
    # How many discussions the index holds.
    count: int = 0
    # From the first screen's file, not the index: every row and count is the same, but not
    # every summary was read.
    quick: bool = False
    # Set when the first screen's file was out of step at this read: write it (write_first_screen).
    stale_file: first_screen.Stamps | None = None
    # Only the first screenful (read_first_screenful): the rows are the first `total`, and
    # `states` counts each state among all of them.
    partial: bool = False
    total: int = 0
    states: Mapping[str, int] = field(default_factory=dict)

    def state_count(self, state: DeadlineState, rows: list[Row], filtered: bool) -> int:
        """How many of `rows` (the rows shown) are in `state`: of every row, when only the first
        screenful has been read and nothing is filtered out."""
        if self.partial and not filtered:
            return self.states.get(state.value, 0)
        return sum(1 for r in rows if r.state is state)


def first_screen_key(context: Context) -> dict[str, object]:
    """What the rows depend on besides the summaries: the day and the timescales."""
    settings = context.settings.model_dump(mode="json", include={"nation", "timescales"})
    return {"today": context.today.isoformat(), **settings}


def read_first_screen(context: Context) -> DashboardRead | None:
    """The rows from the first screen's file, if it is in step with the index; None otherwise.

    The same rows as `read_rows(context, with_closed=False)`, without reading a summary.
    """
    stamp = context.store.index_stamp()  # before the file is checked: a later save shows as a change
    payload = first_screen.read(context.store, first_screen_key(context))
    return None if payload is None else _read_of(context, stamp, payload, partial=False)


def read_first_screenful(context: Context) -> DashboardRead | None:
    """The first rows (first_screen.HEAD_ROWS) of `read_first_screen`, and the counts of them
    all: what a start draws before anything else is read. None if not in step."""
    stamp = context.store.index_stamp()
    payload = first_screen.read_head(context.store, first_screen_key(context))
    return None if payload is None else _read_of(context, stamp, payload, partial=True)


def _read_of(context: Context, stamp: IndexStamp, payload: dict[str, object], partial: bool) -> DashboardRead | None:
    try:
        rows = [_row_of(entry) for entry in payload["rows"]]  # type: ignore[union-attr]
        held = {i: Held(DiscussionKind(k), date.fromisoformat(on)) for i, (k, on) in payload["held"].items()}  # type: ignore[union-attr]
        count = int(payload["count"])  # type: ignore[call-overload]
        total, states = len(rows), {}
        if partial:
            total = int(payload["total"])  # type: ignore[call-overload]
            states = {DeadlineState(k).value: int(n) for k, n in payload["states"].items()}  # type: ignore[union-attr]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # not as this version writes it: computed from the index instead
    empty = count == 0 and context.store.is_empty()
    # A head that holds every row is the whole read: nothing more is read, nor said to be.
    partial = partial and total > len(rows)
    return DashboardRead(stamp, held, rows, empty=empty, count=count, quick=True, partial=partial, total=total, states=states)


def read_rows(context: Context, with_closed: bool) -> DashboardRead:
    """The open deadlines (and, with_closed, the actions closed this week); raises StoreError."""
    stamp = context.store.index_stamp()
    before = first_screen.stamps(context.store)
    rows, by_id = kept_open_rows(context.store, context.today, context.settings)
    unreadable = 0
    if with_closed:
        closed, unreadable = recently_closed(context, by_id.values())
        rows += closed
    damage = tuple(str(d) for d in context.store.index_damage())
    empty = not by_id and context.store.is_empty()
    stale = None
    if not damage and not first_screen.in_step(context.store, first_screen_key(context)):
        stale = before
    return DashboardRead(stamp, by_id, rows, unreadable, damage, empty, len(by_id), stale_file=stale)


def open_rows(by_id: dict[str, IndexedSummary], today: date, settings: Settings) -> list[Row]:
    """The dashboard's open rows: the deadline engine's items, each with its social worker."""
    items = dashboard_items(by_id.values(), today, settings)
    return [Row.of(item, by_id[item.discussion_id].social_worker if item.discussion_id in by_id else "") for item in items]


def _row_of_item(item: Deadline, summary: DiscussionSummary) -> Row:
    """An item's row as open_rows makes it (the item's discussion is the summary given)."""
    return Row.of(item, summary.social_worker)


# Per store: the open rows kept between reads (KeptItems) for the day and settings of the latest.
_kept: WeakKeyDictionary[Store, tuple[tuple[date, str], KeptItems[Row]]] = WeakKeyDictionary()
_kept_lock = threading.Lock()


def kept_open_rows(store: Store, today: date, settings: Settings) -> tuple[list[Row], SummariesById]:
    """`open_rows` over every summary in the index, and every summary by id, worked out again
    only for the index shards changed since the last call for this store, day and settings:
    after a save at 100,000 discussions, one shard of 256 (stratui.deadlines.kept)."""
    key = (today, settings.model_dump_json())
    with _kept_lock:
        kept = _kept.get(store)
        if kept is None or kept[0] != key:
            kept = _kept[store] = (key, KeptItems(today, settings, _row_of_item))
    read = store.summaries_by_shard()
    return kept[1].update(read.shards), read.by_id  # type: ignore[arg-type]


def first_screen_problems(store: Store) -> list[str]:
    """`stratui check`: the first screen's file recomputed from the index for the day and
    timescales it was written for; a damaged one, or one that does not match, is named and
    written anew (an out-of-date one is written anew too: it would not be used)."""
    where = first_screen.folder(store)
    derived, problem = first_screen.recorded(store)
    if derived is None and problem is None:
        return []
    try:
        key = derived.key if derived else first_screen.recorded_key(store)
        today = date.fromisoformat(str(key["today"]))
        settings = Settings.model_validate({"nation": key["nation"], "timescales": key["timescales"]})
    except (KeyError, TypeError, ValueError, OSError):
        first_screen.remove(store)
        return [f"the first screen's file {where} is damaged ({problem or 'its day and timescales cannot be read'}): removed, the next start writes it anew"]
    before = first_screen.stamps(store)
    summaries = store.summaries()
    if store.index_damage():
        return []  # the index's own problems are named above; the file is not used meanwhile
    by_id = {s.id: s for s in summaries}
    payload = first_screen_payload(open_rows(by_id, today, settings), by_id, len(by_id))
    in_step = first_screen.in_step(store, key)
    if problem is None and derived is not None and in_step:
        if derived.payload != payload:
            problem = "its rows are not those the index gives"
        elif derived.head != first_screen.head_of(payload):
            problem = "its first screenful is not the first of its rows"
    if problem is None and in_step:
        return []
    written = first_screen.save(store, key, payload, before)
    if problem is None:
        return []
    if not written:
        first_screen.remove(store)
    return [f"the first screen's file {where} is damaged ({problem}): " + ("rebuilt from the index" if written else "removed, the next start writes it anew")]


def first_screen_payload(rows: list[Row], summaries: Mapping[str, IndexedSummary | Held], count: int) -> dict[str, object]:
    """The first screen's file: the open rows, their discussions' kind and date, the count."""
    open_rows = [r for r in rows if not r.closed]
    held = {}
    for r in open_rows:
        s = summaries.get(r.discussion_id)
        if s is not None:
            held[r.discussion_id] = [s.kind.value, s.held_on.isoformat()]
    return {"count": count, "rows": [_entry_of(r) for r in open_rows], "held": held}


def write_first_screen(context: Context, read: DashboardRead) -> bool:
    """Write the first screen's file from a full read that found it out of step (lock not
    awaited: false if busy, or if anything changed since the read)."""
    if read.stale_file is None or read.quick:
        return False
    payload = first_screen_payload(read.rows, read.summaries, read.count)
    return first_screen.save(context.store, first_screen_key(context), payload, read.stale_file)


def row_json(r: Row) -> dict[str, object]:
    """An open row as `stratui dashboard --json` prints it: the deadline's own JSON (Deadline.to_json)."""
    return {
        "key": r.key, "kind": r.kind.value, "title": r.title, "discussion_id": r.discussion_id,
        "case_ref": r.case_ref, "children": list(r.children), "owner": r.owner, "agency": r.agency,
        "due": r.due.isoformat() if r.due else None, "working_days": r.working_days,
        "state": r.state.value if r.state else None, "action_id": r.action_id,
    }  # fmt: skip


def dashboard_json_items(context: Context) -> list[dict[str, object]]:
    """`stratui dashboard --json`'s items (row_json of each open row): from the first screen's
    file when it is in step with the index, straight from its entries (no row made, no summary
    read: at 100,000 discussions that is some 25,000 rows), else from a full read. Raises StoreError."""
    with collector_paused():  # some 600,000 lists and strings parsed, 36,549 dicts made
        payload = first_screen.read(context.store, first_screen_key(context))
        if payload is not None:
            try:
                return _json_items(payload["rows"])
            except (KeyError, TypeError, ValueError):
                pass  # not as this version writes it: computed from the index instead
    return [row_json(row) for row in read_rows(context, with_closed=False).rows]


_KINDS = frozenset(kind.value for kind in DeadlineKind)
_STATES = frozenset(state.value for state in DeadlineState)


def _typed(e: list[object]) -> list[object]:
    """An entry of the first screen's file, its fields checked to be of the types it is written with."""
    key, discussion_id, action_id, kind, title, owner, agency, case_ref, children, worker, due, days, state = e
    for text in (key, discussion_id, title, owner, agency, case_ref, worker):
        if type(text) is not str:
            raise TypeError("not text")
    if action_id is not None and type(action_id) is not str or type(days) is not int or type(children) is not list:
        raise TypeError("not as written")
    return e


def _json_items(entries: list[list[object]]) -> list[dict[str, object]]:
    """[row_json(_row_of(e)) for e in entries], each checked as _row_of checks it, without making
    the rows: a field at a time down all the entries (its values' types as a set, the few hundred
    dates each once), then the items. At 100,000 discussions, 36,549 entries in a third of the
    time a check and a dict an entry took; ValueError or TypeError for any entry not as written."""
    if not entries:
        return []
    if set(map(type, entries)) != {list} or set(map(len, entries)) != {len(_ENTRY_FIELDS)}:
        raise ValueError("not as written")
    columns = dict(zip(_ENTRY_FIELDS, zip(*entries)))
    for name in ("key", "discussion_id", "title", "owner", "agency", "case_ref", "worker"):
        if set(map(type, columns[name])) != {str}:
            raise TypeError("not text")
    if not set(map(type, columns["action_id"])) <= {str, type(None)} or set(map(type, columns["days"])) != {int}:
        raise TypeError("not as written")
    if not set(columns["kind"]) <= _KINDS or not set(columns["state"]) <= _STATES | {None}:
        raise ValueError("not as written")
    children = columns["children"]
    if set(map(type, children)) != {list} or not set(map(type, chain.from_iterable(children))) <= {str}:
        raise TypeError("not as written")
    for due in set(columns["due"]) - {None}:
        if type(due) is not str or date.fromisoformat(due).isoformat() != due:
            raise ValueError("not a date as written")
    return [
        {
            "key": key, "kind": kind, "title": title, "discussion_id": discussion_id, "case_ref": case_ref,
            "children": children, "owner": owner, "agency": agency, "due": due, "working_days": days,
            "state": state, "action_id": action_id,
        }
        for key, discussion_id, action_id, kind, title, owner, agency, case_ref, children, _, due, days, state in entries
    ]  # fmt: skip


# An entry of the first screen's file, field by field (_entry_of).
_ENTRY_FIELDS = (
    "key", "discussion_id", "action_id", "kind", "title", "owner", "agency", "case_ref", "children", "worker", "due",
    "days", "state",
)  # fmt: skip


def items_json(items: list[dict[str, object]]) -> str:
    """json.dumps(items, indent=2, ensure_ascii=False), the same text, made faster (`items_json_utf8`)."""
    return items_json_utf8(items).decode("utf-8", "surrogatepass")


def items_json_utf8(items: list[dict[str, object]]) -> bytes:
    """`items_json`'s text as UTF-8 (a lone surrogate as "surrogatepass" writes it): by orjson (at
    100,000 discussions, 36,000 items, 18.5 MB, in a tenth of json_text's time), whose indented
    text is json.dumps' byte for byte for JSON's own types (tests/unit/test_dashboard_json_text.py).
    Anything else it would write otherwise or refuses (an int past 64 bits, a lone surrogate, a
    subclass of str, a date) goes to json_text's general indenter, as json.dumps would write it.
    """
    try:
        return orjson.dumps(items, option=_AS_JSON_DUMPS)
    except TypeError:  # orjson.JSONEncodeError
        return indented(items, 2).encode("utf-8", "surrogatepass")


# Subclasses, dataclasses and dates are not JSON's own types: orjson refuses them with these.
_AS_JSON_DUMPS = (
    orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)


def _entry_of(r: Row) -> list[object]:
    return [
        r.key, r.discussion_id, r.action_id, r.kind.value, r.title, r.owner, r.agency, r.case_ref,
        list(r.children), r.social_worker, r.due.isoformat() if r.due else None, r.working_days,
        r.state.value if r.state else None,
    ]  # fmt: skip


def _row_of(e: list[object]) -> Row:
    key, discussion_id, action_id, kind, title, owner, agency, case_ref, children, worker, due, days, state = _typed(e)
    return Row(
        key=key, discussion_id=discussion_id, action_id=action_id, kind=DeadlineKind(kind), title=title,
        owner=owner, agency=agency, case_ref=case_ref, children=tuple(str(c) for c in children),
        social_worker=worker, due=date.fromisoformat(due) if due is not None else None, working_days=days,
        state=DeadlineState(state) if state is not None else None,
    )  # type: ignore[arg-type]  # fmt: skip


def recently_closed(context: Context, summaries: Iterable[IndexedSummary]) -> tuple[list[Row], int]:
    """Actions done or dropped in the last week, read from the few files saved lately, and how
    many files could not be read."""
    since = context.today - timedelta(days=RECENTLY_CLOSED_DAYS)
    # Saves are stamped by the clock; "today" may be set apart from it (--today).
    saved_since = min(since, context.store.clock().date() - timedelta(days=RECENTLY_CLOSED_DAYS))
    rows: list[Row] = []
    unreadable = 0
    for s in summaries:
        if not any(a.status in CLOSED for a in s.actions):
            continue
        if s.updated_at is not None and s.updated_at.date() < saved_since:
            continue
        try:
            discussion = context.store.get(s.id)
        except StoreError:
            unreadable += 1
            continue
        rows.extend(
            Row(
                key=f"{s.id}:closed:{a.id}",
                discussion_id=s.id,
                action_id=a.id,
                kind=DeadlineKind.ACTION,
                title=a.text,
                owner=a.owner,
                agency=a.agency,
                case_ref=s.case_ref,
                children=tuple(s.children),
                social_worker=s.social_worker,
                due=a.due,
                closed_status=a.status,
                closed_on=a.closed_on,
                closed_by=a.closed_by,
                closing_note=a.closing_note,
            )
            for a in discussion.actions
            if a.status in CLOSED and a.closed_on is not None and a.closed_on >= since
        )
    return rows, unreadable
