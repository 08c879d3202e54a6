"""The ``newsflow`` Prefect flow: ingest -> extract (one task per batch) -> build.

Tasks pass paths, ids and counts, never spaCy objects or tables; caching is off because every task reads
and writes the lake, whose state is not in its inputs.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")  # no Prefect client telemetry

from filelock import FileLock, Timeout  # noqa: E402
from prefect import flow, get_run_logger, task  # noqa: E402 - the setting above must precede the import
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import PrefectFuture  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.tasks import exponential_backoff  # noqa: E402

from flows import progress, workers  # noqa: E402
from flows.fetch import FETCHED_DIR, FetchError, fetch_source  # noqa: E402
from flows.parsing import BoundedParser, parse_page  # noqa: E402
from flows.settings import Settings  # noqa: E402
from transforms import lake, stories, warehouse  # noqa: E402
from transforms.extract import ArticleText, extract_articles, extractor_version  # noqa: E402
from transforms.lexicons import load_lexicons  # noqa: E402
from transforms.nlp import load_pipeline, model_meta  # noqa: E402
from transforms.readers import (  # noqa: E402
    Pending,
    RawArticle,
    Reject,
    file_digest,
    iter_source_files,
    read_file,
    reader_version,
    to_article_row,
)
from transforms.schemas import TABLES  # noqa: E402
from transforms.sources import Source, from_argument, read_sources_file  # noqa: E402

LOCK_FILE = ".newsflow.lock"
FETCH_THREADS = 8


@dataclass
class RunSummary:
    """What one run saw and did."""

    run_id: str
    warehouse: str
    sources: list[str]
    lake: str = ""
    status: str = "running"
    articles_seen: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    articles_rejected: int = 0
    articles_extracted: int = 0
    articles_placed: int = 0
    story_links: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_pending: int = 0
    files_archived: int = 0
    sources_failed: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    extractor_version: str = ""
    error: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    finished_at: datetime | None = None


def _write_run(summary: RunSummary, settings: Settings) -> None:
    row = {
        "run_id": summary.run_id, "started_at": summary.started_at, "finished_at": summary.finished_at,
        "status": summary.status, "sources": summary.sources, "articles_seen": summary.articles_seen,
        "articles_new": summary.articles_new, "articles_duplicate": summary.articles_duplicate,
        "articles_rejected": summary.articles_rejected, "articles_extracted": summary.articles_extracted,
        "entities": summary.rows.get("entities", 0), "relations": summary.rows.get("relations", 0),
        "quotes": summary.rows.get("quotes", 0), "extractor_version": summary.extractor_version,
        "error": summary.error, "files_read": summary.files_read, "files_unchanged": summary.files_unchanged,
        "files_pending": summary.files_pending, "sources_failed": summary.sources_failed,
        "recorded_at": datetime.now(timezone.utc),
    }
    lake.write_part(settings.lake_at(Path(summary.warehouse)), "runs", [row], summary.run_id, summary.status)


def _archive(path: Path, root: Path, archive: Path, file_id: str) -> None:
    """Move a file that has been read into ``archive`` (keeping its path below the source folder)."""
    target = archive / (path.relative_to(root) if path.is_relative_to(root) else path.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if file_digest(target) == file_id:
            path.unlink()
            return
        target = target.with_name(f"{target.stem}-{file_id[:8]}{target.suffix}")
    shutil.move(str(path), target)


class ArticleCommits:
    """New articles written to the lake in commits of at most ``size`` rows while files are read, so that
    ingest holds one commit's rows, not a run's. A text seen earlier in the run is caught by id; one already in
    the lake by a DuckDB semi-join per commit (the lake's ids are never all loaded)."""

    def __init__(self, the_lake: lake.Lake, run_id: str, size: int) -> None:
        self.lake, self.run_id, self.size = the_lake, run_id, size
        self.rows: list[dict] = []
        self.run_ids: set[str] = set()
        self.new = self.duplicates = self.commits = 0

    def add(self, row: dict) -> None:
        """Take one article row; a full commit is written."""
        if row["article_id"] in self.run_ids:
            self.duplicates += 1
            return
        self.run_ids.add(row["article_id"])
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Write the rows taken so far that the lake does not hold yet."""
        if not self.rows:
            return
        known = lake.known_article_ids(self.lake, [row["article_id"] for row in self.rows])
        rows = [row for row in self.rows if row["article_id"] not in known]
        self.duplicates += len(self.rows) - len(rows)
        if rows:
            lake.write_part(self.lake, "articles", rows, self.run_id, f"ingest-{self.commits}")
            self.commits += 1
        self.new += len(rows)
        self.rows = []


@task(name="ingest", cache_policy=NO_CACHE)
def ingest(sources: list[Source], warehouse_dir: str, run_id: str, settings: Settings,
           settle_seconds: float = 0) -> dict:
    """Read file sources, normalise, dedupe against the lake, write new articles and rejects.

    Articles are committed to the lake as files are read, at most ``NEWSFLOW_INGEST_COMMIT_ROWS`` at a time
    (JSON Lines are streamed), so memory does not grow with the size of a source. A file whose bytes were
    already read completely (same sha256, same reader version) is skipped without parsing, so re-running over
    an unchanged corpus costs one hash per file. A file still being written (a temporary name, a size or time
    that changes while it is read, or modified less than ``settle_seconds`` ago) is left for the next run: its
    rows are kept only for the part of a big file already committed (complete records), its rejects not at
    all. Files read now or before are moved to their source's ``archive`` folder when it has one. Returns
    counts.
    """
    the_lake = settings.lake_at(Path(warehouse_dir))
    version = reader_version(settings.language, settings.max_article_chars)
    known_files = lake.read_file_ids(the_lake, version)
    now = datetime.now(timezone.utc)
    commits = ArticleCommits(the_lake, run_id, settings.ingest_commit_rows)
    rejects: list[dict] = []
    files: list[dict] = []
    to_archive: list[tuple[Path, Path, Path, str]] = []
    seen = unchanged = pending = 0
    progress.start("ingest")
    # Pages are parsed in a child process with a time limit; it starts at the first HTML file.
    with BoundedParser(settings.parse_timeout) as parser:
        page = partial(parse_page, parser)
        for source in sources:
            root = Path(source.location)
            for path in iter_source_files([root]):
                progress.advance("ingest")
                if isinstance(path, Pending):
                    pending += 1
                    continue
                if isinstance(path, Reject):
                    rejects.append(path.row(run_id, now))
                    continue
                try:
                    before = path.stat()
                except OSError:  # gone since it was listed (moved by someone else): nothing to read
                    continue
                if time.time() - before.st_mtime < settle_seconds:
                    pending += 1
                    continue
                file_id = file_digest(path)
                if file_id in known_files:
                    unchanged += 1
                    if source.archive:
                        to_archive.append((path, root, Path(source.archive), file_id))
                    continue
                file_articles = 0
                file_rows: list[dict] = []
                file_rejects: list[dict] = []
                for item in read_file(path, page):
                    if isinstance(item, RawArticle) and source.name:
                        item.source = source.name
                    row = item if isinstance(item, Reject) else to_article_row(item, run_id, now, settings.language,
                                                                               settings.max_article_chars)
                    if isinstance(row, Reject):
                        file_rejects.append(row.row(run_id, now))
                        continue
                    file_articles += 1
                    file_rows.append(row)
                    if len(file_rows) >= settings.ingest_commit_rows:  # a big file: commit as it is read
                        for taken in file_rows:
                            commits.add(taken)
                        file_rows = []
                after = path.stat() if path.exists() else None
                if after is None or (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                    pending += 1  # written to while we read it: read again next time
                    continue
                seen += file_articles
                for row in file_rows:
                    commits.add(row)
                rejects.extend(file_rejects)
                if file_id is None or source.kind == "fetched":
                    continue  # an unreadable file is a reject and is tried again; fetched files are transient
                known_files.add(file_id)
                files.append({
                    "file_id": file_id, "path": str(path.resolve()), "size_bytes": before.st_size,
                    "modified_at": datetime.fromtimestamp(before.st_mtime, timezone.utc), "reader_version": version,
                    "articles": file_articles, "rejects": len(file_rejects), "ingested_at": now, "run_id": run_id,
                })
                if source.archive:
                    to_archive.append((path, root, Path(source.archive), file_id))
    progress.finish("ingest")
    # Rejects, then the last articles, then the files as read: if the run dies before the files are recorded,
    # they are read again next time and their articles deduplicated. Files are archived only once recorded.
    lake.write_part(the_lake, "rejects", rejects, run_id, "ingest")
    commits.flush()
    lake.write_part(the_lake, "source_files", files, run_id, "ingest")
    for path, root, archive, file_id in to_archive:
        try:
            _archive(path, root if root.is_dir() else root.parent, archive, file_id)
        except OSError as error:  # the data is in the lake; the file stays and is skipped next time
            get_run_logger().warning("could not archive %s to %s: %s", path, archive, error)
    reasons: dict[str, int] = {}
    for reject in rejects:
        reasons[reject["reason"]] = reasons.get(reject["reason"], 0) + 1
    return {"seen": seen, "new": commits.new, "duplicate": commits.duplicates, "rejected": len(rejects), "reasons": reasons,
            "files_read": len(files), "files_unchanged": unchanged, "files_pending": pending,
            "files_archived": len(to_archive)}


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(article_ids: list[str], batch_number: int, warehouse_dir: str, run_id: str,
                  settings: Settings) -> dict[str, int]:
    """Extract one batch of articles and write its entities, relations and quotes, then its extraction marks.

    The batch is read and written where the task runs (this process, or a Dask worker); the extraction itself
    runs in an extraction process when the run has a pool of them (``--n-process``). Those are forked, and
    delta-rs is not safe to use in a process forked after it started its runtime, so they never touch the lake.
    """
    the_lake = settings.lake_at(Path(warehouse_dir))
    articles = list(lake.read_articles(the_lake, article_ids))
    tables, marks = workers.run_in_pool(extract_rows, articles, run_id, settings)
    part = f"batch{batch_number:05d}"
    for table, rows in tables.items():
        lake.write_part(the_lake, table, rows, run_id, part)
    # Written last: an extraction counts only once all its rows are in the lake.
    lake.write_part(the_lake, "extractions", marks, run_id, part)
    return {"articles": len(marks), **{table: len(rows) for table, rows in tables.items()}}


def extract_rows(articles: list[ArticleText], run_id: str, settings: Settings
                 ) -> tuple[dict[str, list[dict]], list[dict]]:
    """The entity, relation and quote rows of a batch of articles, and its extraction marks.

    The model is loaded once per process (cached), so a process pays for it on its first batch only.
    """
    nlp = load_pipeline(settings.spacy_model, str(settings.seeds_dir))
    lexicons = load_lexicons(str(settings.seeds_dir))
    version = extractor_version(nlp.meta, lexicons)
    tables: dict[str, list[dict]] = {"entities": [], "relations": [], "quotes": []}
    marks = []
    now = datetime.now(timezone.utc)
    for extraction in extract_articles(nlp, articles, lexicons, settings.nlp_batch_size):
        progress.advance("extract")  # a no-op in worker processes, where no reporter is installed
        for table in tables:
            rows = getattr(extraction, table)
            for row in rows:
                row["extractor_version"] = version
                row["run_id"] = run_id
            tables[table].extend(rows)
        marks.append({
            "article_id": extraction.article_id, "extractor_version": version, "run_id": run_id,
            "extracted_at": now, "entities": len(extraction.entities), "relations": len(extraction.relations),
            "quotes": len(extraction.quotes),
        })
    return tables, marks


@task(name="find-stories", cache_policy=NO_CACHE)
def find_stories(warehouse_dir: str, run_id: str, settings: Settings) -> dict[str, int]:
    """Place the lake's articles that no story has placed yet (``transforms.stories``), in chunks of
    ``NEWSFLOW_BATCH_SIZE``: each chunk is compared with itself and, through the lake's LSH index, with every
    article placed before, and its links are written before its signatures (which mark it placed). A crash
    between the two places the chunk again; staging reads each link once."""
    the_lake = settings.lake_at(Path(warehouse_dir))
    parameters = settings.story_parameters
    pending = lake.unplaced_article_ids(the_lake, parameters.version)
    now = datetime.now(timezone.utc)
    found = 0
    for number, start in enumerate(range(0, len(pending), settings.batch_size)):
        found += place_in_stories(the_lake, pending[start:start + settings.batch_size], parameters, run_id,
                                  f"stories{number:05d}", now)
    return {"articles": len(pending), "links": found}


def place_in_stories(the_lake: lake.Lake, article_ids: list[str], parameters: stories.StoryParameters,
                     run_id: str, part: str, now: datetime) -> int:
    """Compare these articles with each other and with the articles already placed, write the story links
    found, then their signatures. Only the chunk's articles and the candidates' texts are read. Returns the
    number of links."""
    articles = {article.article_id: article for article in lake.read_articles(the_lake, article_ids)}
    prints = {article_id: stories.fingerprint(stories.article_text(article.title, article.body), parameters)
              for article_id, article in articles.items()}
    pairs = stories.candidates_within(prints)
    pairs |= lake.story_candidates(the_lake, {article_id: print_.bands for article_id, print_ in prints.items()},
                                   parameters.version)
    for article in lake.read_articles(the_lake, sorted({other for _, other in pairs} - set(articles))):
        articles[article.article_id] = article
        prints[article.article_id] = stories.fingerprint(stories.article_text(article.title, article.body),
                                                         parameters)
    rows = stories.links(pairs, articles, prints, parameters)
    for row in rows:
        row["story_version"], row["run_id"] = parameters.version, run_id
    lake.write_part(the_lake, "story_links", rows, run_id, part)
    # Written last: an article counts as placed only once its links are in the lake.
    signatures = [{"article_id": article_id, "story_version": parameters.version, "bands": list(prints[article_id].bands),
                   "shingles": len(prints[article_id].shingles), "found_at": now, "run_id": run_id}
                  for article_id in article_ids if article_id in prints]
    lake.write_part(the_lake, "story_signatures", signatures, run_id, part)
    return len(rows)


@task(name="maintain-lake", cache_policy=NO_CACHE)
def maintain_lake(warehouse_dir: str, settings: Settings, force: bool = False) -> list[lake.Maintenance]:
    """Compact every lake table with ``NEWSFLOW_COMPACT_MIN_FILES`` small data files (every table with two
    or more with ``force``), then vacuum what compaction replaced ``NEWSFLOW_VACUUM_RETENTION_HOURS`` ago. A
    run killed here loses nothing: each compaction is one commit."""
    the_lake = settings.lake_at(Path(warehouse_dir))
    return [lake.maintain(the_lake, table, settings.compact_min_files, settings.compact_target_mb << 20,
                          settings.vacuum_retention_hours, force) for table in TABLES]


def maintain_warehouse(warehouse_dir: str, settings: Settings) -> tuple[dict[str, int], list[lake.Maintenance]]:
    """``newsflow maintain``: with the warehouse's run lock held, migrate a lake of the earlier layout, compact
    every table with small files and vacuum, then rebuild (the views name the compacted files). Returns the
    rows migrated per table and what maintenance did."""
    warehouse_path = Path(warehouse_dir).resolve()
    lock = FileLock(warehouse_path / LOCK_FILE)
    try:
        lock.acquire(timeout=settings.lock_timeout)
    except Timeout as error:
        raise WarehouseBusy(f"a newsflow run is using {warehouse_path} (lock file {lock.lock_file}); waited "
                            f"{settings.lock_timeout:.0f} s") from error
    try:
        migrated = lake.migrate_lake(settings.lake_at(warehouse_path))
        done = maintain_lake.fn(str(warehouse_path), settings, force=True)
        warehouse.build(warehouse_path, settings.sql_dir, settings.seeds_dir, settings.lake_at(warehouse_path))
        return migrated, done
    finally:
        lock.release()


@task(name="build", cache_policy=NO_CACHE)
def build(warehouse_dir: str, settings: Settings) -> dict:
    """Build the DuckDB warehouse from the lake and export the marts."""
    result = warehouse.build(Path(warehouse_dir), settings.sql_dir, settings.seeds_dir,
                             settings.lake_at(Path(warehouse_dir)))
    return {"models": len(result.models), "tests": len(result.tests), "marts": result.marts,
            "versions": result.versions, "seconds": result.seconds}


def pending_articles(the_lake: lake.Lake, version: str) -> list[str]:
    """Articles in the lake not yet extracted with ``version``, in a stable order."""
    return lake.pending_article_ids(the_lake, version)


def expects_extraction(sources: list[str] | None, warehouse_dir: str, settings: Settings,
                       full_refresh: bool = False, sources_file: str | None = None) -> bool:
    """Cheaply, before a run: will it extract anything? True when a source is remote, a source file's bytes
    were not read before, or lake articles await extraction. (The CLI then loads the model while Prefect's
    server starts; a run with nothing new never loads it.)"""
    the_lake = settings.lake_at(Path(warehouse_dir))
    specs = [from_argument(value) for value in sources or []] or [from_argument(str(settings.default_source))]
    if full_refresh or sources_file or any(spec.needs_fetch for spec in specs):
        return True
    known = lake.read_file_ids(the_lake, reader_version(settings.language, settings.max_article_chars))
    for spec in specs:
        for path in iter_source_files([Path(spec.location)]):
            if isinstance(path, Path) and file_digest(path) not in known:
                return True
    version = extractor_version(model_meta(settings.spacy_model), load_lexicons(str(settings.seeds_dir)))
    return bool(pending_articles(the_lake, version))


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@flow(name="newsflow", log_prints=False)
def newsflow(sources: list[str] | None = None, warehouse_dir: str | None = None, batch_size: int | None = None,
             full_refresh: bool = False, workers: int = 1, sources_file: str | None = None,
             archive_dir: str | None = None, settle_seconds: float | None = None, lake_url: str | None = None
             ) -> RunSummary:
    """Turn raw articles into the warehouse: fetch remote sources, ingest, extract in batches, build.

    ``sources`` are paths (files or folders) and http(s) URLs (feeds or pages); ``sources_file`` lists named
    sources (see ``transforms.sources``); with neither, the embedded sample corpus is read. ``archive_dir``
    receives the files of path sources once they are read (a landing folder's processed files), and
    ``settle_seconds`` leaves files modified more recently than that for the next run. ``lake_url`` puts the
    Parquet lake elsewhere than ``<warehouse>/lake`` (a folder or an fsspec URL such as ``s3://bucket/lake``;
    default: ``NEWSFLOW_LAKE``); the DuckDB file, the marts and the run lock stay in the warehouse folder.

    One run at a time per warehouse: a second run waits up to ``NEWSFLOW_LOCK_TIMEOUT`` seconds for the first.
    ``full_refresh`` re-extracts every article (staging then reads only the new extraction).
    ``workers`` > 1 submits the extraction batches at once to the flow's task runner, in at least ``workers``
    batches; give the flow a runner that runs them in parallel (``with_runner``: a process pool or Dask).
    With 1 they run one after another in this process.
    """
    settings = Settings()
    if lake_url or settings.lake:  # made absolute here, so that every task and worker means the same folder
        settings = settings.model_copy(update={"lake": lake.Lake.at(lake_url or settings.lake).url})
    specs = [from_argument(value, archive_dir) for value in sources or []]
    if sources_file:
        specs += read_sources_file(Path(sources_file))
    if not specs:
        specs = [from_argument(str(settings.default_source), archive_dir)]
    warehouse_path = Path(warehouse_dir or settings.warehouse).resolve()
    warehouse_path.mkdir(parents=True, exist_ok=True)
    lock = FileLock(warehouse_path / LOCK_FILE)
    try:
        lock.acquire(timeout=settings.lock_timeout)
    except Timeout as error:
        raise WarehouseBusy(
            f"another newsflow run is using {warehouse_path} (lock file {lock.lock_file}); waited "
            f"{settings.lock_timeout:.0f} s. Let it finish, or set NEWSFLOW_LOCK_TIMEOUT to wait longer."
        ) from error
    try:
        summary = RunSummary(run_id=lake.new_run_id(), warehouse=str(warehouse_path),
                             sources=[spec.location for spec in specs], lake=settings.lake_at(warehouse_path).url)
        settle = settings.settle_seconds if settle_seconds is None else settle_seconds
        return _run(summary, specs, settings, batch_size or settings.batch_size, full_refresh, max(1, workers), settle)
    finally:
        lock.release()


def fetch_remote(specs: list[Source], summary: RunSummary, settings: Settings) -> list[Source]:
    """Fetch every remote source at once (with retries and backoff); the fetched files to ingest.

    A source that still fails after its retries is recorded: a reject with its URL and the error, and its
    name in ``summary.sources_failed``; the run goes on with the others.

    Fetches run in threads of this process whatever the flow's task runner is: they wait on the network, and
    the files they write are for this process's ingest, which a Dask worker on another machine could not see.
    """
    fetcher = fetch_source.with_options(retries=settings.fetch_retries,
                                        retry_delay_seconds=exponential_backoff(backoff_factor=settings.fetch_backoff))
    with ThreadPoolTaskRunner(max_workers=min(len(specs), FETCH_THREADS)) as runner:
        futures = [(spec, runner.submit(fetcher, {"source": spec, "warehouse_dir": summary.warehouse,
                                                  "run_id": summary.run_id, "settings": settings}))
                   for spec in specs]
        return _collect_fetches(futures, summary, settings)


def _collect_fetches(futures: list[tuple[Source, PrefectFuture]], summary: RunSummary,
                     settings: Settings) -> list[Source]:
    """Wait for each fetch; the fetched files, with failed sources recorded in ``summary`` and ``rejects``."""
    logger = get_run_logger()
    fetched: list[Source] = []
    failures: list[dict] = []
    now = datetime.now(timezone.utc)
    for spec, future in futures:
        label = spec.name or spec.location
        try:
            result = future.result()
        except Exception as error:  # retries exhausted on a passing failure
            reason = error.reason if isinstance(error, FetchError) else "fetch_failed"
            failure = Reject(spec.location, reason, f"failed after {settings.fetch_retries} retries: {error}")
            failures.append(failure.row(summary.run_id, now))
            summary.sources_failed.append(label)
            logger.warning("source %s failed: %s", label, error)
            continue
        if result["error"]:
            summary.sources_failed.append(label)
            logger.warning("source %s failed: %s", label, result["error"])
        if result["path"]:
            fetched.append(Source("fetched", result["path"]))
        logger.info("fetched %s: %d articles, %d entries already known, %d rejects", label, result["articles"],
                    result["known_entries"], result["rejects"])
    lake.write_part(settings.lake_at(Path(summary.warehouse)), "rejects", failures, summary.run_id, "fetch-failed")
    return fetched


def plan_batches(pending: list[str], size: int, workers: int) -> list[list[str]]:
    """Split pending article ids into batches of at most ``size``, and into at least ``workers`` batches when
    there are that many articles, so that no worker idles while another has two batches' work."""
    if workers > 1 and pending:
        size = min(size, -(-len(pending) // workers))
    return [pending[start:start + size] for start in range(0, len(pending), size)]


def _run(summary: RunSummary, specs: list[Source], settings: Settings, size: int, full_refresh: bool, workers: int,
         settle_seconds: float) -> RunSummary:
    logger = get_run_logger()
    warehouse_path = Path(summary.warehouse)
    the_lake = settings.lake_at(warehouse_path)
    migrated = lake.migrate_lake(the_lake)  # a lake of earlier versions' Parquet parts, once
    if migrated:
        logger.info("lake migrated to Delta Lake tables: %s rows", migrated)
    _write_run(summary, settings)
    try:
        remote = [spec for spec in specs if spec.needs_fetch]
        fetched = fetch_remote(remote, summary, settings) if remote else []
        local = [spec for spec in specs if not spec.needs_fetch]
        counts = ingest(local + fetched, str(warehouse_path), summary.run_id, settings, settle_seconds)
        # The fetched files' articles are in the lake now (a crash before this line fetches them again).
        shutil.rmtree(warehouse_path / FETCHED_DIR / summary.run_id, ignore_errors=True)
        summary.articles_seen, summary.articles_new = counts["seen"], counts["new"]
        summary.articles_duplicate, summary.articles_rejected = counts["duplicate"], counts["rejected"]
        summary.rejects_by_reason = counts["reasons"]
        summary.files_read, summary.files_unchanged = counts["files_read"], counts["files_unchanged"]
        summary.files_pending, summary.files_archived = counts["files_pending"], counts["files_archived"]
        logger.info("ingest: %(files_read)d files read, %(files_unchanged)d unchanged since an earlier run, "
                    "%(files_pending)d still being written, %(files_archived)d archived; %(seen)d articles seen, "
                    "%(new)d new, %(duplicate)d already known, %(rejected)d rejected", counts)
        placed = find_stories(str(warehouse_path), summary.run_id, settings)
        summary.articles_placed, summary.story_links = placed["articles"], placed["links"]
        logger.info("stories: %(articles)d articles placed, %(links)d links to reports of the same story", placed)
        summary.extractor_version = extractor_version(model_meta(settings.spacy_model), load_lexicons(str(settings.seeds_dir)))
        pending = (sorted(lake.article_ids(the_lake)) if full_refresh
                   else pending_articles(the_lake, summary.extractor_version))
        batches = plan_batches(pending, size, workers)
        arguments = [(ids, number, str(warehouse_path), summary.run_id, settings) for number, ids in enumerate(batches)]
        progress.start("extract", len(pending))
        if workers > 1:
            # Each batch is one task; it runs in an extraction process (--n-process) or on a Dask worker, each of
            # which holds the model once.
            futures = [extract_batch.submit(*args) for args in arguments]
            results = []
            for future, args in zip(futures, arguments, strict=True):
                results.append(future.result())
                progress.advance("extract", len(args[0]))
        else:
            results = [extract_batch(*args) for args in arguments]
        progress.finish("extract")
        totals = {"entities": 0, "relations": 0, "quotes": 0}
        for result in results:
            summary.articles_extracted += result["articles"]
            for table in totals:
                totals[table] += result[table]
        summary.rows = totals
        logger.info("extract: %d articles in %d batches", summary.articles_extracted, len(batches))
        summary.status = "succeeded"
        summary.finished_at = datetime.now(timezone.utc)
        _write_run(summary, settings)
        compacted = [done.table for done in maintain_lake(str(warehouse_path), settings) if done.compacted]
        if compacted:
            logger.info("lake: compacted %s", ", ".join(compacted))
        built = build(str(warehouse_path), settings)
        logger.info("build: %d models, %d data tests passed, marts %s", built["models"], built["tests"], built["marts"])
        logger.info("articles by extractor version of their current extraction: %s", built["versions"])
    except Exception as error:
        summary.status, summary.error = "failed", f"{type(error).__name__}: {error}"
        summary.finished_at = datetime.now(timezone.utc)
        _write_run(summary, settings)
        raise
    return summary


def with_runner(runner: str = "local", n_process: int = 1, dask_address: str | None = None, dask_workers: int = 2):
    """The flow and how many batches to run at once, for a task runner:

    - ``local``: batches in this process (``n_process`` 1) or in a pool of ``n_process`` extraction processes
      (``flows.workers``; the flow's tasks run in threads that hand each batch to the pool), each parsing and
      extracting whole batches;
    - ``dask``: a Dask cluster at ``dask_address``, or a local cluster of ``dask_workers`` single-threaded
      worker processes started for the run (prefect-dask).

    Returns ``(flow, workers)``; call ``flow(..., workers=workers)``.
    """
    if runner == "local":
        if n_process <= 1:
            return newsflow, 1
        threaded = newsflow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=n_process))

        def in_pool(**parameters: object) -> RunSummary:
            settings = Settings()
            # Reuses the pool the CLI opened before Prefect started (see flows.workers), or opens one.
            with workers.extraction_pool(n_process, settings.spacy_model, str(settings.seeds_dir)):
                return threaded(**parameters)

        return in_pool, n_process
    if runner != "dask":
        raise ValueError(f"unknown runner {runner!r}: use local or dask")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        # The cluster's size is not known here; enough batches to spread, each still hundreds of articles.
        return newsflow.with_options(task_runner=DaskTaskRunner(address=dask_address)), max(2, dask_workers)
    task_runner = DaskTaskRunner(cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1,
                                                 "processes": True, "dashboard_address": None})
    return newsflow.with_options(task_runner=task_runner), dask_workers
