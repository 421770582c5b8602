"""The demo discussions a later follow-up can still reach, held as their JSON until then.

A follow-up carries over (closes) the open actions of its case's previous discussion, so a
discussion is handed out only once no later follow-up can reach back to it: six weeks of
discussions, ~6,000 of 100,000. As pydantic models they would cost ~48 KB each (~290 MB at
100,000); as JSON ~9 KB. One is parsed again when a follow-up takes it up (~15% of them), and
handed out as its JSON.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import date

from stratui.models import Discussion

# Where the latest discussion of a case is: when it was held and its id.
Latest = tuple[date, str]


class Window:
    def __init__(self) -> None:
        self._order: deque[Latest] = deque()  # oldest first, as generated
        self._json: dict[str, bytes] = {}
        self._latest: dict[str, Latest] = {}
        self._case_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._json)

    def add(self, discussion: Discussion) -> None:
        """Hold a new discussion: the latest of its case."""
        self._order.append((discussion.held_on, discussion.id))
        self._json[discussion.id] = discussion.model_dump_json().encode("utf-8")
        self._latest[discussion.case_ref] = (discussion.held_on, discussion.id)
        self._case_of[discussion.id] = discussion.case_ref

    def latest(self, case_ref: str) -> Latest:
        return self._latest[case_ref]

    def take_up(self, discussion_id: str) -> Discussion:
        """A held discussion to follow up; `put_back` it once the follow-up has changed it."""
        return Discussion.model_validate_json(self._json[discussion_id])

    def put_back(self, discussion: Discussion) -> None:
        self._json[discussion.id] = discussion.model_dump_json().encode("utf-8")

    def release(self, before: date | None = None) -> Iterator[bytes]:
        """Hand out the discussions held before `before` (all of them if None), oldest first, as
        their JSON (Discussion.model_validate_json reads one back)."""
        while self._order and (before is None or self._order[0][0] < before):
            held_on, discussion_id = self._order.popleft()
            case_ref = self._case_of.pop(discussion_id)
            if self._latest.get(case_ref) == (held_on, discussion_id):
                del self._latest[case_ref]  # no follow-up can reach it any more
            yield self._json.pop(discussion_id)
