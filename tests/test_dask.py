"""Scale-out: the flow on a local Dask cluster of two workers builds the same warehouse as one process."""

from pathlib import Path

from tests.conftest import SEED_ARTICLES, warehouse_snapshot


def test_dask_cluster_run_equals_single_process_run(seed_warehouse: Path, tmp_path: Path):
    from flows.pipeline import with_runner

    flow_function = with_runner("dask", dask_workers=2)
    summary = flow_function(sources=[str(SEED_ARTICLES)], warehouse_dir=str(tmp_path), batch_size=4,
                            parallel_batches=True)
    assert summary.status == "succeeded" and summary.articles_extracted == summary.articles_new > 4
    # Batches wrote their own parts: one extraction part per batch.
    assert len(list((tmp_path / "lake" / "extractions").rglob("*.parquet"))) == -(-summary.articles_new // 4)
    assert warehouse_snapshot(tmp_path) == warehouse_snapshot(seed_warehouse)
