"""The HTML minutes printed for real: headless Chromium to PDF, read back page by page.

Every page must carry the protective marking (top and bottom), the case reference and
"Page N of M"; a draft says DRAFT on every page and a signed-off record nowhere. The browser's
own header and footer (print time, file:// address) are left switched on, as in a print
dialog: the page's margins must take their place.

Needs `chromium` and poppler-utils (`pdftotext`, `pdftoppm`); .ci/run installs them. Set
STRATUI_DOCS_IMAGE=docs/minutes-page-1.png to keep page 1 of the draft as an image.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from stratui.demo import generate_demo
from stratui.minutes import render_html, render_markdown
from stratui.models import Discussion
from stratui.settings import MinutesSettings

pytestmark = pytest.mark.process

TODAY = date(2026, 11, 25)
SETTINGS = MinutesSettings(
    protective_marking="OFFICIAL-SENSITIVE PERSONAL", organisation="Riverside Council, Children's Services"
)
# Generous: Chromium starts in about 2 s on a quiet machine; this bounds a hang, it is no budget.
PRINT_TIMEOUT = 180
TOOLS = ("pdftotext", "pdftoppm")


def _chromium() -> str | None:
    return next((path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None)


def _missing() -> str:
    missing = [name for name in TOOLS if not shutil.which(name)]
    if not _chromium():
        missing.insert(0, "chromium")
    return ", ".join(missing)


@pytest.fixture(scope="module")
def tools() -> str:
    """The Chromium to print with; as root (CI) a missing one is a failure: .ci/run installs it."""
    missing = _missing()
    if missing and os.geteuid() == 0:
        pytest.fail(f"missing {missing}: run .ci/run, which installs them (apt-get install chromium poppler-utils)")
    if missing:
        pytest.skip(f"missing {missing} (Debian: apt-get install chromium poppler-utils, as root)")
    chromium = _chromium()
    assert chromium is not None
    return chromium


def longest(signed_off: bool) -> Discussion:
    """The demo's richest record of the kind: several printed pages."""
    records = [d for d in generate_demo(60, 1, TODAY) if (d.sign_off is not None) == signed_off]
    return max(records, key=lambda d: len(render_markdown(d)))


def print_to_pdf(chromium: str, discussion: Discussion, folder: Path) -> Path:
    page = folder / "minutes.html"
    page.write_text(render_html(discussion, SETTINGS), encoding="utf-8")
    pdf = folder / "minutes.pdf"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",  # root in CI; the page is our own file
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={folder / 'profile'}",  # never the user's own profile, never shared
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    return pdf


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=PRINT_TIMEOUT
    ).stdout
    # pdftotext ends every page with a form feed.
    return text.split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize("signed_off", [False, True], ids=["draft", "signed-off"])
def test_every_printed_page_carries_the_marking_the_case_and_its_number(
    tools: str, tmp_path: Path, signed_off: bool
) -> None:
    record = longest(signed_off)
    printed = pages(print_to_pdf(tools, record, tmp_path))
    total = len(printed)
    assert total >= 3, f"the demo's richest record printed on {total} pages: not a long one"
    marking = SETTINGS.protective_marking
    for number, page in enumerate(printed, start=1):
        where = f"page {number} of {total}"
        text = lines(page)
        assert any(marking in line for line in text[:3]), f"{where}: no marking at the top: {text[:3]}"
        assert any(marking in line for line in text[-3:]), f"{where}: no marking at the bottom: {text[-3:]}"
        assert record.case_ref in page, where
        assert f"{record.kind.label}, " in page, where
        assert f"Page {number} of {total}" in page, where
        assert ("DRAFT" in page) is not signed_off, where
        # The browser's own header and footer are replaced by the page's margins.
        assert "file://" not in page, where
        assert not re.search(r"\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}", page), where
    first = lines(printed[0])
    assert "Riverside Council, Children's Services" in first  # CSS-escaped on the way, shown as typed
    if not signed_off:
        assert any(line.startswith("DRAFT: not signed off by a manager.") for line in first)


def test_page_one_as_an_image(tools: str, tmp_path: Path) -> None:
    pdf = print_to_pdf(tools, longest(signed_off=False), tmp_path)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page-1")],
        check=True,
        timeout=PRINT_TIMEOUT,
    )
    image = tmp_path / "page-1.png"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if target := os.environ.get("STRATUI_DOCS_IMAGE"):
        shutil.copyfile(image, target)
