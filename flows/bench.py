"""``newsflow bench``: the pipeline's throughput next to the model's own, on the same texts.

- bare: ``nlp.pipe`` alone over the texts (already normalised, in memory) with the pipeline's model,
  components and batch size, in a fresh process (model loading not timed): the floor.
- full: a complete ``newsflow run`` of the same texts into a fresh warehouse, as a user runs it (a new process:
  imports, Prefect's API server, the model, ingest, extraction, Parquet, build, marts), wall time.
- single (only with ``--n-process`` K > 1): the same full run with one process, for the speed-up.
- rerun: the same command again (nothing new).
- build: the SQL build alone over the resulting lake.
- stories: placing the same articles in stories from nothing (the find-stories task's code), as a share of the
  flow's seconds per article (ingest, stories and extraction).

This machine's speed drifts by 10-30% over minutes, so ``--repeat R`` measures bare and full (and single)
one after another R times and reports medians: of the seconds, and of each repetition's own ratio.

Peak RSS of a run is that of its largest process (each process's VmHWM, sampled; the Prefect server is not
counted); ``bare_peak_rss_mb`` is the bare process's own, which is why ``--scale`` measures each size in a
fresh process too.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flows.settings import Settings
from transforms.evaluation import prepare, read_jsonl
from transforms.extract import ArticleText
from transforms.lake import Lake, table_files
from transforms.nlp import load_pipeline
from transforms.normalise import word_count
from transforms.warehouse import build


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def readable(source: Path) -> Iterator[tuple[dict, ArticleText]]:
    """Each record of a JSONL corpus that makes an article, with that article (normalised)."""
    for record in read_jsonl(source):
        if (article := prepare(record, str(record.get("id")))) is not None:
            yield record, article


def load_sample(source: Path, limit: int, folder: Path) -> tuple[list[ArticleText], Path]:
    """The first ``limit`` readable records of a JSONL corpus: normalised in memory, and as a JSONL file."""
    articles: list[ArticleText] = []
    sample = folder / "sample.jsonl"
    with sample.open("w", encoding="utf-8") as handle:
        for record, article in itertools.islice(readable(source), limit):
            articles.append(article)
            handle.write(json.dumps(record) + "\n")
    return articles, sample


def _rates(seconds: float, articles: int, words: int) -> dict:
    return {"seconds": round(seconds, 2), "articles_per_s": round(articles / seconds, 2) if seconds else None,
            "words_per_s": round(words / seconds) if seconds else None}


def _children(pid: int) -> list[int]:
    """Child pids of ``pid`` (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except OSError:
        return []


def _peak_rss_kib(pid: int) -> int:
    """VmHWM of a process: its peak resident set since it started or last exec'd."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_prefect_server(pid: int) -> bool:
    try:
        return b"server\x00start" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def timed_run(sample: Path, warehouse: Path, n_process: int) -> tuple[float, float]:
    """Wall seconds of one ``newsflow run`` command, and the peak RSS (MiB) of its largest process, the run or
    one of its worker processes; the Prefect API server it starts is not counted.

    Peak RSS is each process's VmHWM, sampled while it lives (``getrusage`` would count the bench's own
    memory, which a child inherits across fork and exec).
    """
    command = [sys.executable, "-m", "flows.cli", "run", "--source", str(sample), "--warehouse", str(warehouse),
               "--n-process", str(n_process)]
    # The bench's warehouse keeps its own lake, whatever NEWSFLOW_LAKE says.
    environment = {name: value for name, value in os.environ.items() if name != "NEWSFLOW_LAKE"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def sample_memory() -> None:
        while not stop.is_set():
            pending = [process.pid]
            while pending:
                pid = pending.pop()
                if pid != process.pid and _is_prefect_server(pid):
                    continue
                peaks[pid] = max(peaks.get(pid, 0), _peak_rss_kib(pid))
                pending.extend(_children(pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"newsflow run exited with {process.returncode}: {stderr.decode(errors='replace').strip()[-2000:]}")
    return seconds, max(peaks.values(), default=0) / 1024


def flow_seconds(warehouse: Path, latest: bool = False) -> float:
    """Seconds from a run's start to its extraction's end (ingest, stories and extraction, no start-up): the
    first succeeded run's, or the latest one's."""
    import duckdb

    with duckdb.connect() as con:
        files = table_files(Lake.of_warehouse(warehouse), "runs")
        order = "started_at desc" if latest else "started_at"
        row = con.execute("select epoch(finished_at) - epoch(started_at) from read_parquet($files) "
                          f"where status = 'succeeded' and articles_new > 0 order by {order} limit 1",
                          {"files": files}).fetchone()
    return float(row[0])


def time_stories(warehouse: Path, folder: Path) -> float:
    """Seconds to place a warehouse's articles in stories from nothing: the find-stories task's code over a copy
    of its lake's articles (fingerprints, LSH lookups in the lake, the exact checks, writing links and
    signatures)."""
    from flows.pipeline import find_stories

    copy = folder / "stories"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(warehouse / "lake" / "articles", copy / "lake" / "articles")
    started = time.perf_counter()
    find_stories.fn(str(copy), "bench-stories", Settings())
    return time.perf_counter() - started


def time_bare(sample: Path, n_process: int) -> tuple[float, float]:
    """Seconds of bare ``nlp.pipe`` over the sample's texts, and that process's peak RSS (MiB): in a fresh
    process, so that every repetition parses text the model's vocabulary has not seen (as a run does)."""
    command = [sys.executable, "-m", "flows.bench", str(sample), str(n_process)]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
    return result["seconds"], result["peak_rss_mb"]


def _bare_main(sample: Path, n_process: int) -> None:
    settings = Settings()
    texts = [article.text for _, article in readable(sample)]
    nlp = load_pipeline(settings.spacy_model, str(settings.seeds_dir))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=n_process):
        pass
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}))


def run_bench(source: Path, limit: int, n_process: int = 1, repeat: int = 1) -> dict:
    """Measure bare, full (and single), ``repeat`` times in turn, then rerun and build, on the first ``limit``
    articles of ``source``."""
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-") as tmp:
        folder = Path(tmp)
        articles, sample = load_sample(source, limit, folder)
        words = sum(word_count(a.text) for a in articles)
        bare, full, single, ratios, speedups, rss, bare_rss = [], [], [], [], [], [], []
        warehouse = folder / "warehouse"
        for _ in range(max(1, repeat)):
            shutil.rmtree(warehouse, ignore_errors=True)
            seconds, peak = time_bare(sample, n_process)
            bare.append(seconds)
            bare_rss.append(peak)
            if n_process > 1:
                single_warehouse = folder / "single"
                shutil.rmtree(single_warehouse, ignore_errors=True)
                single.append(timed_run(sample, single_warehouse, 1)[0])
            seconds, peak = timed_run(sample, warehouse, n_process)
            full.append(seconds)
            rss.append(peak)
            ratios.append(bare[-1] / full[-1])
            if single:
                speedups.append(single[-1] / full[-1])
        extraction = flow_seconds(warehouse)
        stories = time_stories(warehouse, folder)
        rerun, rerun_rss = timed_run(sample, warehouse, n_process)
        started = time.perf_counter()
        build(warehouse, settings.sql_dir, settings.seeds_dir)
        build_seconds = time.perf_counter() - started
    n, median = len(articles), statistics.median
    result = {
        "source": str(source), "articles": n, "words": words, "n_process": n_process, "repeat": len(full),
        "bare": _rates(median(bare), n, words),
        "full": _rates(median(full), n, words),
        "rerun": _rates(rerun, n, words),
        "full_over_bare": round(median(ratios), 3),
        "full_over_bare_each": [round(r, 3) for r in ratios],
        "flow_ms_per_article": round(1000 * extraction / n, 2),
        # Placing articles in stories, against the flow's ingest + stories + extraction, measured in this run.
        "stories_ms_per_article": round(1000 * stories / n, 2),
        "stories_share_of_flow": round(stories / extraction, 4),
        "build_seconds": round(build_seconds, 2),
        "peak_rss_mb": round(max(rss), 1),
        "rerun_peak_rss_mb": round(rerun_rss, 1),
        "bare_peak_rss_mb": round(max(bare_rss), 1),
    }
    if speedups:
        result["single"] = _rates(median(single), n, words)
        result["speedup_over_single"] = round(median(speedups), 3)
        result["speedup_over_single_each"] = [round(r, 3) for r in speedups]
    return result


def run_scale(source: Path, sizes: list[int], n_process: int = 1, repeat: int = 1) -> list[dict]:
    """One fresh process per size, so that each peak RSS is that size's own."""
    results = []
    for size in sizes:
        command = [sys.executable, "-m", "flows.cli", "bench", "--source", str(source), "--limit", str(size),
                   "--n-process", str(n_process), "--repeat", str(repeat), "--json"]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def write_distinct_records(source: Path, size: int, target: Path) -> None:
    """``size`` JSONL records from ``source``, cycled; each pass after the first marks its copies (another id,
    a line added to the body), so that every record is a new article."""
    records = [record for record in read_jsonl(source) if str(record.get("body") or "").strip()]
    with target.open("w", encoding="utf-8") as handle:
        for number, record in zip(range(size), itertools.cycle(records)):
            copy = number // len(records)
            if copy:
                record = {**record, "id": f"{record.get('id')}-copy{copy}", "body": f"{record['body']}\n\nCopy {copy}."}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _ingest_main(sample: Path, warehouse: Path) -> None:
    """Ingest one JSONL file into a fresh lake (the ingest task's code, without Prefect's server) and print
    its counts, seconds and this process's peak RSS as JSON."""
    from flows.pipeline import ingest
    from transforms.sources import Source

    started = time.perf_counter()
    counts = ingest.fn([Source("file", str(sample))], str(warehouse), "bench-ingest", Settings())
    print(json.dumps({"records": sum(1 for _ in sample.open("rb")), "new": counts["new"],
                      "seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(peak_rss_mb())}))


def run_ingest_scale(source: Path, sizes: list[int]) -> list[dict]:
    """Ingest alone at each size, each in a fresh process, so that each peak RSS is that size's own (memory
    must stay flat as a source grows)."""
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="newsflow-ingest-") as folder:
            sample = Path(folder) / "records.jsonl"
            write_distinct_records(source, size, sample)
            command = [sys.executable, "-m", "flows.bench", "ingest", str(sample), str(Path(folder) / "warehouse")]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    return results


SCHEDULED_TABLES = {
    "stg_articles": "article_id, title, body",
    "stg_entities": "entity_id",
    "stg_relations": "relation_id, country_a, country_b, relation_type",
    "stg_quotes": "quote_id, speaker_name, speaker_country",
}


def _parquet_files(warehouse: Path) -> int:
    """Parquet files on disk in the lake: live ones and those compaction replaced, until vacuumed."""
    return sum(1 for _ in (warehouse / "lake").rglob("*.parquet"))


def _live_files(warehouse: Path) -> int:
    """Data files the lake's tables read at their newest versions."""
    from transforms.schemas import TABLES

    the_lake = Lake.of_warehouse(warehouse)
    return sum(len(table_files(the_lake, table)) for table in TABLES)


def _compare_warehouses(small_runs: Path, one_run: Path) -> dict[str, dict[str, int]]:
    """Per staging table: rows in each warehouse and rows in one but not the other (by the table's key
    columns and content)."""
    import duckdb

    from transforms.warehouse import DATABASE_FILE, string_literal

    result = {}
    with duckdb.connect() as con:
        con.execute(f"attach {string_literal(str(small_runs / DATABASE_FILE))} as runs (read_only)")
        con.execute(f"attach {string_literal(str(one_run / DATABASE_FILE))} as one (read_only)")
        for table, columns in SCHEDULED_TABLES.items():
            def count(sql: str) -> int:
                return con.execute(f"select count(*) from ({sql})").fetchone()[0]
            left, right = f"select {columns} from runs.staging.{table}", f"select {columns} from one.staging.{table}"
            result[table] = {"small_runs": count(left), "one_run": count(right),
                             "only_in_small_runs": count(f"{left} except all {right}"),
                             "only_in_one_run": count(f"{right} except all {left}")}
    return result


def _seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _noop_and_build(newsflow: Callable[..., object], warehouse: Path, batch: Path,
                    settings: Settings) -> tuple[float, float]:
    """Medians of five (one timing on a shared machine is mostly noise): a run of a batch the warehouse has
    read, and the SQL build."""
    noop = statistics.median(_seconds(lambda: newsflow(sources=[str(batch)], warehouse_dir=str(warehouse)))
                             for _ in range(5))
    built = statistics.median(_seconds(
        lambda: build(warehouse, settings.sql_dir, settings.seeds_dir, Lake.of_warehouse(warehouse)))
        for _ in range(5))
    return noop, built


def run_scheduled(source: Path, runs: int, per_run: int = 3) -> dict:
    """Simulate scheduled runs: ``runs`` real flow runs (one process, one Prefect server, the model loaded
    once) of ``per_run`` new stories each into one warehouse, measuring at checkpoints the lake's Parquet files,
    the run's seconds, a no-op run's seconds and the SQL build's; then one run of all the same stories into
    a fresh warehouse, the two warehouses' staging tables compared row for row, and both warehouses' no-op run
    and build timed once more, one after the other (``at_end``)."""
    from flows.server import temporary_api

    records = [record for _, record in zip(range(runs * per_run), read_jsonl(source))
               if str(record.get("body") or "").strip()]
    checkpoints = sorted({min(20, runs), runs, *(runs * step // 5 for step in range(1, 5))} - {0})
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="newsflow-scheduled-") as folder, temporary_api() as server:
        server.wait()
        # As `newsflow run` does against its temporary server: without heartbeats, whose thread sleeps in whole
        # seconds, a run's wall time is not rounded up to the thread's next wake-up.
        with server.heartbeats():
            from flows.pipeline import newsflow

            root = Path(folder)
            warehouse, inbox = root / "scheduled", root / "inbox"
            inbox.mkdir()
            measured = []
            for number in range(1, runs + 1):
                batch = inbox / f"run-{number:05d}.jsonl"
                batch.write_text("".join(json.dumps(record) + "\n" for record in
                                         records[(number - 1) * per_run:number * per_run]), encoding="utf-8")
                started = time.perf_counter()
                newsflow(sources=[str(batch)], warehouse_dir=str(warehouse))
                run_seconds = time.perf_counter() - started
                if number in checkpoints:
                    noop_seconds, build_seconds = _noop_and_build(newsflow, warehouse, batch, settings)
                    measured.append({"runs": number, "data_files": _live_files(warehouse),
                                     "parquet_files": _parquet_files(warehouse), "run_seconds": round(run_seconds, 2),
                                     "flow_seconds": round(flow_seconds(warehouse, latest=True), 2),
                                     "noop_seconds": round(noop_seconds, 2), "build_seconds": round(build_seconds, 2)})
            everything = root / "all.jsonl"
            everything.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
            one_run = root / "one-run"
            newsflow(sources=[str(everything)], warehouse_dir=str(one_run))
            comparison = _compare_warehouses(warehouse, one_run)
            # The same data with no history, timed now in this process beside the last checkpoint's warehouse
            # again: what the lake's history costs, apart from the data's size and this process's and machine's
            # state at the end.
            newsflow(sources=[str(batch)], warehouse_dir=str(one_run))  # its batch file, read once
            last_again = _noop_and_build(newsflow, warehouse, batch, settings)
            one_run_now = _noop_and_build(newsflow, one_run, batch, settings)
            at_end = {"runs_noop_seconds": round(last_again[0], 2), "runs_build_seconds": round(last_again[1], 2),
                      "one_run_noop_seconds": round(one_run_now[0], 2),
                      "one_run_build_seconds": round(one_run_now[1], 2)}
    first, last = measured[0], measured[-1]
    return {"runs": runs, "stories_per_run": per_run, "checkpoints": measured, "comparison": comparison,
            "at_end": at_end,
            "data_files_ratio": round(last["data_files"] / first["data_files"], 2),
            "files_ratio": round(last["parquet_files"] / first["parquet_files"], 2),
            "flow_ratio": round(last["flow_seconds"] / first["flow_seconds"], 2),
            "build_ratio": round(last["build_seconds"] / first["build_seconds"], 2),
            "noop_ratio": round(last["noop_seconds"] / first["noop_seconds"], 2),
            "run_ratio": round(last["run_seconds"] / first["run_seconds"], 2)}


if __name__ == "__main__":  # python -m flows.bench SAMPLE.jsonl N_PROCESS | ingest SAMPLE.jsonl WAREHOUSE
    if sys.argv[1] == "ingest":
        _ingest_main(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        _bare_main(Path(sys.argv[1]), int(sys.argv[2]))
