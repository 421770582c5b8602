"""A demo network meeting's own parts: its purpose, the family at the table, coordination and
care-plan items that fit the child's age, and the review of the previous meeting's actions.

Drawn from a stream of their own, so the strategy discussions of a seed stay as they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from stratui.demo.household import Subject
from stratui.demo.scenarios import YEAR
from stratui.demo.words import ADULT_MENTAL_HEALTH, CSC, GP, HEALTH_VISITING, HOUSING, NURSERY, SCHOOL
from stratui.models import FAMILY, ActionCategory, ActionStatus, Attendance, Discussion, Participant, format_date

PURPOSES = (
    "To review the support plan for {child} and the family and agree who does what before the next meeting.",
    "To bring the professionals and the family together, share how things are going and coordinate the services around {child}.",
    "To check progress on the care plan, hear from the family what is helping, and agree changes.",
    "To agree how the agencies work together so the family is not visited by everyone on the same day, and to review the plan.",
)

# The share of the previous meeting's still-open actions the review finds done, and dropped.
DONE_AT_REVIEW = 0.3
DROPPED_AT_REVIEW = 0.1
DROPPED_REASONS = (
    "No longer needed: the family found the support elsewhere.",
    "Overtaken by the new plan agreed at this meeting.",
)


@dataclass(frozen=True)
class Item:
    text: str
    agency: str  # the agency key owning it (CSC when that agency is not at the table)
    # The child's age it fits, in months: (from, to); None = any age, unborn included.
    ages: tuple[int, int] | None = None


COORDINATION = (
    Item("Keep one shared chronology of contact with the family; each agency adds its own weekly.", CSC),
    Item("Plan visits so the family has no more than one professional visit a day.", CSC),
    Item("Share {child}'s school attendance with the social worker each Friday.", SCHOOL, (4 * YEAR, 18 * YEAR)),
    Item("Tell the network of any missed health appointment for {child} within a day.", GP, (0, 18 * YEAR)),
    Item("Health visitor and family support worker to visit on alternate weeks.", HEALTH_VISITING, (0, 5 * YEAR)),
    Item("Nursery to share {child}'s attendance and any concern with the social worker weekly.", NURSERY, (2 * YEAR, 5 * YEAR)),
    Item("Update the network on the repairs to the home and any move.", HOUSING),
    Item("Tell the social worker of any change in mother's treatment plan.", ADULT_MENTAL_HEALTH),
)
CARE_PLAN = (
    Item("Family support worker to help with morning routines twice a week.", CSC, (0, 18 * YEAR)),
    Item("Refer mother to the parenting programme starting next month.", CSC),
    Item("Make the food bank and debt advice referrals with mother.", CSC),
    Item("Review {child}'s weight and development monthly.", HEALTH_VISITING, (0, 5 * YEAR)),
    Item("Apply for a funded nursery place for {child}.", CSC, (2 * YEAR, 4 * YEAR)),
    Item("Arrange a school mentor for {child} and a weekly check-in.", SCHOOL, (5 * YEAR, 18 * YEAR)),
    Item("Agree with grandmother the evenings she cares for {child}.", CSC, (0, 18 * YEAR)),
)
# Family members the demo seats when the record names no parent or carer.
FAMILY_FIRST_NAMES = {
    "Mother": ("Sarah", "Emma", "Laura", "Kelly", "Gemma", "Rachel", "Natalie", "Joanne"),
    "Grandmother": ("Margaret", "Susan", "Linda", "Carol", "Janet"),
    "Father": ("Daniel", "Mark", "Lee", "Craig", "Steven"),
}


def fits(item: Item, child: Subject) -> bool:
    if item.ages is None:
        return True
    return child.months is not None and item.ages[0] <= child.months < item.ages[1]


def purpose(rng: random.Random, child: Subject, text: Callable[[str, Subject], str]) -> str:
    return text(rng.choice(PURPOSES), child)


def items(
    rng: random.Random,
    child: Subject,
    people: dict[str, str],
    agency_name: Callable[[str], str],
    text: Callable[[str, Subject], str],
    due: Callable[[int], date],
    new_id: Callable[[], str],
) -> list[dict[str, object]]:
    """One or two coordination and one or two care-plan items, owned by who is at the table.

    `people`: agency key -> the first person present for it; `due(n)`: n working days on.
    """
    found: list[dict[str, object]] = []
    for category, pool in ((ActionCategory.COORDINATION, COORDINATION), (ActionCategory.CARE_PLAN, CARE_PLAN)):
        fitting = [item for item in pool if fits(item, child) and (item.agency in people or item.agency == CSC)]
        for item in rng.sample(fitting, min(len(fitting), rng.randint(1, 2))):
            key = item.agency if item.agency in people else CSC
            found.append(
                dict(
                    id=new_id(),
                    text=text(item.text, child),
                    owner=people[CSC] if key not in people else people[key],
                    agency=agency_name(key),
                    due=due(rng.choice((5, 10, 15, 20))),
                    category=category,
                )
            )
    return found


def seat_family(rng: random.Random, d: Discussion, new_id: Callable[[], str]) -> None:
    """The family at the table: the parents and carers the record names (not one alleged to
    harm the child), else a mother or grandmother; once, a follow-up has them already."""
    if any(p.agency == FAMILY for p in d.participants):
        return
    adults = [a for a in d.family.adults if a.alleged_source_of_harm is not True][:2]
    if adults:
        seats = [(a.name, a.relationship or "parent") for a in adults]
    else:
        surname = d.children[0].name.split()[-1] if d.children else "Smith"
        role = rng.choice(("Mother", "Mother", "Grandmother", "Father"))
        seats = [(f"{rng.choice(FAMILY_FIRST_NAMES[role])} {surname}", role)]
    for name, relationship in seats:
        d.participants.append(
            Participant(id=new_id(), name=name, role=relationship, agency=FAMILY, attendance=Attendance.PRESENT)
        )


def review(rng: random.Random, earlier: Discussion, carried: list[dict[str, object]], held_on: date, by: str) -> list[dict[str, object]]:
    """The previous meeting's actions reviewed at a meeting on `held_on`: some of those still
    open are found done or dropped (closed in the earlier record, no longer carried); the rest
    stay carried. Returns the carried copies left; `earlier.actions` then hold every state."""
    kept = []
    for copy in carried:
        draw = rng.random()
        if draw >= DONE_AT_REVIEW + DROPPED_AT_REVIEW:
            kept.append(copy)
            continue
        dropped = draw >= DONE_AT_REVIEW
        note = rng.choice(DROPPED_REASONS) if dropped else f"Done: confirmed at the network meeting of {format_date(held_on)}"
        earlier.close_action(
            str(copy["carried_from"]), ActionStatus.DROPPED if dropped else ActionStatus.DONE, held_on, by, note
        )
    return kept
