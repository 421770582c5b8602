"""Who the records name: team members by their login, never the login; follow-ups confirm attendance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from stratui.context import Context, open_context
from stratui.minutes import render_markdown
from stratui.models import ActionStatus, Attendance, Discussion, DiscussionKind
from stratui.settings import Settings, SettingsError, Team, TeamMember
from stratui.settings_file import load_settings
from stratui.starting import follow_up, new_discussion, settle_carried_action

NOW = datetime(2026, 11, 25, 10, 30)
TEAM = [TeamMember(name="Sam Patel", username="spatel"), TeamMember(name="Jo Reid", username="jreid", manager=True)]


def test_the_member_with_the_login_names_the_user_else_the_user_setting_else_no_one() -> None:
    settings = Settings(team=Team(members=TEAM))
    assert settings.member_name("spatel") == "Sam Patel"
    assert settings.member_name("SPATEL") == "Sam Patel"
    assert settings.member_name("root") == ""
    assert Settings(user="Pat Kerr", team=Team(members=TEAM)).member_name("root") == "Pat Kerr"
    assert Settings(user="Pat Kerr", team=Team(members=TEAM)).member_name("jreid") == "Jo Reid"


def test_one_login_for_two_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[[team.members]]\nname = "Sam Patel"\nusername = "sp"\n[[team.members]]\nname = "Sam Peters"\nusername = "SP"\n',
        "utf-8",
    )
    with pytest.raises(SettingsError, match="team.members: the login 'SP' is given for more than one member"):
        load_settings(path)


def context_for(tmp_path: Path, login: str, settings: str = "") -> Context:
    (tmp_path / "settings.toml").write_text(settings, "utf-8")
    context = open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today="2026-11-25")
    context.os_login = login
    context.store.user = context.name
    return context


def test_a_new_discussion_names_the_member_not_the_login(tmp_path: Path) -> None:
    context = context_for(tmp_path, "spatel", '[[team.members]]\nname = "Sam Patel"\nusername = "spatel"\n')
    record = new_discussion(context, DiscussionKind.STRATEGY_DISCUSSION, NOW)
    assert record.social_worker == "Sam Patel"
    assert [p.name for p in record.participants] == ["Sam Patel"]
    assert context.name_hint() == ""


def test_an_unknown_login_is_left_out_and_hinted_once(tmp_path: Path) -> None:
    context = context_for(tmp_path, "root")
    record = new_discussion(context, DiscussionKind.STRATEGY_DISCUSSION, NOW)
    assert record.social_worker == "" and record.participants == []
    saved = context.store.create(record)
    assert "root" not in (saved.created_by, saved.updated_by)
    assert "'root' is not a team member" in context.name_hint()
    assert context.name_hint() == ""


def test_settings_saved_while_running_name_the_user_at_once(tmp_path: Path) -> None:
    context = context_for(tmp_path, "spatel")
    assert context.name == ""
    context.use_settings(Settings(team=Team(members=TEAM)))
    assert context.name == "Sam Patel"
    assert context.store.user == "Sam Patel"


def test_a_follow_up_copies_the_people_to_confirm_and_the_recorder_as_present(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    context = context_for(tmp_path, "spatel", '[[team.members]]\nname = "Sam Patel"\nusername = "spatel"\n')
    earlier = context.store.create(make_discussion())
    record = follow_up(context, earlier, DiscussionKind.STRATEGY_DISCUSSION, NOW)
    assert [(p.name, p.attendance) for p in record.participants] == [
        ("Sam Patel", Attendance.PRESENT),
        ("Jo Reid", Attendance.TO_CONFIRM),
        ("DC Lee Grant", Attendance.TO_CONFIRM),
        ("Ann Hughes", Attendance.TO_CONFIRM),
    ]
    # Ann only sent written information last time: nothing of it is carried as this time's.
    assert all(p.absence_reason == "" for p in record.participants)
    problems = record.details_problems()
    assert "Details > Participants: confirm whether Jo Reid attended (present, absent or written information)." in problems
    assert not any("Sam Patel" in p for p in problems)
    minutes = render_markdown(record)
    assert "**Jo Reid** (Team manager, Children's social care): attendance not confirmed." in minutes
    assert "| Jo Reid | Team manager | Children's social care | To confirm |" in minutes


def test_a_follow_up_recorded_by_someone_new_adds_them(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> None:
    context = context_for(tmp_path, "kl", '[[team.members]]\nname = "Kim Lo"\nusername = "kl"\n')
    earlier = context.store.create(make_discussion())
    record = follow_up(context, earlier, DiscussionKind.STRATEGY_DISCUSSION, NOW)
    assert (record.participants[0].name, record.participants[0].attendance) == ("Kim Lo", Attendance.PRESENT)
    assert len(record.participants) == len(earlier.participants) + 1


def test_an_action_settled_at_a_follow_up_is_closed_by_name(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> None:
    context = context_for(tmp_path, "spatel", '[[team.members]]\nname = "Sam Patel"\nusername = "spatel"\n')
    earlier = context.store.create(make_discussion())
    record = follow_up(context, earlier, DiscussionKind.STRATEGY_DISCUSSION, NOW)
    settle_carried_action(context, record, record.actions[0].id, ActionStatus.DONE, "Seen together")
    closed = context.store.get(earlier.id).actions[0]
    assert (closed.status, closed.closed_by) == (ActionStatus.DONE, "Sam Patel")
