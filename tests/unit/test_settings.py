"""Team settings: shipped defaults, user overrides, plain-English errors and safe saving."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import date
from pathlib import Path

import pytest

from stratui import files as files_module
from stratui import settings as settings_module
from stratui import settings_file
from stratui.calendar import WorkingCalendar
from stratui.settings import Settings, SettingsError, TeamMember
from stratui.settings_file import default_settings_path, load_settings, save_settings

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never let a test read or write the real user's settings."""
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("STRATUI_CONFIG", str(path))
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults and overrides ---


def test_shipped_defaults_equal_the_model_defaults(isolated_config: Path) -> None:
    assert not isolated_config.exists()
    loaded = load_settings()
    assert loaded == Settings()
    assert loaded.timescales.conference_working_days == 15
    assert loaded.timescales.conference_counts_from == "s47-discussion"
    assert "CAMHS" in loaded.lists.agencies
    assert "Designated safeguarding lead" in loaded.lists.roles


def test_shipped_file_has_every_setting() -> None:
    shipped = tomllib.loads(settings_file._defaults_text())
    assert shipped == Settings().model_dump(mode="python")


def test_user_file_overrides_key_by_key(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", 'nation = "scotland"\n[timescales]\nminutes_working_days = 10\n')
    loaded = load_settings(path)
    assert loaded.nation == "scotland"
    assert loaded.timescales.minutes_working_days == 10
    # Untouched keys in the same table keep their defaults.
    assert loaded.timescales.conference_working_days == 15
    assert loaded.lists == Settings().lists


def test_only_nation_in_user_file_keeps_default_timescales(tmp_path: Path) -> None:
    loaded = load_settings(write(tmp_path / "s.toml", 'nation = "wales"\n'))
    assert loaded.nation == "wales"
    assert loaded.timescales == Settings().timescales


def test_user_list_replaces_the_default_list(tmp_path: Path) -> None:
    loaded = load_settings(write(tmp_path / "s.toml", '[lists]\nagencies = ["Police", "Health"]\n'))
    assert loaded.lists.agencies == ["Police", "Health"]
    assert loaded.lists.roles == Settings().lists.roles


def test_team_members_and_extra_days_from_file(tmp_path: Path) -> None:
    text = (
        'nation = "northern-ireland"\n'
        "[timescales]\nextra_non_working_days = [2026-06-15]\n"
        '[[team.members]]\nname = "Sam Okafor"\nusername = "sokafor"\nmanager = true\n'
        '[[team.members]]\nname = "Alex Reid"\n'
    )
    loaded = load_settings(write(tmp_path / "s.toml", text))
    assert loaded.managers() == ["Sam Okafor"]
    assert loaded.is_manager("sokafor")
    assert loaded.is_manager("sam okafor")
    assert not loaded.is_manager("Alex Reid")
    assert not loaded.is_manager("")
    cal = loaded.calendar()
    assert isinstance(cal, WorkingCalendar)
    assert cal.nation == "northern-ireland"
    assert not cal.is_working_day(date(2026, 6, 15))
    assert not cal.is_working_day(date(2026, 3, 17))


def test_user_name_falls_back_to_os_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module.getpass, "getuser", lambda: "jdoe")
    assert Settings().user_name() == "jdoe"
    assert Settings(user="  Jo Doe ").user_name() == "Jo Doe"


# --- error messages ---


def refusal_of(tmp_path: Path, text: str) -> tuple[Path, str]:
    """A settings file of `text`, refused: its path (which the message names) and the message."""
    path = write(tmp_path / "s.toml", text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return path, str(caught.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[timescales]\nconference_workingdays = 10\n", "timescales.conference_workingdays: not a known setting"),
        (
            '[timescales]\nconference_working_days = "abc"\n',
            "timescales.conference_working_days: must be a whole number from 1 to 365 (got 'abc')",
        ),
    ],
    ids=["an-unknown-key-is-named", "a-wrong-type-names-the-key-path"],
)
def test_a_refused_setting_is_named_by_its_key_path(tmp_path: Path, text: str, problem: str) -> None:
    path, message = refusal_of(tmp_path, text)
    assert message == f"settings file {path}: {problem}"


def test_below_minimum_and_boolean_are_rejected(tmp_path: Path) -> None:
    _, message = refusal_of(tmp_path, "[timescales]\nminutes_working_days = 0\nwarning_window_working_days = true\n")
    assert "timescales.minutes_working_days: must be a whole number from 1 to 365 (got 0)" in message
    assert "timescales.warning_window_working_days: must be a whole number from 0 to 365" in message
    assert "\n" not in message


def test_disallowed_value_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", 'nation = "uk"\n')
    with pytest.raises(SettingsError, match="nation: must be one of 'england', 'wales', 'scotland'"):
        load_settings(path)
    path = write(tmp_path / "t.toml", '[timescales]\nconference_counts_from = "first"\n')
    with pytest.raises(SettingsError, match="'s47-discussion' or 'latest-discussion'"):
        load_settings(path)


def test_team_member_names_must_be_unique_and_present(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", '[[team.members]]\nname = "Sam"\n[[team.members]]\nname = "sam "\n')
    with pytest.raises(SettingsError, match="team.members: the name 'sam' is used for more than one"):
        load_settings(path)
    path = write(tmp_path / "t.toml", '[[team.members]]\nname = "  "\n')
    with pytest.raises(SettingsError, match=r"team.members\[0\].name: must not be empty"):
        load_settings(path)


def test_bad_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", "nation = = wales\n")
    with pytest.raises(SettingsError, match=f"settings file {path} is not valid TOML: .*line 1"):
        load_settings(path)


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b'user = "Ren\xe9e"\n')  # Latin-1, as an old editor might save it
    with pytest.raises(SettingsError, match=f"settings file {path} is not UTF-8 text"):
        load_settings(path)


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "settings.toml"
    folder.mkdir()
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(folder)


# --- locations ---


def test_stratui_config_env_is_respected(isolated_config: Path) -> None:
    assert default_settings_path() == isolated_config
    write(isolated_config, 'nation = "scotland"\n')
    assert load_settings().nation == "scotland"


def test_without_env_the_platform_config_dir_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRATUI_CONFIG")
    path = default_settings_path()
    assert path.name == "settings.toml"
    assert path.parent.name == "stratui"


# --- saving ---


def changed_settings() -> Settings:
    settings = Settings()
    settings.nation = "wales"
    settings.timescales.strategy_discussion_working_days = 3
    settings.timescales.extra_non_working_days = [date(2026, 6, 15)]
    settings.lists.agencies = ["Police", "Health", "Children's social care"]
    settings.team.members = [
        TeamMember(name="Sam Okafor", username="sokafor", manager=True),
        TeamMember(name="Alex Reid"),
    ]
    return settings


def test_save_then_load_round_trips(isolated_config: Path) -> None:
    settings = changed_settings()
    save_settings(settings, isolated_config)
    assert load_settings(isolated_config) == settings
    # Defaults are not copied in, so later changes to the shipped defaults still apply.
    saved = tomllib.loads(isolated_config.read_text(encoding="utf-8"))
    assert "conference_working_days" not in saved["timescales"]
    assert "roles" not in saved["lists"]


def test_save_preserves_user_comments(isolated_config: Path) -> None:
    write(
        isolated_config,
        "# Our team's settings - ask Sam before changing\n"
        'nation = "england"  # we are in Leeds\n'
        "\n[timescales]\n# local procedure 4.2 says three days\n"
        "strategy_discussion_working_days = 3\n",
    )
    settings = load_settings(isolated_config)
    settings.nation = "wales"
    settings.timescales.minutes_working_days = 2
    save_settings(settings, isolated_config)
    text = isolated_config.read_text(encoding="utf-8")
    assert "# Our team's settings - ask Sam before changing" in text
    assert 'nation = "wales"  # we are in Leeds' in text
    assert "# local procedure 4.2 says three days\nstrategy_discussion_working_days = 3" in text
    assert load_settings(isolated_config) == settings


def test_save_is_idempotent(isolated_config: Path) -> None:
    save_settings(changed_settings(), isolated_config)
    first = isolated_config.read_text(encoding="utf-8")
    save_settings(load_settings(isolated_config), isolated_config)
    assert isolated_config.read_text(encoding="utf-8") == first


def test_saved_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "settings.toml"
    save_settings(changed_settings(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


def test_save_refuses_to_overwrite_a_broken_file(isolated_config: Path) -> None:
    write(isolated_config, "nation = = wales\n")
    with pytest.raises(SettingsError, match="fix it before saving"):
        save_settings(Settings(), isolated_config)
    assert isolated_config.read_text(encoding="utf-8") == "nation = = wales\n"


@pytest.mark.skipif(IS_ROOT, reason="root can write to a read-only folder")
def test_save_to_read_only_folder_keeps_old_file(tmp_path: Path) -> None:
    path = write(tmp_path / "ro" / "settings.toml", 'nation = "scotland"\n')
    path.parent.chmod(0o500)
    try:
        with pytest.raises(SettingsError, match=f"cannot save settings file {path}"):
            save_settings(changed_settings(), path)
    finally:
        path.parent.chmod(0o700)
    assert path.read_text(encoding="utf-8") == 'nation = "scotland"\n'


def test_failed_replace_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Works as root too: the write fails at the final step, as on a full or read-only disk.
    path = write(tmp_path / "cfg" / "settings.toml", 'nation = "scotland"\n')

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_module.os, "replace", refuse)
    with pytest.raises(SettingsError, match=f"cannot save settings file {path}: Permission denied"):
        save_settings(changed_settings(), path)
    assert path.read_text(encoding="utf-8") == 'nation = "scotland"\n'
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


def test_save_where_the_folder_is_a_file(tmp_path: Path) -> None:
    blocker = write(tmp_path / "blocker", "not a folder")
    with pytest.raises(SettingsError, match="cannot save settings file"):
        save_settings(Settings(), blocker / "settings.toml")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_temp_file_refused_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a read-only folder does, simulated so it also fails when the tests run as root.
    path = write(tmp_path / "cfg" / "settings.toml", 'nation = "scotland"\n')

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_module.os, "open", refuse)
    with pytest.raises(SettingsError, match=f"cannot save settings file {path}: Permission denied"):
        save_settings(changed_settings(), path)
    assert path.read_text(encoding="utf-8") == 'nation = "scotland"\n'
