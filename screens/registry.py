"""Which screen shows which phase of the agenda."""

from __future__ import annotations

from textual.screen import Screen

from stratui.screens.decisions import DecisionsScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.information import InformationScreen
from stratui.screens.planning import PlanningScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.risk import RiskScreen

PHASE_SCREENS: dict[str, type[Screen[None]]] = {
    "details": DetailsScreen,
    "information": InformationScreen,
    "risk": RiskScreen,
    "decisions": DecisionsScreen,
    "planning": PlanningScreen,
    "review": ReviewScreen,
}
