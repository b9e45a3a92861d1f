"""The browser mode's server: textual-serve, with each browser session's app in a process
group of its own, and every group ended when the server stops (textual-serve asks an app to
quit and waits; an app that does not answer, or the children it started, would outlive it).

Also, since any web page the user visits can open a WebSocket to localhost: the app's socket
is refused to pages from other origins, and on a loopback address to any Host but loopback
names (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server
from yarl import URL

log = logging.getLogger("sre-trainer.serve")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding `trainer`
QUIT_GRACE = 3.0  # seconds an app has to quit when asked, before its group is killed


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def end_group(process: asyncio.subprocess.Process) -> None:
    """Ask the app's whole process group to stop, then make sure."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), QUIT_GRACE)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # anything the app started in its group


class _GroupedAppService(AppService):
    """One browser session's app, started as `argv` in a new session (its own group)."""

    def __init__(self, argv: Sequence[str], sessions: dict, **options: Any):
        super().__init__(" ".join(argv), **options)
        self.argv = tuple(argv)
        self.sessions = sessions

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TERM"] = "xterm-256color"  # the browser's terminal, whatever ours is
        # The app imports the same `trainer` as this server, wherever it was started from.
        paths = [str(PACKAGE_ROOT), environment.get("PYTHONPATH", "")]
        environment["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,
        )
        self._process = process
        self._stdin = process.stdin
        self.sessions[process.pid] = process
        log.info("browser session started (app process %d)", process.pid)
        return process

    async def stop(self) -> None:
        process = self._process
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE)
        except TimeoutError:
            pass
        finally:
            if process is not None and self.sessions.pop(process.pid, None) is not None:
                await end_group(process)
                log.info("browser session ended (app process %d)", process.pid)


class TrainerServer(Server):
    """textual-serve's Server, with the app sessions kept in process groups it ends."""

    def __init__(self, argv: Sequence[str], host: str, port: int):
        super().__init__(" ".join(argv), host=host, port=port, title="sre-trainer")
        self.argv = tuple(argv)
        self.sessions: dict[int, asyncio.subprocess.Process] = {}
        self.sockets: set[web.WebSocketResponse] = set()
        self.loopback = is_loopback(host)
        if not self.loopback:
            # Pages are opened by whatever name reaches this machine: build their URLs from it.
            self.public_url = ""

    def initialize_logging(self) -> None:
        """Plain lines on stderr: no request log, and no tracebacks with local variables
        (they could hold what the user typed)."""
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        log.setLevel(logging.INFO)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the command says where it serves."""

    async def on_shutdown(self, app: web.Application) -> None:
        await self.end_sessions()
        for socket in list(self.sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def end_sessions(self) -> None:
        sessions = list(self.sessions.values())
        self.sessions.clear()
        await asyncio.gather(*(end_group(p) for p in sessions), return_exceptions=True)

    def end_sessions_now(self) -> None:
        """Last resort, outside the event loop: kill any group still listed."""
        for pid in list(self.sessions):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        self.sessions.clear()

    def _allowed(self, request: web.Request) -> bool:
        host = request.host
        origin = request.headers.get("Origin")
        if self.loopback and not is_loopback(URL(f"//{host}").host or ""):
            return False  # a name that resolves to us: DNS rebinding
        return origin is None or origin == f"{request.scheme}://{host}"

    async def handle_index(self, request: web.Request):
        if not self._allowed(request):
            raise web.HTTPForbidden(text="sre-trainer: this address is not allowed")
        if not self.loopback:
            self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the grouped app service and the origin check."""
        if not self._allowed(request):
            raise web.HTTPForbidden(text="sre-trainer: this page may not open the app")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _whole(request.query.get("width"), 80)
        height = _whole(request.query.get("height"), 24)
        service: _GroupedAppService | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = _GroupedAppService(
                self.argv,
                self.sessions,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=False,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one session's failure, logged in a line
            log.warning("browser session failed: %s", type(error).__name__)
        finally:
            self.sockets.discard(websocket)
            if service is not None:
                await service.stop()
        return websocket

    def serve(self, debug: bool = False) -> None:
        """Run until SIGINT or SIGTERM; then every session's group is ended."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                shutdown_timeout=QUIT_GRACE,
            )
        finally:
            self.end_sessions_now()


def _whole(text: str | None, default: int) -> int:
    try:
        return max(10, min(1000, int(text or "")))
    except ValueError:
        return default
