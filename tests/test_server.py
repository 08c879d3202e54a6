"""The temporary Prefect API a `newsflow run` starts when none is configured: it answers, and it goes away
when the run ends, even when the run is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flows.server import configured_api_url, is_healthy

SCRIPT = """
import sys, time
from flows.server import temporary_api
with temporary_api() as server:
    server.wait()
    print(server.process.pid, server.api_url, flush=True)
    if sys.argv[1] == "hang":
        time.sleep(300)
"""


def _without_api(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # no profile: no configured API
    return env


def _gone(pid: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_configured_api_url_reads_environment_then_profile(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert configured_api_url() is None
    (tmp_path / "profiles.toml").write_text('active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://h:4200/api"\n')
    assert configured_api_url() == "http://h:4200/api"
    monkeypatch.setenv("PREFECT_API_URL", "http://other:4200/api")
    assert configured_api_url() == "http://other:4200/api"


def test_temporary_server_stops_with_its_run_even_when_killed(tmp_path: Path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, "exit"], env=_without_api(tmp_path), capture_output=True,
                          text=True, timeout=180, check=True)
    pid, api_url = done.stdout.split()
    assert _gone(int(pid)) and not is_healthy(api_url)

    hanging = subprocess.Popen([sys.executable, "-c", SCRIPT, "hang"], env=_without_api(tmp_path),
                               stdout=subprocess.PIPE, text=True)
    try:
        pid, api_url = hanging.stdout.readline().split()
        assert is_healthy(api_url)
        hanging.send_signal(signal.SIGKILL)
        hanging.wait(timeout=30)
        assert _gone(int(pid)), "the temporary server outlived the killed run"
    finally:
        hanging.kill()


def test_server_address_follows_prefect_settings(tmp_path: Path, monkeypatch):
    import pytest

    from flows.server import ServerError, server_address

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    for name in ("PREFECT_PROFILES_PATH", "PREFECT_API_URL", "PREFECT_SERVER_API_HOST", "PREFECT_SERVER_API_PORT", "PREFECT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    assert server_address() == ("127.0.0.1", 4200)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4300/api")
    assert server_address() == ("127.0.0.1", 4300)  # where serve will look for it
    monkeypatch.setenv("PREFECT_SERVER_API_PORT", "4400")
    monkeypatch.setenv("PREFECT_SERVER_API_HOST", "0.0.0.0")
    assert server_address() == ("0.0.0.0", 4400)
    assert server_address("127.0.0.2", 4500) == ("127.0.0.2", 4500)  # the flags win
    monkeypatch.setenv("PREFECT_SERVER_API_PORT", "high")
    with pytest.raises(ServerError, match="not a port number"):
        server_address()
    # A profile's setting counts like the environment's.
    monkeypatch.delenv("PREFECT_SERVER_API_PORT")
    monkeypatch.delenv("PREFECT_SERVER_API_HOST")
    monkeypatch.delenv("PREFECT_API_URL")
    (tmp_path / "prefect").mkdir()
    (tmp_path / "prefect" / "profiles.toml").write_text(
        'active = "local"\n[profiles.local]\nPREFECT_SERVER_API_PORT = "4600"\n', encoding="utf-8")
    assert server_address() == ("127.0.0.1", 4600)


def test_flows_send_no_heartbeats_to_a_server_started_here_and_keep_the_users_setting_otherwise():
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings

    from flows.server import TemporaryServer

    started_here = TemporaryServer("http://127.0.0.1:1/api", subprocess.Popen([sys.executable, "-c", "pass"]))
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):
        with started_here.heartbeats():
            # nothing reads them, and a finished flow would wait for the heartbeat thread's next wake-up
            assert get_current_settings().flows.heartbeat_frequency is None
        assert get_current_settings().flows.heartbeat_frequency == 60
        with TemporaryServer().heartbeats():  # a configured API: the user's setting applies
            assert get_current_settings().flows.heartbeat_frequency == 60
    started_here.process.wait()
