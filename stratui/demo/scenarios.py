"""The kinds of concern the demo draws from, each with what follows from it.

A scenario fixes the child's plausible age, who is invited, the decisions it leads to, and the
texts that fit it; the generator picks a scenario first and builds the record from it. Texts use
the nation's words by key ({csc}, {the_enquiry}...: see words.py) and {child} for the child's
first name ("the unborn baby" before the birth).

Over 500 lines on purpose: it is data (each scenario's texts, read together), not logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratui.demo.words import (
    ADULT_MENTAL_HEALTH,
    CAMHS,
    CSC,
    EXPLOITATION,
    GP,
    HEALTH,
    HEALTH_VISITING,
    HOUSING,
    MIDWIFERY,
    NURSERY,
    PAEDIATRICS,
    POLICE,
    PROBATION,
    SCHOOL,
    YOUTH_JUSTICE,
)

YEAR = 12  # months

# Age bands, in months, for the texts that depend on age.
BABY, TODDLER, CHILD, TEEN = "baby", "toddler", "child", "teen"


def band(months: int | None) -> str:
    """The age band of a child `months` old (None: unborn, which reads like a baby)."""
    if months is None or months < YEAR:
        return BABY
    if months < 5 * YEAR:
        return TODDLER
    if months < 12 * YEAR:
        return CHILD
    return TEEN


# Who is there only for children of some ages, in months [from, to).
AGENCY_AGES: dict[str, tuple[int, int]] = {
    HEALTH_VISITING: (0, 5 * YEAR),
    NURSERY: (YEAR, 4 * YEAR),
    SCHOOL: (4 * YEAR, 18 * YEAR),
    CAMHS: (5 * YEAR, 18 * YEAR),
    YOUTH_JUSTICE: (10 * YEAR, 18 * YEAR),
    EXPLOITATION: (10 * YEAR, 18 * YEAR),
}


@dataclass(frozen=True)
class Medical:
    examination_type: str
    conducted_by: str


@dataclass(frozen=True)
class Scenario:
    key: str
    concerns: tuple[str, ...]
    came_to_light: str
    source: str  # the agency key that raised it
    # The child's age in months, [youngest, oldest]; None for an unborn baby.
    months: tuple[int, int] | None
    agencies: tuple[str, ...]  # invited besides social care, police and health
    harm_reason: str  # why there is (or may be) reasonable cause to suspect significant harm
    risk_factors: tuple[str, ...]
    protective_factors: tuple[str, ...]
    lived: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by age band
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by agency key
    carers: tuple[str, ...] = ("mother", "both parents", "mother and her partner")
    reliability: tuple[str, ...] = ()
    # An injury or a disclosure of an offence: s47 and a joint investigation always follow.
    injury_or_disclosure: bool = False
    offence_possible: bool = False
    s47_chance: float = 0.6
    joint_chance: float = 0.0  # when an offence is possible but not disclosed
    protect_chance: float = 0.1  # not safe at home: immediate protection
    legal_chance: float = 0.08
    not_inform_chance: float = 0.0  # when police are investigating
    not_inform_rationales: tuple[str, ...] = ()
    medical: Medical | None = None
    medical_chance: float = 0.0
    # Several children of the household are the subject (the concern is about the home).
    household: bool = False
    network_meeting: bool = False
    malicious_chance: float = 0.0
    actions: tuple[tuple[str, str], ...] = ()  # (text, agency key) fitting this concern


NOT_INFORM_POLICE = (
    "Informing the parents before the police interview may put {child} at risk and compromise evidence.",
    "The alleged perpetrator lives in the home; informing the parents now could lead to {child} being pressured to retract.",
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "non-accidental-injury-baby",
        (
            "{child} was brought to the emergency department with bruising to the cheek and ear; {child} is not yet rolling or crawling and the parents have no explanation.",
            "Bruising to {child}'s chest was seen by the health visitor at a routine contact; {child} is not yet mobile and the parents say they do not know how it happened.",
        ),
        "The emergency department paediatrician (or the health visitor) referred to {csc_team} the same day.",
        PAEDIATRICS,
        (1, 7),
        (PAEDIATRICS, HEALTH_VISITING, GP),
        "The injury is unexplained and {child} is a non-mobile baby",
        ("Injury to a non-mobile baby.", "No explanation offered for the injury.", "The parents' accounts differ."),
        ("The parents brought {child} to hospital promptly.", "Maternal grandmother has offered to care for {child}."),
        lived={
            BABY: (
                "{child} is a young baby who relies entirely on the adults caring for them; the health visitor saw warm handling but little talking to the baby.",
                "{child} feeds well and is gaining weight; the parents say {child} cries a lot in the evenings and they are exhausted.",
            )
        },
        shared={
            HEALTH_VISITING: ("New birth visit and six-week check completed; mother described feeling low and unsupported.",),
            PAEDIATRICS: ("Skeletal survey requested; the paediatrician's view is that the bruising is very unlikely to be accidental in a non-mobile baby.",),
        },
        carers=("both parents", "mother and her partner"),
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.5,
        legal_chance=0.3,
        not_inform_chance=0.1,
        not_inform_rationales=NOT_INFORM_POLICE,
        medical=Medical("Child protection medical with skeletal survey and CT head", "Consultant paediatrician on call"),
        medical_chance=1.0,
    ),
    Scenario(
        "infant-fracture",
        ("An X-ray shows a fracture of {child}'s upper arm; {child} has only just started crawling and the carers offer no explanation.",),
        "The emergency department paediatrician referred at 23:00 after the X-ray.",
        PAEDIATRICS,
        (7, 14),
        (PAEDIATRICS, HEALTH_VISITING),
        "A fracture in a baby with no explanation",
        ("Unexplained fracture in a baby.", "Delay in seeking medical help."),
        ("The parents are cooperating with the hospital.",),
        lived={BABY: ("{child} is a crawling baby who is cared for at home by mother most days.",),
               TODDLER: ("{child} is just starting to pull up on furniture; the health visitor describes a baby who is wary of strangers.",)},
        shared={PAEDIATRICS: ("The paediatrician's opinion is that the fracture needs an explanation the parents have not given.",)},
        carers=("both parents", "mother and her partner"),
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.6,
        legal_chance=0.4,
        medical=Medical("Skeletal survey and child protection medical", "Consultant paediatrician on call"),
        medical_chance=1.0,
    ),
    Scenario(
        "bruising-at-nursery",
        ("Bruising to {child}'s upper arm was noticed by nursery staff at nappy change; the explanation given by the parent was inconsistent with the injury.",),
        "The nursery key worker saw the bruising this morning and reported it to the nursery manager, who called {csc_team}.",
        NURSERY,
        (14, 46),
        (NURSERY, HEALTH_VISITING, PAEDIATRICS),
        "The bruising is in a place and pattern not typical of a toddler's accidents and the explanation does not fit",
        ("Inconsistent explanations for injuries.", "Bruising in a protected area of the body."),
        ("Good attendance at nursery; staff see {child} four days a week.", "Mother recognises the concerns and is willing to work with services."),
        lived={TODDLER: (
            "Nursery staff say {child} is anxious at drop-off and seeks comfort from staff rather than the parent.",
            "{child} is a lively toddler who enjoys the sand tray; staff have noticed {child} flinching when adults raise their voices.",
        )},
        shared={NURSERY: ("Body map completed by the nursery manager; one earlier small bruise recorded last month with a plausible explanation.",)},
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.15,
        not_inform_chance=0.1,
        not_inform_rationales=NOT_INFORM_POLICE,
        medical=Medical("Child protection medical", "Community paediatrician"),
        medical_chance=0.9,
    ),
    Scenario(
        "physical-abuse-disclosure",
        ("{child} told a teacher that their mother's partner hit them with a belt at the weekend and showed a bruise on their leg.",),
        "Disclosure to the class teacher at the end of the school day, recorded in the child's words and passed to the school's safeguarding lead.",
        SCHOOL,
        (6 * YEAR, 13 * YEAR),
        (SCHOOL, GP, PAEDIATRICS),
        "{child}'s disclosure is clear and consistent and there is a visible injury",
        ("{child} is frightened of a named adult in the home.", "Physical chastisement with an implement."),
        ("{child} was able to tell an adult what is happening.", "{child} attends school regularly and has a trusted teacher."),
        lived={CHILD: (
            "{child} is described by teachers as bright and chatty, but quiet on Mondays and reluctant to change for PE.",
            "{child} told the teacher they try to stay in their room when mum's partner is home.",
        )},
        shared={SCHOOL: ("The teacher recorded the disclosure verbatim; no leading questions were asked.",)},
        carers=("mother and her partner",),
        reliability=("{child}'s account was recorded verbatim by the teacher; no leading questions were asked.",),
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.2,
        not_inform_chance=0.4,
        not_inform_rationales=NOT_INFORM_POLICE,
        medical=Medical("Child protection medical", "Community paediatrician"),
        medical_chance=0.8,
    ),
    Scenario(
        "unexplained-burns",
        ("{child} has burns to the back of the hand; {child} said they 'touched the iron' but the pattern concerns school staff.",),
        "Noticed by the teaching assistant during PE and reported to the school's safeguarding lead.",
        SCHOOL,
        (5 * YEAR, 10 * YEAR),
        (SCHOOL, PAEDIATRICS),
        "The burns are in a pattern that suggests they were not accidental",
        ("Inconsistent explanations for injuries.", "Delay in seeking medical help."),
        ("{child} attends school regularly and has a trusted teacher.", "Mother is supportive of the enquiry."),
        lived={CHILD: ("{child} is quiet in class and keeps their sleeves pulled down; they enjoy drawing and football at break.",)},
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.15,
        medical=Medical("Child protection medical", "Community paediatrician"),
        medical_chance=0.9,
    ),
    Scenario(
        "sexual-abuse-disclosure",
        (
            "{child} disclosed to a friend's parent that an older cousin had touched them inappropriately when staying over.",
            "{child} disclosed to the school's safeguarding lead that a family friend has been sexually abusing them.",
        ),
        "The adult {child} told phoned {csc_team}; {child} has not yet spoken to police.",
        SCHOOL,
        (5 * YEAR, 15 * YEAR),
        (SCHOOL, PAEDIATRICS, CAMHS),
        "{child}'s disclosure of sexual abuse is clear",
        ("Alleged perpetrator has access to the child.", "{child} has been told to keep it a secret."),
        ("{child} was able to tell an adult what is happening.", "Mother believes {child} and wants to protect them."),
        lived={
            CHILD: ("{child} has been wetting the bed again and does not want to visit the cousin's house.",),
            TEEN: ("{child} has withdrawn from friends and spends most evenings alone in their room.",),
        },
        carers=("mother", "both parents"),
        injury_or_disclosure=True,
        offence_possible=True,
        protect_chance=0.1,
        not_inform_chance=0.3,
        not_inform_rationales=NOT_INFORM_POLICE,
        medical=Medical("Paediatric forensic medical examination", "Forensic paediatrician at {sarc}"),
        medical_chance=0.6,
    ),
    Scenario(
        "domestic-abuse",
        ("Police attended a domestic abuse incident at the family home overnight; {child} was present and heard the argument from the bedroom.",),
        "Police attended at 01:30 after a neighbour called 999. {notification}.",
        POLICE,
        (0, 16 * YEAR),
        (SCHOOL, NURSERY, HEALTH_VISITING, HOUSING),
        "Domestic abuse is escalating with {child} in the home",
        ("Domestic abuse in the household, escalating in frequency.", "Previous call-outs graded high risk."),
        ("Mother has engaged with the domestic abuse service before.", "Maternal grandmother is a consistent, protective adult who lives nearby."),
        shared={POLICE: ("Three domestic abuse call-outs to the address in the last 18 months; the most recent graded high risk and referred to MARAC.",)},
        carers=("mother and her partner", "both parents"),
        reliability=("Police information is from attending officers and body-worn video.",),
        offence_possible=True,
        s47_chance=0.6,
        joint_chance=0.3,
        protect_chance=0.15,
        household=True,
        actions=(("Refer mother to the domestic abuse service and the MARAC.", CSC),),
    ),
    Scenario(
        "neglect-baby",
        ("The health visitor found the home in a poor state, with little food and no safe place for {child} to sleep; {child} had severe nappy rash.",),
        "Concerns raised by the health visitor after an unannounced visit yesterday afternoon.",
        HEALTH_VISITING,
        (0, 23),
        (HEALTH_VISITING, GP, HOUSING),
        "Neglect of {child}'s basic care has continued despite support",
        ("No safe sleeping place for the baby.", "Poor engagement with health services; missed appointments."),
        ("Mother accepts help with the home and has agreed to a family support worker.",),
        lived={
            BABY: ("{child} is rarely out of the pram or car seat and has few toys; the health visitor saw little interaction.",),
            TODDLER: ("{child} is often in a heavy nappy and has few toys; the health visitor saw {child} eat quickly when offered food.",),
        },
        shared={HEALTH_VISITING: ("Health visitor noted a cold, sparsely furnished home and little food in the kitchen at the last visit.",)},
        s47_chance=0.5,
        household=True,
        network_meeting=True,
    ),
    Scenario(
        "neglect-school-age",
        ("{child} has arrived at school hungry and in unwashed clothes on most days this term; attendance has dropped.",),
        "The school's safeguarding lead referred after a pattern of concerns logged over six weeks.",
        SCHOOL,
        (5 * YEAR, 11 * YEAR),
        (SCHOOL, GP),
        "The cumulative neglect over several months, despite support, meets the threshold",
        ("Cumulative neglect over several months.", "Previous involvement for neglect."),
        ("Teachers give {child} breakfast at school and see them every day.",),
        lived={CHILD: ("Teachers describe a child who is often tired, hungry and reluctant to go home at the end of the day.",)},
        shared={SCHOOL: ("Attendance 82% this term with several unexplained late arrivals; often arrives hungry.",)},
        s47_chance=0.4,
        household=True,
        network_meeting=True,
    ),
    Scenario(
        "online-sexual-exploitation",
        ("{child} disclosed online contact with an adult who asked for images; the young person sent photographs.",),
        "Disclosure to the school nurse during a drop-in session.",
        SCHOOL,
        (11 * YEAR, 16 * YEAR),
        (SCHOOL, CAMHS),
        "An adult has sexually exploited {child} online",
        ("Online contact with an adult seeking sexual images.", "Missing episodes and links to older people exploiting young people."),
        ("{child} was able to tell an adult what is happening.", "Parents are supportive and want to work with police."),
        lived={TEEN: ("{child} spends much of the night online and is tired in lessons; friends say {child} has a new 'boyfriend' online.",)},
        injury_or_disclosure=True,
        offence_possible=True,
    ),
    Scenario(
        "exploitation-missing",
        ("{child} has been reported missing three times in the last month and was found in another town with older young people.",),
        "Police missing person reports and a return home interview raised concerns about exploitation.",
        EXPLOITATION,
        (12 * YEAR, 17 * YEAR),
        (EXPLOITATION, SCHOOL, YOUTH_JUSTICE),
        "Missing episodes and the indicators of exploitation",
        ("Missing episodes and links to older people exploiting young people.", "Unexplained money, clothes and phones."),
        ("{child} has a positive relationship with their youth worker.", "Parents report every missing episode promptly."),
        lived={TEEN: ("{child} spends most nights away from home and says home is 'always shouting'.",)},
        shared={
            POLICE: ("{child} reported missing twice this month; found in the town centre with older young people on both occasions.",),
            EXPLOITATION: ("Return home interviews show links to older males associated with county lines activity.",),
        },
        offence_possible=True,
        joint_chance=0.7,
        actions=(("Complete a return home interview.", EXPLOITATION), ("Complete an exploitation screening tool.", EXPLOITATION)),
    ),
    Scenario(
        "criminal-exploitation",
        ("{child} was found with cannabis and large amounts of cash; there are concerns about criminal exploitation.",),
        "Police stop and search; the young person was brought home by officers.",
        POLICE,
        (13 * YEAR, 17 * YEAR),
        (YOUTH_JUSTICE, EXPLOITATION, SCHOOL),
        "Indicators that {child} is being criminally exploited",
        ("Unexplained money, clothes and phones.", "Association with older young people involved in drug supply."),
        ("{child} still attends school most days.", "Mother is worried and asking for help."),
        lived={TEEN: ("{child} has stopped going to football and is out late most nights; mother says {child} has two phones.",)},
        shared={YOUTH_JUSTICE: ("{child} is subject to a referral order; engagement has dropped in recent weeks.",)},
        offence_possible=True,
        joint_chance=0.6,
        actions=(("Review the young person's referral order plan.", YOUTH_JUSTICE),),
    ),
    Scenario(
        "self-harm-online-harm",
        ("{child} has been self-harming and has been sent content encouraging self-harm in an online group; {child} told the school nurse they feel no one at home listens.",),
        "School nurse drop-in; the school's safeguarding lead contacted {csc_team} within the hour.",
        SCHOOL,
        (12 * YEAR, 17 * YEAR),
        (SCHOOL, CAMHS, GP),
        "{child} is self-harming and being drawn into harmful online content",
        ("Young person is self-harming.", "Exposure to online content encouraging self-harm."),
        ("{child} has a trusted school nurse.", "Parents want help and have agreed to a CAMHS referral."),
        lived={TEEN: ("{child} has stopped seeing friends and spends evenings online in their room; they say they feel 'numb'.",)},
        shared={CAMHS: ("Seen twice for anxiety last year; disengaged after the second appointment.",)},
        s47_chance=0.4,
        actions=(("Offer an urgent assessment appointment.", CAMHS), ("Agree a safety plan for online use with {child} and the parents.", CSC)),
    ),
    Scenario(
        "pre-birth",
        (
            "A pre-birth concern: the mother's previous two children were removed from her care, and she has not engaged with midwifery.",
            "A pre-birth concern: the baby's father has convictions for violence against a previous partner and has moved in with the mother.",
        ),
        "The midwife made a referral at the booking appointment.",
        MIDWIFERY,
        None,
        (MIDWIFERY, GP, ADULT_MENTAL_HEALTH),
        "The history gives reasonable cause to suspect the baby is likely to suffer significant harm after the birth",
        ("Previous children removed from the mother's care.", "Late booking and missed antenatal appointments."),
        ("Mother has agreed to meet the social worker before the birth.", "Maternal aunt has offered support after the birth."),
        lived={BABY: ("The baby is due soon; mother has not prepared for the birth and says she is frightened of losing this baby too.",)},
        shared={MIDWIFERY: ("Booked late at 24 weeks; two antenatal appointments missed since.",)},
        carers=("mother", "mother and her partner"),
        s47_chance=0.7,
        legal_chance=0.5,
        actions=(
            ("Complete a pre-birth assessment and a birth plan.", CSC),
            ("Share the birth plan with the maternity unit and flag the mother's hospital records.", MIDWIFERY),
        ),
    ),
    Scenario(
        "fabricated-or-induced-illness",
        ("The paediatrician is concerned that the symptoms mother reports for {child} are not seen by staff, after many hospital attendances and tests that found nothing.",),
        "The consultant paediatrician referred after a review of {child}'s records across three hospitals.",
        PAEDIATRICS,
        (1 * YEAR, 12 * YEAR),
        (PAEDIATRICS, GP, SCHOOL, NURSERY),
        "The pattern of reported illness not seen by professionals suggests fabricated or induced illness",
        ("Symptoms reported that professionals have not seen.", "Many hospital attendances and unnecessary tests."),
        ("Father is concerned and supports the paediatric review.", "{child} is well and lively when seen by staff."),
        shared={PAEDIATRICS: ("Twenty-three attendances across three hospitals in a year; no test has found a cause.",)},
        carers=("both parents", "mother"),
        offence_possible=True,
        joint_chance=0.5,
        not_inform_chance=0.5,
        not_inform_rationales=("Telling the parents before the records are reviewed may put {child} at risk of further harm.",),
        medical=Medical("Paediatric review of all records and a period of observation on the ward", "Consultant paediatrician"),
        medical_chance=0.7,
    ),
    Scenario(
        "parent-admitted-to-hospital",
        ("{child}'s mother was admitted to a mental health ward; {child} was left with a family friend who cannot care for them beyond tonight.",),
        "The adult mental health team contacted {csc_team} after the admission.",
        ADULT_MENTAL_HEALTH,
        (3 * YEAR, 14 * YEAR),
        (ADULT_MENTAL_HEALTH, SCHOOL, NURSERY),
        "{child} has no safe carer after tonight",
        ("Parental mental ill health, currently unstable.", "No other family able to care for {child} at short notice."),
        ("Mother asked staff to make sure {child} was looked after.", "{child}'s aunt may be able to care for them from the weekend."),
        shared={ADULT_MENTAL_HEALTH: ("Mother is open to the community mental health team with a diagnosis of bipolar disorder; last seen two weeks ago.",)},
        carers=("mother",),
        s47_chance=0.3,
        protect_chance=0.5,
        network_meeting=True,
    ),
    Scenario(
        "left-alone",
        ("{child} was found alone at home for several hours in the evening by a neighbour who called the police.",),
        "Police welfare check after a neighbour's call; the parent returned two hours after officers arrived.",
        POLICE,
        (3 * YEAR, 9 * YEAR),
        (SCHOOL, NURSERY, HOUSING),
        "{child} is too young to be left alone and it has happened before",
        ("Children left without supervision.", "Parent working late shifts with no childcare."),
        ("Parent was shocked and has arranged childcare with a neighbour.",),
        carers=("mother", "father"),
        s47_chance=0.4,
        household=True,
    ),
    Scenario(
        "anonymous-report",
        ("Anonymous report that {child} is being hit at home and locked in their room.",),
        "Anonymous call to {csc_team}; the caller would not give their name.",
        CSC,
        (4 * YEAR, 12 * YEAR),
        (SCHOOL, GP),
        "The report, if true, describes physical harm and restriction",
        ("Physical chastisement reported.", "Child is frightened of a named adult in the home."),
        ("{child} attends school regularly and has a trusted teacher.",),
        reliability=("Anonymous information; parts of it are consistent with what the school holds.",),
        s47_chance=0.3,
        malicious_chance=0.4,
    ),
    Scenario(
        "violent-parent-released",
        ("{child}'s father, who has a history of violence, has been released from prison and is reported to be living at the family home.",),
        "Probation informed {csc} of the release address.",
        PROBATION,
        (0, 15 * YEAR),
        (PROBATION, SCHOOL, HEALTH_VISITING),
        "An adult with convictions for violence is living with {child}",
        ("Adult in the household with a conviction for violence.", "Previous domestic abuse against the mother."),
        ("Mother understands the risk and has agreed to a safety plan.",),
        shared={PROBATION: ("Father is subject to licence conditions until next year; no restriction on contact with children.",)},
        carers=("both parents",),
        s47_chance=0.5,
        household=True,
        actions=(("Confirm licence conditions and any restrictions on contact.", PROBATION),),
    ),
    Scenario(
        "intoxicated-carers",
        ("{child}'s parents were seen by a neighbour to be heavily intoxicated while caring for {child}; empty bottles were found in the living room.",),
        "A neighbour called the police; officers attended and shared a notification.",
        POLICE,
        (0, 3 * YEAR),
        (HEALTH_VISITING, GP),
        "The parents were unable to care safely for a young child",
        ("Parental substance misuse.", "A very young child dependent on intoxicated carers."),
        ("Paternal grandparents live nearby and visit daily.",),
        carers=("both parents",),
        s47_chance=0.5,
        protect_chance=0.2,
        household=True,
    ),
    Scenario(
        "medical-neglect",
        ("{child} has missed several hospital appointments for a serious medical condition; the parents are not giving prescribed medication.",),
        "The consultant paediatrician referred after a third missed clinic and a deterioration on blood tests.",
        PAEDIATRICS,
        (2 * YEAR, 15 * YEAR),
        (PAEDIATRICS, GP, SCHOOL, NURSERY),
        "{child}'s health is deteriorating because treatment is not given",
        ("Poor engagement with health services; missed appointments.", "Prescribed medication not given."),
        ("Parents say they want {child} to be well and accept transport to clinic.",),
        shared={PAEDIATRICS: ("Growth has fallen from the 50th to the 9th centile over twelve months.",)},
        carers=("both parents", "mother"),
        s47_chance=0.5,
        network_meeting=True,
    ),
    Scenario(
        "forced-marriage",
        ("There are concerns that {child} may be taken abroad for a forced marriage during the summer holidays.",),
        "A friend told the school; the young person confirmed the plan to a teacher but is frightened.",
        SCHOOL,
        (14 * YEAR, 17 * YEAR),
        (SCHOOL,),
        "{child} is at risk of forced marriage, a form of abuse",
        ("Risk of forced marriage abroad.", "Family pressure and threats if {child} refuses."),
        ("{child} trusts a teacher and has asked for help.",),
        lived={TEEN: ("{child} is doing well at school and hopes to go to college, but has stopped eating lunch with friends.",)},
        carers=("both parents",),
        offence_possible=True,
        joint_chance=0.8,
        not_inform_chance=0.9,
        not_inform_rationales=("Telling the family could lead to {child} being taken abroad sooner; forced marriage guidance advises against it.",),
        s47_chance=0.9,
        actions=(("Contact the Forced Marriage Unit and agree a plan for the summer holidays.", POLICE),),
    ),
)

# -- texts that fit any scenario (a scenario's own come first) ----------------------------

LIVED_BY_BAND: dict[str, tuple[str, ...]] = {
    BABY: (
        "{child} is a baby who is cared for at home; the health visitor describes a baby who settles with mother but startles at loud noise.",
        "{child} is feeding and growing well; the parents say the nights are hard and they argue when tired.",
    ),
    TODDLER: (
        "{child} is a busy toddler who is talking in short sentences; staff see {child} go quiet when collected.",
        "{child} likes books and the park; the health visitor saw {child} look to mother for comfort.",
    ),
    CHILD: (
        "{child} talks warmly about grandmother and says they feel safe at her house.",
        "Teachers describe {child} as kind and sporty, but tired and distracted over the last month.",
    ),
    TEEN: (
        "{child} says home is 'always shouting' and spends as much time as possible at friends' houses.",
        "{child} is doing their exams this year and worries about their mother.",
    ),
}

# Household risks that fit any concern.
GENERAL_RISK_FACTORS = (
    "Family isolated, with no support network.",
    "Housing instability and financial pressure.",
    "Parental mental ill health.",
    "Parental substance misuse.",
)
GENERAL_PROTECTIVE_FACTORS = (
    "A wider family member has offered to help with care.",
    "The family accepted support when it was offered before.",
)

# What each agency typically brings, when the scenario has nothing of its own for it.
AGENCY_SUMMARIES: dict[str, tuple[str, ...]] = {
    CSC: (
        "Known to {csc}: a {support_plan} closed eight months ago after improvements in home conditions.",
        "No previous involvement with this family.",
        "Two previous contacts in the last year, both closed with advice and signposting.",
    ),
    POLICE: (
        "{police_checks} on the adults: no convictions; one call-out to the address last year for a noise complaint.",
        "No police information held on the household.",
        "Mother's partner has a previous conviction for assault (2019); no current bail conditions.",
    ),
    HEALTH: (
        "Immunisations up to date; two missed outpatient appointments this year.",
        "No health concerns recorded; registered with a GP and seen regularly.",
    ),
    GP: (
        "Registered with the practice; {child} was last seen three months ago for a chest infection.",
        "Father is prescribed medication for depression; no recent reviews attended.",
        "No safeguarding concerns previously recorded at the practice.",
    ),
    HEALTH_VISITING: (
        "Universal health visiting contacts completed; mother has missed the last planned visit.",
        "The health visitor last saw {child} six weeks ago; no concerns were recorded then.",
    ),
    MIDWIFERY: ("Mother is booked with the community midwife; the birth plan is not yet agreed.",),
    PAEDIATRICS: ("{child} is known to the paediatric team; no previous safeguarding concerns recorded.",),
    SCHOOL: (
        "Attendance 94% this term; no previous safeguarding concerns recorded.",
        "{child} is described as quiet and withdrawn over the last month; previously settled and sociable.",
    ),
    NURSERY: (
        "{child} attends four mornings a week; attendance good until the last fortnight.",
        "Mother usually collects; staff have smelled alcohol at collection on two occasions.",
    ),
    ADULT_MENTAL_HEALTH: ("Father was discharged from the service last year; no current involvement.",),
    CAMHS: ("Not currently known to CAMHS.",),
    PROBATION: ("Father is under probation supervision for a drugs offence; reporting regularly.",),
    HOUSING: (
        "Family in temporary accommodation since the spring; rent arrears and a notice to quit have been served.",
        "Housing officer reports complaints from neighbours about shouting late at night.",
    ),
    YOUTH_JUSTICE: ("Not currently open to youth justice; one community resolution last year.",),
    EXPLOITATION: ("{child} was screened for exploitation risk last year and graded low.",),
}

# Action text -> the agency that owns it, for every agency present.
AGENCY_ACTIONS: dict[str, tuple[str, ...]] = {
    POLICE: ("Share the police chronology with {csc}.",),
    HEALTH: ("Share health records and missed appointments.",),
    GP: ("Send the GP summary for both parents.",),
    HEALTH_VISITING: ("Carry out a joint home visit with the social worker.",),
    MIDWIFERY: ("Refer to the safeguarding midwife and book an extra antenatal appointment.",),
    SCHOOL: ("Monitor attendance daily and report any absence the same day.", "Share the log of safeguarding concerns."),
    NURSERY: ("Update the nursery on the safety plan and collection arrangements.",),
    ADULT_MENTAL_HEALTH: ("Review the mother's care plan and share the risk assessment.",),
    CAMHS: ("Share the outcome of the CAMHS screening.",),
    PROBATION: ("Share the probation risk assessment for the adult in the household.",),
    HOUSING: ("Look into an emergency housing transfer.",),
    YOUTH_JUSTICE: ("Share the youth justice assessment.",),
    EXPLOITATION: ("Add {child} to the exploitation panel's agenda.",),
}

INFORMATION_REQUESTS: tuple[tuple[str, str], ...] = (
    ("Chronology of police call-outs and {police_checks} on the adults in the home.", POLICE),
    ("Health records, including emergency department attendances and missed appointments.", HEALTH),
    ("Attendance record and any logged safeguarding concerns.", SCHOOL),
    ("GP records for the parents, including mental health and substance use.", GP),
    ("Health visiting records and the last developmental review.", HEALTH_VISITING),
    ("Housing history and any reports from neighbours.", HOUSING),
    ("Probation risk assessment for the adult in the household.", PROBATION),
    ("Antenatal records and the birth plan.", MIDWIFERY),
)
