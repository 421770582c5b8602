"""Texts of the demo record that fit any concern: attendance, safety, closing notes, addenda.

They use the nation's words by key, as scenarios.py does.
"""

from __future__ import annotations

from dataclasses import dataclass

from stratui.demo.words import CSC, POLICE, SCHOOL

SOURCE_RELIABILITY = (
    "Information from professionals who have seen {child} directly; consistent across agencies.",
    "The referrer saw {child} today; what they describe is consistent with what other agencies hold.",
)
MALICIOUS_RELIABILITY = (
    "The anonymous caller has made three previous reports about this family during a contact dispute; none were substantiated.",
    "The referrer may be the estranged partner, currently in proceedings over child arrangements; the detail given does not match what school has seen.",
)
FAMILY_HISTORY = (
    "Mother was herself looked after as a child; she has limited family support nearby.",
    "No previous involvement with any agency; the family moved to the area last year.",
    "Father has a history of substance misuse and completed a treatment programme in 2023.",
    "The family arrived in the UK eighteen months ago; an interpreter is needed for father.",
)
HOMES = (
    "in a two-bedroom flat",
    "in temporary accommodation, under notice from the landlord",
    "in a housing association house",
    "in a privately rented flat above a shop",
)
S47_NO_RATIONALES = (
    "The concern is not corroborated by any agency that sees {child}; the threshold for {the_enquiry} is not met but needs are identified.",
    "The incident appears isolated and the non-abusing parent has acted protectively; the threshold for {the_enquiry} is not met.",
)
NO_S47_NEXT_STEPS = (
    "Continue the {assessment}; the social worker to visit within five working days.",
    "Step down to {early_help}; agencies to refer again if concerns continue.",
)
SAFE_AT_HOME_YES = (
    "Safety plan agreed: the alleged perpetrator will not return to the home while enquiries are made.",
    "Mother is protective and has agreed to the safety plan; grandmother will stay with the family.",
    "No immediate risk identified that cannot be managed with the plan below.",
)
SAFE_BEFORE_BIRTH = "The baby is not yet born; the pre-birth plan will set out what happens at the birth."
SAFE_AT_HOME_NO = (
    "{child} cannot safely return home tonight and will stay with grandmother under a safety plan.",
    "{child} cannot be kept safe at home tonight: a placement with foster carers while enquiries are made.",
)
IMMEDIATE_PROTECTION_DETAILS = (
    "{child} to stay with maternal grandmother; the parents agreed in writing.",
    "{police_powers} used; emergency foster placement found by the out-of-hours team.",
    "The adult of concern agreed to leave the home; police to check compliance tonight.",
)


@dataclass(frozen=True)
class Threshold:
    details: str
    resolution: str  # "" when it was escalated instead


THRESHOLDS = (
    Threshold(
        "Police considered the information insufficient for {the_enquiry}; {csc} and health considered the threshold met.",
        "Agreed after discussion with the team manager to proceed with {the_enquiry} and review in two days.",
    ),
    Threshold(
        "Police considered the information insufficient for {the_enquiry}; {csc} and health considered the threshold met.",
        "",
    ),
)
CONTINGENCIES = (
    "If the safety plan breaks down, the out-of-hours team will place {child} with grandmother.",
    "If {child} cannot be seen by tomorrow, the team manager will review and consider police involvement.",
)
CONTINGENCY_MEDICAL = "If the parents refuse consent for the medical, seek legal advice the same day."
CONTINGENCY_BEFORE_BIRTH = (
    "If the baby is born before the plan is agreed, the hospital will not discharge the baby until the social worker has been told."
)
ABSENCE_REASONS = (
    "Sent a written summary by email before the call.",
    "On annual leave; a colleague sent written information.",
    "In court all day; written information provided.",
    "Could not be reached in the time available; information to be sought after the discussion.",
    "Clinic commitments; joined the first ten minutes by phone and sent written information.",
)
DONE_NOTES = (
    "Done; the outcome is recorded on the case file.",
    "Completed and shared with all agencies by email.",
    "Done; no new concerns arose.",
    "Completed; see the case note of the same day.",
    "Done on time.",
)
DROPPED_NOTES = (
    "No longer needed: the family moved out of the area.",
    "Superseded by the decision at the follow-up discussion.",
)
LATE_REASONS = (
    "Held late: police could not attend sooner and the child was safe with grandmother meanwhile.",
    "Held late: the referral arrived on a Friday evening and risk was managed by the out-of-hours team.",
    "Held late: waited for the paediatrician's availability, agreed with the team manager.",
)
ADDENDUM_REASONS = (
    (
        "Police information received after sign-off.",
        "Police confirmed a further call-out to the address two days before the discussion; it does not change the decisions.",
    ),
    (
        "Correction to a date of birth.",
        "A child's date of birth was recorded incorrectly on the referral; corrected on the case file.",
    ),
    (
        "Clarification requested by health.",
        "Health asked for it to be recorded that the missed appointments were rearranged by the hospital, not the family.",
    ),
)


@dataclass(frozen=True)
class FollowUp:
    """Why a case is discussed again: what is new, how it came to light, who raised it."""

    concerns: str
    came_to_light: str
    source: str
    needs_child_seen: bool = False  # the child is old enough to be seen alone
    needs_joint: bool = False  # police are already investigating
    needs_s47: bool = False


FOLLOW_UPS = (
    FollowUp(
        "Review of progress: {child} has not yet been seen alone and the enquiry is not progressing.",
        "The social worker asked the team manager to reconvene after two unsuccessful home visits.",
        CSC,
        needs_child_seen=True,
    ),
    FollowUp(
        "New information: police received a further report of an incident at the home since the last discussion.",
        "Police shared the report this morning.",
        POLICE,
    ),
    FollowUp(
        "Review before key decisions: agencies to update on the enquiry before the {conference} is booked.",
        "Planned review agreed at the previous discussion.",
        CSC,
        needs_s47=True,
    ),
    FollowUp(
        "Circumstances have changed: the adult named in the safety plan has returned to the home.",
        "A neighbour told the social worker the adult was back at the weekend.",
        CSC,
    ),
    FollowUp(
        "{child} has made a further disclosure since the last discussion.",
        "Disclosure to a trusted adult at school, passed to the school's safeguarding lead the same day.",
        SCHOOL,
        needs_child_seen=True,
        needs_joint=True,
    ),
)
