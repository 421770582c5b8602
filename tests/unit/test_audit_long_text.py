"""An edit of a long text is recorded by the stretch that changed, and read back whole."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from stratui.audit import AuditLog
from stratui.audit_changes import LONG_TEXT
from stratui.audit_history import history_text
from stratui.integrity import check_records, last_audited_version

AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
ID = "a" * 32
LONG = "The school rang about bruising seen at PE. " * 12


def record(concerns: str, revision: int) -> dict:
    return {"id": ID, "revision": revision, "case_ref": "CS-1", "information": {"concerns": concerns}}


def typed(log: AuditLog, times: int) -> dict:
    """Autosaves of a long field, each adding a few words (a worker typing during a call)."""
    doc = record(LONG, 1)
    log.append(action="create", user="ann", at=AT, old=None, new=doc)
    for number in range(times):
        new = record(doc["information"]["concerns"] + f" Note {number}.", doc["revision"] + 1)
        log.append(action="edit", user="ann", at=AT, old=doc, new=new)
        doc = new
    return doc


def test_an_edit_of_a_long_text_stores_what_changed_and_reads_back_whole(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    last = typed(log, 3)
    stored = list(log.entries())[-1]["changes"]
    assert stored[0]["edit"] == [len(LONG) + 16, len(LONG) + 16, " Note 2."]
    assert "old" not in stored[0] and "new" not in stored[0]
    history = log.history(ID)
    assert history[-1]["changes"] == [
        {"field": "information.concerns", "old": LONG + " Note 0. Note 1.", "new": last["information"]["concerns"]}
    ]
    assert log.verify() == []
    text = history_text(ID, history, full=True)
    assert json.dumps(last["information"]["concerns"]) in text


def test_entries_of_autosaves_stay_small_however_long_the_text_grows(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    typed(log, 200)
    sizes = [len(line) for line in log.path.read_bytes().splitlines()]
    assert len(LONG) > LONG_TEXT and max(sizes[1:]) < 600  # the text is over 2,000 characters by the end


def test_old_entries_with_whole_values_are_still_read(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    typed(log, 2)
    # An entry as stratui wrote it before edits were recorded as stretches: both whole values.
    lines = log.path.read_bytes().splitlines()
    from stratui.audit import GENESIS
    from stratui.audit_changes import _hash

    prev, rebuilt = GENESIS, []
    for seq, raw in enumerate(lines, start=1):
        entry = json.loads(raw)
        entry.pop("hash")
        if seq == 2:
            entry["changes"] = [{"field": "information.concerns", "old": LONG, "new": LONG + " Note 0."}]
        entry["prev"] = prev
        prev = _hash(entry)
        rebuilt.append(json.dumps({**entry, "hash": prev}, separators=(",", ":")) + "\n")
    log.path.write_text("".join(rebuilt))
    log.head_path.write_text(json.dumps({"hash": prev, "count": 3, "size": log.path.stat().st_size}))
    history = log.history(ID)
    assert history[1]["changes"][0]["new"] == LONG + " Note 0."
    assert history[2]["changes"][0] == {"field": "information.concerns", "old": LONG + " Note 0.", "new": LONG + " Note 0. Note 1."}


def test_an_edit_whose_earlier_text_is_not_in_the_trail_says_so(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    # A record saved before the trail began: its first entry is an edit.
    log.append(action="edit", user="ann", at=AT, old=record(LONG, 1), new=record(LONG + " Later.", 2))
    text = history_text(ID, log.history(ID))
    assert "earlier text not in the trail" in text and "Later." in text


def test_a_hand_edited_record_is_still_rebuilt_from_its_trail(tmp_path: Path) -> None:
    db = tmp_path / "db"
    log = AuditLog(db / "audit")
    last = typed(log, 4)
    path = db / "discussions" / "aa" / f"{ID}.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"discussion": {"1": {**last, "information": {"concerns": "Nothing to worry about."}}}}))
    [found] = check_records(db, log).tampered
    audited, base = last_audited_version(path, log.history(ID), log.path)
    assert found.audited == audited and audited is not None
    assert audited["information"]["concerns"] == last["information"]["concerns"] and base == log.path
