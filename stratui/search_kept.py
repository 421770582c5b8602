"""Search by name or case reference, kept between searches: each index shard's summaries as one
casefolded text, made again only for the shards a save changed, and matched in one pass.

`search_summaries` (stratui.search) casefolds and matches every summary at each search: ~0.3 s
at 100,000 discussions. `KeptNames.search` takes the summaries shard by shard
(`Store.summaries_by_shard`: a shard's tuple is the same object until a save changes it, as
stratui.deadlines.kept uses it) and keeps, for each shard, its case references and children's
names casefolded in one text, a discussion's line each ("case ref<TAB>names<NL>"). A search looks
for one of its words in each shard's text (str.find: C speed) and checks only the discussions
whose line holds it with `summary_match` itself, so the results are exactly those of
`search_summaries` over every summary (tests/unit/test_search_kept.py compares them after random
saves). A query's words hold no whitespace (they are split on it), so a word found in a line is
in its case reference or in its names, never across the separator.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from weakref import WeakKeyDictionary

from stratui.models import DiscussionSummary
from stratui.search import SearchResult, newest_first, query_words, result_of, summary_match
from stratui.store import Store

Shard = tuple[DiscussionSummary, ...]


class _ShardText:
    """One shard's summaries, and their case references and names casefolded in one text."""

    __slots__ = ("shard", "starts", "text")

    def __init__(self, shard: Shard) -> None:
        self.shard = shard  # held: while kept, its id() is not reused
        # Folded a line at a time: casefold may lengthen a line (ß is ss), and the starts are
        # those of the folded lines.
        lines = [f"{s.case_ref}\t{' '.join(s.children)}\n".casefold() for s in shard]
        starts, at = [], 0
        for line in lines:
            starts.append(at)
            at += len(line)
        starts.append(at)  # the end: the line after the last
        text = "".join(lines)
        self.text = text
        self.starts = starts

    def holding(self, word: str) -> Iterator[DiscussionSummary]:
        """Each summary whose line holds `word` (no whitespace in it), once, in the shard's order."""
        find, starts, shard = self.text.find, self.starts, self.shard
        at = find(word)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            yield shard[line]
            at = find(word, starts[line + 1])


class KeptNames:
    """Each shard's text, kept between calls to `search` (one at a time: threads wait for each other)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shards: dict[int, _ShardText] = {}

    def search(self, shards: Iterable[Shard], query: str) -> list[SearchResult]:
        """`search_summaries` over these shards' summaries: the same results, in the same order."""
        words = query_words(query)
        if not words:
            return []
        shards = list(shards)
        anchor = max(words, key=len)  # the longest word: the fewest lines hold it
        results = []
        for kept in self._update(shards):
            for s in kept.holding(anchor):
                matched = summary_match(s, words)
                if matched is not None:
                    results.append(result_of(s, matched))
        return newest_first(results)

    def _update(self, shards: list[Shard]) -> list[_ShardText]:
        with self._lock:
            current = {id(shard): shard for shard in shards}
            for key in [key for key in self._shards if key not in current]:
                del self._shards[key]
            for key, shard in current.items():
                if key not in self._shards:
                    self._shards[key] = _ShardText(shard)
            return [self._shards[id(shard)] for shard in shards]


_kept: WeakKeyDictionary[Store, KeptNames] = WeakKeyDictionary()
_kept_lock = threading.Lock()


def kept_names(store: Store) -> KeptNames:
    """The store's kept texts (one per Store object, made at its first search)."""
    with _kept_lock:
        kept = _kept.get(store)
        if kept is None:
            kept = _kept[store] = KeptNames()
        return kept
