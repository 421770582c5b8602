"""The child and the family: who each child is, the adults around them, the referrer, consent.

All optional: typed when known (a child's detail form, the Details screen's adults and referrer),
never in the way of a phone call. Old records without them load with the blank defaults.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from stratui.text_types import LongText, ShortText


class FamilyPart(BaseModel):
    # The rule of models.Record (which imports this module, so cannot be imported here): an
    # unknown key is an error, never silently dropped.
    model_config = ConfigDict(extra="forbid")

    @property
    def is_blank(self) -> bool:
        """Nothing recorded: the minutes leave the part out."""
        return self == type(self).model_construct()


class ChildProfile(FamilyPart):
    """About one child, beyond the name and age typed in the child's row."""

    # An unborn child: the expected date of delivery (the row's age box may say "unborn" too).
    due_date: date | None = None
    gender: ShortText = ""
    ethnicity: ShortText = ""
    religion: ShortText = ""
    first_language: ShortText = ""
    interpreter_needed: bool | None = None
    disability: ShortText = ""
    communication_needs: ShortText = ""
    wishes_and_feelings: LongText = ""
    seen: bool | None = None
    seen_alone: bool | None = None
    # Working Together: a child is seen alone unless there is a reason not to, and it is recorded.
    not_seen_alone_reason: ShortText = ""


class Adult(FamilyPart):
    """A parent or carer (or another adult who matters to the child's safety)."""

    name: ShortText
    # To which child: "mother of Ava and Leo", "mother's partner".
    relationship: ShortText = ""
    parental_responsibility: bool | None = None
    address: ShortText = ""
    alleged_source_of_harm: bool | None = None


class Referrer(FamilyPart):
    name: ShortText = ""
    agency_role: ShortText = ""
    relationship: ShortText = ""  # to the child: class teacher, neighbour, grandmother
    # Referrers are told what happens next (unless that would put the child at risk).
    feedback_given: bool | None = None
    feedback_on: date | None = None


class ConsentToShare(FamilyPart):
    """Consent to share information with the other agencies, and the legal basis for sharing.

    Consent is sought where that is safe; without it information is still shared under a legal
    basis when a child may be at risk of significant harm.
    """

    sought: bool | None = None
    given: bool | None = None  # True given, False refused
    not_sought_reason: ShortText = ""
    legal_basis: ShortText = ""


class ParentsTold(FamilyPart):
    """When the parents/carers were in fact told of the discussion, and by whom."""

    on: date | None = None
    by: ShortText = ""


class Family(FamilyPart):
    adults: list[Adult] = []
    referrer: Referrer = Referrer()
    consent: ConsentToShare = ConsentToShare()
    parents_told: ParentsTold = ParentsTold()


# Suggestions for the legal basis box, not a rule: the team's information-sharing agreement names
# its own. A local authority shares under UK GDPR Art 6(1)(e) (public task) and, for special
# category data (health, ethnicity, religion), Art 9(2)(g) with DPA 2018 Schedule 1 paragraph 18
# (safeguarding of children and of individuals at risk); the police's law-enforcement processing
# is under DPA 2018 Part 3, Schedule 8 paragraph 4.
LEGAL_BASES = [
    "UK GDPR Art 6(1)(e), Art 9(2)(g); DPA 2018 Sch 1 para 18",
    "UK GDPR Art 6(1)(c) legal obligation; DPA 2018 Sch 1 para 18",
    "DPA 2018 Part 3, Sch 8 para 4 (police)",
]

GENDERS = ["Female", "Male", "Non-binary", "Not known", "Prefers not to say"]
# The census ethnic groups (England and Wales 2021), as most case systems list them.
ETHNICITIES = [
    "White: British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other",
    "Mixed: White and Black Caribbean",
    "Mixed: White and Black African",
    "Mixed: White and Asian",
    "Mixed: Other",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Bangladeshi",
    "Asian or Asian British: Chinese",
    "Asian or Asian British: Other",
    "Black or Black British: African",
    "Black or Black British: Caribbean",
    "Black or Black British: Other",
    "Arab",
    "Other ethnic group",
    "Not known",
]
