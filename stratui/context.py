"""What every command and the app work with: the store, the settings and "today", built once.

The CLI and the tests build it the same way (posting's `make_posting()` habit): nothing reads
globals after this point, so a test can inject its own database, settings and date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from stratui import locations
from stratui.files import PRIVATE, Access, UnsafeFolderError
from stratui.models import Discussion
from stratui.settings import Settings, SettingsError, load_settings
from stratui.store import NotFoundError, Store


class ContextError(Exception):
    """Bad settings, a bad --today, an unusable database folder: one clear line."""


@dataclass
class Context:
    store: Store
    settings: Settings
    today: date
    user: str
    access: Access = PRIVATE
    config_path: Path | None = None

    def find_discussion(self, id_or_prefix: str) -> Discussion:
        """A discussion by its id or a unique prefix of it (ids are long to type)."""
        wanted = id_or_prefix.strip().lower()
        if len(wanted) < 4:
            raise ContextError("give at least 4 characters of the discussion id")
        matches = [s.id for s in self.store.summaries() if s.id.startswith(wanted)]
        if not matches:
            raise NotFoundError(f"no discussion id starts with '{id_or_prefix}'")
        if len(matches) > 1:
            raise ContextError(f"'{id_or_prefix}' matches {len(matches)} discussions: give more of the id")
        return self.store.get(matches[0])


def parse_today(value: str | None) -> date:
    """--today, else STRATUI_TODAY, else the clock."""
    value = value or os.environ.get("STRATUI_TODAY")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ContextError(f"'{value}' is not a date: use YYYY-MM-DD for --today or STRATUI_TODAY") from None


def open_context(db: Path | None = None, config: Path | None = None, today: str | None = None) -> Context:
    the_day = parse_today(today)
    config_path = config or locations.default_config_file()
    try:
        settings = load_settings(config_path)
    except SettingsError as exc:
        raise ContextError(str(exc)) from None
    access = Access(group=settings.team_group) if settings.team_group else PRIVATE
    user = settings.user_name()
    try:
        store = Store.open(db or locations.default_database(), user=user, access=access)
    except UnsafeFolderError as exc:
        raise ContextError(str(exc)) from None
    return Context(store=store, settings=settings, today=the_day, user=user, access=access, config_path=config_path)
