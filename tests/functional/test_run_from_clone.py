"""`python -m stratui`, `stratui export` and `stratui serve` run from the repository folder.

The README's install leaves the user in the clone. There `stratui/` is found first (by
`python -m`, and by each browser session `stratui serve` starts) and has no screens/ or data/
inside (pyproject maps them into the package only when installed). The first tests run without
site's .pth hooks (-S), against the clone's folders alone; the rest against a real, non-editable
install of the project, as `pip install .` leaves it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import selectors
import shutil
import site
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import free_port
import stratui

pytestmark = pytest.mark.process

CLONE = Path(__file__).resolve().parents[2]


def run_from_clone(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dependencies = os.pathsep.join(site.getsitepackages())
    return subprocess.run(
        [sys.executable, "-S", "-m", "stratui", *args],
        cwd=CLONE,
        env={**env, "PYTHONPATH": dependencies},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_python_m_stratui_works_in_the_clone(tmp_path: Path) -> None:
    env = {**os.environ, "STRATUI_DB": str(tmp_path / "db"), "STRATUI_TODAY": "2026-12-01"}
    demo = run_from_clone("demo", "--count", "5", env=env)
    assert demo.returncode == 0, demo.stderr
    shown = run_from_clone("dashboard", "--all", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "unexpected error" not in shown.stdout + shown.stderr


def test_the_clone_is_what_was_imported(tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-S", "-c", "import stratui.screens, stratui.data; print(stratui.screens.__file__)"],
        cwd=CLONE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(site.getsitepackages())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()).parent == CLONE / "screens"


# ---------------------------------------------------------------------------------------------
# Against a real, non-editable install: what the README's `pip install .` leaves behind.
#
# The install goes into a fresh venv made for this session. Its only link to the test venv is a
# .pth file naming the test venv's site-packages, for the dependencies: a folder a .pth file names
# is added to the path but its own .pth files are not run, so the editable install's import hook
# (which maps `stratui.screens` to the clone and once hid a missing package) is never installed.
# pip builds the project the way `pip install .` does (with build isolation: the test venv's
# setuptools is older than pyproject asks for), from the same index `.ci/run` installs from, so
# the test needs no more network than the CI's own install. It builds from a copy of the sources
# so the build/ folder setuptools leaves does not land in the clone, nor race another worker.

SOURCES_NOT_PACKAGED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "tests", "bench", "docs", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"
)


@dataclass
class Installed:
    python: Path
    script: Path
    site_packages: Path


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """stratui installed (not editable) from the clone's sources into a fresh venv, once per worker."""
    root = tmp_path_factory.mktemp("installed")
    sources = root / "sources"
    shutil.copytree(CLONE, sources, ignore=SOURCES_NOT_PACKAGED)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()
    site_packages = Path(purelib)
    (site_packages / "_test_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    # --ignore-installed: pip sees the test venv's editable stratui through the .pth file and
    # must not uninstall it; the new copy goes into the new venv only.
    build = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--ignore-installed", "--no-warn-script-location", str(sources)],
        capture_output=True, text=True, timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return Installed(python=python, script=venv / "bin" / "stratui", site_packages=site_packages)


def clean_environment(tmp_path: Path, venv_bin: Path) -> dict[str, str]:
    """Only what a user's shell would have, and stratui's paths in tmp_path."""
    return {
        "PATH": f"{venv_bin}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "STRATUI_DB": str(tmp_path / "db"),
        "STRATUI_CONFIG": str(tmp_path / "settings.toml"),
        "STRATUI_EXPORTS": str(tmp_path / "exports"),
        "STRATUI_CRASH_REPORTS": str(tmp_path / "crash-reports"),
        "STRATUI_WITNESS": str(tmp_path / "audit-witness"),
        "STRATUI_TODAY": "2026-12-01",
    }


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=CLONE, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stdout + result.stderr, result.stderr
    return result


def a_case_with_one_discussion(installed: Installed, env: dict[str, str]) -> str:
    backup = run([str(installed.script), "export", "--all", "--format", "json"], env)
    assert backup.returncode == 0, backup.stderr
    references = Counter(record["case_ref"] for record in json.loads(backup.stdout)["discussions"])
    return next(reference for reference, count in sorted(references.items()) if count == 1)


def test_the_install_is_a_real_copy_not_the_clone(installed: Installed, tmp_path: Path) -> None:
    env = clean_environment(tmp_path, installed.script.parent)
    probe = subprocess.run(
        [str(installed.python), "-c", "import stratui, stratui.screens, stratui.data; print(stratui.screens.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()).is_relative_to(installed.site_packages)
    # Nothing of the editable install: no import hook, no clone on the path.
    assert not (installed.site_packages / "stratui" / "screens").is_symlink()
    assert (installed.site_packages / "stratui" / "data").is_dir()


def test_python_m_stratui_and_the_installed_command_work_in_the_clone(installed: Installed, tmp_path: Path) -> None:
    env = clean_environment(tmp_path, installed.script.parent)
    demo = run([str(installed.python), "-m", "stratui", "demo", "--count", "5", "--yes"], env)
    assert demo.returncode == 0, demo.stderr
    assert "5 demo discussions" in demo.stdout
    reference = a_case_with_one_discussion(installed, env)

    by_module = run([str(installed.python), "-m", "stratui", "export", reference, "--format", "md"], env)
    assert by_module.returncode == 0, by_module.stderr
    assert f"- **Case reference:** {reference}" in by_module.stdout.splitlines()

    # The console script as the README's user types it: found on PATH, run from the clone.
    by_script = run(["stratui", "export", reference, "--format", "md", "-o", str(tmp_path / "minutes.md")], env)
    assert by_script.returncode == 0, by_script.stderr
    assert (tmp_path / "minutes.md").read_text(encoding="utf-8") == by_module.stdout

    assert run(["stratui", "dashboard", "--all"], env).stdout.count(reference) >= 1
    assert run(["stratui", "--version"], env).stdout.strip().endswith(stratui.__version__)


def read_address(server: subprocess.Popen[bytes], deadline: float, output: list[str]) -> str:
    """The address `stratui serve` prints, waited for up to `deadline` (monotonic)."""
    assert server.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(server.stdout, selectors.EVENT_READ)
    pending = b""
    try:
        while time.monotonic() < deadline and server.poll() is None:
            if not selector.select(timeout=0.5):
                continue
            chunk = server.stdout.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                output.append(line.decode("utf-8", "replace"))
                found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+", output[-1])
                if found:
                    return found.group(0)
    finally:
        selector.close()
    return ""


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode("utf-8", "replace")


def get_when_listening(url: str, deadline: float) -> tuple[int, str]:
    """The address is printed as the server starts: retry until it accepts connections."""
    while True:
        try:
            return get(url)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def the_app_drawn(port: int, token: str, wanted: str, deadline: float) -> str:
    """What the app sends over the page's websocket, until `wanted` appears or the deadline."""
    import aiohttp

    async def go() -> str:
        origin = f"http://127.0.0.1:{port}"
        headers = {"Origin": origin, "Cookie": f"stratui-{port}={token}"}
        drawn = ""
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            async with session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24", headers=headers) as socket_:
                await socket_.send_json(["resize", {"width": 80, "height": 24}])
                while wanted not in drawn and time.monotonic() < deadline:
                    try:
                        message = await asyncio.wait_for(socket_.receive(), timeout=max(0.1, deadline - time.monotonic()))
                    except asyncio.TimeoutError:
                        break
                    if message.type == aiohttp.WSMsgType.BINARY:
                        drawn += message.data.decode("utf-8", "replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        drawn += message.data
                    else:
                        break
        return drawn

    return asyncio.run(go())


def test_the_installed_stratui_serve_answers_with_its_token_and_refuses_without(installed: Installed, tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    env = clean_environment(tmp_path, installed.script.parent)
    assert run(["stratui", "demo", "--count", "5", "--yes"], env).returncode == 0
    reference = a_case_with_one_discussion(installed, env)
    server = subprocess.Popen(
        ["stratui", "serve", "--port", str(free_port())],
        cwd=CLONE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 120
        url = read_address(server, deadline, output)
        assert url, "\n".join(output)
        status, page = get_when_listening(url, deadline)
        assert status == 200, page
        # textual-serve's page for the app: named stratui, with the websocket that runs it.
        port = url.split(":")[2].split("/")[0]
        assert "stratui" in page and f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        refused, body = get(url.split("?")[0])
        assert refused == 403 and "/ws" not in body
        # A browser session runs `python -m stratui` in the server's folder, the clone: it must
        # draw the dashboard, with the demo's cases on it.
        token = url.split("token=")[1]
        drawn = the_app_drawn(int(port), token, wanted=reference, deadline=deadline)
        assert reference in drawn, drawn[-2000:]
        assert server.poll() is None, "\n".join(output)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
