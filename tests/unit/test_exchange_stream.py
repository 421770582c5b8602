"""An export is read as a stream: the same discussions and the same messages, whatever the chunk size."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from stratui import exchange
from stratui.demo import generate_demo
from stratui.exchange import ImportFileError, dump_all, parse_export, scan_file

DEMO = generate_demo(12, 3, date(2026, 11, 25))


@pytest.fixture(params=[1, 7, 4096])
def tiny_chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    # Every value, number, escape and multi-byte character ends up split across reads somewhere.
    monkeypatch.setattr(exchange, "CHUNK_BYTES", request.param)
    return int(request.param)


def test_every_discussion_is_read_back_across_chunk_boundaries(tiny_chunks: int) -> None:
    text = dump_all(DEMO).replace('"case_ref": "CS-', '"case_ref": "Ó Dónaill — “Zoë” CS-')
    assert text.count("Zoë") == len(DEMO)
    read = [d.model_dump(mode="json") for d in parse_export(text.encode("utf-8"))]
    assert read == json.loads(text)["discussions"]


def test_keys_in_any_order_and_compact_json(tiny_chunks: int) -> None:
    docs = [d.model_dump(mode="json") for d in DEMO[:3]]
    raw = json.dumps({"discussions": docs, "schema_version": 3, "format": exchange.FORMAT}, separators=(",", ":"))
    assert [d.id for d in parse_export(raw.encode())] == [d["id"] for d in docs]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"format": "stratui-export",\n "discussions": [\n  {"id": 1},\n  oops\n ]}',
        b'{"format": "stratui-export", "discussions": []} trailing',
        b'{"format": "stratui-export"\n "discussions": []}',
    ],
)
def test_a_broken_file_names_the_line_and_column_json_would(tiny_chunks: int, raw: bytes) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(raw)
    with pytest.raises(ImportFileError) as caught:
        parse_export(raw, "backup.json")
    assert f"line {expected.value.lineno}, column {expected.value.colno}" in str(caught.value)


def test_a_scanned_file_is_read_again_one_discussion_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text(dump_all(DEMO), encoding="utf-8")
    seen = []
    scanned = scan_file(path, each=seen.append)
    assert scanned.count == len(DEMO) == len(seen)
    assert list(scanned.discussions()) == DEMO


def test_a_file_changed_between_its_check_and_its_import_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text(dump_all(DEMO), encoding="utf-8")
    scanned = scan_file(path)
    path.write_text(dump_all(DEMO[:5]), encoding="utf-8")
    with pytest.raises(ImportFileError, match="changed while it was being imported"):
        list(scanned.discussions())


def test_an_import_validates_each_discussion_twice_the_whole_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratui import cli
    from stratui.models import Discussion
    from stratui.store import Store

    path = tmp_path / "backup.json"
    path.write_text(dump_all(DEMO), encoding="utf-8")
    validated: list[object] = []
    real = Discussion.model_validate.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Discussion], *args: object, **kwargs: object) -> Discussion:
        validated.append(args[0])
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(Discussion, "model_validate", classmethod(counted))
    assert cli.main(["import", str(path), "--db", str(tmp_path / "db")]) == 0
    # Once as the whole file is checked before anything is written, once as each is written
    # (it was three times: read again, it was validated again before the store validated it).
    assert len(validated) == 2 * len(DEMO)
    monkeypatch.undo()
    assert sorted(d.id for d in Store.open(tmp_path / "db").discussions()) == sorted(d.id for d in DEMO)
