"""Shared fixtures: the spaCy pipeline and lexicons loaded once, one Prefect test harness per session,
and one pipeline run over the embedded corpus that the end-to-end tests read."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.language import Language

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")  # no Prefect client telemetry

from flows.settings import PROJECT_ROOT, Settings  # noqa: E402
from transforms.extract import ArticleText, Extraction, extract_articles  # noqa: E402
from transforms.lake import Lake  # noqa: E402
from transforms.lexicons import Lexicons, load_lexicons  # noqa: E402
from transforms.nlp import load_pipeline  # noqa: E402

SHARED = PROJECT_ROOT.parent / "shared"
# Columns that differ between any two runs by design (ids of runs, clocks, versions, where a file was read).
VOLATILE = {"run_id", "ingested_at", "extracted_at", "seen_at", "first_seen", "last_seen", "dated_at",
            "extractor_version", "origin", "first_ingested_at"}
SNAPSHOT_TABLES = {"staging": ("stg_articles", "stg_entities", "stg_relations", "stg_quotes", "stg_rejects",
                               "stg_story_links"),
                   "marts": ("country_pair_cooperation", "country_mentions", "speakers", "quote_speakers", "pair_quotes",
                             "story_members", "stories")}
SEED_ARTICLES = PROJECT_ROOT / "seeds" / "articles"
BUCKET = "newsflow-test"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def lexicons(settings: Settings) -> Lexicons:
    return load_lexicons(str(settings.seeds_dir))


@pytest.fixture(scope="session")
def nlp(settings: Settings) -> Language:
    """newsflow's spaCy pipeline, loaded once."""
    return load_pipeline(settings.spacy_model, str(settings.seeds_dir))


@pytest.fixture(scope="session")
def extract(nlp: Language, lexicons: Lexicons) -> Callable[..., Extraction]:
    """Extract rows from an inline text: ``extract("Title", "Body ...")``."""

    def run(title: str, body: str, published_at=None) -> Extraction:
        return next(extract_articles(nlp, [ArticleText("test", title, body, published_at)], lexicons))

    return run


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test harness (a temporary API) for every flow test of the session."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        # `newsflow` commands that tests start as subprocesses use the same API instead of each starting one.
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
        try:
            yield
        finally:
            os.environ.pop("PREFECT_API_URL", None)


@pytest.fixture(scope="session")
def seed_warehouse(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by the real flow from ``seeds/articles``."""
    from flows.pipeline import newsflow

    warehouse = tmp_path_factory.mktemp("warehouse")
    summary = newsflow(sources=[str(SEED_ARTICLES)], warehouse_dir=str(warehouse))
    assert summary.status == "succeeded"
    return warehouse


def warehouse_snapshot(warehouse: Path, lake: Lake | None = None) -> dict[str, list[tuple]]:
    """Every staging table and mart, without the columns that name runs or clocks, sorted: two warehouses
    built from the same input must have equal snapshots however they were built (``lake``: where a remote
    lake is, with its storage options)."""
    from transforms.warehouse import connect

    found = {}
    with connect(warehouse, read_only=True, lake=lake) as con:
        for schema, names in SNAPSHOT_TABLES.items():
            for name in names:
                columns = [r[0] for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                    "order by ordinal_position", [schema, name]).fetchall() if r[0] not in VOLATILE]
                select = ", ".join(f'"{c}"' for c in columns)
                found[f"{schema}.{name}"] = sorted(con.execute(f"select {select} from {schema}.{name}").fetchall(),
                                                   key=repr)
    return found


@pytest.fixture(scope="session")
def s3_options() -> Iterator[dict[str, str]]:
    """Storage options (fsspec's names) of a local S3 server, moto's on loopback, with one empty bucket."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        options = {"endpoint_url": f"http://{host}:{port}", "key": "testing", "secret": "testing"}
        Lake.at(f"s3://{BUCKET}", options).fs.mkdir(BUCKET)
        yield options
    finally:
        server.stop()
