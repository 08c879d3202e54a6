"""Scheduled runs for real: `newsflow server` (a Prefect server on loopback), `newsflow serve` with a short
interval on a landing folder, files dropped in, a scheduled flow run completing and their rows landing.

Everything started here is stopped at the end; waits are bounded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

from flows.server import free_port, is_healthy
from tests.conftest import SEED_ARTICLES
from transforms import lake
from transforms.lake import Lake

DEADLINE_SECONDS = 300


def _interactive_signals() -> None:
    # The processes stand for ones a user started in a terminal, where Ctrl-C interrupts them. A test run
    # started in the background (`make test &`, a CI job) inherits SIGINT ignored, and Python keeps an ignored
    # SIGINT ignored: `newsflow server` would then outlive the SIGINT below until killed, and its Prefect
    # server, stopped only by that kill, could still answer when the test checks that it is down.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _lake_articles(warehouse: Path) -> int:
    return len(lake.article_ids(Lake.of_warehouse(warehouse)))


def _wait_for(condition, what: str, processes: list[subprocess.Popen], deadline: float) -> None:
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"{process.args[:3]} exited with {process.returncode} while waiting for {what}")
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_served_flow_picks_up_files_dropped_into_a_landing_folder(tmp_path: Path):
    deadline = time.monotonic() + DEADLINE_SECONDS
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    # Short loops so that the test sees a scheduled run within seconds, not minutes.
    env.update({"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2", "PREFECT_RUNNER_POLL_FREQUENCY": "2"})
    newsflow = [sys.executable, "-m", "flows.cli"]
    logs = tmp_path / "logs"
    logs.mkdir()
    # No --port: the server listens where PREFECT_API_URL says, which is where serve will look for it.
    server = subprocess.Popen([*newsflow, "server", "--home", str(tmp_path / "prefect")],
                              env={**env, "PREFECT_API_URL": api_url}, preexec_fn=_interactive_signals,
                              stdout=(logs / "server.out").open("w"), stderr=subprocess.STDOUT)
    serve = None
    try:
        _wait_for(lambda: is_healthy(api_url), "the Prefect server", [server], deadline)
        landing, done, warehouse = tmp_path / "landing", tmp_path / "done", tmp_path / "warehouse"
        landing.mkdir()
        serve = subprocess.Popen([*newsflow, "serve", "--interval", "5", "--source", str(landing), "--archive", str(done),
                                  "--warehouse", str(warehouse), "--settle-seconds", "1"],
                                 env={**env, "PREFECT_API_URL": api_url}, preexec_fn=_interactive_signals,
                                 stdout=(logs / "serve.out").open("w"), stderr=subprocess.STDOUT)
        dropped = sorted(SEED_ARTICLES.glob("*.txt"))[:2]
        for path in dropped:
            shutil.copy(path, landing / path.name)
        (landing / "incoming.json.part").write_text('{"title": "half', encoding="utf-8")  # still downloading

        _wait_for(lambda: _lake_articles(warehouse) == 2 and sorted(p.name for p in done.glob("*.txt")) ==
                  [p.name for p in dropped], "the dropped files to land and be archived", [server, serve], deadline)
        assert [p.name for p in landing.iterdir()] == ["incoming.json.part"]  # left for a later run

        def completed_scheduled_runs() -> list[dict]:
            body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}
            runs = httpx.post(f"{api_url}/flow_runs/filter", json=body, timeout=10).json()
            return [run for run in runs if run.get("deployment_id") and run.get("auto_scheduled")]

        _wait_for(lambda: completed_scheduled_runs(), "a completed scheduled flow run", [server, serve], deadline)
        # systemd and `docker stop` send SIGTERM (then SIGKILL after 10 s): serve stops in time, its schedule
        # paused as Ctrl-C does. Before reading the database, which the next scheduled run may be writing.
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("newsflow serve still runs 10 s after SIGTERM") from None
        deployments = httpx.post(f"{api_url}/deployments/filter", json={}, timeout=10).json()
        assert [(d["name"], d["paused"]) for d in deployments] == [("scheduled", True)]
        with duckdb.connect(str(warehouse / "newsflow.duckdb"), read_only=True) as con:
            sources = con.execute("select distinct source from staging.stg_articles").fetchall()
        assert sources == [("landing",)]
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)
    assert not is_healthy(api_url)


def test_prefect_yaml_deploys_the_flow_with_its_real_parameters():
    import inspect

    import yaml

    from flows import pipeline

    config = yaml.safe_load((Path(pipeline.__file__).parent / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    path, name = deployment["entrypoint"].split(":")
    assert (Path(pipeline.__file__).parents[1] / path).resolve() == Path(pipeline.__file__).resolve()
    flow_parameters = inspect.signature(getattr(pipeline, name).fn).parameters
    assert set(deployment["parameters"]) <= set(flow_parameters)
