"""The meta file names the schema version; without it a folder of discussions is refused, never stamped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stratui.models import Discussion
from stratui.store import DamagedFileError, Store, StoreError


def test_a_missing_meta_file_beside_discussions_is_refused_not_recreated(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    store = Store.open(tmp_path / "db", user="t")
    store.create(make_discussion())
    (store.root / "stratui.json").unlink()
    with pytest.raises(StoreError, match="stratui.json is missing"):
        Store.open(store.root, user="t")
    assert not (store.root / "stratui.json").exists()


@pytest.mark.parametrize("version", ["true", "2.0", '"2"', "0"])
def test_a_schema_version_that_is_not_a_whole_number_of_1_or_more_is_refused(
    tmp_path: Path, make_discussion: Callable[..., Discussion], version: str
) -> None:
    store = Store.open(tmp_path / "db", user="t")
    store.create(make_discussion())
    meta = store.root / "stratui.json"
    meta.write_text('{"meta": {"1": {"schema_version": %s}}}' % version)
    with pytest.raises(DamagedFileError, match="not a whole number"):
        Store.open(store.root, user="t")
    assert meta.read_text() == '{"meta": {"1": {"schema_version": %s}}}' % version


def test_an_empty_folder_with_an_emptied_meta_file_is_simply_a_new_database(tmp_path: Path) -> None:
    root = tmp_path / "db"
    root.mkdir()
    (root / "stratui.json").write_text("{}")
    store = Store.open(root, user="t")
    assert store.check() == []
    assert '"schema_version"' in (root / "stratui.json").read_text()
