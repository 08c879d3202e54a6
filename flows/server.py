"""Prefect API servers for newsflow: a temporary one for a single run, a lasting one for schedules.

Both are ``prefect server start`` in a child process. Nothing here imports Prefect: the CLI starts the
temporary server first thing, so that its start-up (several seconds of imports and database checks) overlaps
with the run's own imports instead of following them, which is what Prefect's built-in temporary server does.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

PREFECT = Path(sys.executable).with_name("prefect")


class ServerError(RuntimeError):
    """A Prefect server did not start or cannot be reached."""


DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4200


def prefect_setting(name: str) -> str | None:
    """A Prefect setting as the user configured it: the environment variable, else the active Prefect
    profile's value. Read without importing Prefect (that alone takes two seconds)."""
    if os.environ.get(name):
        return os.environ[name]
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    value = profiles.get("profiles", {}).get(active, {}).get(name)
    return str(value) if value else None


def configured_api_url() -> str | None:
    """The Prefect API the user configured: ``PREFECT_API_URL``, else the active Prefect profile's setting."""
    return prefect_setting("PREFECT_API_URL")


def server_address(host: str | None = None, port: int | None = None) -> tuple[str, int]:
    """Where ``newsflow server`` listens: ``host``/``port`` when given, else Prefect's own settings
    (``PREFECT_SERVER_API_HOST``/``PREFECT_SERVER_API_PORT``), else the port of ``PREFECT_API_URL`` (so
    that ``serve``, which talks to that URL, finds the server), else 127.0.0.1:4200."""
    api = urlsplit(configured_api_url() or "")
    try:
        api_port = api.port
    except ValueError:  # a malformed URL names no port
        api_port = None
    host = host or prefect_setting("PREFECT_SERVER_API_HOST") or DEFAULT_HOST
    if port is None:
        configured = prefect_setting("PREFECT_SERVER_API_PORT")
        if configured is not None and not configured.isdigit():
            raise ServerError(f"PREFECT_SERVER_API_PORT is not a port number: {configured!r}")
        port = int(configured) if configured else api_port or DEFAULT_PORT
    return host, port


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at ``api_url`` (ending in ``/api``)."""
    try:
        with urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:  # noqa: S310 - our own URL
            return response.status == 200
    except (URLError, OSError, ValueError):
        return False


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM when the process that started it dies, even by SIGKILL, so a killed
    # run leaves no orphaned server behind.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_server(host: str, port: int, *, ui: bool, services: bool, log_file: Path | None = None,
                 prefect_home: Path | None = None, tied_to_parent: bool = True) -> subprocess.Popen:
    """Start ``prefect server start`` on ``host:port`` (not waiting for it; see ``wait_until_healthy``)."""
    command = [str(PREFECT) if PREFECT.exists() else "prefect", "server", "start", "--host", host, "--port", str(port),
               "--ui" if ui else "--no-ui", "--analytics-off"]
    if not services:
        command.append("--no-services")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    if not services:
        # A server for one run needs no block types (newsflow uses none); registering them imports every
        # installed Prefect collection (prefect-dask imports all of Dask): ~0.5 s of its start-up.
        env["PREFECT_SERVER_REGISTER_BLOCKS_ON_START"] = "false"
        env["PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION"] = "false"
    env.pop("PREFECT_API_URL", None)  # the server must not try to talk to another one
    if prefect_home is not None:
        env["PREFECT_HOME"] = str(prefect_home)
    output = log_file.open("ab") if log_file else subprocess.DEVNULL
    try:
        return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent if tied_to_parent else None,
                                start_new_session=not tied_to_parent)
    finally:
        if log_file:
            output.close()


def wait_until_healthy(api_url: str, process: subprocess.Popen | None, timeout: float = 90.0) -> None:
    """Block until the API answers; raise ``ServerError`` if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_healthy(api_url, timeout=1.0):
            return
        if process is not None and process.poll() is not None:
            raise ServerError(f"the Prefect server exited with code {process.returncode} before answering at {api_url}")
        time.sleep(0.1)
    raise ServerError(f"no Prefect API answered at {api_url} within {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started here: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class TemporaryServer:
    """A server started for one run; ``api_url`` is None when the user configured a Prefect API instead."""

    api_url: str | None = None
    process: subprocess.Popen | None = None

    def wait(self, timeout: float = 90.0) -> None:
        """Block until the server answers (no-op for a configured API)."""
        if self.api_url is not None:
            wait_until_healthy(self.api_url, self.process, timeout)

    def heartbeats(self) -> AbstractContextManager[object]:
        """Where flows called in this process send heartbeats: nowhere against a server started here.

        A temporary server runs no services, so nothing reads flow-run heartbeats; without them a flow also ends
        at once instead of waiting for its heartbeat thread, which sleeps in whole seconds, to wake up and stop
        (a finished flow otherwise waits up to a second, so that its wall time moves in steps of one second).
        Against a configured API the user's settings apply. Call after ``wait()``: it imports Prefect.
        """
        if self.process is None:
            return nullcontext()
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


@contextmanager
def temporary_api() -> Iterator[TemporaryServer]:
    """For one run: the configured Prefect API if there is one, else a temporary local server without UI or
    background services, started now, set as ``PREFECT_API_URL`` for this process and stopped on exit.

    Enter it before importing Prefect, so that the server starts while the run imports its libraries; call
    ``wait()`` before the first flow call.
    """
    if configured_api_url():
        yield TemporaryServer()
        return
    port = free_port()
    server = TemporaryServer(f"http://127.0.0.1:{port}/api", start_server("127.0.0.1", port, ui=False, services=False))
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    finally:
        _flush_prefect()
        os.environ.pop("PREFECT_API_URL", None)
        stop(server.process)


def _flush_prefect(timeout: float = 10.0) -> None:
    # Prefect ships logs and events from background threads; send what is queued while the server still
    # listens, or they retry against a stopped server at exit.
    if "prefect.logging.handlers" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout)
