"""Naming a discussion as people do: by its case reference, a child's name or the start of its id.

The one rule behind every command that takes a discussion (export, audit, check --restore).
The app never shows ids, so people know a discussion by its case and its children; a case with
several discussions is narrowed by the day one was held ("CS-2026-08014@2026-11-25") or
"@latest". Only the index summaries are read, never the discussion files.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from stratui.models import DiscussionSummary
from stratui.search import case_key, search_summaries
from stratui.store import NotFoundError, StoreError
from stratui.text import one_line

LATEST = "latest"
MIN_ID_PREFIX = 4
# Long enough to tell ids apart at a glance; lengthened when two listed ids share it.
SHOWN_ID = 8
# A word found in half the database must not scroll the screen away: the rest are counted.
MOST_LISTED = 12


class UnknownReference(NotFoundError):
    """Nothing is called that: one line saying what was looked for."""


class AmbiguousReference(StoreError):
    """Several discussions (or none exactly, but some nearly) answer to the reference: the
    message is a line saying so and how to choose, then one line for each of them."""

    def __init__(self, heading: str, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        super().__init__("\n".join([heading, *candidate_lines(candidates)]))


@dataclass(frozen=True)
class Candidate:
    """A discussion as the list of choices shows it; only an id for one known only to the audit
    trail (its file is gone or not in the index)."""

    discussion_id: str
    summary: DiscussionSummary | None = None


def resolve(
    summaries: Iterable[DiscussionSummary],
    reference: str,
    *,
    read_day: Callable[[str], date] = date.fromisoformat,
    also: Iterable[str] = (),
) -> str:
    """The id of the one discussion `reference` names; UnknownReference or AmbiguousReference.

    `read_day` reads what follows "@" (the app's date reader, so "25/11/2026" works as typed in
    the app); `also` are ids known elsewhere (the audit trail), matched by id prefix only.
    """
    summaries = list(summaries)
    name, day_text = _split_day(reference)
    shown = one_line(name)
    if not name:
        raise UnknownReference(
            "name a discussion: its case reference, a child's full name "
            f"or at least {MIN_ID_PREFIX} characters of its id"
        )
    candidates = _exact_matches(summaries, name, also)
    if not candidates:
        raise _nothing_exact(summaries, name)
    day: date | None = None
    if day_text is None:
        chosen = candidates
    elif day_text.casefold() == LATEST:
        dated = [c for c in candidates if c.summary is not None]
        last = max((c.summary.held_on for c in dated if c.summary), default=None)
        chosen = [c for c in dated if c.summary and c.summary.held_on == last]
    else:
        day = _read_day(day_text, read_day)
        chosen = [c for c in candidates if c.summary is not None and c.summary.held_on == day]
    if not chosen:
        when = "in the index to take the latest of" if day is None else f"held on {day.isoformat()}"
        raise AmbiguousReference(f"'{shown}' has no discussion {when}; {_count(candidates)}:", candidates)
    if len(chosen) == 1:
        return chosen[0].discussion_id
    # With a day given, only the id tells apart discussions held the same day.
    how = "give the id" if day_text is not None else f"add @YYYY-MM-DD (the day it was held) or @{LATEST}, or give the id"
    raise AmbiguousReference(f"'{one_line(reference.strip())}' matches {len(chosen)} discussions: {how}:", chosen)


def index_words(reference: str) -> list[str]:
    """Words every summary `reference` could name (exactly, or nearly for the list offered)
    holds in its case reference, a child's name or its id, casefolded: each word of what comes
    before any "@". A shard of the index without one of them holds none of its discussions."""
    return _split_day(reference)[0].casefold().split()


def candidate_lines(candidates: list[Candidate]) -> list[str]:
    """One line each: held on, kind, case reference, children, id (escaped: record text is data)."""
    ids = [c.discussion_id for c in candidates]
    width = _shown_id_width(ids)
    lines = []
    for candidate in candidates[:MOST_LISTED]:
        short_id = candidate.discussion_id[:width]
        summary = candidate.summary
        if summary is None:
            lines.append(f"  {'?':<10}  {'(not in the index: known to the audit trail)':<40}  id {one_line(short_id)}")
            continue
        children = ", ".join(one_line(child) for child in summary.children) or "(no child named)"
        case_ref = one_line(summary.case_ref) or "(no case ref)"
        held = summary.held_on.isoformat()
        lines.append(f"  {held}  {summary.kind.label:<19}  {case_ref:<14}  {children}  id {one_line(short_id)}")
    if len(candidates) > MOST_LISTED:
        lines.append(f"  and {len(candidates) - MOST_LISTED} more: give more of the case reference or name")
    return lines


def name_key(name: str) -> str:
    """Names compare without case or extra spaces ("leah  MORGAN" is Leah Morgan)."""
    return " ".join(name.casefold().split())


def _split_day(reference: str) -> tuple[str, str | None]:
    """"CS-1@2026-11-25" -> ("CS-1", "2026-11-25"); without an "@", no day."""
    name, at, day = reference.strip().rpartition("@")
    if not at:
        return reference.strip(), None
    return name.strip(), day.strip()


def _read_day(text: str, read_day: Callable[[str], date]) -> date:
    try:
        return read_day(text)
    except ValueError:  # DateInputError is one
        raise UnknownReference(
            f"after @ give the day the discussion was held (YYYY-MM-DD, e.g. 2026-11-25) or '{LATEST}', "
            f"not '{one_line(text)}'"
        ) from None


def _exact_matches(summaries: list[DiscussionSummary], name: str, also: Iterable[str]) -> list[Candidate]:
    """Every discussion the reference names exactly, newest first: by case reference, by a
    child's full name, or by id prefix. A reference is all of these at once: nothing decides
    for the user that "abcd" was meant as an id rather than as a case reference."""
    ref, child, prefix = case_key(name), name_key(name), name.casefold()
    looks_like_id = _looks_like_id(name)
    found: dict[str, Candidate] = {}
    for summary in _newest_first(summaries):
        by_ref = ref and case_key(summary.case_ref) == ref
        by_child = any(name_key(c) == child for c in summary.children)
        by_id = looks_like_id and summary.id.casefold().startswith(prefix)
        if by_ref or by_child or by_id:
            found[summary.id] = Candidate(summary.id, summary)
    if looks_like_id:
        for discussion_id in sorted(set(also)):
            if discussion_id not in found and discussion_id.casefold().startswith(prefix):
                found[discussion_id] = Candidate(discussion_id)
    return list(found.values())


def _nothing_exact(summaries: list[DiscussionSummary], name: str) -> StoreError:
    """Words that are part of a case reference or a name are offered, never taken: a command
    that exports or restores must act on the discussion the user meant, not the nearest one."""
    shown = one_line(name)
    by_id = {summary.id: summary for summary in summaries}
    near = [Candidate(r.discussion_id, by_id[r.discussion_id]) for r in search_summaries(summaries, name)]
    if near:
        which = "this one matches" if len(near) == 1 else f"these {len(near)} match"
        return AmbiguousReference(
            f"no case reference, child or id is exactly '{shown}'; {which} part of it (give it in full):", near
        )
    if _looks_like_id(name):
        return UnknownReference(
            f"no discussion id starts with '{shown}', and no case reference or child is called that"
        )
    return UnknownReference(
        f"nothing is called '{shown}': give a case reference (e.g. CS-2026-08014), a child's full name "
        f"or at least {MIN_ID_PREFIX} characters of the discussion id"
    )


def _looks_like_id(text: str) -> bool:
    """Ids are hexadecimal (uuid4().hex); fewer than 4 characters would match too many."""
    return len(text) >= MIN_ID_PREFIX and all(ch in string.hexdigits for ch in text)


def _count(candidates: list[Candidate]) -> str:
    return "its one discussion is" if len(candidates) == 1 else f"its {len(candidates)} discussions are"


def _newest_first(summaries: list[DiscussionSummary]) -> list[DiscussionSummary]:
    """As the search lists them: by the day held, latest first; then by the latest saved; then by id."""
    ordered = sorted(summaries, key=lambda s: s.id)
    ordered.sort(key=lambda s: s.updated_at.timestamp() if s.updated_at else 0.0, reverse=True)
    ordered.sort(key=lambda s: s.held_on, reverse=True)
    return ordered


def _shown_id_width(ids: list[str]) -> int:
    width = SHOWN_ID
    while width < max((len(i) for i in ids), default=0) and len({i[:width] for i in ids}) < len(ids):
        width += 4
    return width
