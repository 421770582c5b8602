"""The minutes: every section of the record in agenda order, escaped, and readable as HTML."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time

import pytest
from markdown_it import MarkdownIt
from pydantic import ValidationError

from stratui.minutes import render_html, render_json, render_markdown
from stratui.minutes_markdown import escape_markdown
from stratui.models import (
    Action,
    ActionStatus,
    Addendum,
    AgencyInformation,
    Attendance,
    Child,
    Decision,
    Decisions,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    EnquiryPlan,
    InformationRequest,
    InformationSharing,
    MedicalExamination,
    MeetingFormat,
    Milestone,
    ParentsInformed,
    Participant,
    RiskAnalysis,
    SignOff,
    ThresholdDisagreement,
)
from stratui.settings import MinutesSettings, Settings, describe_errors
from stratui.settings_file import load_settings

HELD = date(2026, 12, 3)


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def full_discussion(**changes) -> Discussion:
    fields = dict(
        id="d1" + "0" * 30,
        kind=DiscussionKind.STRATEGY_MEETING,
        case_ref="CS-2026-01234",
        children=[Child(name="Amelia Jones", date_of_birth=date(2022, 5, 1), notes="Attends Little Acorns nursery.")],
        other_children=[Child(name="Noah Jones", date_of_birth=date(2019, 2, 14))],
        concern_date=date(2026, 12, 2),
        concern_source="Nursery manager",
        referral_date=date(2026, 12, 2),
        held_on=HELD,
        held_at=time(14, 30),
        format=MeetingFormat.VIDEO,
        social_worker="Sam Okafor",
        participants=[
            Participant(id="p1", name="Sam Okafor", role="Social worker", agency="Children's social care"),
            Participant(id="p2", name="Priya Patel", role="Team manager", agency="Children's social care"),
            Participant(id="p3", name="DC Lee Hughes", role="Detective constable", agency="Police"),
            Participant(
                id="p4",
                name="Jo Evans",
                role="Health visitor",
                agency="Health visiting",
                attendance=Attendance.WRITTEN,
                absence_reason="On a home visit; emailed a summary.",
            ),
            Participant(
                id="p5",
                name="Dr Ravi Khan",
                role="GP",
                agency="GP",
                attendance=Attendance.ABSENT,
                absence_reason="Surgery overran; could not be reached.",
            ),
        ],
        information=InformationSharing(
            concerns="Bruising to the upper arm noticed at nappy change.",
            how_concerns_came_to_light="Key worker told the nursery manager at 9am.",
            agency_information=[
                AgencyInformation(
                    agency="Police", shared_by="DC Lee Hughes", summary="Two domestic abuse call-outs in 2025."
                ),
                AgencyInformation(agency="Health visiting", shared_by="Jo Evans", summary="Missed the 2-year review."),
            ],
            family_history="Older sibling on a child protection plan in 2023.",
            current_circumstances="Lives with mother and her partner.",
            lived_experience="Quiet at nursery, flinches at raised voices.",
            source_reliability="Anonymous caller with a history of contact disputes.",
            possibly_malicious=True,
        ),
        risk=RiskAnalysis(
            significant_harm_suspected=True,
            significant_harm_rationale="Unexplained injury to a young child.",
            risk_factors=["Domestic abuse in the household.", "Inconsistent explanation."],
            protective_factors=["Grandmother lives nearby."],
            safe_at_home=False,
            safe_at_home_rationale="Partner still in the home.",
            other_children_at_risk=True,
            other_children_notes="Noah lives in the same household.",
        ),
        decisions=Decisions(
            s47_enquiry=Decision(
                made=True, rationale="Threshold met: unexplained bruising.", details="Joint with police."
            ),
            immediate_protection=Decision(
                made=True, rationale="Cannot go home tonight.", details="Stay with grandmother."
            ),
            joint_investigation=Decision(made=True, rationale="Possible assault."),
            legal_advice=Decision(made=False, rationale="Not needed yet."),
            medical_examination=MedicalExamination(
                made=True,
                rationale="Paediatric opinion on the bruising.",
                examination_type="Child protection medical",
                conducted_by="Dr Amara Ali, consultant paediatrician",
                consent="Mother consented by phone.",
                timescale="Today by 5pm",
            ),
            inform_parents=ParentsInformed(
                made=False,
                rationale="Telling the partner before the police interview could put Amelia at risk.",
                review_date=date(2026, 12, 5),
            ),
            threshold=ThresholdDisagreement(
                disagreement=True,
                details="Police felt the threshold was not met.",
                resolution="Agreed after the paediatric opinion.",
                escalated=True,
                escalated_to="Head of service",
            ),
        ),
        plan=EnquiryPlan(
            lead="Sam Okafor",
            lead_agency="Children's social care",
            child_seen_by="Sam Okafor and DC Lee Hughes",
            child_seen_on=date(2026, 12, 4),
            information_needed=[InformationRequest(what="GP records for mother", from_whom="Dr Ravi Khan")],
            parents_spoken_to_by="Sam Okafor",
            parents_spoken_to_on=date(2026, 12, 7),
            contingency="If grandmother cannot care, out-of-hours to find a placement.",
            reconvene_on=date(2026, 12, 10),
        ),
        actions=[
            Action(id="a1", text="Arrange the medical", owner="Sam Okafor", agency="Children's social care", due=HELD),
            Action(
                id="a2",
                text="Share police chronology",
                owner="DC Lee Hughes",
                agency="Police",
                due=date(2026, 12, 4),
                status=ActionStatus.DONE,
                closed_on=date(2026, 12, 4),
                closed_by="DC Lee Hughes",
                closing_note="Sent by secure email.",
            ),
            Action(
                id="a3",
                text="Visit the school",
                owner="Jo Evans",
                agency="Health visiting",
                due=date(2026, 11, 20),
                carried_from="d0",
            ),
        ],
        milestones=[Milestone(key="minutes", on=date(2026, 12, 4), by="Sam Okafor")],
        status=DiscussionStatus.SIGNED_OFF,
        sign_off=SignOff(manager="Priya Patel", signed_at=datetime(2026, 12, 4, 9, 15)),
        addenda=[
            Addendum(
                id="x1",
                author="Priya Patel",
                written_at=datetime(2026, 12, 5, 11, 0),
                reason="Police information arrived late.",
                text="A further call-out on 1 Dec 2026.",
            )
        ],
        previous_discussion_ids=["d0" + "0" * 30],
    )
    fields.update(changes)
    return Discussion(**fields)


def section(markdown: str, heading: str) -> str:
    """The text from `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = markdown.index(heading + "\n")
    rest = markdown[start + len(heading) :]
    ends = [rest.find(f"\n{'#' * n} ") for n in range(1, len(level) + 1)]
    ends = [e for e in ends if e >= 0]
    return rest[: min(ends)] if ends else rest


def test_full_discussion_renders_every_section_in_agenda_order():
    md = render_markdown(full_discussion())
    headings = [
        "# Strategy meeting: CS-2026-01234, 3 Dec 2026",
        "## Children",
        "## Participants",
        "### Absent / written information",
        "## 1. Information sharing",
        "## 2. Analysis of risk",
        "## 3. Decisions",
        "## 4. Enquiry plan",
        "## Actions",
        "## Milestones",
        "## Addenda",
    ]
    positions = [md.index(h + "\n") for h in headings]
    assert positions == sorted(positions)


def test_details_block_holds_date_time_format_people_and_status():
    md = render_markdown(full_discussion())
    details = md[: md.index("## Children")]
    for expected in (
        "**Date:** 3 Dec 2026",
        "**Time:** 14:30",
        "**Format:** Video",
        "**Social worker:** Sam Okafor",
        "**Concern raised:** 2 Dec 2026, raised by Nursery manager",
        "**Referral date:** 2 Dec 2026",
        "**Status:** Signed off by Priya Patel on 4 Dec 2026 at 09:15",
        # Without the earlier discussion's summary the minutes say so: never its file's id.
        "**Follows:** an earlier discussion not in this database",
    ):
        assert expected in details


def test_a_child_shows_a_date_of_birth_or_an_age_and_pending_rows_never_print():
    record = full_discussion()
    record.other_children.append(Child(name="Baby Jones", age="unborn, due Mar 2027"))
    record.other_children.append(Child(name="Kai Jones"))
    record.pending_rows = {"participant-form": {"name": "Half typed name", "role": "Police officer"}}
    md = render_markdown(record)
    assert "**Amelia Jones** (date of birth 1 May 2022)" in md
    assert "**Baby Jones** (age unborn, due Mar 2027)" in md
    assert "**Kai Jones** (date of birth or age not recorded)" in md
    assert "Half typed name" not in md


def test_every_value_of_the_record_appears():
    md = render_markdown(full_discussion())
    for expected in (
        "Amelia Jones",
        "date of birth 1 May 2022",
        "Attends Little Acorns nursery.",
        "Noah Jones",
        "Bruising to the upper arm noticed at nappy change.",
        "Key worker told the nursery manager at 9am.",
        "#### Police (shared by DC Lee Hughes)",
        "Two domestic abuse call-outs in 2025.",
        "#### Health visiting (shared by Jo Evans)",
        "Older sibling on a child protection plan in 2023.",
        "Lives with mother and her partner.",
        "Quiet at nursery, flinches at raised voices.",
        "Anonymous caller with a history of contact disputes.",
        "Unexplained injury to a young child.",
        "- Domestic abuse in the household.",
        "- Grandmother lives nearby.",
        "Partner still in the home.",
        "Noah lives in the same household.",
        "Threshold met: unexplained bruising.",
        "Stay with grandmother.",
        "Possible assault.",
        "Child protection medical",
        "Dr Amara Ali, consultant paediatrician",
        "Mother consented by phone.",
        "Today by 5pm",
        "Police felt the threshold was not met.",
        "Agreed after the paediatric opinion.",
        "Head of service",
        "**Lead:** Sam Okafor (Children's social care)",
        "**Child to be seen by:** Sam Okafor and DC Lee Hughes, on 4 Dec 2026",
        "**Parents/carers to be spoken to by:** Sam Okafor, on 7 Dec 2026",
        "**Reconvene / review on:** 10 Dec 2026",
        "**From Dr Ravi Khan:** GP records for mother",
        "If grandmother cannot care, out-of-hours to find a placement.",
        "Minutes circulated to attendees:** 4 Dec 2026, by Sam Okafor",
    ):
        assert expected in md, expected


def test_significant_harm_answer_and_possibly_malicious_flag():
    md = render_markdown(full_discussion())
    assert "**Reasonable cause to suspect significant harm:** Yes" in md
    assert "**FLAG: some of this information may be malicious.**" in md
    calm = render_markdown(full_discussion(information=InformationSharing(concerns="x")))
    assert "FLAG" not in calm
    assert "Not flagged as possibly malicious." in calm


def test_participants_table_and_absentees_with_reasons():
    md = render_markdown(full_discussion())
    assert "| Name | Role | Agency | Attendance |" in md
    assert "| DC Lee Hughes | Detective constable | Police | Present |" in md
    assert "| Jo Evans | Health visitor | Health visiting | Sent written information |" in md
    absent = section(md, "### Absent / written information")
    assert (
        "**Jo Evans** (Health visitor, Health visiting): sent written information. Reason: On a home visit; emailed a summary."
        in absent
    )
    assert "**Dr Ravi Khan** (GP, GP): absent. Reason: Surgery overran; could not be reached." in absent
    assert "Sam Okafor" not in absent


def test_absentee_without_reason_says_so():
    d = full_discussion(participants=[Participant(name="Jo Evans", agency="Health", attendance=Attendance.ABSENT)])
    assert "Reason: not recorded" in render_markdown(d)


def test_parents_not_informed_shows_rationale_and_review_date():
    md = render_markdown(full_discussion())
    parents = section(md, "### Informing parents/carers")
    assert "**Parents/carers NOT informed.**" in parents
    assert "Telling the partner before the police interview could put Amelia at risk." in parents
    assert "**Decision to be reviewed on:** 5 Dec 2026" in parents


def test_parents_informed_shows_who_and_when():
    decisions = Decisions(
        inform_parents=ParentsInformed(made=True, rationale="No risk", who_informs="Sam Okafor", inform_by=HELD)
    )
    md = render_markdown(full_discussion(decisions=decisions))
    assert "NOT informed" not in md
    assert "Parents/carers to be informed" in md
    assert "**Who informs them:** Sam Okafor, by 3 Dec 2026" in md


def test_decisions_each_have_answer_and_rationale():
    decisions = section(render_markdown(full_discussion()), "## 3. Decisions")
    s47 = section(decisions, "### Start section 47 enquiries")
    assert "**Decision:** Yes" in s47
    assert "**Rationale:** Threshold met: unexplained bruising." in s47
    assert "**Details:** Joint with police." in s47
    legal = section(decisions, "### Legal advice or legal action")
    assert "**Decision:** No" in legal
    assert "**Details:** Not recorded" in legal
    threshold = section(decisions, "### Disagreement about the threshold")
    assert "**Escalated:** Yes, to Head of service" in threshold


def test_no_s47_shows_next_steps():
    decisions = Decisions(
        s47_enquiry=Decision(made=False, rationale="Not met"), no_s47_next_steps="Continue the assessment."
    )
    md = render_markdown(full_discussion(decisions=decisions))
    assert "**Next steps without section 47 enquiries:** Continue the assessment." in md


def test_actions_table_shows_closing_note_and_carried_over():
    md = render_markdown(full_discussion())
    tokens = parser().parse(md)
    rows = table_rows(tokens, header="#")
    assert rows[0] == ["#", "Action", "Owner", "Agency", "Due", "Status"]
    assert rows[1] == ["1", "Arrange the medical", "Sam Okafor", "Children's social care", "3 Dec 2026", "Open"]
    assert rows[2][5] == "Done 4 Dec 2026 by DC Lee Hughes: Sent by secure email."
    assert rows[3][1].startswith("(Carried over) Visit the school")
    assert rows[3][4] == "20 Nov 2026"


def test_addenda_are_visible():
    md = render_markdown(full_discussion())
    addenda = section(md, "## Addenda")
    assert "### Addendum 1: Priya Patel, 5 Dec 2026 at 11:00" in addenda
    assert "**Reason:** Police information arrived late." in addenda
    assert "A further call-out on 1 Dec 2026." in addenda
    assert "A further call-out on 1 Dec 2026." in render_html(full_discussion())


def test_empty_discussion_says_not_recorded():
    md = render_markdown(Discussion(concern_date=HELD, held_on=HELD))
    assert md.startswith("**OFFICIAL-SENSITIVE**\n\n# DRAFT - Strategy discussion: no case ref, 3 Dec 2026\n")
    for expected in (
        "**Time:** Not recorded",
        "**Social worker:** Not recorded",
        "**Referral date:** Not recorded",
        "**Status:** Draft",
        "**Reasonable cause to suspect significant harm:** Not recorded",
        "**Decision:** Not decided",
        "**Reconvene / review on:** Not recorded",
    ):
        assert expected in md, expected
    assert section(md, "## Children").split("\n#")[0].strip() == "Not recorded"
    assert section(md, "## Participants").split("\n\n")[1].strip() == "Not recorded"
    assert section(md, "### Nature of the concerns").strip() == "Not recorded"
    assert section(md, "### Risk factors").strip() == "None recorded."
    assert section(md, "## Actions").strip() == "None recorded."
    assert "## Milestones" not in md
    assert "## Addenda" in md


# -- escaping ----------------------------------------------------------------------------------


def test_concern_starting_with_hash_is_not_a_heading():
    d = full_discussion(information=InformationSharing(concerns="# Not a heading\n- not a list\n1. not ordered"))
    tokens = parser().parse(render_markdown(d))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Not a heading" not in headings
    assert not any("Not a heading" in h for h in headings)
    html = render_html(d)
    assert "# Not a heading" in html
    assert "<li>not a list" not in html


def test_script_in_concerns_is_escaped_in_html():
    d = full_discussion(information=InformationSharing(concerns="<script>alert(1)</script>"))
    html = render_html(d)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_blocks_and_links_are_escaped():
    text = '<div onclick="x()">hi</div>\n[click](javascript:alert(1)) ![img](http://x/y.png) &lt; *bold* `code`'
    html = render_html(full_discussion(information=InformationSharing(concerns=text)))
    assert "<div onclick" not in html
    assert "<a href" not in html
    assert "<img" not in html
    assert "<em>" not in html and "<code>" not in html
    assert "&amp;lt;" in html  # the user typed "&lt;", and that is what is shown


def test_pipe_in_table_cell_does_not_break_the_table():
    participants = [Participant(name="Jo | Evans", role="Health | visitor", agency="Health\nvisiting")]
    actions = [Action(id="a", text="Share | records\nthen call", owner="A | B", due=HELD)]
    md = render_markdown(full_discussion(participants=participants, actions=actions))
    tokens = parser().parse(md)
    people = table_rows(tokens, header="Name")
    assert people[1] == ["Jo | Evans", "Health | visitor", "Health / visiting", "Present"]
    action_rows = table_rows(tokens, header="#")
    assert len(action_rows) == 2
    assert action_rows[1][:3] == ["1", "Share | records / then call", "A | B"]
    assert all(len(row) == 6 for row in action_rows)


def test_multi_line_text_keeps_its_lines_and_paragraphs():
    d = full_discussion(information=InformationSharing(concerns="First line\nsecond line\n\nNew paragraph"))
    html = render_html(d)
    assert "First line<br />\nsecond line" in html
    assert "<p>New paragraph</p>" in html


def test_multi_paragraph_list_item_stays_in_one_bullet():
    risk = RiskAnalysis(risk_factors=["One\n\n    Two indented", "Three"])
    tokens = parser().parse(render_markdown(full_discussion(risk=risk)))
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Risk factors")
    items = [t for t in tokens[start:] if t.type == "list_item_open"][:2]
    assert len(items) == 2
    assert not any(t.type == "code_block" for t in tokens)


@pytest.mark.parametrize(
    "text",
    [
        "# heading",
        "- item",
        "+ item",
        "1. item",
        "2) item",
        "> quote",
        "---",
        "===",
        "***",
        "___",
        "    code",
        "```",
        "~~~",
        "| a | b |",
        ":-:",
        "<b>x</b>",
        "[a]: http://x",
        "*em* _em_",
        "\\",
        "a  \nb",
        "&amp;",
        "!",
        "~strike~",
    ],
)
def test_escaped_text_renders_as_its_own_literal_characters(text):
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    rendered = md.render(escape_markdown(text))
    assert rendered.count("<p>") == 1 and rendered.startswith("<p>")
    # What is shown is what was typed (leading indentation apart), with HTML specials escaped.
    import html as html_lib

    shown = html_lib.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n").replace("<br />", ""))
    assert shown.split() == text.split()


def test_escape_markdown_keeps_line_breaks():
    assert escape_markdown("a\nb") == "a\nb"
    assert escape_markdown("# a\n# b") == "\\# a\n\\# b"


# -- HTML and JSON -----------------------------------------------------------------------------


def test_html_is_a_full_document():
    html = render_html(full_discussion())
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "<title>Strategy meeting: CS-2026-01234, 3 Dec 2026</title>" in html
    assert "<style>" in html and "@media print" in html
    assert "<table>" in html
    assert html.rstrip().endswith("</html>")


def test_html_title_is_escaped():
    html = render_html(full_discussion(case_ref="<b>x</b>"))
    assert "<title>Strategy meeting: &lt;b&gt;x&lt;/b&gt;, 3 Dec 2026</title>" in html


def test_json_round_trips():
    d = full_discussion()
    text = render_json(d)
    assert json.loads(text)["case_ref"] == "CS-2026-01234"
    assert Discussion.model_validate_json(text) == d


def test_demo_discussions_render():
    from stratui.demo import generate_demo

    for d in generate_demo(30, 5, date(2026, 6, 10)):
        md = render_markdown(d)
        assert d.case_ref in md
        assert "<script" not in render_html(d)


# -- helpers -----------------------------------------------------------------------------------


def table_rows(tokens, header: str) -> list[list[str]]:
    """The cells (inline text) of the table whose first header cell is `header`."""
    rows: list[list[str]] = []
    in_table = False
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            rows, in_table = [], True
        elif token.type == "table_close":
            if rows and rows[0][0] == header:
                return rows
            in_table = False
        elif in_table and token.type == "tr_open":
            rows.append([])
        elif in_table and token.type == "inline":
            rows[-1].append(plain(token))
    raise AssertionError(f"no table headed {header!r}")


def plain(inline) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "softbreak"))


def test_plan_shows_the_time_agreed_for_seeing_the_child_and_speaking_to_parents():
    d = full_discussion()
    d.plan.child_seen_at = time(16, 0)
    md = render_markdown(d)
    assert "**Child to be seen by:** Sam Okafor and DC Lee Hughes, on 4 Dec 2026 at 16:00" in md
    # No time agreed: the date alone.
    assert "**Parents/carers to be spoken to by:** Sam Okafor, on 7 Dec 2026\n" in md
    # A time without its date is not a plan: it is not shown.
    d.plan.child_seen_on = None
    assert "Sam Okafor and DC Lee Hughes, on Not recorded" in render_markdown(d)


# -- ready to send: marking, council, DRAFT, printed page margins ---------------------------------

COUNCIL = MinutesSettings(protective_marking="OFFICIAL-SENSITIVE PERSONAL", organisation="Riverside Council")


def draft(**changes) -> Discussion:
    return full_discussion(status=DiscussionStatus.DRAFT, sign_off=None, **changes)


def css_strings(css: str, box: str) -> str:
    """The text a margin box shows: its CSS strings, escapes decoded, joined."""
    rule = re.search(r"@" + box + r" \{ content: ((?:\"[^\"]*\"|\s|counter\(\w+\))+);", css)
    assert rule, f"no @{box} box"
    parts = re.findall(r"\"([^\"]*)\"|counter\((\w+)\)", rule.group(1))
    return "".join(css_decode(text) if text else f"<{counter}>" for text, counter in parts)


def css_decode(text: str) -> str:
    return re.sub(r"\\([0-9a-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), text)


def style(page: str) -> str:
    return page[page.index("<style>") + len("<style>") : page.index("</style>")]


def test_markdown_opens_and_closes_with_the_protective_marking():
    md = render_markdown(full_discussion())
    assert md.startswith("**OFFICIAL-SENSITIVE**\n\n# Strategy meeting: CS-2026-01234, 3 Dec 2026\n")
    assert md.endswith("\n\n**OFFICIAL-SENSITIVE**\n")
    # The last section's text cannot swallow the closing marking into a list or a table.
    tokens = parser().parse(md)
    assert [t.type for t in tokens[-3:]] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[-4].type == "paragraph_close" and tokens[-4].level == 0


def test_markdown_carries_the_teams_marking_and_council():
    md = render_markdown(full_discussion(), COUNCIL)
    assert md.startswith("**OFFICIAL-SENSITIVE PERSONAL**\n\nRiverside Council\n\n# Strategy meeting:")
    assert md.endswith("\n\n**OFFICIAL-SENSITIVE PERSONAL**\n")


def test_a_draft_says_so_in_the_title_and_in_a_line_of_its_own():
    md = render_markdown(draft())
    assert "\n# DRAFT - Strategy meeting: CS-2026-01234, 3 Dec 2026\n\n**DRAFT: not signed off by a manager.**" in md
    assert "**Status:** Draft (not signed off)" in md
    assert "DRAFT" not in render_markdown(full_discussion())


def test_markings_are_text_in_markdown():
    odd = MinutesSettings(protective_marking="OFFICIAL_SENSITIVE *x*", organisation="# Council <b>")
    md = render_markdown(full_discussion(), odd)
    tokens = parser().parse(md)
    assert [t.tag for t in tokens if t.type == "heading_open"][0] == "h1"
    assert "<b>" not in parser().render(md) and "<em>" not in parser().render(md)
    assert "# Council <b>" in parser().render(md).replace("&lt;", "<").replace("&gt;", ">")


def test_html_has_the_marking_at_the_top_and_bottom_and_the_council():
    page = render_html(full_discussion(), COUNCIL)
    body = page[page.index("<body>") :]
    assert body.startswith(
        '<body>\n<p class="marking">OFFICIAL-SENSITIVE PERSONAL</p>\n<p class="organisation">Riverside Council</p>'
    )
    assert body.endswith('<p class="marking">OFFICIAL-SENSITIVE PERSONAL</p>\n</body>\n</html>\n')
    assert "<h1>Strategy meeting: CS-2026-01234, 3 Dec 2026</h1>" in body


def test_every_printed_page_has_the_marking_the_record_and_its_number():
    css = style(render_html(full_discussion(), COUNCIL))
    assert css_strings(css, "top-center") == "OFFICIAL-SENSITIVE PERSONAL"
    assert css_strings(css, "bottom-center") == "OFFICIAL-SENSITIVE PERSONAL"
    assert css_strings(css, "top-left") == "Riverside Council"
    assert css_strings(css, "bottom-left") == "CS-2026-01234\nStrategy meeting, 3 Dec 2026"
    assert css_strings(css, "bottom-right") == "Page <page> of <pages>"
    assert css_strings(css, "top-right") == "Signed off 4 Dec 2026"
    # No council set: no box for it.
    assert "@top-left { content: \"" not in style(render_html(full_discussion()))


def test_a_draft_is_marked_on_every_printed_page_and_at_the_top():
    page = render_html(draft())
    assert css_strings(style(page), "top-right") == "DRAFT - not signed off"
    assert '<div class="watermark" aria-hidden="true">DRAFT</div>' in page  # printed on every page
    assert '<p class="draft"><strong>DRAFT: not signed off by a manager.</strong>' in page
    assert "<title>DRAFT - Strategy meeting: CS-2026-01234, 3 Dec 2026</title>" in page
    assert "DRAFT" not in render_html(full_discussion())


def test_typed_text_cannot_leave_a_margin_box_or_the_style_element():
    hostile = 'CS-1"; } body { display: none } @top-left { content: "</style><script>alert(1)</script>'
    page = render_html(full_discussion(case_ref=hostile), MinutesSettings(organisation='Council "\\ </style>'))
    css = style(page)
    assert "<" not in css and "body { display: none }" not in css
    assert css_strings(css, "bottom-left") == hostile + "\nStrategy meeting, 3 Dec 2026"
    assert css_strings(css, "top-left") == 'Council "\\ </style>'
    assert "<script>" not in page


def test_html_is_self_contained():
    page = render_html(draft(), COUNCIL)
    for fetches in ("http:", "https:", "url(", "@import", "<script", "<link", "<img", "src="):
        assert fetches not in page, fetches


def test_the_minutes_settings_are_validated():
    assert MinutesSettings().protective_marking == "OFFICIAL-SENSITIVE"
    assert MinutesSettings(protective_marking="  OFFICIAL  ").protective_marking == "OFFICIAL"
    for bad, message in (
        ({"protective_marking": ""}, "must not be empty"),
        ({"protective_marking": "OFFICIAL\nSENSITIVE"}, "must be on one line"),
        ({"protective_marking": "X" * 61}, "at most 60 characters"),
        ({"organisation": "C" * 101}, "at most 100 characters"),
        ({"protective_marking": 3}, "must be text in quotes"),
        ({"colour": "red"}, "not a known setting"),
    ):
        with pytest.raises(ValidationError) as caught:
            Settings.model_validate({"minutes": bad})
        assert message in describe_errors(caught.value), bad


def test_the_shipped_settings_name_the_usual_marking_and_no_council(tmp_path):
    settings = load_settings(tmp_path / "none.toml")
    assert settings.minutes == MinutesSettings(protective_marking="OFFICIAL-SENSITIVE", organisation="")


def test_a_typed_line_break_stays_a_line_break_with_no_backslash_to_show_in_an_email():
    d = draft(information=InformationSharing(concerns="Bruise on the arm.\nMark on the cheek."))
    md = render_markdown(d)
    assert "Bruise on the arm.  \nMark on the cheek." in md
    assert not [line for line in md.splitlines() if line.endswith("\\") and not line.endswith("\\\\")]
    assert "<p>Bruise on the arm.<br />\nMark on the cheek.</p>" in render_html(d)
