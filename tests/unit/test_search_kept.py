"""Search by name or case reference kept between searches (stratui.search_kept) always finds what
`search_summaries` finds over every summary, in the same order, whatever the saves in between.

Random saves over demo discussions: case references and children's names changed (among them
names that casefold to more characters, or hold a tab, a newline or a case reference's own
characters), discussions added and removed, several shards at once, a shard read again with the
same summaries. After each, queries made from the names and references there are (parts of
words, other cases, several words, words that match nothing) are compared with a search from
scratch; and through the store, `search` after saves with a search over a store opened afresh.
"""

from __future__ import annotations

import random
import uuid
from datetime import date

from stratui.demo import generate_demo
from stratui.models import Child
from stratui.search import search, search_summaries
from stratui.search_kept import KeptNames
from stratui.store import IndexedSummary, Store

TODAY = date(2026, 11, 25)
# Names whose casefolding is longer than they are (ß, the ligature ﬁ, İ), a tab and a line break
# kept in text, and letters of the case references: the lines' starts must still be right.
ODD_NAMES = ["Straße Groß", "ﬁona ﬁeld", "İlker Şahin", "Jo\tAnn", "Ann\nMarie", "CS cs-1", "Ωmega ΣΊΣΥΦΟΣ"]


class _Shards:
    """Summaries in shards by the first character of their id, a changed shard a new tuple (as
    Store.summaries_by_shard gives them)."""

    def __init__(self, summaries: list[IndexedSummary]) -> None:
        self.by_name: dict[str, tuple[IndexedSummary, ...]] = {}
        for s in summaries:
            self.add(s)

    def shards(self) -> list[tuple[IndexedSummary, ...]]:
        return [self.by_name[name] for name in sorted(self.by_name)]

    def everyone(self) -> list[IndexedSummary]:
        return [s for shard in self.shards() for s in shard]

    def add(self, new: IndexedSummary) -> None:
        self.by_name[new.id[0]] = (*self.by_name.get(new.id[0], ()), new)

    def replace(self, old: IndexedSummary, new: IndexedSummary | None) -> None:
        shard = tuple(n for n in (new if s is old else s for s in self.by_name[old.id[0]]) if n is not None)
        if shard:
            self.by_name[old.id[0]] = shard
        else:
            del self.by_name[old.id[0]]


def _save_at_random(rng: random.Random, shards: _Shards) -> None:
    everyone = shards.everyone()
    what = rng.random()
    if what < 0.1 and len(everyone) > 20:
        shards.replace(rng.choice(everyone), None)
    elif what < 0.2:
        like = rng.choice(everyone)
        shards.add(like._replace(id=uuid.UUID(int=rng.getrandbits(128)).hex, children=[rng.choice(ODD_NAMES)]))
    elif what < 0.3:  # read again: the same summaries in a new tuple
        name = rng.choice(sorted(shards.by_name))
        shards.by_name[name] = tuple(shards.by_name[name])
    else:
        for s in rng.sample(everyone, rng.randint(1, 3)):
            other = rng.choice(everyone)
            change = rng.randrange(4)
            if change == 0:
                s2 = s._replace(case_ref=rng.choice([other.case_ref, "", f"CS-NEW-{rng.randrange(5)}"]))
            elif change == 1:
                s2 = s._replace(children=[*other.children[:1], rng.choice(ODD_NAMES)][: rng.randint(0, 2)])
            elif change == 2:
                s2 = s._replace(children=list(other.children))
            else:
                s2 = s._replace(revision=s.revision + 1)
            shards.replace(s, s2)


def _queries(rng: random.Random, everyone: list[IndexedSummary]) -> list[str]:
    texts = [t for s in rng.sample(everyone, 6) for t in (s.case_ref, *s.children) if t.strip()]
    queries = ["zzzz-nobody", "ss", "ﬁ", "i̇", "-", "cs", "a b"]
    for text in texts:
        words = text.split()
        word = rng.choice(words)
        start = rng.randrange(len(word))
        queries.append(word[start : start + rng.randint(1, 6)].upper())
        queries.append(" ".join(rng.sample(words, len(words))))
    queries.append(f"{rng.choice(everyone).case_ref[-3:]} {rng.choice(texts).split()[0]}")
    return queries


def test_kept_names_find_what_a_search_from_scratch_finds_after_every_save() -> None:
    summaries = [IndexedSummary.of(d.summary()) for d in generate_demo(300, 5, TODAY)]
    shards = _Shards(summaries)
    kept = KeptNames()
    rng = random.Random("search-kept")
    found = 0
    for step in range(80):
        everyone = shards.everyone()
        for query in _queries(rng, everyone):
            expected = search_summaries([IndexedSummary._make(s) for s in everyone], query)
            assert kept.search(shards.shards(), query) == expected, f"step {step}, {query!r}"
            found += len(expected)
        _save_at_random(rng, shards)
    assert found > 80 * 20  # most queries come from names there are: the comparison is not empty


def test_search_through_the_store_stays_in_step_with_saves(tmp_path, make_discussion) -> None:
    store = Store.open(tmp_path / "db")
    records = [store.create(make_discussion(case_ref=f"CS-{n:04d}")) for n in range(30)]
    assert [r.discussion_id for r in search(store, "CS-0007").results] == [records[7].id]
    rng = random.Random(7)
    for step in range(25):
        record = store.get(rng.choice(records).id)
        record.case_ref = f"CS-{rng.randrange(60):04d}"
        record.children = [Child(name=rng.choice(["Maya Jones", "Leo Brown", "Straße Groß", "Ava Brown"]))]
        store.save(record)
        for query in ("maya", "brown", "STRASSE", "cs-00", record.case_ref, f"{record.case_ref} {record.children[0].name}"):
            fresh = Store.open(tmp_path / "db")  # nothing kept: every summary read and matched
            assert search(store, query).results == search_summaries(fresh.summaries(), query), f"step {step}, {query!r}"
    assert search(store, "maya").results  # the comparison is not empty
