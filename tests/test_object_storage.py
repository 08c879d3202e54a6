"""The lake on object storage: the flow, with two extraction processes or two Dask workers, writes and reads its
lake on an S3 server (moto's, on loopback) and builds the same warehouse as a run with the lake in a folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.pipeline import RunSummary
from tests.conftest import BUCKET, SEED_ARTICLES, warehouse_snapshot
from transforms import lake
from transforms.lake import Lake


def run_with_lake_on_s3(runner: str, url: str, options: dict[str, str], warehouse: Path, seed_warehouse: Path,
                        monkeypatch: pytest.MonkeyPatch) -> tuple[RunSummary, Lake]:
    """Run the flow on the seed articles with 2 processes or Dask workers and its lake at ``url``; check that
    every part went to the bucket and that the warehouse equals the one built with a local lake."""
    from flows.pipeline import with_runner

    # As a user would configure it: the options as JSON in the environment, the lake as a flow parameter.
    monkeypatch.setenv("NEWSFLOW_LAKE_OPTIONS", json.dumps(options))
    monkeypatch.setenv("NEWSFLOW_COMPACT_MIN_FILES", "1000")  # one file per batch stays countable
    flow_function, workers = with_runner(runner, n_process=2, dask_workers=2)
    summary = flow_function(sources=[str(SEED_ARTICLES)], warehouse_dir=str(warehouse), batch_size=4,
                            workers=workers, lake_url=url)
    assert summary.status == "succeeded" and summary.articles_extracted == summary.articles_new > 4
    assert summary.lake == url
    remote = Lake.at(url, options)
    # Every part is in the bucket, one extraction part per batch, and none in the warehouse folder.
    assert len(lake.table_files(remote, "extractions")) == -(-summary.articles_new // 4)
    assert len(lake.table_files(remote, "runs")) == 2  # the run's start and its end
    assert not (warehouse / "lake").exists()
    assert warehouse_snapshot(warehouse, remote) == warehouse_snapshot(seed_warehouse)
    return summary, remote


def test_a_run_with_its_lake_on_s3_equals_a_run_with_a_local_lake(s3_options: dict[str, str], seed_warehouse: Path,
                                                                    tmp_path: Path, monkeypatch):
    url = f"s3://{BUCKET}/lake"
    summary, remote = run_with_lake_on_s3("local", url, s3_options, tmp_path, seed_warehouse, monkeypatch)

    # Re-running from the command line reads what is known from the bucket: nothing new, nothing extracted again.
    environment = {"NEWSFLOW_LAKE_OPTIONS": json.dumps(s3_options)}
    again = CliRunner().invoke(app, ["run", "--source", str(SEED_ARTICLES), "-w", str(tmp_path), "--lake", url],
                               env=environment)
    assert again.exit_code == 0, again.output
    assert re.search(r"\bnew\W+0\b", again.output) and re.search(r"\bextracted\W+0\b", again.output)
    assert re.search(rf"\blake\W+{re.escape(url)}", again.output)
    assert len(lake.table_files(remote, "extractions")) == -(-summary.articles_new // 4)
    assert warehouse_snapshot(tmp_path, remote) == warehouse_snapshot(seed_warehouse)
    # An analyst's query needs no --lake: the warehouse's views say where the lake is.
    query = "select count(*) from staging.stg_articles"
    counted = CliRunner().invoke(app, ["sql", query, "-w", str(tmp_path), "--format", "csv"], env=environment)
    assert counted.exit_code == 0, counted.output
    assert counted.output.splitlines()[-1] == str(summary.articles_new)


def test_dask_workers_write_their_batches_to_the_lake_on_s3(s3_options: dict[str, str], seed_warehouse: Path,
                                                             tmp_path: Path, monkeypatch):
    run_with_lake_on_s3("dask", f"s3://{BUCKET}/dask-lake", s3_options, tmp_path, seed_warehouse, monkeypatch)
