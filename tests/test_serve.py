"""`sre-trainer serve`: the app in headless Chromium, a key reaching it, an app process per
browser session, none left once the server stops; foreign pages refused; without the [web]
extra, one line saying how to install it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import ROOT

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTED = re.compile(r"browser session started \(app process (\d+)\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """`sre-trainer serve` in a subprocess, its output collected as it comes."""

    def __init__(self, home: Path, *options: str):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trainer", "serve", "--port", str(self.port), *options],
            cwd=ROOT,
            env={**os.environ, "SRE_TRAINER_HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []  # both streams, as they come (their order across is loose)
        self.printed: list[str] = []  # stdout alone, in order
        for stream, own in ((self.process.stdout, self.printed), (self.process.stderr, None)):
            threading.Thread(target=self._collect, args=(stream, own), daemon=True).start()
        self.wait_for(lambda: any(line.startswith("Serving") for line in self.lines))
        self.wait_for(self._listening)

    def _collect(self, stream, own: list[str] | None) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            if own is not None:
                own.append(line.rstrip("\n"))

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def wait_for(self, condition, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"serve exited early: {self.lines}")
            assert time.monotonic() < deadline, f"timed out; output so far: {self.lines}"
            time.sleep(0.1)

    def app_pids(self) -> list[int]:
        return [int(m.group(1)) for line in self.lines if (m := STARTED.search(line))]

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def processes_using(home: Path) -> list[int]:
    """Processes whose environment names this test's home (the apps, whoever their parent)."""
    marker = f"SRE_TRAINER_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def new_per_day(home: Path) -> int | None:
    try:
        with sqlite3.connect(f"file:{home / 'progress.db'}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM settings WHERE key = 'new_per_day'").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None


def launch_chromium(playwright):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    try:
        return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
    except Exception as error:  # noqa: BLE001 - any launch failure means it cannot run here
        pytest.skip(f"Chromium cannot run here: {str(error).splitlines()[0]}")


def test_the_app_runs_in_a_browser_and_nothing_outlives_the_server(tmp_path):
    pytest.importorskip("textual_serve", reason="the [web] extra is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    home = tmp_path / "home"
    served = Served(home)
    try:
        assert f"Serving sre-trainer at {served.url} (this computer only" in served.lines[0]
        with sync_api.sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 700})
                page.goto(served.url)
                served.wait_for(lambda: len(served.app_pids()) == 1)
                # Keys reach the app once it has drawn its home screen: "+" raises the new
                # cards per day (10 by default), which the app stores at once.
                deadline = time.monotonic() + 60
                while (new_per_day(home) or 10) == 10:
                    assert time.monotonic() < deadline, f"no key reached the app: {served.lines}"
                    page.mouse.click(500, 350)
                    page.keyboard.press("+")
                    time.sleep(0.5)
                assert new_per_day(home) >= 11
                second = browser.new_page()
                second.goto(served.url)
                served.wait_for(lambda: len(served.app_pids()) == 2)
            finally:
                browser.close()
        pids = served.app_pids()
        assert len(set(pids)) == 2  # a process per browser session
    finally:
        status = served.stop()
    assert status == 0, served.lines
    # The last thing the server prints (stdout) is that it stopped; the sessions' log lines
    # (stderr) come through another pipe and thread, in no set order against it.
    assert served.printed[-1] == "Stopped: every app the server started has ended.", served.lines
    time.sleep(0.2)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert processes_using(home) == []


def test_apps_of_browsers_still_connected_end_with_the_server(tmp_path):
    """A browser still connected when the server stops: its app is ended with the server."""
    pytest.importorskip("textual_serve", reason="the [web] extra is not installed")
    aiohttp = pytest.importorskip("aiohttp")
    import asyncio

    home = tmp_path / "home"
    served = Served(home)

    async def connect_and_stop():
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{served.url}/ws?width=80&height=24") as socket_,
        ):
            deadline = time.monotonic() + 30
            while not served.app_pids():
                assert time.monotonic() < deadline, served.lines
                await asyncio.sleep(0.1)
            await asyncio.sleep(1)
            served.process.send_signal(signal.SIGTERM)
            async for _ in socket_:  # until the server closes it
                pass

    try:
        asyncio.run(asyncio.wait_for(connect_and_stop(), 60))
        assert served.process.wait(timeout=30) == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
    time.sleep(0.2)
    assert served.app_pids() and processes_using(home) == []


def test_pages_from_other_origins_and_names_are_refused(tmp_path):
    pytest.importorskip("textual_serve", reason="the [web] extra is not installed")
    aiohttp = pytest.importorskip("aiohttp")
    import asyncio

    served = Served(tmp_path / "home")

    async def status(path: str, headers: dict) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"{served.url}{path}", headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    try:
        evil = asyncio.run(status("/ws", {"Origin": "http://evil.example"}))
        rebound = asyncio.run(
            status("/ws", {"Host": f"evil.example:{served.port}", "Origin": "http://evil.example"})
        )
        assert (evil, rebound) == (403, 403)
        assert served.app_pids() == []  # no app was started for them

        async def page(host: str) -> int:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{served.url}/", headers={"Host": host}) as response,
            ):
                return response.status

        # Loopback names, with or without the port (an IPv6 one too), are ours.
        for host in ("[::1]", f"[::1]:{served.port}", "localhost", f"127.0.0.1:{served.port}"):
            assert asyncio.run(page(host)) == 200, host
    finally:
        assert served.stop() == 0


def test_serve_without_the_web_extra_says_how_to_install_it(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['textual_serve'] = None\n"  # as if the extra were not installed
        "sys.modules['textual_serve.server'] = None\n"
        "from trainer.cli import main\n"
        "sys.exit(main(['serve']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SRE_TRAINER_HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "sre-trainer: serve: the browser mode needs the web extra: pip install "
        "'sre-trainer[web]' (pipx: pipx inject sre-trainer textual-serve)\n"
    )
    assert result.stdout == ""


def test_binding_beyond_this_computer_warns(tmp_path):
    pytest.importorskip("textual_serve", reason="the [web] extra is not installed")
    served = Served(tmp_path / "home", "--host", "0.0.0.0")
    try:
        served.wait_for(
            lambda: any(line.startswith("warning: listening on 0.0.0.0") for line in served.lines)
        )
        assert "there is no login" in next(x for x in served.lines if x.startswith("warning"))
    finally:
        assert served.stop() == 0
