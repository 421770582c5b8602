"""The settings file: shipped defaults in stratui.data/settings.toml, overridden by the user's
TOML file. Read with tomllib and validated against stratui.settings (each problem said in plain
English), written back with tomlkit so users' comments survive; a failed write keeps the old file.
"""

from __future__ import annotations

import copy
import importlib.resources
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import ValidationError

from stratui.files import UnsafeFolderError, atomic_write, ensure_folder
from stratui.locations import default_config_file
from stratui.settings import Settings, SettingsError, describe_errors


# --- locations ---


def default_settings_path() -> Path:
    """The user's settings file; STRATUI_CONFIG (a file path) overrides it, e.g. in tests."""
    return default_config_file()


def _defaults_text() -> str:
    return (importlib.resources.files("stratui.data") / "settings.toml").read_text("utf-8")


# --- reading ---


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SettingsError(f"settings file {path} cannot be read: {reason}") from exc
    try:
        # utf-8-sig: a byte-order mark left by a Windows editor is harmless.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"settings file {path} is not UTF-8 text (bad byte at position {exc.start}): "
            "save it as UTF-8"
        ) from exc


def _parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc
    except ValueError:
        # tomllib's int() refuses more than 4,300 digits (TOMLDecodeError is caught above).
        raise SettingsError(f"settings file {path} holds a number too long to be a setting") from None
    except RecursionError:
        raise SettingsError(f"settings file {path} is nested too deeply to be a settings file") from None


def merge_settings(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_settings(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _default_data() -> dict[str, Any]:
    return _parse_toml(_defaults_text(), "stratui.data/settings.toml")


def load_settings(path: Path | None = None) -> Settings:
    """The defaults merged with the user's file; a missing file simply means the defaults."""
    path = default_settings_path() if path is None else path
    data = _default_data()
    if path.exists() or path.is_symlink():
        data = merge_settings(data, _parse_toml(_read_text(path), path))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"settings file {path}: {describe_errors(exc)}") from exc



# --- writing ---


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _update_document(doc: Any, data: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    """Change only what differs, so a user's comments and layout stay where the keys stay.

    Keys already in the file are kept (with new values); keys still at their default are
    not added, so the file stays short and later changes to the shipped defaults reach it.
    """
    for key in [key for key in doc if key not in data]:
        del doc[key]
    for key, value in data.items():
        default = defaults.get(key)
        if _is_table(value):
            if key in doc and _is_table(doc[key]):
                _update_document(doc[key], value, default if _is_table(default) else {})
            elif value != default:
                table = tomlkit.table()
                _update_document(table, value, default if _is_table(default) else {})
                doc[key] = table
        elif key in doc:
            if doc[key] != value:
                doc[key] = value
        elif value != default:
            doc[key] = value


def _existing_document(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.document()
    text = _read_text(path)
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        # Refuse rather than overwrite: the file holds the user's own settings.
        raise SettingsError(
            f"settings file {path} is not valid TOML ({exc}); fix it before saving"
        ) from exc


def _write_atomically(path: Path, text: str) -> None:
    ensure_folder(path.parent)
    atomic_write(path, text.encode("utf-8"))


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings to the user's file, keeping its comments; the old file survives a failure."""
    path = default_settings_path() if path is None else path
    doc = _existing_document(path)
    data = settings.model_dump(mode="python")
    _update_document(doc, data, _default_data())
    try:
        _write_atomically(path, tomlkit.dumps(doc))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SettingsError(f"cannot save settings file {path}: {reason}") from exc
    except UnsafeFolderError as exc:
        raise SettingsError(f"cannot save settings file {path}: {exc}") from exc
