"""Shared fixtures: every test runs against its own database, settings and date, never the user's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stratui.models import (
    Action,
    Child,
    Decision,
    Decisions,
    Discussion,
    InformationSharing,
    MedicalExamination,
    ParentsInformed,
    Participant,
    RiskAnalysis,
)
from stratui.context import Context
from stratui.store import Store

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path stratui reads or writes into tmp_path, and freeze "today"."""
    monkeypatch.setenv("STRATUI_DB", str(tmp_path / "db"))
    monkeypatch.setenv("STRATUI_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setenv("STRATUI_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("STRATUI_CRASH_REPORTS", str(tmp_path / "crash-reports"))
    monkeypatch.setenv("STRATUI_WITNESS", str(tmp_path / "audit-witness"))
    monkeypatch.setenv("STRATUI_TODAY", TODAY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("STRATUI_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def make_discussion() -> Callable[..., Discussion]:
    """A factory of valid, complete discussions; keyword arguments replace any field."""

    def make(**overrides: Any) -> Discussion:
        held_on = overrides.get("held_on", date(2026, 11, 20))
        fields: dict[str, Any] = {
            "case_ref": "CS-104233",
            "children": [Child(name="Maya Okafor", date_of_birth=date(2019, 3, 14))],
            "concern_date": date(2026, 11, 19),
            "concern_source": "School designated safeguarding lead",
            "held_on": held_on,
            "social_worker": "Sam Patel",
            "participants": [
                Participant(name="Sam Patel", role="Social worker", agency="Children's social care"),
                Participant(name="Jo Reid", role="Team manager", agency="Children's social care"),
                Participant(name="DC Lee Grant", role="Detective constable", agency="Police"),
                Participant(
                    name="Ann Hughes",
                    role="Health visitor",
                    agency="Health",
                    attendance="written-information",
                    absence_reason="On leave; sent a written chronology by secure email",
                ),
            ],
            "information": InformationSharing(
                concerns="Bruise to the left cheek noticed at school; Maya said her step-father hit her.",
                how_concerns_came_to_light="Disclosure to class teacher on 19 Nov 2026.",
            ),
            "risk": RiskAnalysis(
                significant_harm_suspected=True,
                significant_harm_rationale="Disclosure of physical harm with a visible injury.",
                safe_at_home=False,
                safe_at_home_rationale="Alleged perpetrator lives at home.",
            ),
            "decisions": Decisions(
                s47_enquiry=Decision(made=True, rationale="Reasonable cause to suspect significant harm."),
                immediate_protection=Decision(made=True, rationale="Step-father agreed to stay with his brother."),
                joint_investigation=Decision(made=True, rationale="A possible offence of assault."),
                legal_advice=Decision(made=False, rationale="Family cooperating with the safety plan."),
                medical_examination=MedicalExamination(made=False, rationale="Injury seen and photographed; no examination needed."),
                inform_parents=ParentsInformed(
                    made=True, rationale="Informing mother does not increase the risk.", who_informs="Sam Patel"
                ),
            ),
            "actions": [
                Action(
                    text="Joint visit to see Maya and her mother",
                    owner="Sam Patel",
                    agency="Children's social care",
                    due=date(2026, 11, 23),
                ),
                Action(
                    text="Check police records for the step-father",
                    owner="DC Lee Grant",
                    agency="Police",
                    due=date(2026, 11, 27),
                ),
            ],
        }
        fields.update(overrides)
        return Discussion(**fields)

    return make


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "db", user="tester")


@pytest.fixture
def context(tmp_path: Path) -> Context:
    """What the app and CLI are built from, on this test's own database and today."""
    from stratui.context import open_context

    return open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)
