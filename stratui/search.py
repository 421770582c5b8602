"""Finding discussions: by child name or case reference from the index, by any text from the files.

Names and case references are in the index summaries, so that search is instant whatever the
size of the database. The full text (concerns, rationales, actions, notes) needs each
discussion's file, so it is read only when the summaries find nothing or when asked for.
Also: the discussions that make up one case, for the case history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from stratui.models import Discussion, DiscussionKind, DiscussionStatus, DiscussionSummary
from stratui.store import Store, StoreError
from stratui.terminal import ellipsis
from stratui.text import strings_in

MATCHED_CASE_REF = "case ref"
MATCHED_CHILD = "child"
MATCHED_NAME_OR_REF = "case ref and child"
MATCHED_TEXT = "text"

# Keys of the record that hold identifiers, not words anyone would search for.
_NOT_TEXT = frozenset({"id", "carried_from", "previous_discussion_ids", "schema_version"})
_SNIPPET_BEFORE = 25
_SNIPPET_LENGTH = 70


@dataclass(frozen=True)
class SearchResult:
    discussion_id: str
    case_ref: str
    children: tuple[str, ...]
    held_on: date
    kind: DiscussionKind
    status: DiscussionStatus
    # What the query matched: MATCHED_CASE_REF, MATCHED_CHILD, MATCHED_NAME_OR_REF or MATCHED_TEXT.
    matched: str
    # For a full-text match: the words around it.
    snippet: str = ""
    updated_at: datetime | None = None


@dataclass
class SearchOutcome:
    results: list[SearchResult]
    # Whether the discussion files were read (the summaries alone found nothing, or asked for).
    full_text: bool
    # Files that could not be read (damaged): named by `stratui check`.
    unreadable: int = 0
    problems: list[str] = field(default_factory=list)


def query_words(query: str) -> list[str]:
    """Every word must match (in any order, any case): "maya cs-104" finds Maya in case CS-104233."""
    return [word.casefold() for word in query.split()]


def summary_match(summary: DiscussionSummary, words: list[str]) -> str | None:
    """How the summary matches every word (case ref, child, both), or None."""
    if not words:
        return None
    case_ref = summary.case_ref.casefold()
    names = " ".join(summary.children).casefold()
    in_ref = [word in case_ref for word in words]
    in_names = [word in names for word in words]
    if all(in_ref):
        return MATCHED_CASE_REF
    if all(in_names):
        return MATCHED_CHILD
    if all(r or n for r, n in zip(in_ref, in_names)):
        return MATCHED_NAME_OR_REF
    return None


def search_summaries(summaries: Iterable[DiscussionSummary], query: str) -> list[SearchResult]:
    """Discussions whose case reference or children's names hold every word; newest first."""
    words = query_words(query)
    results = []
    for summary in summaries:
        matched = summary_match(summary, words)
        if matched is not None:
            results.append(result_of(summary, matched))
    return newest_first(results)


def search_full_text(
    store: Store, query: str, summaries: Iterable[DiscussionSummary] | None = None
) -> SearchOutcome:
    """Discussions whose whole record holds every word: reads each discussion file."""
    words = query_words(query)
    outcome = SearchOutcome(results=[], full_text=True)
    if not words:
        return outcome
    for summary in summaries if summaries is not None else store.summaries():
        try:
            discussion = store.get(summary.id)
        except StoreError as exc:
            outcome.unreadable += 1
            outcome.problems.append(str(exc))
            continue
        snippet = text_match(discussion, words)
        if snippet is not None:
            outcome.results.append(result_of(summary, MATCHED_TEXT, snippet))
    outcome.results = newest_first(outcome.results)
    return outcome


def search(
    store: Store,
    query: str,
    *,
    full_text: bool = False,
    summaries: list[DiscussionSummary] | None = None,
) -> SearchOutcome:
    """Names and case references first; the full text when they find nothing or when asked.

    With the full text, a discussion found by name or case reference keeps that match and the
    others found in the text are added; the whole list is newest first.
    """
    if summaries is None:
        from stratui.search_kept import kept_names  # imports this module

        # The names of each index shard kept between searches: only shards saved since are read again.
        shards = store.summaries_by_shard().shards
        by_summary = kept_names(store).search(shards, query)
        summaries = [s for shard in shards for s in shard] if full_text or not by_summary else []
    else:
        by_summary = search_summaries(summaries, query)
    if (by_summary and not full_text) or not query_words(query):
        return SearchOutcome(results=by_summary, full_text=False)
    found = {result.discussion_id for result in by_summary}
    in_text = search_full_text(store, query, [s for s in summaries if s.id not in found])
    in_text.results = newest_first(by_summary + in_text.results)
    return in_text


def newest_first(results: list[SearchResult]) -> list[SearchResult]:
    """By the date held, latest first; the same day by the latest saved; then by id for stability."""
    ordered = sorted(results, key=lambda r: r.discussion_id)
    ordered.sort(key=lambda r: r.updated_at.timestamp() if r.updated_at else 0.0, reverse=True)
    ordered.sort(key=lambda r: r.held_on, reverse=True)
    return ordered


def text_match(discussion: Discussion, words: list[str]) -> str | None:
    """The words around the first match if the record's text holds every word, else None."""
    texts = [text for text in strings_in(discussion.model_dump(mode="json"), _NOT_TEXT) if text.strip()]
    folded = [text.casefold() for text in texts]
    everything = "\n".join(folded)
    if not all(word in everything for word in words):
        return None
    first = words[0]
    for text, fold in zip(texts, folded):
        if first in fold:
            return _snippet(text, first)
    return ""


def _snippet(text: str, word: str) -> str:
    flat = " ".join(text.split())
    at = flat.lower().find(word.lower())
    if at < 0:
        at = 0
    start = max(0, at - _SNIPPET_BEFORE)
    piece = flat[start : start + _SNIPPET_LENGTH]
    return (ellipsis() if start else "") + piece + (ellipsis() if start + _SNIPPET_LENGTH < len(flat) else "")


def result_of(summary: DiscussionSummary, matched: str, snippet: str = "") -> SearchResult:
    return SearchResult(
        discussion_id=summary.id,
        case_ref=summary.case_ref,
        children=tuple(summary.children),
        held_on=summary.held_on,
        kind=summary.kind,
        status=summary.status,
        matched=matched,
        snippet=snippet,
        updated_at=summary.updated_at,
    )


# -- the case history ----------------------------------------------------------------------------


def case_key(case_ref: str) -> str:
    """Case references compare without case or surrounding spaces ("cs-1 " is CS-1)."""
    return case_ref.strip().casefold()


def case_discussions(summaries: Iterable[DiscussionSummary], discussion_id: str) -> list[DiscussionSummary]:
    """Every discussion of the case `discussion_id` belongs to, in the order they were held.

    A case is its case reference; discussions linked as follow-ups belong to it too (so a
    discussion recorded without the reference, or with a typo in it, still shows up).
    """
    by_id = {s.id: s for s in summaries}
    start = by_id.get(discussion_id)
    if start is None:
        return []
    followed_by: dict[str, list[str]] = {}
    for s in by_id.values():
        for previous in s.previous_discussion_ids:
            followed_by.setdefault(previous, []).append(s.id)
    members: set[str] = set()
    refs: set[str] = set()
    pending = [start.id]
    while pending:
        current = by_id.get(pending.pop())
        if current is None or current.id in members:
            continue
        members.add(current.id)
        key = case_key(current.case_ref)
        if key and key not in refs:
            refs.add(key)
            pending.extend(s.id for s in by_id.values() if case_key(s.case_ref) == key)
        pending.extend(current.previous_discussion_ids)
        pending.extend(followed_by.get(current.id, []))
    depth: dict[str, int] = {}

    def depth_of(discussion_id: str, seen: frozenset[str] = frozenset()) -> int:
        # A follow-up held the same day as the discussion it follows comes after it.
        if discussion_id not in depth:
            parents = [p for p in by_id[discussion_id].previous_discussion_ids if p in members and p not in seen]
            depth[discussion_id] = 1 + max((depth_of(p, seen | {discussion_id}) for p in parents), default=-1)
        return depth[discussion_id]

    return sorted((by_id[i] for i in members), key=lambda s: (s.held_on, depth_of(s.id), s.id))
