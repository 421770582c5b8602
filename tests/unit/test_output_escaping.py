"""Every renderer escapes record text itself, even text that never passed the models' neutralising
(an index entry or audit entry written by an older stratui, a record built in memory).

Defence in depth: tests/trust/test_terminal_safety.py shows the whole path; here each output
layer is shown to hold on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pytest
from markdown_it import MarkdownIt

from stratui import minutes
from stratui.minutes_markdown import escape_markdown
from stratui.audit_history import history_text
from stratui.handover import build_handover, handover_markdown, handover_text
from stratui.models import Discussion
from stratui.settings import Settings

RAW = "\x1b]0;PWNED\x07 \x1b]52;c;eA==\x07 \x1bc Innocent\rEVIL \x00 \x7f \x9b2J \u202eevil\u202c \u2066i\u2069 \u2028"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.fixture
def raw_record(make_discussion: Callable[..., Discussion], monkeypatch: pytest.MonkeyPatch) -> Discussion:
    """A record whose text is raw: built while the models' neutralising is switched off."""
    with monkeypatch.context() as unchecked:
        unchecked.setattr("stratui.text.neutralise", lambda text: text)
        data = make_discussion().model_dump(mode="json")
        data["case_ref"] = f"{RAW} CS-1"
        data["information"]["concerns"] = RAW
        data["actions"][0]["text"] = f"{RAW} visit"
        data["actions"][0]["owner"] = RAW
        data["participants"][0]["name"] = RAW
        record = Discussion.model_validate(data)
    assert record.information.concerns == RAW
    return record


def assert_inert(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, text[max(0, found.start() - 60) : found.start() + 20]


def test_the_minutes_escape_raw_text_in_markdown_and_html(raw_record: Discussion) -> None:
    markdown = minutes.render_markdown(raw_record)
    assert_inert(markdown)
    assert "␛\\]0;PWNED␇" in markdown and "‹U+202E›evil‹U+202C›" in markdown  # shown, not dropped
    html = minutes.render_html(raw_record)
    assert_inert(html)
    assert "␛]0;PWNED␇" in html and "Innocent␍EVIL" in html


def test_the_minutes_json_escapes_raw_text_and_keeps_the_data(raw_record: Discussion) -> None:
    document = minutes.render_json(raw_record)
    assert_inert(document)
    assert json.loads(document)["information"]["concerns"] == RAW


def test_the_handover_escapes_raw_text_and_keeps_each_item_on_its_lines(
    raw_record: Discussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an index entry written by an older stratui: read back without the models.
    monkeypatch.setattr("stratui.text.neutralise", lambda text: text)
    summary = raw_record.summary()
    assert summary.case_ref.startswith(RAW)
    handover = build_handover([summary], date(2026, 11, 25), Settings())
    assert handover.overdue
    for text in (handover_text(handover), handover_markdown(handover)):
        assert_inert(text)
        assert "␛" in text
        assert not any(line.lstrip().startswith("EVIL") for line in text.splitlines())


def test_the_audit_history_escapes_values_saved_raw() -> None:
    entry = {
        "at": "2026-11-25T10:00:00+00:00",
        "seq": 1,
        "action": "edit",
        "user": "mallory\x1b]0;x\x07",
        "revision": 2,
        "changes": [{"field": "information.concerns", "old": "", "new": RAW}],
    }
    for full in (False, True):
        text = history_text("ab" * 16, [entry], full=full)
        assert_inert(text)
        assert "mallory␛]0;x␇" in text


def test_markdown_from_record_text_renders_no_html_or_link() -> None:
    hostile = "<script>x</script> <img src=x onerror=y> [a](javascript:b) ![i](http://e/i.png) <http://e> http://e &#x202E;"
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(escape_markdown(hostile))
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&amp;#x202E;" in html  # an entity is shown as typed, never decoded to the bidi override
    # And the parser stratui uses has raw HTML off and no linkify.
    parser = minutes._markdown_parser()
    assert parser.options["html"] is False and not parser.options.get("linkify")
