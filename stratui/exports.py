"""Minutes written out as files, for people outside stratui: into the user's private exports folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from stratui import locations
from stratui.files import PRIVATE, atomic_write, ensure_folder
from stratui.models import Discussion, DiscussionSummary
from stratui.settings import MinutesSettings, Settings


def export_stem(discussion: Discussion) -> str:
    """A file name for a discussion's minutes: case ref, date held and a short id, safe characters only.

    The short id keeps two discussions of one case on one day (a follow-up) from overwriting
    each other's minutes.
    """
    case = "".join(c if c.isalnum() or c in "-_" else "-" for c in discussion.case_ref).strip("-_") or "no-case-ref"
    return f"{case[:60]}_{discussion.held_on.isoformat()}_{discussion.id[:8]}"


def export_minutes(
    discussion: Discussion,
    folder: Path | None = None,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> list[Path]:
    """Write the minutes as Markdown and HTML into the private exports folder; returns the paths.

    The exports folder is the user's own (0700, files 0600) whatever the team's database access:
    minutes about a child are not left where the team group (or anyone else) can read them.
    """
    from stratui.minutes import render_html, render_markdown  # markdown-it: only when exporting

    folder = folder or locations.exports_dir()
    ensure_folder(folder, PRIVATE)
    stem = export_stem(discussion)
    written = []
    earlier = list(earlier) if earlier is not None else None
    pages = (
        (".md", render_markdown(discussion, settings, earlier)),
        (".html", render_html(discussion, settings, earlier)),
    )
    for suffix, text in pages:
        path = folder / f"{stem}{suffix}"
        atomic_write(path, text.encode("utf-8"), PRIVATE)
        written.append(path)
    return written
