"""Fictional but realistic demo discussions, the same every time for the same seed and day.

Used to try the app, to fill screenshots and for benchmarks: every name, case and event is
invented. Nothing reads the clock or uuid4, so tests and snapshots are stable.
"""

from __future__ import annotations

import gc
import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from stratui.calendar import WorkingCalendar, get_calendar
from stratui.deadlines import DeadlineKind
from stratui.models import (
    ActionStatus,
    Attendance,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    MeetingFormat,
    format_date,
)

# -- the pools ---------------------------------------------------------------------------------

# fmt: off
FIRST_NAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Grace",
    "Sophia", "Evie", "Poppy", "Ella", "Willow", "Aisha", "Zara", "Maya", "Chloe", "Ruby",
    "Niamh", "Eilidh", "Seren", "Amara", "Hannah", "Leah", "Imogen", "Daisy", "Esme", "Harper",
    "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry",
    "Theo", "Jack", "Charlie", "Freddie", "Alfie", "Jacob", "Ethan", "Tyler", "Kai", "Rhys",
    "Callum", "Finlay", "Dylan", "Reuben", "Yusuf", "Kacper", "Tomasz", "Joshua", "Liam", "Ibrahim",
)
SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
    "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
    "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan",
    "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell",
    "Begum", "Ahmed", "Ali", "Hussain", "Campbell", "Murray", "O'Neill", "MacDonald", "Kowalski", "Okafor",
)
# fmt: on

CSC = "Children's social care"
POLICE = "Police"
HEALTH = "Health"

# Agency -> roles its people hold in a discussion.
AGENCY_ROLES: dict[str, tuple[str, ...]] = {
    CSC: ("Social worker", "Team manager"),
    POLICE: ("Detective constable", "Police officer"),
    HEALTH: ("Named nurse", "Safeguarding nurse", "Midwife"),
    "GP": ("GP",),
    "Health visiting": ("Health visitor",),
    "School": ("Designated safeguarding lead", "Head teacher", "School nurse"),
    "Nursery / early years": ("Nursery manager", "Designated safeguarding lead"),
    "Adult mental health": ("Mental health practitioner", "Care coordinator"),
    "CAMHS": ("CAMHS practitioner", "Clinical psychologist"),
    "Probation": ("Probation officer",),
    "Housing": ("Housing officer",),
    "Youth justice": ("Youth justice worker",),
    "Exploitation / missing team": ("Exploitation lead", "Missing person coordinator"),
    "Paediatrics": ("Paediatrician",),
}
AGENCIES = tuple(AGENCY_ROLES)

# What each agency typically brings to the discussion.
AGENCY_SUMMARIES: dict[str, tuple[str, ...]] = {
    CSC: (
        "Known to children's social care: a child in need plan closed eight months ago after improvements in home conditions.",
        "No previous involvement with this family.",
        "Two previous contacts in the last year, both closed with advice and signposting to early help.",
        "Family were supported under early help until last month; engagement described as inconsistent.",
    ),
    POLICE: (
        "Three domestic abuse call-outs to the address in the last 18 months; the most recent graded high risk and referred to MARAC.",
        "No police information held on the household.",
        "Mother's partner has a previous conviction for assault (2019); no current bail conditions.",
        "Child reported missing twice this month; found in the town centre with older young people on both occasions.",
    ),
    HEALTH: (
        "Immunisations up to date; two missed paediatric outpatient appointments this year.",
        "Attended the emergency department in the spring with a minor head injury; explanation consistent at the time.",
        "No health concerns recorded; registered with a GP and seen regularly.",
        "Mother is currently 30 weeks pregnant and booked with midwifery; attendance has been poor.",
    ),
    "GP": (
        "Registered with the practice; last seen three months ago for a chest infection.",
        "Father is prescribed medication for depression; no recent reviews attended.",
        "No safeguarding concerns previously recorded at the practice.",
    ),
    "Health visiting": (
        "Last development review at 2 years: some speech delay, referred to speech and language therapy.",
        "Health visitor noted a cold, sparsely furnished home and little food in the kitchen at the last visit.",
        "Mother has missed the last two planned visits and did not answer calls.",
    ),
    "School": (
        "Attendance 82% this term with several unexplained late arrivals; often arrives hungry.",
        "Child is described as quiet and withdrawn over the last month; previously settled and sociable.",
        "No previous safeguarding concerns; parents engage well with the school.",
        "Two recorded incidents of the child arriving with unexplained marks this term, both reported to the designated safeguarding lead.",
    ),
    "Nursery / early years": (
        "Attends four mornings a week; attendance good until the last fortnight.",
        "Staff have noticed the child flinching when adults raise their voices.",
        "Mother usually collects; staff have smelled alcohol at collection on two occasions.",
    ),
    "Adult mental health": (
        "Mother is open to the community mental health team with a diagnosis of bipolar disorder; last seen two weeks ago.",
        "Father was discharged from the service last year; no current involvement.",
    ),
    "CAMHS": (
        "Young person is on the waiting list for an assessment following self-harm disclosed to the school nurse.",
        "Seen twice for anxiety; disengaged after the second appointment.",
    ),
    "Probation": (
        "Mother's partner is subject to licence conditions until next year; no restriction on contact with children.",
        "Father is under probation supervision for a drugs offence; reporting regularly.",
    ),
    "Housing": (
        "Family in temporary accommodation since the spring; rent arrears and a notice to quit have been served.",
        "Housing officer reports complaints from neighbours about shouting late at night.",
    ),
    "Youth justice": ("Young person is subject to a referral order; engagement has dropped in recent weeks.",),
    "Exploitation / missing team": (
        "Return home interviews show links to older males associated with county lines activity.",
        "Young person has been seen with new clothes and phones the family cannot account for.",
    ),
    "Paediatrics": (
        "Child protection medical arranged; the paediatrician will give an opinion on the bruising pattern.",
        "Growth has fallen from the 50th to the 9th centile over twelve months.",
    ),
}


@dataclass(frozen=True)
class ConcernType:
    concerns: str
    came_to_light: str
    source: str  # the agency that raised it
    ages: tuple[int, int]  # youngest and oldest age of the child, in years
    agencies: tuple[str, ...]  # agencies usually invited, besides the statutory three
    physical_injury: bool = False
    possible_offence: bool = False


CONCERNS: tuple[ConcernType, ...] = (
    ConcernType(
        "Bruising to {child}'s upper arm noticed by nursery staff at nappy change; the explanation given by the parent was inconsistent with the injury.",
        "Nursery key worker saw the bruising this morning and reported it to the nursery manager, who called the front door.",
        "Nursery / early years",
        (1, 4),
        ("Nursery / early years", "Health visiting", "Paediatrics"),
        True,
        True,
    ),
    ConcernType(
        "{child} told a teacher that their mother's partner hit them with a belt at the weekend.",
        "Disclosure to the class teacher at the end of the school day, recorded in the child's words and passed to the designated safeguarding lead.",
        "School",
        (6, 13),
        ("School", "GP"),
        True,
        True,
    ),
    ConcernType(
        "Police attended a domestic abuse incident at the family home overnight; {child} was present and heard the argument from the bedroom.",
        "Police attended at 01:30 after a neighbour called 999; a domestic abuse notification was shared with children's social care this morning.",
        "Police",
        (0, 16),
        ("School", "Health visiting", "Housing"),
        False,
        True,
    ),
    ConcernType(
        "{child} has been reported missing three times in the last month and was found in another town with older young people.",
        "Police missing person reports and a return home interview raised concerns about exploitation.",
        "Exploitation / missing team",
        (12, 17),
        ("Exploitation / missing team", "School", "Youth justice"),
        False,
        True,
    ),
    ConcernType(
        "The health visitor found the home in a poor state, with little food and no safe place for the baby to sleep; {child} had severe nappy rash.",
        "Concerns raised by the health visitor after an unannounced visit yesterday afternoon.",
        "Health visiting",
        (0, 2),
        ("Health visiting", "GP", "Housing"),
    ),
    ConcernType(
        "{child} arrived at school hungry and in unwashed clothes on most days this term; attendance has dropped.",
        "School designated safeguarding lead referred after a pattern of concerns logged over six weeks.",
        "School",
        (5, 11),
        ("School", "GP"),
    ),
    ConcernType(
        "{child} disclosed online contact with an adult who asked for images; the young person sent photographs.",
        "Disclosure to the school nurse during a drop-in session.",
        "School",
        (11, 16),
        ("School", "CAMHS"),
        False,
        True,
    ),
    ConcernType(
        "Mother was admitted to a mental health ward under section; {child} was left with a family friend who cannot care for them beyond tonight.",
        "Adult mental health team contacted the duty line after the admission.",
        "Adult mental health",
        (3, 14),
        ("Adult mental health", "School"),
    ),
    ConcernType(
        "An infant was brought to the emergency department with a spiral fracture of the arm and no explanation from the carers.",
        "Emergency department paediatrician made a referral at 23:00 following a skeletal survey.",
        "Paediatrics",
        (0, 1),
        ("Paediatrics", "Health visiting"),
        True,
        True,
    ),
    ConcernType(
        "{child} disclosed to a friend's parent that an older cousin had touched them inappropriately.",
        "The friend's parent phoned the front door; the child has not yet spoken to a professional.",
        "Children's social care",
        (5, 12),
        ("School", "Paediatrics"),
        False,
        True,
    ),
    ConcernType(
        "{child} was found alone at home for several hours in the evening by a neighbour who called the police.",
        "Police welfare check after a neighbour's call; parent returned two hours after officers arrived.",
        "Police",
        (3, 9),
        ("School", "Housing"),
    ),
    ConcernType(
        "Anonymous report that {child} is being hit at home and locked in their room.",
        "Anonymous call to the front door; the caller would not give their name.",
        "Children's social care",
        (4, 12),
        ("School", "GP"),
    ),
    ConcernType(
        "Father, who has a history of violence, has been released from prison and is reported to be living at the family home.",
        "Probation informed children's social care of the release address.",
        "Probation",
        (0, 15),
        ("Probation", "School", "Health visiting"),
        False,
        True,
    ),
    ConcernType(
        "{child} has self-harmed and told the school nurse they do not feel safe going home because of their stepfather.",
        "School nurse drop-in; designated safeguarding lead contacted the duty team within the hour.",
        "School",
        (12, 17),
        ("School", "CAMHS"),
        True,
        False,
    ),
    ConcernType(
        "A pre-birth concern: mother's previous two children were removed from her care, and she has not engaged with midwifery.",
        "Midwife made a referral at 28 weeks' gestation.",
        "Health",
        (0, 0),
        ("GP", "Adult mental health"),
    ),
    ConcernType(
        "{child} was found with cannabis and large amounts of cash; there are concerns about criminal exploitation.",
        "Police stop and search; the young person was brought home by officers.",
        "Police",
        (13, 17),
        ("Youth justice", "Exploitation / missing team", "School"),
        False,
        True,
    ),
    ConcernType(
        "Parents were seen by a neighbour to be heavily intoxicated while caring for {child}; a bottle was found in the cot.",
        "Neighbour called the police; officers attended and shared a notification.",
        "Police",
        (0, 3),
        ("Health visiting", "GP"),
    ),
    ConcernType(
        "{child} has unexplained burns to the hand; the child said they 'touched the iron' but the pattern concerns school staff.",
        "Noticed by the teaching assistant during PE and reported to the designated safeguarding lead.",
        "School",
        (5, 10),
        ("School", "Paediatrics"),
        True,
        True,
    ),
    ConcernType(
        "Concerns that {child} may be taken abroad for a forced marriage during the summer holidays.",
        "A friend told the school; the young person confirmed the plan to a teacher but is frightened.",
        "School",
        (14, 17),
        ("School",),
        False,
        True,
    ),
    ConcernType(
        "{child} has missed several hospital appointments for a serious medical condition; parents are not giving prescribed medication.",
        "Consultant paediatrician referred after a third missed clinic and a deterioration on blood tests.",
        "Paediatrics",
        (2, 15),
        ("Paediatrics", "GP", "School"),
    ),
)

FAMILY_HISTORY = (
    "Parents separated two years ago; contact with father is irregular and arranged informally.",
    "Mother was herself looked after as a child; she has limited family support nearby.",
    "Older sibling was subject to a child protection plan for neglect, closed three years ago.",
    "No previous involvement with any agency; family moved to the area last year.",
    "Long history of domestic abuse between the parents, with several separations and reconciliations.",
    "Father has a history of substance misuse and completed a treatment programme in 2023.",
    "The family arrived in the UK eighteen months ago; an interpreter is needed for father.",
)
CIRCUMSTANCES = (
    "Lives with mother and her partner in a two-bedroom flat; partner's role in care is unclear.",
    "Lives with both parents and two siblings; father works nights.",
    "Lives with mother in temporary accommodation; currently under notice from the landlord.",
    "Lives with maternal grandmother under an informal arrangement since the summer.",
    "Lives with father after mother moved out last month; mother has not been in contact.",
)
LIVED_EXPERIENCE = (
    "Teachers describe a child who is often tired, hungry and reluctant to go home at the end of the day.",
    "Nursery staff say the child is anxious at drop-off and seeks comfort from staff rather than the parent.",
    "The young person spends most nights away from home and says home is 'always shouting'.",
    "The baby is rarely out of the pram and has few toys; the health visitor saw little interaction.",
    "The child talks warmly about grandmother and says they feel safe at her house.",
)
SOURCE_RELIABILITY = (
    "Information from professionals who have seen the child directly; consistent across agencies.",
    "The child's account was recorded verbatim by the teacher; no leading questions were asked.",
    "Police information is from attending officers and body-worn video.",
    "The referrer is a relative in dispute with the parents; the account has not yet been corroborated.",
    "Anonymous information; parts of it are consistent with what the school holds.",
)
MALICIOUS_RELIABILITY = (
    "The anonymous caller has made three previous reports about this family during a contact dispute; none were substantiated.",
    "The referrer is the estranged partner, currently in proceedings over child arrangements; the detail given does not match what school has seen.",
)
RISK_FACTORS = (
    "Domestic abuse in the household, escalating in frequency.",
    "Parental substance misuse.",
    "Parental mental ill health, currently unstable.",
    "Injury to a non-mobile baby.",
    "Inconsistent explanations for injuries.",
    "Child is frightened of a named adult in the home.",
    "Missing episodes and links to older people exploiting young people.",
    "Previous child protection plan for neglect.",
    "Family isolated, with no support network.",
    "Poor engagement with health services; missed appointments.",
    "Housing instability and financial pressure.",
    "Adult in the household with a conviction for violence.",
    "Young person is self-harming.",
)
PROTECTIVE_FACTORS = (
    "Mother recognises the concerns and is willing to work with services.",
    "Maternal grandmother is a consistent, protective adult who lives nearby.",
    "Child attends school regularly and has a trusted teacher.",
    "Father is not in the household and has no contact.",
    "Parents engaged well with early help previously.",
    "The child was able to tell an adult what is happening.",
    "Good attendance at nursery; staff see the child four days a week.",
    "Young person has a positive relationship with their youth worker.",
)
S47_YES_RATIONALES = (
    "The injury is unexplained and the child is non-mobile; there is reasonable cause to suspect significant harm.",
    "The child's disclosure is clear and consistent; there is reasonable cause to suspect the child is suffering significant harm.",
    "The escalation of domestic abuse with the child present gives reasonable cause to suspect the child is likely to suffer significant harm.",
    "Missing episodes and the indicators of exploitation give reasonable cause to suspect significant harm.",
    "The cumulative neglect over several months, despite early help, meets the threshold for enquiries.",
)
S47_NO_RATIONALES = (
    "The explanation for the injury is consistent and supported by nursery records; the threshold for s47 is not met.",
    "The concern is not corroborated by any agency that sees the child; the threshold is not met but needs are identified.",
    "The incident appears isolated and the non-abusing parent has acted protectively.",
    "The anonymous information is not supported by what school and health hold; needs are best met through assessment.",
)
NO_S47_NEXT_STEPS = (
    "Continue the child and family assessment; social worker to visit within five working days.",
    "Step down to early help with a family support worker; school to monitor and refer again if concerns continue.",
    "Single agency follow-up by the health visitor; refer again if the concerns recur.",
)
SAFE_AT_HOME_YES = (
    "Safety plan agreed: the alleged perpetrator will not return to the home while enquiries are made.",
    "Mother is protective and has agreed to the safety plan; grandmother will stay with the family.",
    "No immediate risk identified that cannot be managed with the plan below.",
)
SAFE_AT_HOME_NO = (
    "The child cannot safely return home tonight; will stay with grandmother under a safety plan.",
    "Police protection used overnight; placement with foster carers while enquiries are made.",
)
IMMEDIATE_PROTECTION_DETAILS = (
    "Child to stay with maternal grandmother; parents agreed in writing.",
    "Police protection powers used; emergency foster placement found by the out-of-hours team.",
    "Mother's partner agreed to leave the home; police to check compliance tonight.",
)
NOT_INFORM_RATIONALES = (
    "Informing the parents before the police interview may put the child at risk and compromise evidence.",
    "The young person fears retaliation if the parents learn of the disclosure before a safety plan is in place.",
    "The alleged perpetrator lives in the home; informing parents now could lead to the child being pressured to retract.",
)
THRESHOLD_DETAILS = (
    "School considered the s47 threshold met; police considered the information insufficient.",
    "Health felt a child protection medical was needed; children's social care disagreed.",
    "Police wanted a single-agency response; children's social care considered a joint investigation necessary.",
)
THRESHOLD_RESOLUTIONS = (
    "Agreed after discussion with the team manager to proceed with s47 enquiries and review in two days.",
    "Agreed to seek a paediatric opinion by phone before deciding; all agencies accepted the outcome.",
    "",
)
INFORMATION_REQUESTS = (
    ("Chronology of police call-outs and any intelligence on the adults in the home.", POLICE),
    ("Health records, including emergency department attendances and missed appointments.", HEALTH),
    ("Attendance record and any logged safeguarding concerns.", "School"),
    ("GP records for the parents, including mental health and substance use.", "GP"),
    ("Health visiting records and the last developmental review.", "Health visiting"),
    ("Housing history and any reports from neighbours.", "Housing"),
    ("Probation risk assessment for the adult in the household.", "Probation"),
)
CONTINGENCIES = (
    "If the safety plan breaks down, the out-of-hours team will place the child with grandmother.",
    "If the child cannot be seen by tomorrow, the team manager will review and consider police involvement.",
    "If the parents refuse consent for the medical, seek legal advice the same day.",
    "If the young person goes missing again, police to be informed at once and a discussion reconvened.",
)
ABSENCE_REASONS = (
    "Sent a written summary by email before the call.",
    "On annual leave; the deputy safeguarding lead sent written information.",
    "In court all day; written information provided.",
    "Could not be reached in the time available; information to be sought after the discussion.",
    "Clinic commitments; joined the first ten minutes by phone and sent written information.",
)

# Action text -> the agency that usually owns it.
ACTION_POOL: tuple[tuple[str, str], ...] = (
    ("See {child} alone and record their wishes and feelings.", CSC),
    ("Complete the section 47 home visit.", CSC),
    ("Speak to the parents and explain the enquiry.", CSC),
    ("Agree a written safety plan with the family.", CSC),
    ("Share the police chronology with children's social care.", POLICE),
    ("Arrange an achieving best evidence interview.", POLICE),
    ("Complete a DBS and intelligence check on the mother's partner.", POLICE),
    ("Share health records and missed appointments.", HEALTH),
    ("Arrange the child protection medical.", "Paediatrics"),
    ("Send the GP summary for both parents.", "GP"),
    ("Carry out a joint home visit with the social worker.", "Health visiting"),
    ("Monitor attendance daily and report any absence the same day.", "School"),
    ("Share the log of safeguarding concerns.", "School"),
    ("Update the nursery on the safety plan and collection arrangements.", "Nursery / early years"),
    ("Review the mother's care plan and share the risk assessment.", "Adult mental health"),
    ("Offer an urgent assessment appointment.", "CAMHS"),
    ("Confirm licence conditions and any restrictions on contact.", "Probation"),
    ("Look into an emergency housing transfer.", "Housing"),
    ("Complete a return home interview.", "Exploitation / missing team"),
    ("Complete an exploitation screening tool.", "Exploitation / missing team"),
    ("Review the young person's referral order plan.", "Youth justice"),
    ("Refer to the domestic abuse service for mother.", CSC),
    ("Seek legal advice on the threshold for proceedings.", CSC),
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
    "Not needed after the medical found no injury of concern.",
)
# Follow-up discussions: (what is new, how it came to light, who raised it).
FOLLOW_UPS: tuple[tuple[str, str, str], ...] = (
    (
        "Review of progress: {child} has not yet been seen alone and the enquiry is not progressing.",
        "Social worker asked the team manager to reconvene after two unsuccessful home visits.",
        CSC,
    ),
    (
        "New information: police received a further report of an incident at the home since the last discussion.",
        "Domestic abuse notification shared by police this morning.",
        POLICE,
    ),
    (
        "Review before key decisions: agencies to update on the enquiry before the initial child protection conference is booked.",
        "Planned review agreed at the previous discussion.",
        CSC,
    ),
    (
        "Circumstances have changed: the adult named in the safety plan has returned to the home.",
        "School heard from {child} that the adult was back at home at the weekend.",
        "School",
    ),
    (
        "{child} has made a further disclosure since the last discussion.",
        "Disclosure to a trusted adult at school, passed to the designated safeguarding lead the same day.",
        "School",
    ),
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
        "The younger child's date of birth was recorded incorrectly; corrected on the case file.",
    ),
    (
        "School information arrived late.",
        "School's written information arrived after the call: attendance has been 91% this term, with no unexplained absences.",
    ),
    (
        "Clarification requested by health.",
        "Health asked for it to be recorded that the missed appointments were rearranged by the hospital, not the family.",
    ),
)

# Parts of the record are built as plain dicts and validated once per discussion: pydantic does
# that in one pass, several times faster than constructing each nested model in Python.
Part = dict[str, object]

SOCIAL_WORKER_COUNT = 14
MANAGER_COUNT = 4
# Most recent discussions, kept inside the last few weeks so a dashboard has current items.
RECENT_COUNT = 40
RECENT_DAYS = 28
HISTORY_DAYS = 730
# A follow-up reconvenes a case discussed within the last six weeks.
FOLLOW_UP_WINDOW_DAYS = 42

_FORMAT_WEIGHTS = (
    (MeetingFormat.PHONE, 50),
    (MeetingFormat.VIDEO, 30),
    (MeetingFormat.IN_PERSON, 10),
    (MeetingFormat.MIXED, 10),
)
_KIND_WEIGHTS = (
    (DiscussionKind.STRATEGY_DISCUSSION, 78),
    (DiscussionKind.STRATEGY_MEETING, 16),
    (DiscussionKind.NETWORK_MEETING, 6),
)


class _QuickRandom(random.Random):
    """random.Random with choice and randrange from a single float draw.

    The standard ones loop over getrandbits and dominate the profile at 20,000 discussions;
    these are as reproducible for a given seed and biased by far less than anyone could notice.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return self.randrange(a, b + 1)


class _Generator:
    """One pass of demo generation: the rng and everything drawn so far."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = _QuickRandom(seed)
        self.today = today
        self.calendar: WorkingCalendar = get_calendar("england")
        self.case_refs: set[str] = set()
        self.social_workers = [self.person() for _ in range(SOCIAL_WORKER_COUNT)]
        self.managers = [self.person() for _ in range(MANAGER_COUNT)]
        self.formats, self.format_weights = _cumulative(_FORMAT_WEIGHTS)
        self.kinds, self.kind_weights = _cumulative(_KIND_WEIGHTS)
        self.latest_by_case: dict[str, Discussion] = {}
        self._working_days: dict[tuple[date, int], date] = {}
        # Discussions holding the pinned dashboard actions: never followed up, so they stay open.
        self.pinned_ids: set[str] = set()

    # -- small draws -------------------------------------------------------------------------

    def new_id(self) -> str:
        # The same layout as uuid4().hex, drawn from the seeded rng so output is reproducible.
        return f"{self.rng.getrandbits(128):032x}"

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def working_day_on_or_before(self, day: date) -> date:
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_back(self, days: int) -> list[date]:
        """The working days among `today` and the `days - 1` days before it."""
        span = (self.today - timedelta(days=n) for n in range(days))
        return [day for day in span if self.calendar.is_working_day(day)]

    def add_working_days(self, day: date, n: int) -> date:
        # The same few hundred days come up again and again: remember the answers.
        key = (day, n)
        result = self._working_days.get(key)
        if result is None:
            result = self._working_days[key] = self.calendar.add_working_days(day, n)
        return result

    def case_ref(self, year: int) -> str:
        while True:
            ref = f"CS-{year}-{self.rng.randrange(100_000):05d}"
            if ref not in self.case_refs:
                self.case_refs.add(ref)
                return ref

    # -- dates -------------------------------------------------------------------------------

    def held_dates(self, count: int) -> list[date]:
        recent = min(count, RECENT_COUNT)
        recent_days = self.working_days_back(RECENT_DAYS)
        history_days = self.working_days_back(HISTORY_DAYS)
        held = [self.rng.choice(recent_days) for _ in range(recent)]
        held += [self.rng.choice(history_days) for _ in range(count - recent)]
        # Oldest first, so a follow-up can always point back at an earlier discussion.
        return sorted(held)

    # -- a discussion ------------------------------------------------------------------------

    def discussion(self, held_on: date, pins: tuple[int, ...] = ()) -> Discussion:
        rng = self.rng
        concern = rng.choice(CONCERNS)
        kind = rng.choices(self.kinds, cum_weights=self.kind_weights)[0]
        concern_date = held_on - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
        social_worker = rng.choice(self.social_workers)
        manager = rng.choice(self.managers)
        surname = rng.choice(SURNAMES)
        children = self.children(concern, surname, held_on)
        other_children = self.other_children(surname, held_on) if self.chance(0.4) else []
        participants = self.participants(concern, social_worker, manager)
        s47 = None if kind is DiscussionKind.NETWORK_MEETING else self.chance(0.6)
        first = children[0]["name"].split()[0]
        return self.assemble(
            kind=kind,
            case_ref=self.case_ref(concern_date.year),
            children=children,
            other_children=other_children,
            concern=concern,
            concern_date=concern_date,
            referral_date=concern_date if self.chance(0.8) else None,
            held_on=held_on,
            social_worker=social_worker,
            manager=manager,
            participants=participants,
            s47=s47,
            first_name=first,
            previous=None,
            pins=pins,
        )

    def follow_up(self, earlier: Discussion, held_on: date) -> Discussion:
        """A later discussion of the same case: same people, earlier open actions carried over."""
        rng = self.rng
        if earlier.kind is DiscussionKind.NETWORK_MEETING:
            kind = DiscussionKind.NETWORK_MEETING
        else:
            kind = rng.choice((DiscussionKind.STRATEGY_DISCUSSION, DiscussionKind.STRATEGY_MEETING))
        first_name = earlier.children[0].name.split()[0]
        text, came_to_light, source = rng.choice(FOLLOW_UPS)
        concern = ConcernType(
            text,
            came_to_light.format(child=first_name),
            source,
            ages=(0, 17),
            agencies=(),
            possible_offence=earlier.decisions.joint_investigation.made is True,
        )
        manager = earlier.sign_off.manager if earlier.sign_off else rng.choice(self.managers)
        s47 = (
            None if kind is DiscussionKind.NETWORK_MEETING else (earlier.decisions.s47_enquiry.made or self.chance(0.5))
        )
        # The same people (same ids) as capture.follow_up copies them; attendance is recorded afresh.
        participants = [p.model_dump() for p in earlier.participants]
        for p in participants[2:]:
            absent = self.chance(0.12)
            p["attendance"] = Attendance.WRITTEN if absent else Attendance.PRESENT
            p["absence_reason"] = rng.choice(ABSENCE_REASONS) if absent else ""
        return self.assemble(
            kind=kind,
            case_ref=earlier.case_ref,
            children=[c.model_dump() for c in earlier.children],
            other_children=[c.model_dump() for c in earlier.other_children],
            concern=concern,
            concern_date=earlier.concern_date,
            referral_date=earlier.referral_date,
            held_on=held_on,
            social_worker=earlier.social_worker,
            manager=manager,
            participants=participants,
            s47=s47,
            first_name=first_name,
            previous=earlier,
            pins=(),
        )

    def assemble(
        self,
        *,
        kind: DiscussionKind,
        case_ref: str,
        children: list[Part],
        other_children: list[Part],
        concern: ConcernType,
        concern_date: date,
        referral_date: date | None,
        held_on: date,
        social_worker: str,
        manager: str,
        participants: list[Part],
        s47: bool | None,
        first_name: str,
        previous: Discussion | None,
        pins: tuple[int, ...],
    ) -> Discussion:
        rng = self.rng
        held_at = time(rng.randrange(8, 18), rng.randrange(0, 60, 5))
        started = datetime.combine(held_on, held_at)
        carried = self.carry_over(previous, held_on) if previous else []
        actions = carried + self.actions(participants, held_on, first_name, pins)
        # Older records are mostly signed off; the last week's are often still drafts.
        signed = self.chance(0.4 if (self.today - held_on).days <= 7 else 0.72)
        sign_off = None
        last_change = started + timedelta(minutes=rng.randrange(20, 90))
        addenda: list[Part] = []
        if signed:
            signed_day = min(self.today, self.add_working_days(held_on, rng.choice((0, 0, 1, 1, 2))))
            signed_at = max(last_change, datetime.combine(signed_day, time(rng.randrange(9, 18), rng.randrange(60))))
            sign_off = dict(manager=manager, signed_at=signed_at)
            last_change = signed_at
            if signed_day < self.today and self.chance(0.06):
                reason, text = rng.choice(ADDENDUM_REASONS)
                # Never later than this morning: the demo must not contain the future.
                written_at = min(
                    last_change + timedelta(hours=rng.randrange(1, 30)), datetime.combine(self.today, time(9))
                )
                addenda.append(
                    dict(
                        id=self.new_id(),
                        author=rng.choice((social_worker, manager)),
                        written_at=written_at,
                        reason=reason,
                        text=text,
                    )
                )
                last_change = written_at
        decisions = self.decisions(kind, s47, concern, held_on)
        plan = self.plan(kind, participants, social_worker, held_on)
        milestones = self.milestones(
            kind, s47, concern_date, held_on, referral_date or concern_date, social_worker, decisions, plan
        )
        discussion = Discussion.model_validate(
            dict(
                id=self.new_id(),
                revision=1 + len(addenda) + (1 if signed else 0),
                kind=kind,
                case_ref=case_ref,
                children=children,
                other_children=other_children,
                concern_date=concern_date,
                concern_source=concern.source,
                referral_date=referral_date,
                held_on=held_on,
                held_at=held_at,
                format=rng.choices(self.formats, cum_weights=self.format_weights)[0],
                social_worker=social_worker,
                participants=participants,
                information=self.information(concern, participants, first_name),
                risk=self.risk(s47, bool(other_children)),
                decisions=decisions,
                plan=plan,
                actions=actions,
                milestones=milestones,
                status=DiscussionStatus.SIGNED_OFF if signed else DiscussionStatus.DRAFT,
                sign_off=sign_off,
                addenda=addenda,
                previous_discussion_ids=[previous.id] if previous else [],
                created_at=started,
                created_by=social_worker,
                updated_at=last_change,
                updated_by=manager if signed else social_worker,
            )
        )
        self.latest_by_case[case_ref] = discussion
        if pins:
            self.pinned_ids.add(discussion.id)
        return discussion

    # -- parts -------------------------------------------------------------------------------

    def children(self, concern: ConcernType, surname: str, held_on: date) -> list[Part]:
        count = self.rng.choice((1, 1, 1, 1, 2, 2, 3))
        youngest, oldest = concern.ages
        return [self.child(surname, held_on, youngest, oldest) for _ in range(count)]

    def other_children(self, surname: str, held_on: date) -> list[Part]:
        return [self.child(surname, held_on, 0, 17) for _ in range(self.rng.choice((1, 1, 2)))]

    def child(self, surname: str, held_on: date, youngest: int, oldest: int) -> Part:
        rng = self.rng
        age_days = rng.randrange(youngest * 365, oldest * 365 + 365)
        return dict(name=f"{rng.choice(FIRST_NAMES)} {surname}", date_of_birth=held_on - timedelta(days=age_days))

    def participants(self, concern: ConcernType, social_worker: str, manager: str) -> list[Part]:
        rng = self.rng
        people = [
            dict(id=self.new_id(), name=social_worker, role="Social worker", agency=CSC),
            dict(id=self.new_id(), name=manager, role="Team manager", agency=CSC),
        ]
        agencies = [POLICE, HEALTH]
        for agency in concern.agencies:
            if agency not in agencies and self.chance(0.8):
                agencies.append(agency)
        for agency in agencies:
            attendance = Attendance.PRESENT
            reason = ""
            if self.chance(0.12):
                attendance = Attendance.WRITTEN if self.chance(0.6) else Attendance.ABSENT
                reason = rng.choice(ABSENCE_REASONS)
            people.append(
                dict(
                    id=self.new_id(),
                    name=self.person(),
                    role=rng.choice(AGENCY_ROLES[agency]),
                    agency=agency,
                    attendance=attendance,
                    absence_reason=reason,
                )
            )
        return people

    def information(self, concern: ConcernType, participants: list[Part], first_name: str) -> Part:
        rng = self.rng
        shared = []
        seen: set[str] = set()
        for p in participants:
            if p["agency"] in seen or p.get("attendance") is Attendance.ABSENT:
                continue
            seen.add(p["agency"])
            shared.append(
                dict(agency=p["agency"], shared_by=p["name"], summary=rng.choice(AGENCY_SUMMARIES[p["agency"]]))
            )
        malicious = self.chance(0.05)
        return dict(
            concerns=concern.concerns.format(child=first_name),
            how_concerns_came_to_light=concern.came_to_light,
            agency_information=shared,
            family_history=rng.choice(FAMILY_HISTORY),
            current_circumstances=rng.choice(CIRCUMSTANCES),
            lived_experience=rng.choice(LIVED_EXPERIENCE),
            source_reliability=rng.choice(MALICIOUS_RELIABILITY if malicious else SOURCE_RELIABILITY),
            possibly_malicious=malicious,
        )

    def risk(self, s47: bool | None, other_children: bool) -> Part:
        rng = self.rng
        safe = not (s47 and self.chance(0.15))
        others_at_risk = (s47 is True and self.chance(0.7)) if other_children else None
        return dict(
            significant_harm_suspected=s47,
            significant_harm_rationale=rng.choice(S47_YES_RATIONALES if s47 else S47_NO_RATIONALES)
            if s47 is not None
            else "",
            risk_factors=rng.sample(RISK_FACTORS, rng.randint(2, 5)),
            protective_factors=rng.sample(PROTECTIVE_FACTORS, rng.randint(1, 4)),
            safe_at_home=safe,
            safe_at_home_rationale=rng.choice(SAFE_AT_HOME_YES if safe else SAFE_AT_HOME_NO),
            other_children_at_risk=others_at_risk,
            other_children_notes=(
                "Siblings live in the same household and are exposed to the same risks; they will be seen as part of the enquiry."
                if others_at_risk
                else "Siblings are not exposed to the same risk; their school will be told of the plan."
                if other_children
                else ""
            ),
        )

    def decisions(self, kind: DiscussionKind, s47: bool | None, concern: ConcernType, held_on: date) -> Part:
        if kind is DiscussionKind.NETWORK_MEETING:
            return {}
        rng = self.rng
        protect = bool(s47) and self.chance(0.15)
        joint = bool(s47) and concern.possible_offence and self.chance(0.7)
        legal = self.chance(0.1)
        medical = bool(s47) and concern.physical_injury and self.chance(0.8)
        inform = not (s47 and self.chance(0.25))
        disagreement = self.chance(0.08)
        resolution = rng.choice(THRESHOLD_RESOLUTIONS) if disagreement else ""
        return dict(
            s47_enquiry=dict(made=s47, rationale=rng.choice(S47_YES_RATIONALES if s47 else S47_NO_RATIONALES)),
            immediate_protection=dict(
                made=protect,
                rationale="The child cannot be kept safe at home tonight."
                if protect
                else "The safety plan is enough to keep the child safe while enquiries are made.",
                details=rng.choice(IMMEDIATE_PROTECTION_DETAILS) if protect else "",
            ),
            joint_investigation=dict(
                made=joint,
                rationale="A criminal offence may have been committed: evidence to be protected and interviews coordinated."
                if joint
                else "No criminal offence is suspected at this stage.",
            ),
            legal_advice=dict(
                made=legal,
                rationale="Parents may not agree to the safety plan; the team manager wants advice on the threshold for proceedings."
                if legal
                else "Not needed at this stage.",
            ),
            medical_examination=dict(
                made=medical,
                rationale="An unexplained injury needs a paediatric opinion."
                if medical
                else "No injury needing a medical opinion.",
                examination_type="Child protection medical" if medical else "",
                conducted_by="Consultant paediatrician on call" if medical else "",
                consent="Mother to give consent; social worker to attend with her." if medical else "",
                timescale=rng.choice(("Today by 5pm", "Within 24 hours", "Tomorrow morning")) if medical else "",
            ),
            inform_parents=(
                dict(
                    made=True,
                    rationale="No reason to delay; the parents will be asked to support the plan.",
                    who_informs="Social worker",
                    inform_by=held_on if self.chance(0.6) else self.add_working_days(held_on, 1),
                )
                if inform
                else dict(
                    made=False,
                    rationale=rng.choice(NOT_INFORM_RATIONALES),
                    review_date=self.add_working_days(held_on, rng.randint(1, 5)),
                )
            ),
            threshold=dict(
                disagreement=disagreement,
                details=rng.choice(THRESHOLD_DETAILS) if disagreement else "",
                resolution=resolution,
                escalated=disagreement and not resolution,
                escalated_to="Head of service" if disagreement and not resolution else "",
            ),
            no_s47_next_steps="" if s47 else rng.choice(NO_S47_NEXT_STEPS),
        )

    def plan(self, kind: DiscussionKind, participants: list[Part], social_worker: str, held_on: date) -> Part:
        rng = self.rng
        agencies = {p["agency"]: f"{p['name']} ({p['agency']})" for p in participants}
        requests = [
            dict(what=what, from_whom=agencies.get(agency, agency))
            for what, agency in rng.sample(INFORMATION_REQUESTS, rng.randint(1, 3))
        ]
        network = kind is DiscussionKind.NETWORK_MEETING
        return dict(
            lead=social_worker,
            lead_agency=CSC,
            child_seen_by="" if network else social_worker,
            child_seen_on=None if network else self.add_working_days(held_on, rng.choice((0, 0, 1, 2))),
            information_needed=requests,
            parents_spoken_to_by=social_worker,
            parents_spoken_to_on=self.add_working_days(held_on, rng.choice((0, 1, 2))),
            contingency=rng.choice(CONTINGENCIES),
            reconvene_on=self.add_working_days(held_on, rng.randint(5, 15)) if self.chance(0.7) else None,
        )

    def actions(self, participants: list[Part], held_on: date, first_name: str, pins: tuple[int, ...]) -> list[Part]:
        rng = self.rng
        # The first person listed for an agency owns its actions (the social worker, not the manager).
        people: dict[str, str] = {}
        for p in participants:
            people.setdefault(p["agency"], p["name"])
        pool = rng.sample(ACTION_POOL, max(len(pins), rng.randint(2, 8)))
        actions = []
        for n, (text, agency) in enumerate(pool):
            owner = people.get(agency) or self.person()
            pin = pins[n] if n < len(pins) else None
            due = self.due_date(held_on, pin)
            actions.append(
                self.action(text.format(child=first_name), owner, agency, due, held_on, keep_open=pin is not None)
            )
        return actions

    def due_date(self, held_on: date, pinned: int | None) -> date:
        """A due date on or after the discussion; the pinned ones guarantee a lively dashboard."""
        if pinned == 0:  # overdue
            return held_on
        if pinned == 1:  # due today
            return self.today
        if pinned == 2:  # due within the next three working days
            return self.add_working_days(self.today, self.rng.randint(1, 3))
        return self.add_working_days(held_on, self.rng.choice((0, 1, 1, 2, 3, 5, 5, 10, 15, 20)))

    def action(
        self,
        text: str,
        owner: str,
        agency: str,
        due: date,
        held_on: date,
        keep_open: bool = False,
        carried_from: str | None = None,
    ) -> Part:
        rng = self.rng
        overdue_days = (self.today - due).days
        if keep_open:
            close = False
        elif overdue_days > 0:
            # Old actions were nearly all closed; the last fortnight's are still being chased.
            close = self.chance(0.6 if overdue_days <= 14 else 0.9 if overdue_days <= 90 else 0.995)
        else:
            close = self.chance(0.2)
        if not close:
            return dict(id=self.new_id(), text=text, owner=owner, agency=agency, due=due, carried_from=carried_from)
        closed_on = self.working_day_on_or_before(due + timedelta(days=rng.randrange(-3, 3)))
        closed_on = min(self.today, max(held_on, closed_on))
        dropped = self.chance(0.06)
        return dict(
            id=self.new_id(),
            text=text,
            owner=owner,
            agency=agency,
            due=due,
            status=ActionStatus.DROPPED if dropped else ActionStatus.DONE,
            closed_on=closed_on,
            closed_by=owner,
            closing_note=rng.choice(DROPPED_NOTES if dropped else DONE_NOTES),
            carried_from=carried_from,
        )

    def carry_over(self, earlier: Discussion, held_on: date) -> list[Part]:
        """Copy the earlier discussion's open actions and close them there, as capture does.

        `carried_from` is the earlier action's id; the earlier copy becomes "carried over".
        """
        carried = []
        for old in earlier.open_actions():
            carried.append(
                self.action(old.text, old.owner, old.agency, old.due or held_on, held_on, carried_from=old.id)
            )
            earlier.close_action(
                old.id,
                ActionStatus.CARRIED_OVER,
                held_on,
                earlier.social_worker,
                f"Carried over to the discussion of {format_date(held_on)}",
            )
        return carried

    def milestones(
        self,
        kind: DiscussionKind,
        s47: bool | None,
        concern_date: date,
        held_on: date,
        referral: date,
        social_worker: str,
        decisions: Part,
        plan: Part,
    ) -> list[Part]:
        """The statutory steps already met, so that old records do not all show as overdue.

        Most deadlines that fell due long ago were met; recent ones are often still open.
        """
        done: list[Part] = []
        old = (self.today - held_on).days > 14

        def met(key: DeadlineKind, day: date, p_old: float, p_recent: float, note: str = "") -> None:
            if day <= self.today and self.chance(p_old if old else p_recent):
                done.append(dict(key=key.value, on=day, by=social_worker, note=note))

        minutes_day = self.add_working_days(held_on, self.rng.choice((0, 1, 1, 2)))
        met(DeadlineKind.MINUTES, minutes_day, 0.96, 0.55, "Sent to all attendees by secure email.")
        if plan["reconvene_on"] is not None:
            met(DeadlineKind.RECONVENE, plan["reconvene_on"], 0.95, 0.5)
        if kind is DiscussionKind.NETWORK_MEETING:
            return done
        if held_on > self.add_working_days(concern_date, 1):
            met(DeadlineKind.DISCUSSION, held_on, 0.95, 0.5, self.rng.choice(LATE_REASONS))
        parents = decisions["inform_parents"]
        if parents["made"] is False:
            met(DeadlineKind.PARENTS_REVIEW, parents["review_date"], 0.95, 0.5, "Reviewed: parents now informed.")
        if s47:
            conference = self.add_working_days(held_on, self.rng.randint(8, 15))
            met(DeadlineKind.CONFERENCE, conference, 0.95, 0.3, "Initial child protection conference held.")
        elif s47 is False:
            assessment = self.add_working_days(max(referral, held_on), self.rng.randint(20, 45))
            met(DeadlineKind.ASSESSMENT, assessment, 0.95, 0.3, "Child and family assessment completed.")
        return done


def _cumulative(weighted: tuple[tuple[object, int], ...]) -> tuple[list, list[int]]:
    values, weights, total = [], [], 0
    for value, weight in weighted:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def generate_demo(count: int, seed: int, today: date) -> list[Discussion]:
    """`count` discussions, oldest first; the same arguments always give the same discussions.

    About 15% are follow-ups of an earlier discussion of the same case. The most recent few dozen
    fall in the last four weeks, with actions overdue, due today and due soon relative to `today`.
    """
    if count <= 0:
        return []
    # Every object built here lives on in the result, so the cycle collector's passes over the
    # growing heap find nothing and would double the run time at 20,000 discussions.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(count, seed, today)
    finally:
        if collecting:
            gc.enable()


def _generate(count: int, seed: int, today: date) -> list[Discussion]:
    gen = _Generator(seed, today)
    held = gen.held_dates(count)
    pins = _pin_dashboard_actions(gen, held)
    discussions: list[Discussion] = []
    for index, held_on in enumerate(held):
        earlier = None
        if index not in pins and gen.chance(0.15):
            earlier = _follow_up_candidate(gen, discussions, held_on)
        if earlier is not None:
            discussions.append(gen.follow_up(earlier, held_on))
        else:
            discussions.append(gen.discussion(held_on, pins.get(index, ())))
    return discussions


def _pin_dashboard_actions(gen: _Generator, held: list[date]) -> dict[int, tuple[int, ...]]:
    """Which discussions (by index into the sorted `held`) carry the guaranteed dashboard actions.

    0 = an open overdue action, 1 = one due today, 2 = one due within three working days.
    """
    last = len(held) - 1
    # An overdue action needs a discussion held before today: the latest such, or the oldest moved back.
    before_today = [i for i, day in enumerate(held) if day < gen.today]
    overdue = before_today[-1] if before_today else 0
    if not before_today:
        held[0] = gen.add_working_days(gen.today, -3)
    pins: dict[int, list[int]] = {overdue: [0]}
    others = [i for i in (last, last - 1) if i >= 0 and i != overdue]
    for pin, index in zip((1, 2), others + [overdue, overdue]):
        pins.setdefault(index, []).append(pin)
    return {index: tuple(values) for index, values in pins.items()}


def _follow_up_candidate(gen: _Generator, discussions: list[Discussion], held_on: date) -> Discussion | None:
    """The latest discussion of a case discussed in the previous few weeks, held before `held_on`."""
    # `discussions` is oldest first, so the window is a slice found by bisection.
    start = bisect_left(discussions, held_on - timedelta(days=FOLLOW_UP_WINDOW_DAYS), key=_held_on)
    stop = bisect_left(discussions, held_on, key=_held_on)
    if start >= stop:
        return None
    earlier = gen.latest_by_case[discussions[gen.rng.randrange(start, stop)].case_ref]
    if earlier.held_on >= held_on or earlier.id in gen.pinned_ids:
        return None
    return earlier


def _held_on(discussion: Discussion) -> date:
    return discussion.held_on
