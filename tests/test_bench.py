"""`newsflow bench` measures what it says on a tiny corpus (timings are reported, never asserted)."""

import json
from pathlib import Path

from tests.conftest import SEED_ARTICLES


def _tiny_corpus(folder: Path, articles: int) -> Path:
    """The first seed articles as a JSONL corpus."""
    corpus = folder / "tiny.jsonl"
    with corpus.open("w") as handle:
        for path in sorted(SEED_ARTICLES.glob("*.txt"))[:articles]:
            title, body = path.read_text(encoding="utf-8").split("\n", 1)
            handle.write(json.dumps({"id": path.stem, "title": title, "body": body}) + "\n")
    return corpus


def test_bench_reports_every_stage(prefect_harness: None, tmp_path: Path):
    from flows.bench import run_bench

    corpus = _tiny_corpus(tmp_path, 4)
    result = run_bench(corpus, limit=3, repeat=2)
    assert result["articles"] == 3 and result["words"] > 100
    assert set(result) >= {"bare", "full", "rerun", "full_over_bare", "build_seconds", "peak_rss_mb",
                           "flow_ms_per_article", "stories_ms_per_article", "stories_share_of_flow"}
    assert result["stories_ms_per_article"] > 0 and 0 < result["stories_share_of_flow"] < 1
    assert result["peak_rss_mb"] > 100  # the run's own process, which loaded the model
    assert all(result[stage]["seconds"] > 0 for stage in ("bare", "full", "rerun"))
    # Two rounds of bare then full, each with its own ratio; the reported ratio is their median.
    assert result["repeat"] == 2 and len(result["full_over_bare_each"]) == 2
    low, high = sorted(result["full_over_bare_each"])
    assert low <= result["full_over_bare"] <= high


def test_ingest_only_scale_reads_every_distinct_record(tmp_path: Path):
    from flows.bench import run_ingest_scale

    corpus = _tiny_corpus(tmp_path, 3)
    small, large = run_ingest_scale(corpus, [3, 10])  # 10 records: three passes over three, plus one
    assert (small["records"], small["new"]) == (3, 3)
    assert (large["records"], large["new"]) == (10, 10)  # the copies are distinct articles
    assert small["peak_rss_mb"] > 0 and large["seconds"] > 0


def test_scheduled_runs_equal_one_run_of_the_same_stories(prefect_harness: None, tmp_path: Path):
    from flows.bench import run_scheduled

    corpus = _tiny_corpus(tmp_path, 3)
    result = run_scheduled(corpus, runs=3, per_run=1)
    assert [c["runs"] for c in result["checkpoints"]] == [1, 2, 3]
    assert all(c["parquet_files"] >= c["data_files"] > 0 and c["build_seconds"] > 0 and c["flow_seconds"] > 0
               for c in result["checkpoints"])
    articles = result["comparison"]["stg_articles"]
    assert articles["small_runs"] == articles["one_run"] == 3
    for table, counts in result["comparison"].items():
        assert counts["only_in_small_runs"] == counts["only_in_one_run"] == 0, table
    assert set(result["at_end"]) == {"runs_noop_seconds", "runs_build_seconds", "one_run_noop_seconds",
                                     "one_run_build_seconds"}
    assert all(seconds > 0 for seconds in result["at_end"].values())
