"""What every command and the app work with: the store, the settings and "today", built once.

The CLI and the tests build it the same way (posting's `make_posting()` habit): nothing reads
globals after this point, so a test can inject its own database, settings and date.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stratui import locations
from stratui.dates import MAX_YEAR, MIN_YEAR, parse_date
from stratui.files import PRIVATE, Access, UnsafeFolderError
from stratui.settings import Settings, SettingsError, os_user
from stratui.settings_file import load_settings
from stratui.store import Store

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from stratui.models import Discussion


class ContextError(Exception):
    """Bad settings, a bad --today, an unusable database folder: one clear line."""


NAME_HINT = (
    "Your login '{login}' is not a team member in the settings, so records leave your name blank: "
    "add yourself in the settings (ctrl+o, then ctrl+t: your name and login '{login}')."
)


@dataclass
class Context:
    store: Store
    settings: Settings
    today: date
    # The account stratui works as: its recovery drafts folder (settings `user`, else the login).
    user: str
    access: Access = PRIVATE
    config_path: Path | None = None
    # The operating-system login: the audit trail records it; records never do.
    os_login: str = field(default_factory=os_user)
    _name_hinted: bool = field(default=False, repr=False)

    @property
    def name(self) -> str:
        """The person running stratui as records name them (social worker, action owner, done by).

        The team member whose username is the login, else the settings' `user`, else "".
        """
        return self.settings.member_name(self.os_login)

    def use_settings(self, settings: Settings) -> None:
        """Settings saved while running: the name written into records follows them at once."""
        self.settings = settings
        self.store.user = self.name

    def name_hint(self) -> str:
        """Once a session, while records cannot name the user: how to fix that; else ""."""
        if self.name or self._name_hinted:
            return ""
        self._name_hinted = True
        return NAME_HINT.format(login=self.os_login)

    def find_discussion(self, reference: str) -> Discussion:
        """A discussion as people name it: see `stratui.refer.resolve`."""
        return self.store.get(self.find_discussion_id(reference))

    def find_discussion_id(self, reference: str, also: Iterable[str] = ()) -> str:
        """The id of the discussion a case reference, child's name or id prefix names, from the
        index and any `also` ids given (known to the audit trail only)."""
        from stratui.refer import index_words, resolve  # with search: not needed to draw the first screen

        def read_day(text: str) -> date:
            return parse_date(text, self.today, self.settings.calendar())

        # Only the index shards that could hold it are parsed, not every summary.
        summaries = self.store.index.summaries_holding(index_words(reference))
        return resolve(summaries, reference, read_day=read_day, also=also)


def parse_today(value: str | None) -> date:
    """--today, else STRATUI_TODAY, else the clock."""
    value = value or os.environ.get("STRATUI_TODAY")
    if not value:
        return date.today()
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ContextError(f"'{value}' is not a date: use YYYY-MM-DD for --today or STRATUI_TODAY") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        # Deadlines are counted in working days from "today": far out, the date arithmetic overflows.
        raise ContextError(
            f"'{value.strip()}' is outside the years stratui works with ({MIN_YEAR} to {MAX_YEAR}): "
            "check --today or STRATUI_TODAY"
        )
    return day


def open_context(
    db: Path | None = None, config: Path | None = None, today: str | None = None, read_only: bool = False
) -> Context:
    the_day = parse_today(today)
    config_path = config or locations.default_config_file()
    try:
        settings = load_settings(config_path)
    except SettingsError as exc:
        raise ContextError(str(exc)) from None
    access = Access(group=settings.team_group) if settings.team_group else PRIVATE
    login = os_user()
    try:
        # The store writes the name into records (created_by, updated_by); the audit takes the login itself.
        store = Store.open(
            db or locations.default_database(),
            user=settings.member_name(login),
            access=access,
            versions_kept=settings.versions_kept,
            read_only=read_only,
        )
    except UnsafeFolderError as exc:
        raise ContextError(str(exc)) from None
    return Context(
        store=store,
        settings=settings,
        today=the_day,
        user=settings.user_name(),
        access=access,
        config_path=config_path,
        os_login=login,
    )
