"""``newsflow bench``: the pipeline's throughput next to the model's own, in one process on the same texts.

- bare: ``nlp.pipe`` alone over the texts (already normalised, in memory) with the pipeline's model,
  components and batch size: the floor.
- full: a complete ``newsflow`` flow run of the same texts into a fresh warehouse (ingest, extraction,
  Parquet, build, marts), wall time including Prefect.
- rerun: the same run again (nothing new).
- build: the SQL build alone over the resulting lake.

Peak RSS is the process's high-water mark (``--scale`` runs each size in a fresh process for that reason).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.settings import Settings
from transforms.evaluation import prepare, read_jsonl
from transforms.extract import ArticleText
from transforms.lexicons import load_lexicons
from transforms.nlp import load_pipeline
from transforms.normalise import word_count
from transforms.warehouse import build


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_sample(source: Path, limit: int, folder: Path) -> tuple[list[ArticleText], Path]:
    """The first ``limit`` readable records of a JSONL corpus: normalised in memory, and as a JSONL file."""
    articles: list[ArticleText] = []
    sample = folder / "sample.jsonl"
    with sample.open("w", encoding="utf-8") as handle:
        for record in read_jsonl(source):
            article = prepare(record, str(record.get("id")))
            if article is None:
                continue
            articles.append(article)
            handle.write(json.dumps(record) + "\n")
            if len(articles) >= limit:
                break
    return articles, sample


def _rates(seconds: float, articles: int, words: int) -> dict:
    return {"seconds": round(seconds, 2), "articles_per_s": round(articles / seconds, 2) if seconds else None,
            "words_per_s": round(words / seconds) if seconds else None}


def run_bench(source: Path, limit: int, n_process: int = 1) -> dict:
    """Measure bare, full, rerun and build on the first ``limit`` articles of ``source``."""
    from flows.pipeline import newsflow

    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-") as tmp:
        folder = Path(tmp)
        articles, sample = load_sample(source, limit, folder)
        texts = [a.text for a in articles]
        words = sum(word_count(t) for t in texts)
        nlp = load_pipeline(settings.spacy_model, str(settings.seeds_dir))
        load_lexicons(str(settings.seeds_dir))
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=n_process):
            pass
        bare = time.perf_counter() - started
        warehouse = folder / "warehouse"
        runs = {}
        for name in ("full", "rerun"):
            started = time.perf_counter()
            summary = newsflow(sources=[str(sample)], warehouse_dir=str(warehouse), n_process=n_process)
            runs[name] = time.perf_counter() - started
            if summary.status != "succeeded":
                raise RuntimeError(f"the {name} run failed: {summary.error}")
        started = time.perf_counter()
        build(warehouse, settings.sql_dir, settings.seeds_dir)
        build_seconds = time.perf_counter() - started
    full_rate = len(articles) / runs["full"]
    bare_rate = len(articles) / bare
    return {
        "source": str(source), "articles": len(articles), "words": words, "n_process": n_process,
        "bare": _rates(bare, len(articles), words),
        "full": _rates(runs["full"], len(articles), words),
        "rerun": _rates(runs["rerun"], len(articles), words),
        "full_over_bare": round(full_rate / bare_rate, 3),
        "build_seconds": round(build_seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_scale(source: Path, sizes: list[int], n_process: int = 1) -> list[dict]:
    """One fresh process per size, so that each peak RSS is that size's own."""
    results = []
    for size in sizes:
        command = [sys.executable, "-m", "flows.cli", "bench", "--source", str(source), "--limit", str(size),
                   "--n-process", str(n_process), "--json"]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results
