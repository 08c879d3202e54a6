"""The HTML report: self-contained, and its charts draw in a real headless browser without errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from transforms.report import write_report
from transforms.warehouse import connect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic", "--virtual-time-budget=20000"]


@pytest.fixture(scope="module")
def report(seed_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with connect(seed_warehouse, read_only=True) as con:
        return write_report(con, tmp_path_factory.mktemp("report") / "report.html", str(seed_warehouse))


def test_report_is_self_contained(report: Path):
    html = report.read_text(encoding="utf-8")
    # Nothing loaded from elsewhere: no external scripts, styles, images or imports.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert 'id="chart-pairs"' in html and 'id="chart-speakers"' in html and 'id="chart-over-time"' in html
    assert '<option value="ARM-KAZ">ARM-KAZ</option>' in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium not found: install Debian's chromium "
                    "(sudo apt-get install chromium) to render the report; .ci/run installs it")
def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path):
    browser = _chromium()
    dom = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile-dom'}",
                          "--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-charts-rendered="3"' in dom.stdout, "the charts did not finish drawing"
    for chart in ("pairs", "over-time", "speakers"):
        block = dom.stdout.split(f'id="chart-{chart}"', 1)[1].split('class="chart"', 1)[0]
        assert "<svg" in block and "mark-" in block, f"chart {chart} drew no marks"
    assert re.search(r'<pre id="errors"></pre>', dom.stdout), "the page reported script errors"
    console_errors = [line for line in dom.stderr.splitlines() if "CONSOLE" in line and "rror" in line]
    assert console_errors == []
    # The evidence table for the selected pair is filled from the embedded data.
    assert "Kazakhstan and Armenia to Strengthen Cooperation" in dom.stdout.split('id="evidence"', 1)[1]

    screenshot = tmp_path / "report.png"
    shot = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile-shot'}",
                           "--window-size=1280,2200", f"--screenshot={screenshot}", report.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    # A blank page compresses to a few KB; three drawn charts and tables do not.
    assert screenshot.stat().st_size > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(screenshot, ARTIFACTS / "report.png")  # kept for a look, never committed
