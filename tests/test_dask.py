"""Scale-out: the flow in a pool of worker processes and on a local Dask cluster builds the same warehouse as
one process, row for row."""

from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLES, warehouse_snapshot


@pytest.mark.parametrize("runner", ["local", "dask"])
def test_parallel_run_equals_single_process_run(runner: str, seed_warehouse: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSFLOW_COMPACT_MIN_FILES", "1000")  # one file per batch stays countable
    from flows.pipeline import with_runner

    flow_function, workers = with_runner(runner, n_process=2, dask_workers=2)
    assert workers == 2
    summary = flow_function(sources=[str(SEED_ARTICLES)], warehouse_dir=str(tmp_path), batch_size=4, workers=workers)
    assert summary.status == "succeeded" and summary.articles_extracted == summary.articles_new > 4
    # Batches wrote their own parts: one extraction part per batch.
    assert len(list((tmp_path / "lake" / "extractions").rglob("*.parquet"))) == -(-summary.articles_new // 4)
    assert warehouse_snapshot(tmp_path) == warehouse_snapshot(seed_warehouse)
