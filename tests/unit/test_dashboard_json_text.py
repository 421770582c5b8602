"""`stratui dashboard --json`'s text (stratui.dashboard_read.items_json): exactly what
json.dumps(items, indent=2, ensure_ascii=False) gives, for every kind of item it is handed."""

from __future__ import annotations

import json
from datetime import date
from collections.abc import Callable

import pytest

from stratui.context import Context
from stratui.dashboard_read import dashboard_json_items, items_json, read_rows, row_json, write_first_screen
from stratui.deadlines import DeadlineKind
from stratui.store.index import Index


ROW_ITEM: dict[str, object] = {
    "key": "d1:action:a1", "kind": "action", "title": 'Say "why" \\ here\n\t\u202e é 😀', "discussion_id": "d1",
    "case_ref": "CS-1", "children": ["Ann \"A\"", "Bo"], "owner": "Sam", "agency": "Police", "due": "2026-11-25",
    "working_days": -3, "state": None, "action_id": None,
}  # fmt: skip


def standard(items: list[dict[str, object]]) -> str:
    return json.dumps(items, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{}],
        [{"key": "a", "children": [], "due": None, "working_days": -3}],
        [{"title": 'quotes " and \\ back\nslash, tab\t, é, 😀, \u202e', "children": ["Ann", "Bo \"B\""]}],
        [{"n": 0}, {"n": 12345678901234567890}],
        [{"flag": True, "ratio": 1.5, "nested": {"a": [1, 2]}, "mixed": ["a", 1]}],  # the standard way
        [ROW_ITEM, {**ROW_ITEM, "children": [], "due": None, "state": "overdue", "action_id": "a1"}],  # the template
        [ROW_ITEM, {**ROW_ITEM, "working_days": True}],  # a bool is not a number of days: the general way
        [{**ROW_ITEM, "children": ["Ann", 3]}],
        [{**ROW_ITEM, "due": date(2026, 11, 25).toordinal()}],
        [dict(reversed(ROW_ITEM.items()))],  # the fields in another order
        # Every control, bidi and odd character orjson and json.dumps might write apart; a lone
        # surrogate (orjson refuses it) and a subclass of str: the general way.
        [{**ROW_ITEM, "title": "".join(map(chr, range(0x2100))) + "\u2028\u2029\ufeff\U0001f600"}],
        [{**ROW_ITEM, "title": "half \ud800 a pair"}],
        [{**ROW_ITEM, "kind": DeadlineKind.ACTION}],
    ],
)
def test_the_text_is_json_dumps_text(items: list[dict[str, object]]) -> None:
    assert items_json(items) == standard(items)


def test_the_demo_databases_rows_from_the_file_are_the_full_reads_text(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = demo_context(200)
    read = read_rows(context, with_closed=False)
    whole = [row_json(r) for r in read.rows]
    assert dashboard_json_items(context) == whole  # out of step: the full read
    assert write_first_screen(context, read)

    def not_read(index: Index) -> list[object]:
        raise AssertionError("a summary was read")

    monkeypatch.setattr(Index, "summaries", not_read)
    monkeypatch.setattr(Index, "by_shard", not_read)
    from_file = dashboard_json_items(context)
    assert from_file == whole
    assert items_json(from_file) == standard(whole)
