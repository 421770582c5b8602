"""Shared fixtures: every test runs against its own database, settings and date, never the user's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import gc
import shutil

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
from stratui.demo import generate_demo
from stratui.store import Store

TODAY = "2026-11-25"
FIXTURES = Path(__file__).parent / "fixtures"


def isolate(env: pytest.MonkeyPatch, folder: Path) -> None:
    """Point every path stratui reads or writes into `folder`, and freeze "today"."""
    env.setenv("STRATUI_DB", str(folder / "db"))
    env.setenv("STRATUI_CONFIG", str(folder / "settings.toml"))
    env.setenv("STRATUI_EXPORTS", str(folder / "exports"))
    env.setenv("STRATUI_CRASH_REPORTS", str(folder / "crash-reports"))
    env.setenv("STRATUI_WITNESS", str(folder / "audit-witness"))
    env.setenv("STRATUI_TODAY", TODAY)
    env.setenv("XDG_DATA_HOME", str(folder / "xdg-data"))
    env.setenv("XDG_CONFIG_HOME", str(folder / "xdg-config"))
    env.delenv("STRATUI_DEBUG", raising=False)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Path]:
    """The database `stratui demo --count N --seed S` writes, built once per worker process.

    Saving 200 demo records takes seconds (every file is fsynced); copying the folder takes a
    fraction of one, so each test gets its own copy of one build.
    """
    built: dict[tuple[int, int], Path] = {}

    def template(count: int, seed: int) -> Path:
        if (count, seed) not in built:
            folder = tmp_path_factory.mktemp(f"demo-{count}-{seed}")
            with pytest.MonkeyPatch.context() as env:
                isolate(env, folder)
                store = Store.open(folder / "db", user="Demo")
                assert store.save_all_new(generate_demo(count, seed, date.fromisoformat(TODAY))) == count
            built[count, seed] = folder / "db"
        return built[count, seed]

    return template


@pytest.fixture
def demo_context(tmp_path: Path, demo_template: Callable[[int, int], Path]) -> Callable[..., Context]:
    """This test's own copy of the demo database of `count` records, opened as `context` opens one."""
    from stratui.context import open_context

    def open_copy(count: int, seed: int = 1) -> Context:
        shutil.copytree(demo_template(count, seed), tmp_path / "db")
        return open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)

    return open_copy


@pytest.fixture
def older_database(tmp_path: Path) -> Callable[[str], Path]:
    """This test's own copy of a database an older stratui wrote (tests/fixtures/<name>)."""

    def copy(name: str) -> Path:
        root = tmp_path / "old"
        shutil.copytree(FIXTURES / name, root)
        return root

    return copy


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that runs stratui in tmux is a process test wherever it lives."""
    for item in items:
        if "stratui_in_tmux" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.process)


@pytest.fixture
def only_new_objects() -> Iterator[None]:
    """For a test that counts what is alive (gc.collect, gc.get_objects) as it goes: the
    collector sees only what the test makes. The worker's older objects (hundreds of tests'
    worth, ~120,000 after the Pilot tests) are frozen for the test's length: each collect walked
    them all, 0.1-0.5 s a call idle and seconds under load (one export test took 63 s in CI)."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection left alive (every module imported, every test item, ~150,000 objects)
    out of the cyclic collector's sight: each full collection during the run walked all of it
    again. Python's gc.freeze, for forked workers and long-lived processes; objects made after
    it are collected as ever. 11-13% less CPU on the Pilot tests (user 66-70 s against 59-61 s,
    the same three files at -n 2)."""
    gc.collect()
    gc.freeze()


#: How long Textual's Pilot sleeps between its checks that the app is idle (its own default is
#: 1/50 s). Every key Pilot presses waits for idle twice, and every pause once, so at 20 ms a
#: test spent most of its time asleep: the suite left 40% of two CPUs unused. The rule is
#: Textual's (idle once a sleep passes with the process using under 1/20 of it); only the
#: step is finer.
IDLE_CHECK_SECONDS = 0.005


def pytest_configure(config: pytest.Config) -> None:
    import textual._wait

    textual._wait.SLEEP_GRANULARITY = IDLE_CHECK_SECONDS
    textual._wait.SLEEP_IDLE = IDLE_CHECK_SECONDS / 20
