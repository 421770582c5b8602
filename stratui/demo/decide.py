"""What a demo discussion decides, each decision from what it follows from: one place for every rule.

An injury or a disclosure of an offence means enquiries and a joint investigation with police;
not safe at home means immediate protection; a medical examination only where there is one
to have; parents are not told only for a reason the scenario gives.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from stratui.demo.household import Subject
from stratui.demo.scenarios import NOT_INFORM_POLICE, Scenario
from stratui.models import Discussion, DiscussionKind

DISAGREEMENT_CHANCE = 0.08


@dataclass(frozen=True)
class Decided:
    """The decisions of one discussion, before they are written out with their reasons."""

    s47: bool | None  # None: a network meeting, which decides none of these
    joint: bool = False
    protect: bool = False  # and so not safe at home
    medical: bool = False
    legal: bool = False
    inform: bool = True
    disagreement: bool = False


def decide(
    rng: random.Random, scenario: Scenario, kind: DiscussionKind, subject: Subject, earlier: Discussion | None = None
) -> Decided:
    """The decisions for `scenario`; a follow-up (`earlier`) keeps enquiries and police going."""
    if kind is DiscussionKind.NETWORK_MEETING:
        return Decided(s47=None)

    def chance(p: float) -> bool:
        return rng.random() < p

    was = earlier.decisions if earlier is not None else None
    s47 = scenario.injury_or_disclosure or bool(was and was.s47_enquiry.made) or chance(scenario.s47_chance)
    joint = s47 and (
        scenario.injury_or_disclosure
        or bool(was and was.joint_investigation.made)
        or (scenario.offence_possible and chance(scenario.joint_chance))
    )
    # Never before the birth: the pre-birth plan says what happens at the birth.
    protect = s47 and not subject.unborn and chance(scenario.protect_chance)
    # A follow-up arranges no second medical: the first took place (or was not needed).
    medical = s47 and earlier is None and scenario.medical is not None and chance(scenario.medical_chance)
    legal = protect or chance(scenario.legal_chance)
    # "Before the police interview..." is a reason only when police are investigating.
    police_reason = scenario.not_inform_rationales == NOT_INFORM_POLICE
    withhold = (
        s47
        and bool(scenario.not_inform_rationales)
        and (joint or not police_reason)
        and chance(scenario.not_inform_chance)
    )
    return Decided(
        s47=s47,
        joint=joint,
        protect=protect,
        medical=medical,
        legal=legal,
        inform=not withhold,
        disagreement=s47 and chance(DISAGREEMENT_CHANCE),
    )
