"""Fault injection: a real `newsflow run` killed at several points, then run again, must leave exactly the
warehouse a clean run leaves, row for row."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLES, warehouse_snapshot
from transforms.lake import Lake, table_files
from transforms.warehouse import DATABASE_FILE

BATCH_SIZE = "3"  # several extraction batches, so a kill can land between them
COMPACT_MIN_FILES = "4"  # every run compacts the tables its batches wrote, so a kill can land during compaction
KILL_TIMEOUT = 120
def _run(warehouse: Path, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "flows.cli", "run", "--source", str(SEED_ARTICLES),
               "--warehouse", str(warehouse), "--batch-size", BATCH_SIZE]
    return subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[1],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_when(process: subprocess.Popen, ready: Callable[[], bool]) -> bool:
    """SIGKILL the run as soon as ``ready()``; False when the run ended first."""
    deadline = time.monotonic() + KILL_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            process.kill()
            process.wait()
            return True
        time.sleep(0.01)
    process.kill()
    raise AssertionError("the run neither reached the kill point nor ended")


@pytest.fixture(scope="module")
def run_env(prefect_harness: None) -> dict[str, str]:
    """Subprocess runs talk to the session's Prefect test API instead of starting their own server."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "NEWSFLOW_COMPACT_MIN_FILES": COMPACT_MIN_FILES}


def _compacting(warehouse: Path) -> bool:
    """True once a table's log holds a compaction commit: the run is in its maintenance step, with more tables
    to compact."""
    return any(b'"operation":"OPTIMIZE"' in log.read_bytes()
               for log in (warehouse / "lake").glob("*/_delta_log/*.json"))


@pytest.fixture(scope="module")
def clean(run_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    warehouse = tmp_path_factory.mktemp("clean")
    assert _run(warehouse, run_env).wait(timeout=KILL_TIMEOUT) == 0
    return warehouse_snapshot(warehouse)


KILL_POINTS: dict[str, Callable[[Path], bool]] = {
    "after ingest": lambda w: bool(table_files(Lake.of_warehouse(w), "articles")),
    "while placing stories": lambda w: bool(table_files(Lake.of_warehouse(w), "story_signatures")),
    "between extraction batches": lambda w: len(table_files(Lake.of_warehouse(w), "extractions")) >= 2,
    "during compaction": _compacting,
    "during the build": lambda w: (w / DATABASE_FILE).exists(),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_run_then_rerun_equals_a_clean_run(point: str, run_env: dict[str, str], clean: dict,
                                                   tmp_path: Path):
    killed = _kill_when(_run(tmp_path, run_env), lambda: KILL_POINTS[point](tmp_path))
    assert killed, f"the run finished before reaching the kill point '{point}'"
    assert _run(tmp_path, run_env).wait(timeout=KILL_TIMEOUT) == 0
    assert warehouse_snapshot(tmp_path) == clean
    # No temporary file is left where a reader would pick it up.
    assert not [p for p in tmp_path.rglob("*.parquet") if p.name.startswith(".")]
