"""Each nation's words, agencies and names for the demo: a Scottish team's demo reads as Scotland's.

The scenarios' texts name things by key ({csc}, {the_enquiry}, {conference}...); `NationWords.fill`
puts in the nation's words. The records carry no nation: the nation shapes only text and agencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The agencies a scenario invites, by key; each nation names them its own way (AGENCY_TABLES).
CSC = "csc"
POLICE = "police"
HEALTH = "health"
GP = "gp"
HEALTH_VISITING = "health-visiting"
MIDWIFERY = "midwifery"
PAEDIATRICS = "paediatrics"
SCHOOL = "school"
NURSERY = "nursery"
ADULT_MENTAL_HEALTH = "adult-mental-health"
CAMHS = "camhs"
PROBATION = "probation"
HOUSING = "housing"
YOUTH_JUSTICE = "youth-justice"
EXPLOITATION = "exploitation"


@dataclass(frozen=True)
class Agency:
    name: str
    roles: tuple[str, ...]


class _Keep(dict):
    # Keys the nation does not fill ({child}) stay as they are, to be filled per discussion.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class NationWords:
    nation: str
    words: dict[str, str]
    agencies: dict[str, Agency]
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    _filled: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        """`text` in this nation's words; {child} and other per-record keys are kept."""
        found = self._filled.get(text)
        if found is None:
            found = self._filled[text] = text.format_map(_Keep(self.words))
        return found


# fmt: off
_COMMON_FIRST = (
    "Amelia", "Olivia", "Ava", "Mia", "Ivy", "Lily", "Freya", "Grace", "Sophia", "Evie", "Poppy",
    "Ella", "Aisha", "Zara", "Maya", "Chloe", "Ruby", "Amara", "Hannah", "Leah", "Daisy", "Harper",
    "Noah", "Oliver", "Leo", "Harry", "Oscar", "Archie", "Jack", "Charlie", "Alfie", "Jacob",
    "Ethan", "Kai", "Reuben", "Yusuf", "Kacper", "Joshua", "Liam", "Ibrahim", "Adam", "Theo",
)
_COMMON_SURNAMES = (
    "Smith", "Brown", "Wilson", "Taylor", "Johnson", "Patel", "Robinson", "Walker", "White", "Green",
    "Hall", "Clarke", "Martin", "Cooper", "Hill", "Khan", "Ahmed", "Ali", "Hussain", "Kowalski", "Okafor",
)
_FIRST = {
    "england": ("Isla", "Florence", "Willow", "Esme", "Imogen", "George", "Arthur", "Muhammad", "Henry", "Freddie", "Tyler"),
    "wales": ("Seren", "Cerys", "Ffion", "Efa", "Mali", "Nia", "Rhys", "Dylan", "Osian", "Gethin", "Iwan", "Tomos"),
    "scotland": ("Eilidh", "Isla", "Ailsa", "Morven", "Skye", "Callum", "Finlay", "Lachlan", "Ruaridh", "Euan", "Fraser"),
    "northern-ireland": ("Niamh", "Aoife", "Caoimhe", "Orla", "Eimear", "Cian", "Oisin", "Conor", "Ciaran", "Darragh", "Ronan"),
}
_SURNAMES = {
    "england": ("Jones", "Wright", "Thompson", "Roberts", "Turner", "Ward", "Moore", "Baker", "Parker", "Bennett"),
    "wales": ("Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths", "Price", "Pritchard"),
    "scotland": ("MacDonald", "Campbell", "Stewart", "Robertson", "Fraser", "Murray", "Reid", "Ross", "Paterson", "McKenzie"),
    "northern-ireland": ("O'Neill", "Murphy", "Kelly", "McLaughlin", "Doherty", "Quinn", "Campbell", "Patterson", "Boyd", "McCann"),
}
# fmt: on

# Police and health as the team's area has them: one each for the whole demo.
_ENGLAND_AGENCIES = {
    CSC: Agency("Children's social care", ("Social worker", "Team manager")),
    POLICE: Agency("Police", ("Detective constable", "Police officer")),
    HEALTH: Agency("Health", ("Named nurse", "Safeguarding nurse")),
    GP: Agency("GP", ("GP",)),
    HEALTH_VISITING: Agency("Health visiting", ("Health visitor",)),
    MIDWIFERY: Agency("Midwifery", ("Midwife", "Safeguarding midwife")),
    PAEDIATRICS: Agency("Paediatrics", ("Paediatrician", "Consultant paediatrician")),
    SCHOOL: Agency("School", ("Designated safeguarding lead", "Head teacher")),
    NURSERY: Agency("Nursery / early years", ("Nursery manager", "Designated safeguarding lead")),
    ADULT_MENTAL_HEALTH: Agency("Adult mental health", ("Mental health practitioner", "Care coordinator")),
    CAMHS: Agency("CAMHS", ("CAMHS practitioner", "Clinical psychologist")),
    PROBATION: Agency("Probation", ("Probation officer",)),
    HOUSING: Agency("Housing", ("Housing officer",)),
    YOUTH_JUSTICE: Agency("Youth justice", ("Youth justice worker",)),
    EXPLOITATION: Agency("Exploitation / missing team", ("Exploitation lead", "Missing person coordinator")),
}


def _health_services(board: str) -> dict[str, Agency]:
    """Health's services under one board or trust (Wales, Scotland, Northern Ireland)."""
    return {
        HEALTH: Agency(board, ("Named nurse", "Safeguarding nurse")),
        HEALTH_VISITING: Agency(f"{board} health visiting", ("Health visitor",)),
        MIDWIFERY: Agency(f"{board} midwifery", ("Midwife", "Safeguarding midwife")),
        PAEDIATRICS: Agency(f"{board} paediatrics", ("Paediatrician", "Consultant paediatrician")),
        ADULT_MENTAL_HEALTH: Agency(f"{board} adult mental health", ("Mental health practitioner", "Care coordinator")),
        CAMHS: Agency(f"{board} CAMHS", ("CAMHS practitioner", "Clinical psychologist")),
    }


_WALES_AGENCIES = {
    **_ENGLAND_AGENCIES,
    CSC: Agency("Social services", ("Social worker", "Team manager")),
    POLICE: Agency("South Wales Police", ("Detective constable", "Police officer")),
    **_health_services("Cardiff and Vale University Health Board"),
    YOUTH_JUSTICE: Agency("Youth justice service", ("Youth justice worker",)),
}
_SCOTLAND_AGENCIES = {
    **_ENGLAND_AGENCIES,
    CSC: Agency("Social work", ("Social worker", "Team leader")),
    POLICE: Agency("Police Scotland", ("Detective constable", "Police officer")),
    **_health_services("NHS Lothian"),
    # The Named Person: the health visitor before school, the head teacher after.
    HEALTH_VISITING: Agency("NHS Lothian health visiting", ("Health visitor (Named Person)",)),
    SCHOOL: Agency("School", ("Head teacher (Named Person)", "Child protection coordinator")),
    PROBATION: Agency("Justice social work", ("Justice social worker",)),
}
_NORTHERN_IRELAND_AGENCIES = {
    **_ENGLAND_AGENCIES,
    # The trust employs the social workers and the health staff: the role says which seat.
    CSC: Agency("Belfast HSC Trust Gateway team", ("Social worker", "Team leader")),
    POLICE: Agency("PSNI", ("Detective constable", "Police officer")),
    **_health_services("Belfast HSC Trust"),
    SCHOOL: Agency("School", ("Designated teacher", "Principal teacher")),
    PROBATION: Agency("Probation Board", ("Probation officer",)),
    HOUSING: Agency("Housing Executive", ("Housing officer",)),
    YOUTH_JUSTICE: Agency("Youth Justice Agency", ("Youth justice worker",)),
}

_ENGLAND_WORDS = dict(
    discussion="strategy discussion",
    csc="children's social care",
    csc_team="the children's social care front door",
    the_enquiry="section 47 enquiries",
    enquiry_visit="section 47 home visit",
    conference="initial child protection conference (ICPC)",
    conference_short="ICPC",
    conference_held="Initial child protection conference held.",
    assessment="child and family assessment",
    assessment_done="Child and family assessment completed.",
    interview="an achieving best evidence (ABE) interview",
    police_checks="PNC and local police intelligence checks",
    police_powers="Police protection powers",
    legal_step="the threshold for care proceedings",
    early_help="early help with a family support worker",
    support_plan="child in need plan",
    sarc="the sexual assault referral centre (SARC)",
    notification="A domestic abuse notification was shared with children's social care this morning",
)
_WORDS: dict[str, dict[str, str]] = {
    "england": _ENGLAND_WORDS,
    "wales": {
        **_ENGLAND_WORDS,
        "csc": "social services",
        "csc_team": "the social services duty team",
        "assessment": "Part 3 assessment",
        "assessment_done": "Part 3 assessment completed.",
        "support_plan": "care and support plan",
        "notification": "A domestic abuse notification was shared with social services this morning",
    },
    "scotland": {
        "discussion": "IRD",
        "csc": "social work",
        "csc_team": "the social work duty team",
        "the_enquiry": "a joint child protection investigation",
        "enquiry_visit": "home visit for the child protection investigation",
        "conference": "child protection planning meeting (CPPM)",
        "conference_short": "CPPM",
        "conference_held": "Child protection planning meeting held.",
        "assessment": "wellbeing assessment for the child's plan",
        "assessment_done": "Wellbeing assessment completed; child's plan agreed.",
        "interview": "a joint investigative interview",
        "police_checks": "criminal history and police intelligence checks",
        "police_powers": "Police place of safety powers",
        "legal_step": "a Child Protection Order or a referral to the Reporter",
        "early_help": "universal services, with the Named Person coordinating a child's plan",
        "support_plan": "child's plan",
        "sarc": "the sexual assault response coordination service",
        "notification": "A domestic abuse concern report was shared with social work this morning",
    },
    "northern-ireland": {
        **_ENGLAND_WORDS,
        "csc": "the trust's social services",
        "csc_team": "the trust's Gateway team",
        "the_enquiry": "an Article 66 child protection investigation",
        "enquiry_visit": "home visit for the Article 66 investigation",
        "conference": "child protection case conference",
        "conference_short": "case conference",
        "conference_held": "Initial child protection case conference held.",
        "assessment": "UNOCINI assessment",
        "assessment_done": "UNOCINI assessment completed.",
        "police_checks": "PNC and PSNI intelligence checks",
        "early_help": "the family support hub",
        "support_plan": "family support plan",
        "sarc": "the Rowan sexual assault referral centre",
        "notification": "A domestic abuse notification was shared with the trust's Gateway team this morning",
    },
}
_AGENCIES = {
    "england": _ENGLAND_AGENCIES,
    "wales": _WALES_AGENCIES,
    "scotland": _SCOTLAND_AGENCIES,
    "northern-ireland": _NORTHERN_IRELAND_AGENCIES,
}
NATIONS = tuple(_WORDS)


def words_for(nation: str) -> NationWords:
    if nation not in _WORDS:
        valid = ", ".join(NATIONS)
        raise ValueError(f"unknown nation {nation!r}: must be one of {valid}")
    return NationWords(
        nation=nation,
        words=_WORDS[nation],
        agencies=_AGENCIES[nation],
        first_names=_COMMON_FIRST + _FIRST[nation],
        surnames=_COMMON_SURNAMES + _SURNAMES[nation],
    )
