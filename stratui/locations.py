"""Every path stratui touches, in one place (`stratui locate` prints them)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_state_path

APP_NAME = "stratui"


def data_dir() -> Path:
    return user_data_path(APP_NAME)


def default_database() -> Path:
    """The embedded default database folder, unless STRATUI_DB names another (e.g. a team's)."""
    override = os.environ.get("STRATUI_DB")
    return Path(override).expanduser() if override else data_dir() / "db"


def default_config_file() -> Path:
    override = os.environ.get("STRATUI_CONFIG")
    return Path(override).expanduser() if override else user_config_path(APP_NAME) / "settings.toml"


def exports_dir() -> Path:
    override = os.environ.get("STRATUI_EXPORTS")
    return Path(override).expanduser() if override else data_dir() / "exports"


def crash_reports_dir() -> Path:
    """Where a crash's technical report goes: the user's own state folder (kept 0700).

    The report holds no record content (see stratui.crash), but it is still kept private.
    """
    override = os.environ.get("STRATUI_CRASH_REPORTS")
    return Path(override).expanduser() if override else user_state_path(APP_NAME) / "crash-reports"


def audit_witness_file(database: Path) -> Path:
    """This user's own record of the last audit-chain end they saw in `database` (kept 0600).

    It lives outside the database folder, in the user's state folder, so a member who can
    rewrite the database's audit folder cannot rewrite what each other member witnessed.
    """
    import hashlib

    override = os.environ.get("STRATUI_WITNESS")
    folder = Path(override).expanduser() if override else user_state_path(APP_NAME) / "audit-witness"
    key = hashlib.sha256(os.path.realpath(database).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return folder / f"{key}.json"
