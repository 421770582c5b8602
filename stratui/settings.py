"""Team settings: what each setting is, its default and its bounds, validated with pydantic and
each problem said in plain English (describe_errors).

The file they are read from and written back to (keeping users' comments) is stratui.settings_file.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from stratui.calendar import WorkingCalendar, get_calendar
from stratui.text import neutralise

# Strict: in a TOML file `true` or "3" where a number belongs is a mistake worth reporting.
# The ceiling: no safeguarding timescale runs past a year (about 253 working days), and counting
# working days far beyond the years stratui knows the bank holidays of fails, not just misleads.
MAX_TIMESCALE_DAYS = 365
WorkingDays = Annotated[int, Field(ge=1, le=MAX_TIMESCALE_DAYS, strict=True)]
OptionalWorkingDays = Annotated[int, Field(ge=0, le=MAX_TIMESCALE_DAYS, strict=True)]
# Names, agencies and roles are shown to the whole team: control and bidi characters become
# visible stand-ins, as in the record (stratui.text). A non-string is left for strict checking.
SettingText = Annotated[str, BeforeValidator(lambda value: neutralise(value) if isinstance(value, str) else value)]

DEFAULT_AGENCIES = [
    "Children's social care",
    "Police",
    "Health",
    "GP",
    "Health visiting",
    "School",
    "Nursery / early years",
    "Adult mental health",
    "CAMHS",
    "Probation",
    "Housing",
    "Youth justice",
    "Exploitation / missing team",
    "Paediatrics",
    "Education welfare",
    "Domestic abuse service",
    "Legal services",
]
DEFAULT_ROLES = [
    "Social worker",
    "Team manager",
    "Police officer",
    "Detective constable",
    "Health visitor",
    "School nurse",
    "Designated safeguarding lead",
    "GP",
    "Paediatrician",
    "Named nurse",
    "Midwife",
    "Probation officer",
    "Housing officer",
    "Mental health practitioner",
    "Youth worker",
    "Solicitor",
]


def _key_list(value: object) -> object:
    """ "ctrl+n, f8" as "ctrl+n,f8"; each key one word (a letter, "ctrl+n", "f8", "question_mark")."""
    if not isinstance(value, str):
        return value  # left for strict checking: "must be text in quotes"
    keys = [key.strip() for key in value.split(",")]
    if not all(keys) or any(len(key.split()) != 1 for key in keys):
        raise ValueError(f'must be keys separated by commas, such as "ctrl+n,f8" (got {value!r})')
    return ",".join(keys)


KeyList = Annotated[str, BeforeValidator(_key_list), Field(strict=True)]

# What Textual's theme names look like ("textual-dark", "catppuccin-mocha", "stratui-monochrome").
THEME_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")


class SettingsError(Exception):
    """A settings file that cannot be read, parsed, validated or written; one line for the user."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Timescales(_Section):
    strategy_discussion_working_days: WorkingDays = 1
    conference_working_days: WorkingDays = 15
    conference_counts_from: Literal["s47-discussion", "latest-discussion"] = "s47-discussion"
    scotland_planning_meeting_calendar_days: WorkingDays = 28
    # Scotland: the CPPM's record is circulated within 10 working days of the CPPM.
    scotland_cppm_record_working_days: WorkingDays = 10
    # Scotland: a pre-birth CPPM is held by this week of pregnancy (0: no such limit).
    scotland_pre_birth_cppm_by_week: Annotated[int, Field(ge=0, le=40, strict=True)] = 28
    minutes_working_days: WorkingDays = 1
    assessment_working_days: WorkingDays = 45
    wales_assessment_working_days: WorkingDays = 42
    meeting_after_phone_working_days: OptionalWorkingDays = 0
    warning_window_working_days: OptionalWorkingDays = 3
    extra_non_working_days: list[date] = Field(default_factory=list)


Alias = Annotated[str, Field(min_length=1, strict=True)]


class Lists(_Section):
    agencies: list[SettingText] = Field(default_factory=lambda: list(DEFAULT_AGENCIES))
    roles: list[SettingText] = Field(default_factory=lambda: list(DEFAULT_ROLES))
    # The team's own names for agencies and roles, beside those of stratui.data/agencies.toml:
    # { "Police" = ["CAIT"] } makes an agency typed "CAIT" count as Police.
    agency_aliases: dict[str, list[Alias]] = Field(default_factory=dict)
    role_aliases: dict[str, list[Alias]] = Field(default_factory=dict)

    @field_validator("agency_aliases", "role_aliases")
    @classmethod
    def _aliases_are_names(cls, table: dict[str, list[str]]) -> dict[str, list[str]]:
        from stratui.agencies import words

        meaning: dict[tuple[str, ...], str] = {}
        for name, aliases in table.items():
            if not words(name):
                raise ValueError(f"{name!r} is not a name: use letters or digits")
            for alias in aliases:
                key = words(alias)
                if not key:
                    raise ValueError(f"the alias {alias!r} of {name!r} has no letters or digits")
                if meaning.setdefault(key, name) != name:
                    raise ValueError(f"the alias {alias!r} is given for both {meaning[key]!r} and {name!r}")
        return table


class TeamMember(_Section):
    name: Annotated[SettingText, Field(min_length=1, strict=True)]
    username: SettingText = ""
    manager: bool = False

    @field_validator("name", "username")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value


class Team(_Section):
    members: list[TeamMember] = Field(default_factory=list)

    @field_validator("members")
    @classmethod
    def _names_unique(cls, members: list[TeamMember]) -> list[TeamMember]:
        seen: set[str] = set()
        logins: set[str] = set()
        for member in members:
            key = member.name.casefold()
            if key in seen:
                raise ValueError(f"the name {member.name!r} is used for more than one member")
            seen.add(key)
            login = member.username.casefold()
            if login and login in logins:
                # The login says who is running stratui: it must name one person.
                raise ValueError(f"the login {member.username!r} is given for more than one member")
            logins.add(login)
        return members


# Printed in a page margin beside the page number: one short line.
MARKING_MAX = 60
ORGANISATION_MAX = 100


class MinutesSettings(_Section):
    # The Government Security Classifications marking, printed at the top and bottom of every
    # page of the minutes (some councils add a descriptor: "OFFICIAL-SENSITIVE PERSONAL").
    protective_marking: Annotated[SettingText, Field(strict=True)] = "OFFICIAL-SENSITIVE"
    # The council (and service) whose minutes these are, at the top of every page.
    organisation: Annotated[SettingText, Field(strict=True)] = ""

    @field_validator("protective_marking", "organisation")
    @classmethod
    def _one_short_line(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if "\n" in value or "\t" in value:
            raise ValueError("must be on one line")
        longest = MARKING_MAX if info.field_name == "protective_marking" else ORGANISATION_MAX
        if len(value) > longest:
            raise ValueError(f"must be at most {longest} characters (it is printed in the page margin)")
        if info.field_name == "protective_marking" and not value:
            # Minutes about a child always carry a marking; the default is the usual one.
            raise ValueError('must not be empty: minutes about a child carry a marking such as "OFFICIAL-SENSITIVE"')
        return value


class Settings(_Section):
    nation: Literal["england", "wales", "scotland", "northern-ireland"] = "england"
    team_group: SettingText = ""
    user: SettingText = ""
    # "auto": monochrome when NO_COLOR is set or TERM has few colours (screens/theme.py);
    # "monochrome": always; "colour": never; else the name of a Textual theme (e.g. "nord"), as
    # picked in the command palette. The app checks the name against the themes it has.
    theme: Annotated[str, Field(strict=True)] = "auto"
    # Previous versions kept beside each discussion file (<id>.json.bak, .bak.2, ...): one by
    # default (stratui.store.store.DEFAULT_VERSIONS_KEPT says why).
    versions_kept: Annotated[int, Field(ge=1, le=50, strict=True)] = 1
    timescales: Timescales = Field(default_factory=Timescales)
    lists: Lists = Field(default_factory=Lists)
    team: Team = Field(default_factory=Team)
    minutes: MinutesSettings = Field(default_factory=MinutesSettings)
    # A key's id (as the help screen lists them) = the keys that do it instead: "ctrl+n,f8".
    # The app checks the ids against its keys; here, that each value is a list of keys.
    keymap: dict[str, KeyList] = Field(default_factory=dict)

    @field_validator("theme")
    @classmethod
    def _theme_is_a_name(cls, value: str) -> str:
        if not THEME_NAME.fullmatch(value):
            raise ValueError(f"must be auto, monochrome, colour or a theme's name such as \"nord\" (got {value!r})")
        return value

    def managers(self) -> list[str]:
        return [member.name for member in self.team.members if member.manager]

    def is_manager(self, name_or_username: str) -> bool:
        wanted = name_or_username.strip().casefold()
        if not wanted:
            return False
        return any(
            member.manager and wanted in (member.name.casefold(), member.username.casefold())
            for member in self.team.members
        )

    def user_name(self) -> str:
        """The account this install works as (its recovery drafts folder): `user`, else the login."""
        return self.user.strip() or os_user()

    def member_name(self, login: str) -> str:
        """The running user as records name them: the team member with this login, else `user`.

        "" when neither says: a login name ("root", "sokafor") never goes into a record.
        """
        wanted = login.strip().casefold()
        for member in self.team.members:
            if wanted and member.username.casefold() == wanted:
                return member.name
        return self.user.strip()

    def calendar(self) -> WorkingCalendar:
        return get_calendar(self.nation, self.timescales.extra_non_working_days)


def os_user() -> str:
    """The operating-system account running stratui; never raises (the audit trail records it)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment and no passwd entry
        name = ""
    return name.strip() or f"uid {os.getuid()}"


# --- plain-English validation messages ---

_TYPE_MESSAGES = {
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list in square brackets",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "date_type": "must be a date such as 2026-06-15",
    "date_parsing": "must be a date such as 2026-06-15",
    "date_from_datetime_parsing": "must be a date such as 2026-06-15",
    "date_from_datetime_inexact": "must be a date without a time, such as 2026-06-15",
    "string_too_short": "must not be empty",
    "extra_forbidden": "not a known setting",
    "missing": "is required",
}
_INT_ERRORS = {"int_type", "int_parsing", "int_from_float", "greater_than_equal", "less_than_equal"}


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def _field_info(loc: tuple[int | str, ...]) -> FieldInfo | None:
    """The pydantic field a location points at, to read its minimum."""
    model: Any = Settings
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        model = info.annotation
    return info


def _bounds(loc: tuple[int | str, ...]) -> tuple[int | None, int | None]:
    """The least and greatest whole number the field allows (None: no bound)."""
    info = _field_info(loc)
    least = most = None
    for meta in info.metadata if info is not None else ():
        if isinstance(meta, Ge):
            least = int(meta.ge)  # type: ignore[call-overload]
        if isinstance(meta, Le):
            most = int(meta.le)  # type: ignore[call-overload]
    return least, most


def _describe(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    got = f" (got {error['input']!r})" if "input" in error else ""
    if kind in _INT_ERRORS:
        # The field's bounds, else pydantic's (a field checked alone has no full path to look them up).
        least, most = _bounds(loc)
        ctx = error.get("ctx", {})
        least, most = ctx.get("ge", least), ctx.get("le", most)
        if least is not None and most is not None:
            allowed = f" from {least} to {most}"
        elif least is not None:
            allowed = f" of at least {least}"
        else:
            allowed = f" of at most {most}" if most is not None else ""
        return f"must be a whole number{allowed}{got}"
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"must be one of {allowed}{got}"
    if kind == "extra_forbidden":
        return _TYPE_MESSAGES[kind]
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind] + got
    message = str(error.get("msg", kind))
    return message.removeprefix("Value error, ")


def describe_errors(exc: ValidationError) -> str:
    """One line: each problem as `key.path: what is wrong (got value)`."""
    problems = [f"{_location(tuple(err['loc']))}: {_describe(err)}" for err in exc.errors()]
    return "; ".join(problems)
