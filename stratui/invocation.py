"""How the user can run stratui from their shell, for hints that name a command.

After the README's install the `stratui` command is in .venv/bin, which is not on PATH until the
venv is activated: a hint saying "run stratui demo" fails there. Hints name what works from here:
`stratui` when that name on PATH is this install, else this install's script by its path, else
this Python with `-m stratui`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from functools import cache
from pathlib import Path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _shown(path: Path) -> str:
    """A path to type: from the current folder when it is below it (".venv/bin/stratui")."""
    try:
        relative = path.relative_to(Path.cwd())
    except (ValueError, OSError):
        return shlex.quote(str(path))
    # A bare name would be looked up on PATH: a relative path needs a folder in it.
    return shlex.quote(str(relative) if relative.parent != Path(".") else f"./{relative}")


@cache
def stratui_command() -> str:
    """The words that run this stratui in the user's shell, e.g. "stratui" or ".venv/bin/stratui"."""
    # Not resolved: a venv's python is a link to the system's, which has no stratui beside it.
    python = Path(sys.executable)
    script = python.with_name("stratui")
    on_path = shutil.which("stratui", path=os.environ.get("PATH", os.defpath))
    if not script.is_file():
        return f"{_shown(python)} -m stratui"
    if on_path is not None and _same_file(Path(on_path), script):
        return "stratui"
    return _shown(script)


def shell_command(arguments: str) -> str:
    """A stratui command as the user can type it: shell_command("demo") is "stratui demo" or its like."""
    return f"{stratui_command()} {arguments}"
