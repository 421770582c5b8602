"""Where the records may live, what stratui creates around them, and whose drafts are offered.

The folder rules (stratui/files.py): nothing outside the database gets the team's group; no
folder at or above the database may be changed by someone outside the user and their team,
except a sticky folder (like /tmp), where only an entry's owner may rename it.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from stratui import drafts, exports
from stratui.capture import DiscussionEditor
from stratui.cli import main
from stratui.context import Context, open_context
from stratui.drafts import discard_recovery, recovery_path, scan_drafts, take_over_draft
from stratui.files import Access, UnsafeFolderError, ensure_folder
from stratui.models import Discussion
from stratui.store import Store, StoreError
from waiting import writes_landed

TEAM = "stratui-team"
TODAY = "2026-11-25"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_team_group() -> str:
    """A group this process may give files to that is not its own: a team's."""
    if os.geteuid() != 0:
        pytest.skip("giving folders to a group other than one's own needs root here")
    try:
        grp.getgrnam(TEAM)
    except KeyError:
        pytest.skip(f"needs the group {TEAM}: run .ci/team_users CLONE as root")
    return TEAM


def nobody() -> int:
    if os.geteuid() != 0:
        pytest.skip("making a folder someone else's needs root")
    return pwd.getpwnam("nobody").pw_uid


# -- what stratui creates ----------------------------------------------------------------------


def test_folders_made_on_the_way_to_a_team_database_are_the_users_own(tmp_path: Path) -> None:
    team = Access(group=a_team_group())
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    db = home / ".local" / "share" / "stratui" / "db"
    ensure_folder(db, team)
    for folder in (home / ".local", home / ".local" / "share", home / ".local" / "share" / "stratui"):
        assert mode(folder) == 0o700 and folder.stat().st_gid == os.getegid(), folder
    assert mode(db) == 0o2770 and db.stat().st_gid == grp.getgrnam(TEAM).gr_gid
    # Inside the database, folders made on the way are the team's; a user's own stays theirs.
    ensure_folder(db / "drafts" / "alice", team.own())
    assert mode(db / "drafts") == 0o2770 and (db / "drafts").stat().st_gid == grp.getgrnam(TEAM).gr_gid
    assert mode(db / "drafts" / "alice") == 0o700 and (db / "drafts" / "alice").stat().st_gid == os.getegid()


def test_an_existing_folder_is_checked_never_changed(tmp_path: Path) -> None:
    team = Access(group=a_team_group())
    folder = tmp_path / "exports"
    folder.mkdir()
    os.chmod(folder, 0o750)
    ensure_folder(folder, team)
    assert mode(folder) == 0o750 and folder.stat().st_gid == os.getegid()


def test_exports_and_the_handover_are_private_whatever_the_teams_access(tmp_path: Path, make_discussion) -> None:  # type: ignore[no-untyped-def]
    from stratui.screens.handover import export_handover

    group = a_team_group()
    settings = tmp_path / "settings.toml"
    settings.write_text(f'team_group = "{group}"\n', "utf-8")
    context = open_context(db=tmp_path / "db", config=settings, today=TODAY)
    saved = context.store.create(make_discussion())
    written = [*exports.export_minutes(saved), export_handover(context, "# Handover\n")]
    for path in written:
        assert mode(path) == 0o600, path
        assert mode(path.parent) == 0o700 and path.parent.stat().st_gid != grp.getgrnam(group).gr_gid
    target = tmp_path / "minutes.md"
    assert main(["--config", str(settings), "--db", str(tmp_path / "db"), "export", saved.id, "-o", str(target)]) == 0
    assert mode(target) == 0o600
    shared = tmp_path / "shared.md"
    assert main(["--config", str(settings), "--db", str(tmp_path / "db"), "export", saved.id, "-o", str(shared), "--share-with-team"]) == 0
    assert mode(shared) == 0o660 and shared.stat().st_gid == grp.getgrnam(group).gr_gid


def test_sharing_an_export_needs_a_team(tmp_path: Path, capsys: pytest.CaptureFixture[str], make_discussion) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "db")
    saved = store.create(make_discussion())
    code = main(["--db", str(tmp_path / "db"), "export", saved.id, "-o", str(tmp_path / "m.md"), "--share-with-team"])
    assert code == 1 and "needs -o FILE and a team_group" in capsys.readouterr().err
    assert not (tmp_path / "m.md").exists()


# -- where the records may live ---------------------------------------------------------------


def test_a_database_in_a_sticky_shared_folder_is_safe_only_while_it_is_the_users(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    os.chmod(public, 0o1777)  # like /tmp: anyone may create, only an entry's owner may rename it
    Store.open(public / "db")
    os.chmod(public / "db", 0o1777)
    with pytest.raises(UnsafeFolderError, match="any user on this machine.*chmod o-w"):
        Store.open(public / "db")
    os.chmod(public / "db", 0o700)
    os.chmod(public, 0o777)  # not sticky: anyone could rename db away and put their own in its place
    with pytest.raises(UnsafeFolderError) as refused:
        Store.open(public / "db")
    assert f"{public} can be changed by any user on this machine, who could replace {public / 'db'}" in str(refused.value)
    assert f"chmod o-w,g-w '{public}'" in str(refused.value)


def test_a_folder_someone_else_made_first_in_a_sticky_folder_is_refused(tmp_path: Path) -> None:
    uid = nobody()
    public = tmp_path / "public"
    public.mkdir()
    os.chmod(public, 0o1777)
    squatted = public / "db"
    squatted.mkdir()
    os.chown(squatted, uid, -1)
    os.chmod(squatted, 0o755)
    with pytest.raises(UnsafeFolderError, match="db belongs to nobody, not to you"):
        Store.open(squatted)
    # A folder above the database that someone else owns: they could swap what is inside.
    theirs = public / "team"
    theirs.mkdir()
    os.chown(theirs, uid, -1)
    with pytest.raises(UnsafeFolderError, match=r"team can be changed by its owner nobody.*use a folder that you"):
        Store.open(theirs / "db")
    # A name in the sticky folder that someone else made (a link to the user's own folder).
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    link = public / "link"
    link.symlink_to(mine)
    os.lchown(link, uid, -1)
    with pytest.raises(UnsafeFolderError, match=r"link belongs to nobody and sits in .*public, which others can write"):
        Store.open(link / "db")


def test_a_parent_writable_by_a_group_with_outsiders_is_refused_unless_it_is_the_team(tmp_path: Path) -> None:
    group = a_team_group()
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chown(shared, -1, grp.getgrnam(group).gr_gid)
    os.chmod(shared, 0o2775)
    with pytest.raises(UnsafeFolderError, match=f"{shared} can be changed by the group '{group}'"):
        Store.open(shared / "db")
    Store.open(shared / "db", access=Access(group=group))


def test_an_audit_folder_anyone_can_write_stops_an_import_before_anything_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_discussion: Callable[..., Discussion]
) -> None:
    store = Store.open(tmp_path / "db")
    (tmp_path / "db" / "audit").mkdir()
    os.chmod(tmp_path / "db" / "audit", 0o777)
    with pytest.raises(StoreError, match="audit can be written by any user.*nothing was imported"):
        store.save_all_new([make_discussion(case_ref=f"CS-{n}") for n in range(5)])
    assert len(store) == 0 and not list((tmp_path / "db" / "discussions").rglob("*.json"))


# -- drafts -----------------------------------------------------------------------------------


def as_instance(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Pretend to be another running copy of the app (another process)."""
    monkeypatch.setattr(drafts, "_instance", (os.getpid(), name))


def test_two_copies_of_the_app_keep_their_own_drafts(
    context: Context, monkeypatch: pytest.MonkeyPatch, make_discussion: Callable[..., Discussion]
) -> None:
    saved = context.store.create(make_discussion())
    second = open_context(db=context.store.root, config=context.config_path, today=TODAY)
    as_instance(monkeypatch, "1-first")
    first_editor = DiscussionEditor.open(context, saved.id)
    as_instance(monkeypatch, "2-second")
    second_editor = DiscussionEditor.open(second, saved.id)
    second_editor.discussion.information.concerns = "the second copy's text"
    second_editor.changed()
    assert second_editor.save().saved
    as_instance(monkeypatch, "1-first")
    first_editor.discussion.information.concerns = "the first copy's text"
    first_editor.changed()
    refused = first_editor.save()
    kept = recovery_path(context, saved.id)
    assert not refused.saved and f"kept in {kept}" in refused.message and kept.exists()
    # The other copy saves again: the file it named to the first copy is still there.
    as_instance(monkeypatch, "2-second")
    second_editor.discussion.information.concerns += " and more"
    second_editor.changed()
    assert second_editor.save().saved
    discard_recovery(second, "0" * 32)
    assert kept.exists()
    # Next start (a new process): the first copy's draft is offered, with what differs.
    as_instance(monkeypatch, "3-next-start")
    found = scan_drafts(context)
    assert [d.information.concerns for d in found.drafts] == ["the first copy's text"] and not found.ignored
    assert drafts.draft_changes(context, found.drafts[0]) == ["information.concerns"]
    take_over_draft(context, saved.id)
    assert not kept.exists() and recovery_path(context, saved.id).exists()


def test_drafts_not_provably_the_users_are_not_offered(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    saved = context.store.create(make_discussion())
    editor = DiscussionEditor.open(context, saved.id)
    editor.discussion.information.concerns = "mine"
    editor.changed()
    path = recovery_path(context, saved.id)
    path.parent.mkdir(parents=True, mode=0o700)
    path.write_text(editor.discussion.model_dump_json(), "utf-8")
    os.chmod(path, 0o600)
    assert [d.id for d in scan_drafts(context).drafts] == [saved.id]
    os.chmod(path, 0o660)
    found = scan_drafts(context)
    assert found.drafts == [] and found.ignored == [f"A draft was ignored: {path} can be changed by others."]
    os.chmod(path, 0o600)
    path.with_name("planted.json").symlink_to(path)
    assert [line for line in scan_drafts(context).ignored] == [f"A draft was ignored: {path.with_name('planted.json')} is not a plain file."]


async def test_an_unusable_drafts_folder_is_named_at_start_and_new_work_is_still_saved(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    from stratui.app import make_app

    folder = recovery_path(context, "x").parent
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(m.startswith("Unsaved work is not offered:") and "chmod o-w" in m for m in shown), shown
    editor = DiscussionEditor.start(context, make_discussion(case_ref="CS-NEW"))
    editor.changed()
    assert editor.save().saved
    assert [s.case_ref for s in context.store.summaries()] == ["CS-NEW"]


async def test_a_draft_from_an_earlier_run_shows_what_differs_and_is_cleared_once_saved(
    context: Context, monkeypatch: pytest.MonkeyPatch, make_discussion: Callable[..., Discussion]
) -> None:
    from textual.widgets import OptionList

    from stratui.app import make_app
    from stratui.screens.recovery import RecoveryScreen

    saved = context.store.create(make_discussion())
    as_instance(monkeypatch, "1-earlier-run")
    editor = DiscussionEditor.open(context, saved.id)
    editor.discussion.information.concerns = "Typed before the connection dropped"
    editor.discussion.risk.risk_factors.append("Step-father back at home")
    editor.changed()
    left = recovery_path(context, saved.id)
    drafts._ensure_drafts_folder(context)
    left.write_text(editor.discussion.model_dump_json(), "utf-8")
    os.chmod(left, 0o600)
    as_instance(monkeypatch, "2-this-run")
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        prompt = " ".join(str(app.screen.query_one("#drafts", OptionList).get_option_at_index(0).prompt).split())
        assert "Differs from the saved record in: information.concerns, risk.risk_factors" in prompt
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await writes_landed(pilot)
    assert context.store.get(saved.id).information.concerns == "Typed before the connection dropped"
    assert not left.exists() and scan_drafts(context).drafts == []
