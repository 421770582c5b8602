"""Which agency a typed agency or role names, and who is a manager or a medical professional.

People type agencies and roles as their own service calls them ("Police - child abuse
investigation team", "Leeds Teaching Hospitals NHS Foundation Trust", "Team leader"); the
attendance check counts seats (Police, Health...). The names are data: stratui.data/agencies.toml,
extended by a team's settings ([lists] agency_aliases, role_aliases). Read once, when first asked.
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratui.settings import Settings

CHILDRENS_SOCIAL_CARE = "Children's social care"
POLICE = "Police"
HEALTH = "Health"

# Aliases longer than this many words are not looked for (none in the data comes close).
_MAX_WORDS = 8


def words(text: str) -> tuple[str, ...]:
    """The words of a name, as compared: case, apostrophes and punctuation ignored."""
    folded = text.casefold().replace("\u2019", "").replace("'", "")
    return tuple(re.findall(r"[^\W_]+", folded))


@dataclass(frozen=True)
class Role:
    name: str
    # The agency a blank agency box takes ("" = not guessed); itself a typed agency name.
    agency: str = ""
    manager: bool = False
    medical: bool = False


@dataclass
class Vocabulary:
    """Aliases to what they name. The longest alias found in a text wins (the leftmost on a tie).

    An alias given twice keeps its first meaning: the team's own names are added first.
    """

    agencies: dict[tuple[str, ...], str] = field(default_factory=dict)
    roles: dict[tuple[str, ...], Role] = field(default_factory=dict)
    medical_agencies: set[tuple[str, ...]] = field(default_factory=set)
    shared_agencies: set[tuple[str, ...]] = field(default_factory=set)

    def add_agency(self, name: str, aliases: list[str]) -> None:
        for alias in [name, *aliases]:
            key = words(alias)
            if key:
                self.agencies.setdefault(key, name)

    def add_role(self, role: Role, aliases: list[str]) -> None:
        for alias in [role.name, *aliases]:
            key = words(alias)
            if key:
                self.roles.setdefault(key, role)

    def agency(self, text: str) -> str | None:
        return _longest(self.agencies, words(text))

    def role(self, text: str) -> Role | None:
        return _longest(self.roles, words(text))

    def is_medical_agency(self, text: str) -> bool:
        found = words(text)
        return any(_contains(found, alias) for alias in self.medical_agencies)

    def is_shared_agency(self, text: str) -> bool:
        found = words(text)
        return any(_contains(found, alias) for alias in self.shared_agencies)


def _contains(found: tuple[str, ...], alias: tuple[str, ...]) -> bool:
    n = len(alias)
    return any(found[i : i + n] == alias for i in range(len(found) - n + 1))


def _longest(table: Mapping[tuple[str, ...], Any], found: tuple[str, ...]) -> Any:
    best: Any = None
    best_length = 0
    for start in range(len(found)):
        for end in range(start + 1, min(len(found), start + _MAX_WORDS) + 1):
            key = found[start:end]
            length = len(" ".join(key))
            if key in table and length > best_length:
                best, best_length = table[key], length
    return best


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    text = (importlib.resources.files("stratui.data") / "agencies.toml").read_text("utf-8")
    return tomllib.loads(text)


def _build(agency_aliases: tuple[tuple[str, tuple[str, ...]], ...], role_aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    data = _shipped()
    vocabulary = Vocabulary()
    # The team's own names first: on a tie with a shipped alias, the team's meaning wins.
    canonical = {words(entry["name"]): entry["name"] for entry in data.get("agency", [])}
    for name, aliases in agency_aliases:
        vocabulary.add_agency(canonical.get(words(name), name.strip()), list(aliases))
    shipped_roles = [
        Role(
            name=entry["name"],
            agency=entry.get("agency", ""),
            manager=bool(entry.get("manager", False)),
            medical=bool(entry.get("medical", False)),
        )
        for entry in data.get("role", [])
    ]
    shipped_role_table = Vocabulary()
    for role, entry in zip(shipped_roles, data.get("role", [])):
        shipped_role_table.add_role(role, entry.get("aliases", []))
    for name, aliases in role_aliases:
        # A known role (by its name or an alias) lends its agency; a new one guesses none.
        role = shipped_role_table.roles.get(words(name))
        vocabulary.add_role(role or Role(name=name.strip()), list(aliases))
    for entry in data.get("agency", []):
        vocabulary.add_agency(entry["name"], entry.get("aliases", []))
    for role, entry in zip(shipped_roles, data.get("role", [])):
        vocabulary.add_role(role, entry.get("aliases", []))
    vocabulary.medical_agencies = {words(alias) for alias in data.get("medical", {}).get("agencies", [])}
    vocabulary.medical_agencies.discard(())
    vocabulary.shared_agencies = {words(alias) for alias in data.get("shared", {}).get("agencies", [])}
    vocabulary.shared_agencies.discard(())
    return vocabulary


@lru_cache(maxsize=8)
def _vocabulary(
    agency_aliases: tuple[tuple[str, tuple[str, ...]], ...], role_aliases: tuple[tuple[str, tuple[str, ...]], ...]
) -> Vocabulary:
    return _build(agency_aliases, role_aliases)


def _frozen(mapping: Mapping[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((key, tuple(values)) for key, values in mapping.items())


def vocabulary(settings: Settings | None = None) -> Vocabulary:
    """The shipped names, plus the team's own from `settings` ([lists] agency_aliases, role_aliases)."""
    if settings is None:
        return _vocabulary((), ())
    lists = settings.lists
    return _vocabulary(_frozen(lists.agency_aliases), _frozen(lists.role_aliases))


def canonical_agency(agency: str, settings: Settings | None = None) -> str:
    """The seat a typed agency fills ("Police - CAIT" -> "Police"); "" when none is recognised."""
    return vocabulary(settings).agency(agency) or ""


def agency_of_role(role: str, settings: Settings | None = None) -> str:
    """The agency a blank agency box takes for `role` ("DC" -> "Police"); "" when not guessed."""
    found = vocabulary(settings).role(role)
    return found.agency if found else ""


def seat_of(agency: str, role: str, settings: Settings | None = None) -> str:
    """The seat a participant fills: their agency's; their role's when the agency is left blank
    or employs several (an HSC Trust's social worker is children's social care). "" when unknown."""
    known = vocabulary(settings)
    found = known.role(role)
    role_seat = (known.agency(found.agency) or found.agency) if found and found.agency else ""
    if not agency.strip():
        return role_seat
    if role_seat and known.is_shared_agency(agency):
        return role_seat
    return known.agency(agency) or ""


def is_manager_role(role: str, settings: Settings | None = None) -> bool:
    found = vocabulary(settings).role(role)
    return bool(found and found.manager)


def is_medical(role: str, agency: str, settings: Settings | None = None) -> bool:
    """A qualified medical professional (DOMAIN.md), by their role or their agency."""
    known = vocabulary(settings)
    found = known.role(role)
    return bool(found and found.medical) or known.is_medical_agency(agency)

