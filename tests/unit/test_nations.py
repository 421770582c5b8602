"""Per-nation rules: names, timescales' units and who must be at the table."""

from __future__ import annotations

import pytest

from stratui.models import Attendance, Participant
from stratui.nations import (
    RULES,
    agency_satisfies,
    attendance_gaps,
    medical_examination_considered,
    rules_for,
)


def person(name: str, agency: str, role: str = "", attendance: Attendance = Attendance.PRESENT, reason: str = ""):
    return Participant(name=name, agency=agency, role=role, attendance=attendance, absence_reason=reason)


SOCIAL_WORKER = person("Sam Worker", "Children's social care", "Social worker")
MANAGER = person("Mo Manager", "Children's social care", "Team manager")
POLICE = person("DC Pat Lee", "Police", "Detective constable")
HEALTH_VISITOR = person("Hana Visitor", "Health visiting", "Health visitor")
NO_MEDIC = (
    "Details > Participants: a medical examination is being considered: add a medical professional "
    "(e.g. paediatrician), or say why not in Decisions > Medical examination > Why no medical professional."
)


# --- the rules as data ---


def test_every_nation_has_rules_and_unknown_nations_are_refused() -> None:
    assert set(RULES) == {"england", "wales", "scotland", "northern-ireland"}
    assert rules_for("northern-ireland").label == "Northern Ireland"
    with pytest.raises(ValueError, match="unknown nation 'france'"):
        rules_for("france")


def test_england_names_and_minimum_attendees() -> None:
    england = rules_for("england")
    assert england.minimum_agencies == ("Children's social care", "Police", "Health")
    assert england.requires_manager is True
    assert england.discussion_name == "strategy discussion"
    assert england.conference_name == "initial child protection conference (ICPC)"
    assert england.conference_short_name == "ICPC"
    assert england.discussion_short_name == "strategy discussion"
    assert england.conference_in_calendar_days is False
    assert england.enquiry_name == "section 47 enquiry"
    assert "manager" in england.minimum_roles_note


def test_wales_needs_police_and_social_services_but_health_only_as_required() -> None:
    wales = rules_for("wales")
    assert wales.minimum_agencies == ("Children's social care", "Police")
    assert "Health" not in wales.minimum_agencies
    assert wales.requires_manager is False


def test_scotland_holds_an_ird_and_a_planning_meeting_in_calendar_days() -> None:
    scotland = rules_for("scotland")
    assert scotland.minimum_agencies == ("Police", "Children's social care", "Health")
    assert scotland.discussion_name == "inter-agency referral discussion (IRD)"
    assert scotland.discussion_short_name == "IRD"
    assert scotland.conference_name == "child protection planning meeting (CPPM)"
    assert scotland.conference_short_name == "CPPM"
    assert scotland.conference_in_calendar_days is True
    assert scotland.enquiry_name == "child protection investigation"


def test_northern_ireland_follows_england_on_attendees_in_its_own_words() -> None:
    ni = rules_for("northern-ireland")
    assert ni.minimum_agencies == rules_for("england").minimum_agencies
    assert ni.requires_manager is True
    assert ni.conference_name == "initial child protection case conference"
    assert ni.enquiry_name == "Article 66 investigation"
    assert ni.assessment_name == "UNOCINI assessment"


# --- matching agencies ---


@pytest.mark.parametrize(
    "agency", ["Health", "GP", "Health visiting", "Paediatrics", "CAMHS", "Adult mental health", "NHS Foundation Trust"]
)
def test_any_health_agency_fills_the_health_seat(agency: str) -> None:
    assert agency_satisfies("Health", agency)
    assert agency_satisfies("Health", agency.upper())


@pytest.mark.parametrize(
    ("required", "agency", "expected"),
    [
        ("Police", "police", True),
        ("Police", "Health", False),
        ("Health", "Police", False),
        ("Health", "School", False),
        ("Children's social care", "children's social care", True),
        # A typed curly apostrophe is the same agency.
        ("Children's social care", "Children\u2019s Social Care", True),
        # Wales says social services, Scotland social work.
        ("Children's social care", "Social services", True),
        ("Children's social care", "Social work", True),
        ("Children's social care", "", False),
        ("GP", "Health", False),
    ],
)
def test_agency_satisfies(required: str, agency: str, expected: bool) -> None:
    assert agency_satisfies(required, agency) is expected


# --- attendance gaps ---


def test_full_england_attendance_has_no_gaps() -> None:
    people = [SOCIAL_WORKER, MANAGER, POLICE, HEALTH_VISITOR]
    assert attendance_gaps(people, "england", medical_examination_considered=False) == []


def test_england_without_health_has_a_gap_but_wales_does_not() -> None:
    people = [SOCIAL_WORKER, MANAGER, POLICE]
    england = attendance_gaps(people, "england", medical_examination_considered=False)
    assert england == ["Details > Participants: no one from Health is recorded: add them, or record their absence and why."]
    assert attendance_gaps(people, "wales", medical_examination_considered=False) == []


def test_wales_still_needs_police() -> None:
    gaps = attendance_gaps([SOCIAL_WORKER, HEALTH_VISITOR], "wales", medical_examination_considered=False)
    assert gaps == ["Details > Participants: no one from Police is recorded: add them, or record their absence and why."]


def test_absence_with_a_reason_or_written_information_counts_as_recorded() -> None:
    police_absent = person(
        "DC Pat Lee", "Police", attendance=Attendance.ABSENT, reason="On another call; briefed by phone"
    )
    gp_written = person("Dr Gee", "GP", "GP", attendance=Attendance.WRITTEN, reason="Emailed the surgery's records")
    people = [SOCIAL_WORKER, MANAGER, police_absent, gp_written]
    assert attendance_gaps(people, "england", medical_examination_considered=False) == []


def test_absence_without_a_reason_is_a_gap_naming_who() -> None:
    police_absent = person("DC Pat Lee", "Police", attendance=Attendance.ABSENT, reason="   ")
    gaps = attendance_gaps([SOCIAL_WORKER, MANAGER, police_absent, HEALTH_VISITOR], "england", False)
    assert gaps == [
        "Details > Participants: Police (DC Pat Lee) did not attend and no reason or written information is "
        "recorded: give it in 'If absent: why / what sent'."
    ]


def test_england_and_northern_ireland_need_the_social_workers_manager() -> None:
    people = [SOCIAL_WORKER, POLICE, HEALTH_VISITOR]
    for nation, label in (("england", "England"), ("northern-ireland", "Northern Ireland")):
        gaps = attendance_gaps(people, nation, medical_examination_considered=False)
        assert gaps == [
            f"Details > Participants: in {label} the social worker's manager takes part: add them "
            "(e.g. role Team manager), or record their absence and why."
        ]
    assert attendance_gaps(people, "scotland", medical_examination_considered=False) == []
    assert attendance_gaps(people, "wales", medical_examination_considered=False) == []


def test_a_manager_from_another_agency_is_not_the_social_workers_manager() -> None:
    police_manager = person("Insp Ray", "Police", "Custody manager")
    gaps = attendance_gaps([SOCIAL_WORKER, police_manager, HEALTH_VISITOR], "england", False)
    assert len(gaps) == 1 and "manager" in gaps[0]


def test_scotland_needs_police_social_work_and_health() -> None:
    social_work = person("Sam Worker", "Social work", "Social worker")
    gaps = attendance_gaps([social_work, POLICE], "scotland", medical_examination_considered=False)
    assert gaps == ["Details > Participants: no one from Health is recorded: add them, or record their absence and why."]


def test_a_considered_medical_examination_needs_a_medical_professional() -> None:
    people = [SOCIAL_WORKER, MANAGER, POLICE, HEALTH_VISITOR]
    gaps = attendance_gaps(people, "england", medical_examination_considered=True)
    assert gaps == [NO_MEDIC]
    paediatrician = person("Dr Kay", "Paediatrics", "Consultant paediatrician")
    assert attendance_gaps([*people, paediatrician], "england", medical_examination_considered=True) == []
    # A health visitor is health, but not a doctor who can examine the child.
    assert attendance_gaps(people, "wales", medical_examination_considered=True) == gaps


def test_medical_examination_considered() -> None:
    assert medical_examination_considered(True) is True
    assert medical_examination_considered(None, "Possible CP medical if bruising confirmed") is True
    assert medical_examination_considered(None, "  ") is False
    assert medical_examination_considered(False, "Not needed: injury explained") is False


# --- issue 10: names as people type them ---


def test_a_police_unit_counts_as_police() -> None:
    cait = person("DC Ray Holt", "Police - child abuse investigation team", "DC")
    people = [SOCIAL_WORKER, MANAGER, cait, HEALTH_VISITOR]
    assert attendance_gaps(people, "england", medical_examination_considered=False) == []


@pytest.mark.parametrize(
    ("nation", "people"),
    [
        (
            "england",
            [
                person("Sam Worker", "Children's services", "Social worker"),
                person("Mo Lead", "Children's services", "Team leader"),
                person("DS Ann Park", "Metropolitan Police", "DS"),
                person("Hana Visitor", "Whittington Health NHS Trust", "Health visitor"),
            ],
        ),
        (
            "wales",
            [
                person("Sam Worker", "Cardiff social services", "Social worker"),
                person("PC Bryn", "South Wales Police", "PC"),
            ],
        ),
        (
            "scotland",
            [
                person("Sam Worker", "Glasgow social work services", "Social worker"),
                person("DC Rae", "Police Scotland public protection unit", "DC"),
                person("Dr Bell", "NHS Greater Glasgow and Clyde", "Community paediatrician"),
            ],
        ),
        (
            "northern-ireland",
            [
                person("Sam Worker", "Belfast Health and Social Care Trust", "Social worker"),
                person("Mo Lead", "Belfast HSC Trust", "Senior practitioner"),
                person("DC Kerr", "PSNI", "Detective constable"),
                person("Hana Visitor", "Belfast HSC Trust", "Health visitor"),
            ],
        ),
    ],
)
def test_each_nations_minimum_attendees_by_the_names_they_go_by(nation: str, people: list[Participant]) -> None:
    assert attendance_gaps(people, nation, medical_examination_considered=False) == []
    # Without any one of them, the check says who is missing (where the manager is needed, they
    # also fill the social care seat without the social worker).
    first = 1 if rules_for(nation).requires_manager else 0
    for left_out in range(first, len(people)):
        others = people[:left_out] + people[left_out + 1 :]
        assert attendance_gaps(others, nation, medical_examination_considered=False), (nation, people[left_out])


def test_a_role_fills_the_seat_when_the_agency_is_left_blank() -> None:
    people = [person("Sam", "", "Social worker"), person("Mo", "", "Practice manager"), person("Lee", "", "DC"), HEALTH_VISITOR]
    assert attendance_gaps(people, "england", medical_examination_considered=False) == []


def test_a_written_reason_replaces_the_medical_professional() -> None:
    people = [SOCIAL_WORKER, MANAGER, POLICE, HEALTH_VISITOR]
    assert attendance_gaps(
        people, "england", True, no_medical_professional_reason="GP examined her this morning; report to follow"
    ) == []
    assert attendance_gaps(people, "england", True, no_medical_professional_reason="  ") == [NO_MEDIC]


def test_someone_still_to_confirm_is_not_counted_as_attending() -> None:
    police = person("DC Pat Lee", "Police", "Detective constable", attendance=Attendance.TO_CONFIRM)
    gaps = attendance_gaps([SOCIAL_WORKER, MANAGER, police, HEALTH_VISITOR], "england", False)
    assert len(gaps) == 1 and gaps[0].startswith("Details > Participants: Police (DC Pat Lee): attendance not confirmed yet")


def test_the_teams_own_agency_names_count(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from stratui.settings_file import load_settings

    path = tmp_path / "settings.toml"
    path.write_text('[lists]\nagency_aliases = { "Police" = ["Op Kestrel"] }\n', "utf-8")
    settings = load_settings(path)
    people = [SOCIAL_WORKER, MANAGER, person("DC Lee", "Op Kestrel"), HEALTH_VISITOR]
    assert attendance_gaps(people, "england", False, settings=settings) == []
    assert len(attendance_gaps(people, "england", False)) == 1
