"""The phase form restyles only itself when it takes the focus (screens/form_scroll.py).

That is right only while no stylesheet styles a widget by a focused ancestor (`X:focus Y` where X can be the form):
this reads every rule the app has loaded once every phase of a demo discussion, its review and
a child's details have been shown, and checks that the review's form, focused, still looks
focused.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.css.model import CombinatorType, Selector, SelectorSet, SelectorType
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

from stratui.context import Context
from stratui.phases import CHILD_FORM, PHASES
from stratui.screens.child_detail import ChildDetailScreen
from stratui.screens.form_scroll import FormScroll
from stratui.screens.review import ReviewScreen

from pilot import open_first_discussion, stratui_at_80x24, wait_until


def compounds(selectors: SelectorSet) -> list[list[Selector]]:
    """`A:focus.x > B` as [[A:focus, .x], [B]]: the parts that must match one node, in order."""
    groups: list[list[Selector]] = []
    for part in selectors.selectors:
        if part.combinator == CombinatorType.SAME and groups:
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def could_be(part: Selector, node: DOMNode) -> bool:
    if part.type is SelectorType.TYPE:
        return part.name in {cls.__name__ for cls in type(node).__mro__}
    if part.type is SelectorType.ID:
        return part.name == node.id
    if part.type is SelectorType.CLASS:
        return node.has_class(part.name)
    return True


def styles_inside_when_focused(selectors: SelectorSet, node: DOMNode) -> bool:
    """True for `X:focus Y` where X can be `node`: a rule that styles what is inside a focused node."""
    return any(
        any("focus" in part.pseudo_classes for part in group) and all(could_be(part, node) for part in group)
        for group in compounds(selectors)[:-1]
    )


async def test_no_rule_styles_a_widget_by_a_focused_ancestor(demo_context: Callable[..., Context]) -> None:
    context = demo_context(20)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_first_discussion(pilot)
        for phase in PHASES[1:]:
            await pilot.press("pagedown")
            assert await wait_until(pilot, lambda: getattr(app.screen, "PHASE", None) is phase)
        assert isinstance(app.screen, ReviewScreen) and app.editor is not None
        app.push_screen(ChildDetailScreen(app.editor, CHILD_FORM, 0))
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildDetailScreen))
        await pilot.pause()
        forms = [form for screen in app.screen_stack for form in screen.query(FormScroll)]
        assert {form.id for form in forms} == {"form", "child-form"}
        offending = [
            selectors.css
            for rule in app.stylesheet.rules
            for selectors in rule.selector_set
            for form in forms
            if styles_inside_when_focused(selectors, form)
        ]
    assert offending == []


def test_the_check_finds_a_rule_that_styles_inside_a_focused_form() -> None:
    sheet = Stylesheet()
    sheet.add_source(
        "VerticalScroll:focus Input { color: red; } Input:focus { color: red; } #form:focus > .x { color: red; }"
        " DataTable:focus > .datatable--cursor { color: red; } * :focus Static { color: red; }"
    )
    sheet.parse()
    form = FormScroll(id="form")
    found = [styles_inside_when_focused(s, form) for rule in sheet.rules for s in rule.selector_set]
    assert found == [True, False, True, False, True]


async def test_the_focused_review_form_is_styled_as_focused(demo_context: Callable[..., Context]) -> None:
    context = demo_context(20)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_first_discussion(pilot, "6")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        form = app.screen.query_one("#form", FormScroll)
        assert await wait_until(pilot, lambda: form.has_focus)
        assert form.has_pseudo_class("focus")
        # The form and everything in it are styled as a full restyle of them would style them.
        shown = [widget.styles.base.css_lines for widget in form.walk_children(with_self=True)]
        app.stylesheet.update(form)
        assert [widget.styles.base.css_lines for widget in form.walk_children(with_self=True)] == shown
