"""The duty handover: overdue, due today, due next working day, for the whole team."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from markdown_it import MarkdownIt

from stratui.handover import Handover, build_handover, handover_markdown, handover_text
from stratui.models import Action, Discussion, Milestone
from stratui.settings import Settings

WEDNESDAY = date(2026, 11, 25)


@pytest.fixture
def quiet(make_discussion: Callable[..., Discussion]) -> Callable[..., Discussion]:
    """A factory of discussions whose statutory steps are met: only the actions given are due."""

    def make(*actions: Action, **overrides: object) -> Discussion:
        held_on = overrides.setdefault("held_on", date(2026, 11, 20))
        overrides.setdefault("concern_date", held_on)
        overrides.setdefault("milestones", [Milestone(key="minutes", on=held_on), Milestone(key="conference", on=held_on)])
        return make_discussion(actions=list(actions), **overrides)

    return make


def handover_on(today: date, *records: Discussion, settings: Settings | None = None) -> Handover:
    return build_handover([d.summary() for d in records], today, settings or Settings())


def test_sections_hold_overdue_today_and_next_working_day_for_everyone(quiet: Callable[..., Discussion]) -> None:
    mine = quiet(
        Action(text="Overdue visit", owner="Sam Patel", agency="Children's social care", due=date(2026, 11, 23)),
        Action(text="Call school today", owner="Sam Patel", due=date(2026, 11, 25)),
        case_ref="CS-1",
    )
    theirs = quiet(
        Action(text="Police check tomorrow", owner="DC Lee Grant", agency="Police", due=date(2026, 11, 26)),
        Action(text="Friday's report", owner="Ann Hughes", agency="Health", due=date(2026, 11, 27)),
        case_ref="CS-2",
        social_worker="Kim Lowe",
    )
    handover = handover_on(WEDNESDAY, mine, theirs)
    assert handover.next_working_day == date(2026, 11, 26)
    assert [d.title for d in handover.overdue] == ["Overdue visit"]
    assert [d.title for d in handover.due_today] == ["Call school today"]
    assert [d.title for d in handover.due_next] == ["Police check tomorrow"]


def test_next_working_day_skips_christmas_and_takes_the_weekend_with_it(quiet: Callable[..., Discussion]) -> None:
    # Thu 24 Dec 2026 in England: Fri 25 and Mon 28 Dec are bank holidays; next working day Tue 29.
    record = quiet(
        Action(text="Due on Boxing Day", owner="A", due=date(2026, 12, 26)),
        Action(text="Due Tuesday 29th", owner="B", due=date(2026, 12, 29)),
        Action(text="Due Wednesday 30th", owner="C", due=date(2026, 12, 30)),
        held_on=date(2026, 12, 18),
    )
    handover = handover_on(date(2026, 12, 24), record)
    assert handover.next_working_day == date(2026, 12, 29)
    assert [d.title for d in handover.due_next] == ["Due on Boxing Day", "Due Tuesday 29th"]
    text = handover_markdown(handover)
    assert "## Due next working day (Tue 29 Dec 2026): 2" in text
    assert "1 working day left" in text


def test_a_warning_window_of_zero_still_shows_tomorrow(quiet: Callable[..., Discussion]) -> None:
    record = quiet(Action(text="Tomorrow", owner="A", due=date(2026, 11, 26)))
    settings = Settings.model_validate({"timescales": {"warning_window_working_days": 0}})
    assert [d.title for d in handover_on(WEDNESDAY, record, settings=settings).due_next] == ["Tomorrow"]


def test_markdown_lists_each_item_with_due_date_owner_agency_case_and_children(quiet: Callable[..., Discussion]) -> None:
    record = quiet(
        Action(text="Joint visit", owner="Sam Patel", agency="Children's social care", due=date(2026, 11, 23)),
        case_ref="CS-104233",
    )
    text = handover_markdown(handover_on(WEDNESDAY, record))
    assert text.startswith("**OFFICIAL-SENSITIVE**\n\n# Duty handover: Wed 25 Nov 2026\n")
    assert text.endswith("\n\n**OFFICIAL-SENSITIVE**\n")
    assert "1 overdue, 0 due today, 0 due next working day. Working days: England." in text
    assert "## Overdue: 1" in text and "## Due today: 0" in text
    assert "- **Joint visit**" in text
    assert "Mon 23 Nov 2026, 2 working days overdue. Owner: Sam Patel, Children's social care." in text
    assert "Case: CS-104233 (Maya Okafor)." in text
    assert "Nothing." in text  # an empty section says so


def test_user_text_cannot_change_the_documents_structure(quiet: Callable[..., Discussion]) -> None:
    record = quiet(
        Action(text="# Not a heading\n- nor a list [link](http://x) <b>", owner="**Bold**", due=date(2026, 11, 23)),
    )
    text = handover_markdown(handover_on(WEDNESDAY, record))
    tokens = MarkdownIt().parse(text)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2", "h2"]
    assert not [t for t in tokens if t.type in ("html_block", "link_open")]
    html = MarkdownIt().render(text)
    assert "<b>" not in html and "<strong>Bold</strong>" not in html


def test_plain_text_version(quiet: Callable[..., Discussion]) -> None:
    record = quiet(Action(text="Joint visit", owner="Sam Patel", due=date(2026, 11, 25)))
    text = handover_text(handover_on(WEDNESDAY, record))
    assert "DUE TODAY: 1" in text and "- Joint visit" in text and "due today. Owner: Sam Patel" in text
    assert "#" not in text and "**" not in text


def test_markdown_reads_as_plain_text_with_no_hard_break_backslashes(quiet: Callable[..., Discussion]) -> None:
    record = quiet(
        Action(text="Joint visit", owner="Sam Patel", agency="Police", due=date(2026, 11, 23)),
        Action(text="Ring the GP", owner="Ann Hughes", due=date(2026, 11, 26)),
        case_ref="CS-104233",
    )
    text = handover_markdown(handover_on(WEDNESDAY, record))
    # A plain-text email shows a trailing backslash (CommonMark's hard break) as it is.
    assert not [line for line in text.splitlines() if line.endswith("\\")]
    assert "- **Joint visit**\n  - Mon 23 Nov 2026, 2 working days overdue. Owner: Sam Patel, Police." in text
    # Rendered, the details are still on a line of their own: a list inside the item.
    html = MarkdownIt().render(text)
    assert "<li><strong>Joint visit</strong>\n<ul>\n<li>Mon 23 Nov 2026, 2 working days overdue." in html


def test_the_teams_protective_marking_is_at_the_top_and_bottom_of_both_versions(quiet: Callable[..., Discussion]) -> None:
    record = quiet(Action(text="Joint visit", owner="Sam Patel", due=date(2026, 11, 25)))
    settings = Settings.model_validate({"minutes": {"protective_marking": "OFFICIAL-SENSITIVE PERSONAL"}})
    handover = handover_on(WEDNESDAY, record, settings=settings)
    markdown = handover_markdown(handover).splitlines()
    assert (markdown[0], markdown[-1]) == ("**OFFICIAL-SENSITIVE PERSONAL**",) * 2
    text = handover_text(handover).splitlines()
    assert (text[0], text[-1]) == ("OFFICIAL-SENSITIVE PERSONAL",) * 2
