"""The deadlines: every open deadline that follows from the recorded discussions.

Rules: DOMAIN.md "Deadlines that follow from it". What a deadline is (kinds), the rules per kind
of deadline (rules), the engine that lists them over every summary (engine), the dashboard's
items kept between refreshes, worked out again only where the index changed (kept), and their
words (in_words). Callers import from here.
"""

from stratui.deadlines.engine import case_deadlines, compute_deadlines, dashboard_items
from stratui.deadlines.in_words import time_left_in_words, timescale_rules, working_days_phrase
from stratui.deadlines.kept import KeptItems
from stratui.deadlines.kinds import Deadline, DeadlineKind, DeadlineState
from stratui.deadlines.rules import Timescales, case_key, pre_birth_limit

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineState",
    "KeptItems",
    "Timescales",
    "case_deadlines",
    "case_key",
    "compute_deadlines",
    "dashboard_items",
    "pre_birth_limit",
    "time_left_in_words",
    "timescale_rules",
    "working_days_phrase",
]
