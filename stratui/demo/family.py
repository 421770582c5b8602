"""The demo's child and family details (stratui.family), for some records, as a worker fills them.

Read from the record already written, so they fit it: the adults are the carers its current
circumstances name, the alleged source of harm follows from the concern, the referrer is the
agency that raised it, consent and parents told follow the decision on informing parents, and a
child's wishes are asked only of a child old enough. A follow-up keeps the earlier record's family.
Drawn from their own random stream, so the rest of the demo is as it was for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from stratui.demo.words import NationWords
from stratui.family import LEGAL_BASES, Adult, ChildProfile, ConsentToShare, Family, ParentsTold, Referrer
from stratui.models import Child, Discussion

FILLED_SHARE = 0.6
YEAR_DAYS = 365.25

# Who the concern alleges harmed the child, by scenario: "partner" (mother's partner, or father
# where there is no partner), "father", "mother", "carers" (every adult at home), "outside" (no
# one at home); a scenario not listed leaves it not known (an unexplained injury).
ALLEGED = {
    "physical-abuse-disclosure": "partner",
    "domestic-abuse": "partner",
    "pre-birth": "partner",
    "violent-parent-released": "father",
    "fabricated-or-induced-illness": "mother",
    "neglect-baby": "carers",
    "neglect-school-age": "carers",
    "left-alone": "carers",
    "intoxicated-carers": "carers",
    "medical-neglect": "carers",
    "forced-marriage": "carers",
    "online-sexual-exploitation": "outside",
    "exploitation-missing": "outside",
    "criminal-exploitation": "outside",
    "self-harm-online-harm": "outside",
    "parent-admitted-to-hospital": "outside",
}

WOMEN = ("Sarah", "Emma", "Laura", "Gemma", "Kelly", "Rebecca", "Leanne", "Nicola", "Claire", "Jodie", "Fatima", "Shona")
MEN = ("James", "Daniel", "Craig", "Lee", "Mark", "Ryan", "Darren", "Imran", "Jason", "Gareth", "Sean", "Ross")
STREETS = ("Station Road", "Church Lane", "Park Avenue", "Mill Street", "Victoria Road", "Queens Court", "Hill View")
GIRLS = frozenset(
    "Amelia Olivia Ava Mia Ivy Lily Freya Grace Sophia Evie Poppy Ella Aisha Zara Maya Chloe Ruby Amara Hannah Leah "
    "Daisy Harper Isla Florence Willow Esme Imogen Seren Cerys Ffion Efa Mali Nia Eilidh Ailsa Morven Skye Niamh "
    "Aoife Caoimhe Orla Eimear".split()
)
BOYS = frozenset(
    "Noah Oliver Leo Harry Oscar Archie Jack Charlie Alfie Jacob Ethan Kai Reuben Yusuf Kacper Joshua Liam Ibrahim "
    "Adam Theo George Arthur Muhammad Henry Freddie Tyler Rhys Dylan Osian Gethin Iwan Tomos Callum Finlay Lachlan "
    "Ruaridh Euan Fraser Cian Oisin Conor Ciaran Darragh Ronan".split()
)
# (ethnicity, religion, first language) a family with this surname is likely to give.
BY_SURNAME = {
    "Patel": ("Asian or Asian British: Indian", "Hindu", "English"),
    "Khan": ("Asian or Asian British: Pakistani", "Muslim", "English"),
    "Ahmed": ("Asian or Asian British: Bangladeshi", "Muslim", "English"),
    "Ali": ("Asian or Asian British: Pakistani", "Muslim", "English"),
    "Hussain": ("Asian or Asian British: Pakistani", "Muslim", "English"),
    "Okafor": ("Black or Black British: African", "Christian", "English"),
    "Kowalski": ("White: Other (Polish)", "Roman Catholic", "Polish"),
}
WHITE = {"scotland": "White: Scottish", "northern-ireland": "White", "wales": "White: British", "england": "White: British"}
RELIGIONS = {
    "northern-ireland": ("Catholic", "Protestant", "No religion"),
    "wales": ("No religion", "Christian", "No religion"),
    "scotland": ("No religion", "Church of Scotland", "Roman Catholic"),
    "england": ("No religion", "Christian", "No religion"),
}
WISHES = (
    "{child} said they want to stay at home but want the shouting to stop.",
    "{child} said they feel safe at school and did not want to talk about home yet.",
    "{child} said they want someone to help their mum.",
    "{child} asked who would be told about what they said, and wants to be kept informed.",
)
TEEN_WISHES = (
    "{child} said they do not want to be moved and want to be listened to.",
    "{child} wants to choose who they speak to and asked that their friends are not told.",
)
SEEN_ALONE_YEARS = 4


def fill_family(
    rng: random.Random,
    d: Discussion,
    scenario_key: str,
    previous: Discussion | None,
    words: NationWords,
    today: date,
    add_working_days: Callable[[date, int], date],
) -> None:
    """Fill `d`'s family (and its children's profiles) for some records; a follow-up keeps the earlier's."""
    if previous is not None:
        # The children (with their profiles) were copied already: the same family, the same
        # referrer; consent and telling the parents, once done, stay done.
        if not previous.family.is_blank:
            was = previous.family.model_copy(deep=True)
            d.family = Family(
                adults=was.adults,
                referrer=was.referrer,
                consent=was.consent if was.consent.sought else _consent(rng, d),
                parents_told=was.parents_told if was.parents_told.on else _parents_told(d, today),
            )
        return
    if rng.random() >= FILLED_SHARE:
        return
    surname = d.children[0].name.split()[-1]
    for child in d.children:
        if child.date_of_birth is not None:
            child.profile = _profile(rng, child, d.held_on, surname, words.nation)
    d.family = Family(
        adults=_adults(rng, d, ALLEGED.get(scenario_key), surname, words),
        referrer=_referrer(rng, d, words, today, add_working_days),
        consent=_consent(rng, d),
        parents_told=_parents_told(d, today),
    )


def _profile(rng: random.Random, child: Child, held_on: date, surname: str, nation: str) -> ChildProfile:
    assert child.date_of_birth is not None
    years = (held_on - child.date_of_birth).days / YEAR_DAYS
    first = child.name.split()[0]
    ethnicity, religion, language = BY_SURNAME.get(surname, (WHITE[nation], rng.choice(RELIGIONS[nation]), "English"))
    if language == "English" and nation == "wales" and rng.random() < 0.2:
        language = "Welsh"
    autistic = years >= 3 and rng.random() < 0.1
    seen = rng.random() < 0.7
    alone = seen and years >= SEEN_ALONE_YEARS and rng.random() < 0.8
    if not seen:
        reason = ""
    elif years < SEEN_ALONE_YEARS:
        reason = "Too young to be seen alone: seen with their carer"
    else:
        reason = "" if alone else "Would not speak without their mother in the room"
    wishes = ""
    if seen and years >= SEEN_ALONE_YEARS:
        wishes = rng.choice(TEEN_WISHES if years >= 12 else WISHES).replace("{child}", first)
    return ChildProfile(
        gender="Female" if first in GIRLS else "Male" if first in BOYS else "",
        ethnicity=ethnicity,
        religion=religion,
        first_language=language,
        # Bilingual children speak English at school; a young one may need an interpreter.
        interpreter_needed=language == "Polish" and years < 5,
        disability="Autism spectrum condition" if autistic else "None known",
        communication_needs="Short questions, time to answer, a visual timetable" if autistic else "",
        wishes_and_feelings=wishes,
        seen=seen,
        seen_alone=alone if seen else None,
        not_seen_alone_reason=reason,
    )


def _adults(rng: random.Random, d: Discussion, alleged: str | None, surname: str, words: NationWords) -> list[Adult]:
    """The carers the record's current circumstances name, and a parent living elsewhere."""
    home = f"{rng.randrange(2, 90)} {rng.choice(STREETS)}"
    away = f"{rng.randrange(2, 90)} {rng.choice(STREETS)}"
    lives = d.information.current_circumstances.lower()
    unborn = d.children[0].date_of_birth is None
    children = [c.name.split()[0] if c.date_of_birth else "the unborn baby" for c in d.children]
    of = " and ".join(children) if len(children) < 3 else ", ".join(children[:-1]) + " and " + children[-1]

    def adult(first: str, last: str, relationship: str, pr: bool, address: str, who: str) -> Adult:
        if alleged is None:
            harm = None
        elif alleged == "carers":
            harm = address == home
        else:
            harm = alleged == who
        return Adult(
            name=f"{first} {last}",
            relationship=relationship,
            # No one holds parental responsibility for a child not yet born.
            parental_responsibility=None if unborn else pr,
            address=address,
            alleged_source_of_harm=harm,
        )

    if "lives with father" in lives:
        father = adult(rng.choice(MEN), surname, f"father of {of}", True, home, "father")
        return [father, adult(rng.choice(WOMEN), surname, f"mother of {of}, lives apart", True, away, "mother")]
    mother = adult(rng.choice(WOMEN), surname, f"mother of {of}", True, home, "mother")
    if "both parents" in lives:
        who = "father" if alleged == "father" else "partner"
        return [mother, adult(rng.choice(MEN), surname, f"father of {of}", True, home, who)]
    if "partner" in lives:
        relationship = "mother's partner, the baby's father" if unborn else "mother's partner"
        return [mother, adult(rng.choice(MEN), rng.choice(words.surnames), relationship, False, home, "partner")]
    if rng.random() < 0.5:
        # A father living apart has parental responsibility when he is on the birth certificate.
        father = adult(rng.choice(MEN), surname, f"father of {of}, lives apart", rng.random() < 0.7, away, "father")
        return [mother, father]
    return [mother]


def _referrer(
    rng: random.Random, d: Discussion, words: NationWords, today: date, add_working_days: Callable[[date, int], date]
) -> Referrer:
    agency = next((a for a in words.agencies.values() if a.name == d.concern_source), None)
    role = agency.roles[0] if agency else "Referrer"
    given = None
    on = None
    if d.held_on < today:
        on = min(today, add_working_days(d.held_on, rng.choice((0, 1, 1, 2))))
        given = True
    family_name = d.children[0].name.split()[-1]
    surname = rng.choice([s for s in words.surnames if s != family_name])
    return Referrer(
        name=f"{rng.choice(WOMEN + MEN)} {surname}",
        agency_role=f"{role}, {d.concern_source}",
        relationship="professional working with the family",
        feedback_given=given,
        feedback_on=on,
    )


def _consent(rng: random.Random, d: Discussion) -> ConsentToShare:
    inform = d.decisions.inform_parents.made
    if inform is False:
        # Not told yet: asking for consent would tell them.
        return ConsentToShare(
            sought=False,
            not_sought_reason="Seeking consent would alert the family before the enquiry can protect the child",
            legal_basis=LEGAL_BASES[0],
        )
    return ConsentToShare(sought=True, given=rng.random() < 0.8, legal_basis=LEGAL_BASES[0])


def _parents_told(d: Discussion, today: date) -> ParentsTold:
    informing = d.decisions.inform_parents
    if informing.made and informing.inform_by is not None and d.held_on <= informing.inform_by < today:
        return ParentsTold(on=informing.inform_by, by=d.social_worker)
    return ParentsTold()
