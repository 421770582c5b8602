"""The audit trail protects the records: the attacker's four findings, as real `stratui` processes.

Each test builds a `stratui demo --count 20` database, tampers with it the way the attacker did
(by hand, outside stratui) and asks the installed CLI what it sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

STRATUI = Path(sys.executable).with_name("stratui")


def stratui(*args: str) -> subprocess.CompletedProcess[str]:
    # The conftest's environment (STRATUI_DB, STRATUI_WITNESS, STRATUI_TODAY ...) is inherited.
    return subprocess.run([str(STRATUI), *args], capture_output=True, text=True, env=dict(os.environ), timeout=300)


@pytest.fixture
def db(isolated_environment: Path) -> Path:
    made = stratui("demo", "--count", "20")
    assert made.returncode == 0, made.stderr
    clean = stratui("check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    return Path(os.environ["STRATUI_DB"])


def signed_off_file(db: Path) -> tuple[Path, dict[str, Any]]:
    for path in sorted((db / "discussions").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        if data["discussion"]["1"]["status"] == "signed-off":
            return path, data
    raise AssertionError("the demo holds no signed-off discussion")


def edit_by_hand(db: Path, bump_revision: bool) -> dict[str, Any]:
    """Flip the s47 decision and replace the concerns, straight in the file (an editor's write)."""
    path, data = signed_off_file(db)
    doc = data["discussion"]["1"]
    doc["decisions"]["s47_enquiry"]["made"] = not doc["decisions"]["s47_enquiry"]["made"]
    doc["information"]["concerns"] = "No concerns were raised."
    if bump_revision:
        doc["revision"] += 1
    path.write_text(json.dumps(data), "utf-8")
    return doc


def audit_lines(db: Path) -> list[str]:
    return (db / "audit" / "audit.jsonl").read_text("utf-8").splitlines()


def test_a_signed_off_record_edited_in_its_file_with_its_revision_kept_is_named_by_check(db: Path) -> None:
    doc = edit_by_hand(db, bump_revision=False)
    checked = stratui("check")
    assert checked.returncode == 1
    finding = [line for line in checked.stdout.splitlines() if doc["id"] in line]
    assert len(finding) == 1
    assert doc["case_ref"] in finding[0] and "changed outside stratui" in finding[0]
    assert f"stratui check --restore {doc['id']}" in finding[0]
    verified = stratui("audit", "verify")
    assert verified.returncode == 1
    assert "do not match their last audit entry" in verified.stdout


def test_a_hand_edit_with_its_revision_bumped_is_not_adopted_by_repair_and_can_be_restored(db: Path) -> None:
    doc = edit_by_hand(db, bump_revision=True)
    entries_before = audit_lines(db)
    repaired = stratui("check", "--repair")
    assert repaired.returncode == 1
    assert "not adopted: 1 discussion files changed outside stratui" in repaired.stdout
    assert doc["id"] in repaired.stdout
    assert audit_lines(db) == entries_before  # repair wrote no entry vouching for the edit
    assert stratui("check").returncode == 1  # and it is still a finding afterwards

    restored = stratui("check", "--restore", doc["id"][:8])
    assert restored.returncode == 0, restored.stdout + restored.stderr
    back = next(
        json.loads(p.read_text("utf-8"))["discussion"]["1"] for p in (db / "discussions").glob(f"*/{doc['id']}.json")
    )
    assert back["decisions"]["s47_enquiry"]["made"] != doc["decisions"]["s47_enquiry"]["made"]
    assert back["information"]["concerns"] != "No concerns were raised."
    last = json.loads(audit_lines(db)[-1])
    assert last["action"] == "restore" and last["discussion_id"] == doc["id"]
    assert {c["field"] for c in last["changes"]} == {"decisions.s47_enquiry.made", "information.concerns"}
    after = stratui("check")
    assert after.returncode == 0, after.stdout


def test_a_deleted_audit_folder_is_reported_not_called_intact(db: Path) -> None:
    shutil.rmtree(db / "audit")
    verified = stratui("audit", "verify")
    assert verified.returncode == 1
    assert "chain intact" not in verified.stdout
    assert "is missing, yet the database holds 20 discussions" in verified.stdout
    checked = stratui("check")
    assert checked.returncode == 1
    assert "is missing, yet the database holds 20 discussions" in checked.stdout


def test_an_emptied_audit_log_is_reported_even_without_a_witness(db: Path) -> None:
    (db / "audit" / "audit.jsonl").write_text("", "utf-8")
    (db / "audit" / "head").unlink()
    shutil.rmtree(os.environ["STRATUI_WITNESS"], ignore_errors=True)
    verified = stratui("audit", "verify")
    assert verified.returncode == 1
    assert "is empty, yet the database holds 20 discussions" in verified.stdout


def rebuild_chain(db: Path, entries: list[dict[str, Any]]) -> None:
    """What a member who can write audit/ does: renumber, rehash every entry, rewrite the head."""
    prev, lines = "0" * 64, []
    for seq, entry in enumerate(entries, start=1):
        entry.pop("hash", None)
        entry["seq"], entry["prev"] = seq, prev
        canonical = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        prev = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        lines.append(json.dumps({**entry, "hash": prev}, ensure_ascii=False, separators=(",", ":")) + "\n")
    data = "".join(lines).encode("utf-8")
    (db / "audit" / "audit.jsonl").write_bytes(data)
    (db / "audit" / "head").write_text(json.dumps({"hash": prev, "count": len(lines), "size": len(data)}), "utf-8")


@pytest.mark.parametrize("how", ["changed", "deleted"])
def test_entries_changed_or_deleted_with_every_hash_and_the_head_recomputed_are_caught_by_the_witness(
    db: Path, how: str
) -> None:
    entries = [json.loads(line) for line in audit_lines(db)]
    if how == "changed":
        entries[3]["user"] = "someone-else"
    else:
        del entries[3]
    rebuild_chain(db, entries)
    verified = stratui("audit", "verify")
    assert verified.returncode == 1, verified.stdout
    assert "chain intact" not in verified.stdout
    expected = "is not the one you saw" if how == "changed" else "has 19 entries, but you saw 20"
    assert expected in verified.stdout
    checked = stratui("check")
    assert checked.returncode == 1 and expected in checked.stdout


def test_a_kept_version_copied_back_by_hand_is_named_then_recorded_by_repair(db: Path) -> None:
    from stratui.store import Store

    store = Store.open(db, user="Sam Patel")
    target = next(s for s in store.summaries() if s.status.value != "signed-off")
    store.update(target.id, lambda d: setattr(d, "concern_source", "A neighbour"))
    path = next((db / "discussions").glob(f"*/{target.id}.json"))
    shutil.copyfile(path.with_name(path.name + ".bak"), path)
    checked = stratui("check")
    assert checked.returncode == 1 and "holds an earlier audited version" in checked.stdout
    repaired = stratui("check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert f"discussion {target.id} was put back by hand" in repaired.stdout
    last = json.loads(audit_lines(db)[-1])
    assert last["action"] == "copied-back"
    assert last["changes"] == [{"field": "concern_source", "old": "A neighbour", "new": target_source(path)}]


def target_source(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))["discussion"]["1"]["concern_source"]
