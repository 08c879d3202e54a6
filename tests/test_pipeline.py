"""End to end: the real flow over seeds/articles, checked against the seed article's gold annotation."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import SEED_ARTICLES, SHARED
from transforms.lake import Lake, table_files
from transforms.normalise import normalise_body, normalise_title
from transforms.warehouse import DATABASE_FILE

SEED_ID = "000_05071c58993a93ed"
SEED_GOLD = SHARED / "seeds" / "seed_gold.json"


def _query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse / DATABASE_FILE), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def seed_article_id(seed_warehouse: Path) -> str:
    rows = _query(seed_warehouse, "select article_id from staging.stg_articles where external_id = ?", [SEED_ID])
    assert len(rows) == 1
    return rows[0][0]


@pytest.fixture(scope="module")
def gold() -> dict:
    if not SEED_GOLD.exists():
        pytest.skip(f"{SEED_GOLD} is not present (it lives in ../shared)")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def test_all_sample_articles_land(seed_warehouse: Path):
    files = sorted(p.stem for p in SEED_ARTICLES.glob("*.txt"))
    assert len(files) >= 13
    ids = {r[0] for r in _query(seed_warehouse, "select external_id from staging.stg_articles")}
    assert ids == set(files)
    assert _query(seed_warehouse, "select count(*) from staging.stg_rejects")[0][0] == 0


def test_seed_relations_match_gold(seed_warehouse: Path, seed_article_id: str, gold: dict):
    rows = _query(seed_warehouse, "select country_a, country_b, polarity, sentence from staging.stg_relations "
                  "where article_id = ?", [seed_article_id])
    expected = {(r["a"], r["b"], r["polarity"]) for r in gold["relations"]}
    assert {(a, b, p) for a, b, p, _ in rows} == expected
    sentences = {s for a, b, p, s in rows if (a, b) == ("ARM", "KAZ")}
    assert len(sentences) >= 3
    assert any(s.startswith("Nur-Sultan and Yerevan") for s in sentences)
    assert any("our closest partner" in s for s in sentences)
    assert not any("IRN" in (a, b) for a, b, _, _ in rows)


def test_seed_entities_resolve_countries(seed_warehouse: Path, seed_article_id: str, gold: dict):
    rows = dict(_query(seed_warehouse, "select text, any_value(country_code) from staging.stg_entities "
                       "where article_id = ? group by text", [seed_article_id]))
    expected = {"Kazakhstan": "KAZ", "Armenia": "ARM", "Iran": "IRN", "Kazakh": "KAZ", "Armenian": "ARM",
                "Nur-Sultan": "KAZ", "Yerevan": "ARM"}
    assert {text: rows.get(text) for text in expected} == expected
    codes = {r[0] for r in _query(seed_warehouse, "select distinct country_code from staging.stg_entities "
                                  "where article_id = ? and country_code is not null", [seed_article_id])}
    assert codes == set(gold["countries"])


def test_seed_quotes_and_speakers(seed_warehouse: Path, seed_article_id: str, gold: dict):
    rows = _query(seed_warehouse, "select kind, text, speaker_name, speaker_role, speaker_country, start, \"end\" "
                  "from staging.stg_quotes where article_id = ?", [seed_article_id])
    direct = {r[2]: r for r in rows if r[0] == "direct"}
    for quote in (q for q in gold["quotes"] if q["kind"] == "direct"):
        found = direct[quote["speaker_name"]]
        assert found[1].rstrip(",") == quote["text"].rstrip(",")
        assert (found[3], found[4]) == (quote["speaker_role"], quote["speaker_country"])
    indirect_gold = [q for q in gold["quotes"] if q["kind"] == "indirect"]
    indirect = [r for r in rows if r[0] == "indirect"]
    matched = [q for q in indirect_gold if any(r[1] == q["text"] and r[2] == q["speaker_name"] for r in indirect)]
    assert len(matched) >= 3
    # Offsets point into title + "\n\n" + body.
    raw = (SEED_ARTICLES / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    title, body = raw.split("\n", 1)
    text = f"{normalise_title(title)}\n\n{normalise_body(body)}"
    assert all(text[start:end] == quote_text for _, quote_text, _, _, _, start, end in rows)


def test_marts_exported_for_bi_tools(seed_warehouse: Path):
    import pandas as pd

    folder = seed_warehouse / "marts"
    marts = {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert marts == {"country_pair_cooperation", "country_mentions", "speakers", "quote_speakers", "pair_quotes",
                     "stories", "story_members"}
    for mart in marts:
        # pyarrow, DuckDB and pandas read a mart folder without options, with the same columns and rows.
        arrow = pq.read_table(folder / mart)
        with duckdb.connect() as con:
            duck = con.sql(f"select * from read_parquet('{folder / mart}/*.parquet')").to_arrow_table()
        frame = pd.read_parquet(folder / mart)
        warehouse_rows = _query(seed_warehouse, f"select count(*) from marts.{mart}")[0][0]
        assert arrow.num_rows == duck.num_rows == len(frame) == warehouse_rows > 0
        assert arrow.schema.names == duck.schema.names == list(frame.columns)
        assert arrow.schema.types == duck.schema.types
    # Marts that grow with time have one file per month, each holding that month only.
    for path in (folder / "country_pair_cooperation").glob("*.parquet"):
        months = {row["month"].strftime("%Y-%m") for row in pq.read_table(path).to_pylist()}
        assert months == {path.stem}
    assert [p.name for p in (folder / "speakers").iterdir()] == ["speakers.parquet"]
    pairs = pq.read_table(folder / "country_pair_cooperation").to_pylist()
    arm_kaz = [r for r in pairs if (r["country_a"], r["country_b"]) == ("ARM", "KAZ")]
    assert arm_kaz and arm_kaz[0]["cooperation_mentions"] >= 3 and arm_kaz[0]["conflict_mentions"] == 0
    # Cooperation scores above zero on the Goldstein scale; the sums add up to the rows' values.
    assert arm_kaz[0]["goldstein_sum"] > 0 and 0 < arm_kaz[0]["goldstein_mean"] <= 10
    rows = _query(seed_warehouse, "select count(*), sum(goldstein) from staging.stg_relations "
                  "where country_a = 'ARM' and country_b = 'KAZ' and confidence >= 0.5")[0]
    assert sum(float(r["goldstein_sum"]) for r in arm_kaz) == float(rows[1])


def test_pair_quotes_join_speakers_to_relations(seed_warehouse: Path, seed_article_id: str):
    rows = _query(seed_warehouse, "select country_a, country_b, polarity, speaker_name, speaker_country "
                  "from marts.pair_quotes where article_id = ?", [seed_article_id])
    assert ("ARM", "KAZ", "cooperation", "Timur Urazayev", "KAZ") in rows


def test_every_sample_article_is_its_own_story_and_story_counts_equal_article_counts(seed_warehouse: Path):
    # The sample corpus holds no report sent twice: stories add columns and change no count.
    members = _query(seed_warehouse, "select count(*), count(*) filter (where is_first_report and story_articles = 1) "
                     "from marts.story_members")
    assert members[0][0] == members[0][1] == _query(seed_warehouse, "select count(*) from staging.stg_articles")[0][0]
    pairs = _query(seed_warehouse, "select cooperation_articles, cooperation_stories, conflict_articles, conflict_stories "
                   "from marts.country_pair_cooperation")
    assert pairs and all(row[0] == row[1] and row[2] == row[3] for row in pairs)
    speakers = _query(seed_warehouse, "select count(*) filter (where articles <> stories) from marts.speakers")
    assert speakers[0][0] == 0
    assert _query(seed_warehouse, "select count(*) filter (where is_story_repeat) from marts.pair_quotes")[0][0] == 0


def test_sample_corpus_covers_conflict_and_traps(seed_warehouse: Path):
    polarities = {r[0] for r in _query(seed_warehouse, "select distinct polarity from staging.stg_relations")}
    assert polarities == {"cooperation", "conflict"}
    # The grain market article only co-mentions countries; the negated-talks article has no RUS-UKR talks.
    grain = _query(seed_warehouse, "select count(*) from staging.stg_relations join staging.stg_articles using (article_id) "
                   "where external_id = '004_grain_markets_comention'")
    assert grain[0][0] == 0
    talks = _query(seed_warehouse, "select count(*) from staging.stg_relations join staging.stg_articles using (article_id) "
                   "where external_id = '006_russia_ukraine_talks_negated' and relation_type = 'CONSULT'")
    assert talks[0][0] == 0


def test_rerun_adds_nothing(seed_warehouse: Path, monkeypatch):
    import flows.pipeline
    from flows.pipeline import newsflow

    def no_model(*args: object) -> None:
        raise AssertionError("a re-run with nothing new must not load the spaCy model")

    monkeypatch.setattr(flows.pipeline, "load_pipeline", no_model)

    tables = ("articles", "entities", "relations", "quotes", "extractions", "rejects", "source_files")
    before = {t: len(table_files(Lake.of_warehouse(seed_warehouse), t)) for t in tables}
    counts = _query(seed_warehouse, "select (select count(*) from staging.stg_articles), (select count(*) from staging.stg_entities)")
    summary = newsflow(sources=[str(SEED_ARTICLES)], warehouse_dir=str(seed_warehouse))
    assert summary.articles_new == 0 and summary.articles_extracted == 0
    # Every file is unchanged since the first run, so none is even parsed.
    assert summary.files_unchanged == len(list(SEED_ARTICLES.glob("*.txt"))) and summary.files_read == 0
    assert summary.articles_seen == 0
    assert _query(seed_warehouse, "select (select count(*) from staging.stg_articles), (select count(*) from staging.stg_entities)") == counts
    # Nothing new: no file is added to the lake but the run's own rows and its rejects.
    assert {t: len(table_files(Lake.of_warehouse(seed_warehouse), t)) for t in tables} == before
    statuses = _query(seed_warehouse, "select status from staging.stg_runs")
    assert [s for (s,) in statuses] == ["succeeded", "succeeded"]


def test_changed_file_is_read_again_and_unchanged_one_is_not(prefect_harness: None, tmp_path: Path):
    from flows.pipeline import newsflow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, second = sorted(SEED_ARTICLES.glob("*.txt"))[:2]
    (inbox / first.name).write_bytes(first.read_bytes())
    (inbox / second.name).write_bytes(second.read_bytes())
    warehouse = tmp_path / "warehouse"
    summary = newsflow(sources=[str(inbox)], warehouse_dir=str(warehouse))
    assert (summary.files_read, summary.files_unchanged, summary.articles_new) == (2, 0, 2)
    with (inbox / second.name).open("a", encoding="utf-8") as handle:
        handle.write("\n\nA paragraph added by a later edition of the story.\n")
    # The same bytes under another name are known content: not read again.
    (inbox / f"copy-of-{first.name}").write_bytes(first.read_bytes())
    summary = newsflow(sources=[str(inbox)], warehouse_dir=str(warehouse))
    assert (summary.files_read, summary.files_unchanged, summary.articles_new) == (1, 2, 1)
    assert _query(warehouse, "select count(*) from staging.stg_source_files") == [(3,)]


def test_a_lake_folder_outside_the_warehouse_is_made_absolute_and_used(prefect_harness: None, tmp_path: Path,
                                                                        monkeypatch):
    from flows.pipeline import newsflow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = sorted(SEED_ARTICLES.glob("*.txt"))[0]
    (inbox / first.name).write_bytes(first.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSFLOW_LAKE", "shared/lake")  # relative: to the folder the run starts in
    summary = newsflow(sources=[str(inbox)], warehouse_dir=str(tmp_path / "warehouse"))
    assert summary.status == "succeeded" and summary.articles_extracted == 1
    assert summary.lake == str(tmp_path / "shared" / "lake")
    assert len(table_files(Lake.at(tmp_path / "shared" / "lake"), "extractions")) == 1
    assert not (tmp_path / "warehouse" / "lake").exists()
    assert _query(tmp_path / "warehouse", "select count(*) from staging.stg_articles") == [(1,)]


def test_full_refresh_replaces_the_extraction(seed_warehouse: Path):
    from flows.pipeline import newsflow

    count_sql = "select (select count(*) from staging.stg_entities), (select count(*) from staging.stg_quotes)"
    before = _query(seed_warehouse, count_sql)
    summary = newsflow(sources=[str(SEED_ARTICLES)], warehouse_dir=str(seed_warehouse), full_refresh=True)
    articles = _query(seed_warehouse, "select count(*) from staging.stg_articles")[0][0]
    assert summary.articles_new == 0 and summary.articles_extracted == articles
    # Every article now reads from the new run's extraction, and nothing is counted twice.
    assert _query(seed_warehouse, count_sql) == before
    runs = _query(seed_warehouse, "select count(distinct run_id) from staging.stg_entities")
    assert runs == [(1,)]


def test_a_second_run_on_a_busy_warehouse_says_so(prefect_harness: None, tmp_path: Path, monkeypatch):
    from filelock import FileLock

    from flows.pipeline import LOCK_FILE, WarehouseBusy, newsflow

    monkeypatch.setenv("NEWSFLOW_LOCK_TIMEOUT", "0.2")
    with FileLock(tmp_path / LOCK_FILE):
        with pytest.raises(WarehouseBusy, match="another newsflow run is using"):
            newsflow(sources=[str(SEED_ARTICLES)], warehouse_dir=str(tmp_path))
    assert not table_files(Lake.of_warehouse(tmp_path), "articles")


def test_sql_command_is_read_only(seed_warehouse: Path):
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["sql", "--warehouse", str(seed_warehouse), "select count(*) as n from marts.speakers"])
    assert result.exit_code == 0, result.output
    assert "n" in result.output
    result = runner.invoke(app, ["sql", "--warehouse", str(seed_warehouse), "create table marts.x as select 1"])
    assert result.exit_code != 0 and "read-only" in result.output.lower()


def test_cli_exit_codes_and_duplicates_within_a_run(prefect_harness: None, tmp_path: Path):
    from typer.testing import CliRunner

    from flows.cli import app

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Japan and Korea Hold Talks\n\nJapan and South Korea held talks in Seoul on Monday.")
    (source / "b.jsonl").write_text(json.dumps({"id": "b", "title": "Japan and Korea Hold Talks",
                                                "body": "Japan and South Korea held talks in Seoul on Monday."}) + "\n")
    (source / "broken.json").write_text("{not json")
    warehouse = tmp_path / "warehouse"
    result = CliRunner().invoke(app, ["run", "--source", str(source), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "invalid_json: 1" in result.output
    runs = _query(warehouse, "select articles_seen, articles_new, articles_duplicate, articles_rejected, status "
                  "from staging.stg_runs")
    assert runs == [(2, 1, 1, 1, "succeeded")]
    # A usage mistake is one clear line and exit 2; a run that fails is exit 1 and says why.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    result = CliRunner().invoke(app, ["run", "--source", str(source), "--warehouse", str(blocked)])
    assert result.exit_code == 2 and "is a file" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["run", "--source", str(source), "--warehouse", str(warehouse)],
                                env={"NEWSFLOW_SPACY_MODEL": "no_such_model_package"})
    assert result.exit_code == 1 and "run failed" in result.output and "no_such_model_package" in result.output
