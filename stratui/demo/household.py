"""The children of a demo household: the one the concern is about, siblings, others at home.

Names are distinct and birthdays at least ten months apart (no twins in the demo); an unborn
baby has a due date in `age` and no date of birth; some others at home have only an age.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stratui.demo.scenarios import Scenario
from stratui.models import Child, format_date

Part = dict[str, object]

SIBLING_GAP_DAYS = 300
DAYS_PER_MONTH = 30.44
CHILDREN_IN_HOUSEHOLD = (1, 1, 2, 2, 3)
OLDEST_DAYS = 18 * 365
# Before the birth, the youngest child at home was born at least a year before the due date.
BEFORE_THE_DUE_DATE_DAYS = 365


@dataclass(frozen=True)
class Subject:
    """The child the concern is about: first name as texts use it, age in months (None: unborn)."""

    name: str
    months: int | None

    @property
    def unborn(self) -> bool:
        return self.months is None

    def old_enough(self, months: int) -> bool:
        return self.months is not None and self.months >= months


UNBORN = Subject("the unborn baby", None)


def whole_years(born: date, on: date) -> int:
    """Age in completed years, as a birthday counts it."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def subject_on(child: Child, held_on: date) -> Subject:
    """The subject as of a later discussion (a follow-up): older, or still unborn."""
    if child.date_of_birth is None:
        return UNBORN
    return Subject(child.name.split()[0], int((held_on - child.date_of_birth).days / DAYS_PER_MONTH))


def household(
    rng: random.Random,
    scenario: Scenario,
    surname: str,
    held_on: date,
    first_names: tuple[str, ...],
    unborn_days: tuple[int, int],
) -> tuple[list[Part], list[Part], Subject]:
    """The children discussed, the other children at home, and the subject (the first discussed).

    `unborn_days`: how long before the due date a pre-birth discussion is held, [from, to).
    """
    # (age in days, whether the record gives an age rather than a date of birth) per child.
    ages: list[tuple[int, bool]] = []
    names: set[str] = set()
    children: list[Part] = []
    if scenario.months is None:
        due = held_on + timedelta(days=rng.randrange(*unborn_days))
        children.append(dict(name=f"Unborn baby {surname}", age=f"unborn, due {format_date(due)}", profile=dict(due_date=due)))
        ages.append((-(due - held_on).days, False))
        subject = UNBORN
        youngest = BEFORE_THE_DUE_DATE_DAYS - (due - held_on).days
    else:
        lo, hi = (int(m * DAYS_PER_MONTH) for m in scenario.months)
        hi += int(DAYS_PER_MONTH)  # up to the end of the oldest month
        first = _child(rng, surname, held_on, lo, hi, ages, names, first_names)
        assert first is not None  # the first child has no one to be kept apart from
        children.append(first)
        subject = Subject(_first_name(first), int(ages[0][0] / DAYS_PER_MONTH))
        if scenario.household:
            for _ in range(rng.choice(CHILDREN_IN_HOUSEHOLD) - 1):
                sibling = _child(rng, surname, held_on, lo, hi, ages, names, first_names)
                if sibling is not None:
                    children.append(sibling)
        youngest = 0
    others: list[Part] = []
    if rng.random() < 0.4:
        for _ in range(rng.choice((1, 1, 2))):
            by_age = rng.random() < 0.3
            other = _child(rng, surname, held_on, max(0, youngest), OLDEST_DAYS, ages, names, first_names, by_age)
            if other is not None:
                others.append(other)
    return children, others, subject


def _first_name(child: Part) -> str:
    return str(child["name"]).split()[0]


def _child(
    rng: random.Random,
    surname: str,
    held_on: date,
    youngest_days: int,
    oldest_days: int,
    ages: list[tuple[int, bool]],
    names: set[str],
    first_names: tuple[str, ...],
    by_age: bool = False,
) -> Part | None:
    """A child aged between the bounds (in days), kept apart from `ages`; None if none fits."""
    for _ in range(12):
        days = rng.randrange(youngest_days, oldest_days)
        born = held_on - timedelta(days=days)
        years = whole_years(born, held_on)
        # An age without a date of birth is told apart from the others by its whole years only.
        if all(
            abs(days - other) >= SIBLING_GAP_DAYS
            and not ((by_age or other_by_age) and years == whole_years(held_on - timedelta(days=other), held_on))
            for other, other_by_age in ages
        ):
            break
    else:
        return None
    first = rng.choice(first_names)
    while first in names:
        first = rng.choice(first_names)
    names.add(first)
    ages.append((days, by_age))
    name = f"{first} {surname}"
    if by_age:
        return dict(name=name, age=str(years) if rng.random() < 0.5 else f"about {years}")
    return dict(name=name, date_of_birth=born)
