"""The minutes of a discussion: Markdown to review and send to attendees, HTML to print, JSON to keep.

The minutes are a legal record: every section is written out even when empty ("Not recorded"),
and nothing typed by a user can change the document's structure. They are ready to send: the
protective marking at the top and bottom, DRAFT until a manager signs them off, and (printed)
the marking, the case reference and "Page N of M" on every page. The sections themselves are
stratui.minutes_discussion and _afterwards (a network meeting's: _network; the family: _family),
written with stratui.minutes_markdown.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from markdown_it import MarkdownIt

from stratui.minutes_afterwards import later_sections
from stratui.minutes_discussion import _Setting, discussion_sections
from stratui.minutes_markdown import _inline
from stratui.minutes_network import network_sections
from stratui.models import Discussion, DiscussionKind, DiscussionSummary, format_date
from stratui.nations import NationRules
from stratui.settings import MinutesSettings, Settings
from stratui.text import escape_json, one_line


def _title(d: Discussion, rules: NationRules) -> str:
    return f"{rules.kind_label(d.kind)}: {d.case_ref or 'no case ref'}, {format_date(d.held_on)}"


def _heading(d: Discussion, rules: NationRules) -> str:
    """The document's title: a draft says so first, where a list of files or an inbox shows it."""
    return _title(d, rules) if d.sign_off is not None else f"DRAFT - {_title(d, rules)}"


DRAFT_NOTICE = "DRAFT: not signed off by a manager."
DRAFT_REASON = "These minutes may still change: do not rely on them until they are signed off."


def _sections(d: Discussion, w: _Setting) -> list[str]:
    """The record itself, in its agenda's order (Markdown), below the title."""
    if d.kind is DiscussionKind.NETWORK_MEETING:
        # Its own agenda: the previous actions first, coordination and care plan, no enquiry.
        return network_sections(d, w)
    return discussion_sections(d, w) + later_sections(d, w)


def render_markdown(
    discussion: Discussion,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> str:
    """The minutes as Markdown, between the protective marking at the top and at the bottom.

    With the team's whole `settings`, in its nation's words with its timescales (with only the
    minutes settings, England's words); `earlier`: summaries the follow-ups are named from.
    """
    d, w = discussion, _Setting(settings, earlier)
    settings = w.minutes
    marking = f"**{_inline(settings.protective_marking)}**"
    parts = [marking]
    if settings.organisation:
        parts.append(_inline(settings.organisation))
    parts.append(f"# {_inline(_heading(d, w.rules))}")
    if d.sign_off is None:
        parts.append(f"**{DRAFT_NOTICE}** {DRAFT_REASON}")
    parts += _sections(d, w)
    parts.append(marking)
    return "\n\n".join(parts) + "\n"


_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;
       max-width: 48em; margin: 1.5em auto; padding: 0 1em; color: #000; background: #fff; }
h1 { font-size: 16pt; border-bottom: 2px solid #000; padding-bottom: 0.2em; }
h2 { font-size: 13pt; border-bottom: 1px solid #666; margin-top: 1.6em; }
h3 { font-size: 11.5pt; margin-bottom: 0.3em; }
h4 { font-size: 11pt; font-style: italic; margin-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #666; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0.3em 0; }
.organisation { font-size: 12pt; margin: 0.6em 0 0; }
.draft { border: 2px solid #000; padding: 0.4em 0.6em; font-size: 12pt; }
.watermark { display: none; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  h1, h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  tr, li { page-break-inside: avoid; break-inside: avoid; }
  th { background: none; }
  /* A fixed element is printed on every page: the draft's watermark, behind the text. */
  .watermark { display: block; position: fixed; top: 40%; left: 0; right: 0; z-index: -1;
               text-align: center; font-size: 110pt; font-weight: bold; color: #e6e6e6;
               transform: rotate(-35deg); }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string: anything but letters, digits and spaces as a hex escape, so nothing
    typed can end the string, the rule or the style element."""
    kept = "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in one_line(text))
    return f'"{kept}"'


def _page_css(d: Discussion, settings: MinutesSettings, rules: NationRules) -> str:
    """Every printed page's margins (browsers that print margin boxes: Chromium from 131): the
    marking top and bottom, the council, the record and its status, and the page number. They
    also take the place of the browser's own header and footer (print time, file:// address)."""
    status = f"Signed off {format_date(d.sign_off.signed_at.date())}" if d.sign_off else "DRAFT - not signed off"
    marking = _css_string(settings.protective_marking)
    strong = "font-weight: bold; font-size: 10pt; white-space: nowrap;"
    small = "font-size: 8.5pt;"
    # The record on two lines: a long case reference must not push the marking off centre.
    kind_and_date = _css_string(f"{rules.kind_label(d.kind)}, {format_date(d.held_on)}")
    record = f'{_css_string(d.case_ref or "no case ref")} "\\a " {kind_and_date}'
    status_style = strong if d.sign_off is None else small
    boxes = [
        f"@top-center {{ content: {marking}; {strong} }}",
        f"@top-right {{ content: {_css_string(status)}; {status_style} text-align: right; }}",
        f"@bottom-left {{ content: {record}; {small} white-space: pre-wrap; }}",
        f"@bottom-center {{ content: {marking}; {strong} }}",
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {small} text-align: right; }}',
    ]
    if settings.organisation:
        boxes.insert(0, f"@top-left {{ content: {_css_string(settings.organisation)}; {small} }}")
    inner = "\n  ".join(boxes)
    # Page 1 opens with the same marking and council as its letterhead: not twice over.
    first = "@page :first { @top-left { content: none; } @top-center { content: none; } }\n"
    return f"@page {{ size: A4; margin: 2cm 1.8cm; font-family: Arial, Helvetica, sans-serif;\n  {inner}\n}}\n{first}"


def _markdown_parser() -> MarkdownIt:
    # Raw HTML off: anything HTML-like that slipped past escaping is shown, never run.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _html_text(text: str) -> str:
    return html.escape(one_line(text))


def render_html(
    discussion: Discussion,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> str:
    """The minutes as a standalone, printable HTML document (no fonts, scripts or images to fetch)."""
    d, w = discussion, _Setting(settings, earlier)
    settings = w.minutes
    marking = _html_text(settings.protective_marking)
    head = [f'<p class="marking">{marking}</p>']
    if settings.organisation:
        head.append(f'<p class="organisation">{_html_text(settings.organisation)}</p>')
    head.append(f"<h1>{_html_text(_heading(d, w.rules))}</h1>")
    if d.sign_off is None:
        head.insert(0, '<div class="watermark" aria-hidden="true">DRAFT</div>')
        head.append(f'<p class="draft"><strong>{DRAFT_NOTICE}</strong> {DRAFT_REASON}</p>')
    body = _markdown_parser().render("\n\n".join(_sections(d, w)))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_html_text(_heading(d, w.rules))}</title>\n"
        f"<style>{_CSS}{_page_css(d, settings, w.rules)}</style>\n</head>\n<body>\n" + "\n".join(head)
        + f"\n{body}<p class=\"marking\">{marking}</p>\n</body>\n</html>\n"
    )


def render_json(discussion: Discussion) -> str:
    """The full record as JSON, exactly as stored (control and bidi characters as \\u escapes)."""
    return escape_json(discussion.model_dump_json(indent=2))
