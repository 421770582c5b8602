"""Which screen shows which phase of the agenda."""

from __future__ import annotations

from stratui.screens.decisions import DecisionsScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.information import InformationScreen
from stratui.screens.phase import PhaseScreen
from stratui.screens.planning import PlanningScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.risk import RiskScreen

PHASE_SCREENS: dict[str, type[PhaseScreen]] = {
    "details": DetailsScreen,
    "information": InformationScreen,
    "risk": RiskScreen,
    "decisions": DecisionsScreen,
    "planning": PlanningScreen,
    "review": ReviewScreen,
}
