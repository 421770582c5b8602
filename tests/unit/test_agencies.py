"""Agencies and roles are recognised by the names people type, not only by exact names."""

from __future__ import annotations

import pytest

from stratui.agencies import agency_of_role, canonical_agency, is_manager_role, is_medical, seat_of
from stratui.settings import Settings, SettingsError
from stratui.settings_file import load_settings


@pytest.mark.parametrize(
    ("typed", "seat"),
    [
        # Issue 10: a police unit's name was not counted as Police.
        ("Police - child abuse investigation team", "Police"),
        ("CAIT", "Police"),
        ("Public Protection Unit", "Police"),
        ("MASH police", "Police"),
        ("PSNI", "Police"),
        ("Police Scotland", "Police"),
        ("Metropolitan Police", "Police"),
        ("Greater Manchester Police", "Police"),
        ("Dyfed-Powys Police", "Police"),
        ("Lancashire Constabulary", "Police"),
        ("Leeds Teaching Hospitals NHS Foundation Trust", "Health"),
        ("Belfast HSC Trust", "Health"),
        ("NHS Greater Glasgow and Clyde", "Health"),
        ("Cardiff and Vale University Health Board", "Health"),
        ("Health visiting", "Health"),
        ("School nursing", "Health"),
        ("GP", "Health"),
        ("CAMHS", "Health"),
        ("Paediatrics", "Health"),
        ("Midwifery", "Health"),
        ("Social services", "Children's social care"),
        ("Social work", "Children's social care"),
        ("Children\u2019s services", "Children's social care"),
        ("childrens social care", "Children's social care"),
        ("MASH social care", "Children's social care"),
        ("St Anne's Primary School", "Education"),
        ("Probation Service", "Probation"),
        ("Riverside Housing Association", "Housing"),
        # The longest name wins: adult social care is not the child's social care.
        ("Adult social care", "Adult social care"),
        ("Bridge Street Café", ""),
        ("", ""),
    ],
)
def test_a_typed_agency_fills_its_seat(typed: str, seat: str) -> None:
    assert canonical_agency(typed) == seat


@pytest.mark.parametrize(
    ("role", "agency", "manager", "medical"),
    [
        ("Social worker", "Children's social care", False, False),
        ("Team manager", "Children's social care", True, False),
        ("Team leader", "Children's social care", True, False),
        ("Practice manager", "Children's social care", True, False),
        ("Senior practitioner", "Children's social care", True, False),
        ("Assistant team manager", "Children's social care", True, False),
        ("DC", "Police", False, False),
        ("DS", "Police", False, False),
        ("PC", "Police", False, False),
        ("Detective constable", "Police", False, False),
        ("Health visitor", "Health", False, False),
        ("Paediatrician", "Paediatrics", False, True),
        ("Community paediatrician", "Paediatrics", False, True),
        ("GP", "GP", False, True),
        ("Forensic physician", "Health", False, True),
        # Which agency a custody manager works for is not guessed.
        ("Custody manager", "", True, False),
        ("Youth worker", "", False, False),
    ],
)
def test_a_role_knows_its_agency_and_standing(role: str, agency: str, manager: bool, medical: bool) -> None:
    assert agency_of_role(role) == agency
    assert is_manager_role(role) is manager
    assert is_medical(role, "") is medical


def test_a_trust_with_health_and_social_care_takes_the_seat_of_the_role() -> None:
    assert seat_of("Belfast Health and Social Care Trust", "Social worker") == "Children's social care"
    assert seat_of("Belfast HSC Trust", "Health visitor") == "Health"
    assert seat_of("Belfast HSC Trust", "") == "Health"
    # A blank agency takes the role's; an agency typed wins over the role's.
    assert seat_of("", "DC") == "Police"
    assert seat_of("Police", "Social worker") == "Police"


def test_a_medical_agency_makes_its_participant_medical() -> None:
    assert is_medical("", "Community paediatrics")
    assert is_medical("Consultant", "Sexual assault referral centre")
    assert not is_medical("Health visitor", "Health visiting")


def test_a_team_adds_its_own_names_in_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.toml"
    path.write_text(
        '[lists]\nagency_aliases = { "Police" = ["Op Encompass"], "Health" = ["Riverside Trust"] }\n'
        'role_aliases = { "Team manager" = ["Hub lead"], "Family support worker" = ["FSW"] }\n',
        "utf-8",
    )
    settings = load_settings(path)
    assert canonical_agency("Op Encompass", settings) == "Police"
    assert canonical_agency("Riverside Trust", settings) == "Health"
    assert canonical_agency("Op Encompass") == ""  # only for the team that named it
    assert is_manager_role("Hub lead", settings) and agency_of_role("Hub lead", settings) == "Children's social care"
    assert agency_of_role("FSW", settings) == ""  # a new role: its agency is not guessed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('agency_aliases = { "Police" = [""] }', "lists.agency_aliases.Police[0]: must not be empty"),
        ('agency_aliases = { "Police" = ["--"] }', "no letters or digits"),
        ('agency_aliases = { "Police" = ["CAIT"], "Health" = ["cait"] }', "given for both 'Police' and 'Health'"),
        ('agency_aliases = { "Police" = "CAIT" }', "lists.agency_aliases.Police: must be a list"),
        ('role_aliases = { "--" = ["x"] }', "is not a name"),
    ],
)
def test_bad_aliases_are_refused_with_the_key_named(tmp_path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.toml"
    path.write_text(f"[lists]\n{text}\n", "utf-8")
    with pytest.raises(SettingsError, match="lists") as refused:
        load_settings(path)
    assert message in str(refused.value)


def test_the_shipped_settings_have_no_aliases_of_their_own() -> None:
    assert Settings().lists.agency_aliases == {} and Settings().lists.role_aliases == {}
