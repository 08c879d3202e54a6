"""Stories: unit tests of the rules on inline texts, and the flow's placement run by run against one run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from transforms import lake, stories, warehouse
from transforms.extract import ArticleText
from transforms.stories import StoryParameters

REPORT = ("The finance ministers of the two countries agreed on Tuesday to set up a joint fund of 400 million "
          "dollars for road and rail links across their shared border, officials said after the talks in the "
          "capital. The fund will be run by a board of six members and will start lending next year, the "
          "ministers said in a joint statement. Trade between the neighbours has doubled in five years.")
UPDATE = REPORT + (" Business groups on both sides welcomed the plan, saying that the crossings at the border "
                   "were slow and that the new links would cut the cost of moving goods by a third.")
DAY = datetime(2024, 3, 5, 9, tzinfo=timezone.utc)
PARAMETERS = StoryParameters()


def article(article_id: str, title: str, body: str, published_at: datetime | None = DAY) -> ArticleText:
    return ArticleText(article_id, title, body, published_at)


def place(articles: list[ArticleText], parameters: StoryParameters = PARAMETERS) -> dict[str, str]:
    """Story ids of the articles, placed in one chunk as the flow does."""
    by_id = {a.article_id: a for a in articles}
    prints = {a.article_id: stories.fingerprint(stories.article_text(a.title, a.body), parameters) for a in articles}
    rows = stories.links(stories.candidates_within(prints), by_id, prints, parameters)
    return stories.group_stories(by_id, rows)


def test_shingles_are_word_five_grams_of_the_lowercased_text():
    assert len(stories.shingles("one two three four five six")) == 2
    assert stories.shingles("One, two! THREE four five") == stories.shingles("one two three four five")
    assert len(stories.shingles("too short")) == 1
    assert stories.shingles("  ... ") == frozenset()


def test_fingerprints_are_the_same_in_every_call_and_similar_texts_share_bands():
    first = stories.fingerprint(REPORT, PARAMETERS)
    assert first == stories.fingerprint(REPORT, PARAMETERS)
    bands, _ = PARAMETERS.bands
    assert len(first.bands) == bands
    assert set(first.bands) & set(stories.fingerprint(UPDATE, PARAMETERS).bands)
    unrelated = stories.fingerprint("A storm closed the airport and cancelled every flight on Monday.", PARAMETERS)
    assert not set(first.bands) & set(unrelated.bands)


def test_a_repeat_an_update_and_a_new_headline_are_one_story_named_by_the_first_report():
    articles = [
        article("c-update", "Neighbours agree border fund, business welcomes it", UPDATE, DAY + timedelta(hours=5)),
        article("a-first", "Neighbours agree 400 mln dlr border fund", REPORT, DAY),
        article("b-repeat", "(RPT) Neighbours agree 400 mln dlr border fund", REPORT, DAY + timedelta(hours=1)),
        article("d-other", "Storm closes airport", "A storm closed the airport and cancelled every flight on Monday, "
                "and thousands of travellers slept in the terminal while crews cleared the runways of snow.", DAY),
    ]
    story = place(articles)
    assert story == {"a-first": "a-first", "b-repeat": "a-first", "c-update": "a-first", "d-other": "d-other"}


def test_the_same_words_weeks_apart_or_under_other_headline_figures_are_different_stories():
    template = REPORT.replace("400 million", "250 million")
    weeks_later = [article("a", "Border fund agreed", REPORT, DAY),
                   article("b", "Border fund agreed", template, DAY + timedelta(days=21))]
    assert len(set(place(weeks_later).values())) == 2
    other_figures = [article("a", "Money supply fell 430 mln dlrs", REPORT, DAY),
                     article("b", "Money supply rose 217 mln dlrs", REPORT, DAY)]
    assert len(set(place(other_figures).values())) == 2
    # A headline that only drops a figure is the same report.
    fewer_figures = [article("a", "Fund of 400 mln dlrs agreed on March 5", REPORT, DAY),
                     article("b", "Fund of 400 mln dlrs agreed", REPORT, DAY)]
    assert len(set(place(fewer_figures).values())) == 1
    # Undated articles are compared by their words alone.
    undated = [article("a", "Border fund agreed", REPORT, None), article("b", "Border fund agreed", template, None)]
    assert len(set(place(undated).values())) == 1


def test_the_threshold_decides_how_much_of_the_shorter_text_must_be_in_the_other():
    half = REPORT.split(". ")[0] + ". " + "A completely different second half follows here, about the weather " \
        "in the mountains, the price of bread in the market and the football results of the weekend."
    pair = [article("a", "Border fund agreed", REPORT), article("b", "Border fund agreed", half)]
    prints = {a.article_id: stories.fingerprint(stories.article_text(a.title, a.body), PARAMETERS) for a in pair}
    similarity = stories.containment(prints["a"].shingles, prints["b"].shingles)
    assert 0.2 < similarity < 0.75
    assert len(set(place(pair).values())) == 2
    assert len(set(place(pair, StoryParameters(threshold=similarity - 0.01, candidate_jaccard=0.05)).values())) == 1


def test_parameters_are_checked_and_versioned():
    with pytest.raises(ValueError):
        StoryParameters(threshold=0)
    with pytest.raises(ValueError):
        StoryParameters(window_days=-1)
    assert StoryParameters().version != StoryParameters(threshold=0.8).version


def _write_articles(the_lake: lake.Lake, articles: list[ArticleText], run_id: str) -> None:
    now = datetime.now(timezone.utc)
    rows = [{"article_id": a.article_id, "external_id": a.article_id, "source": "test", "url": None, "title": a.title,
             "body": a.body, "published_at": a.published_at, "ingested_at": now, "language": "en",
             "word_count": len((a.title + " " + a.body).split()), "origin": f"test#{a.article_id}",
             "is_title_derived": False, "run_id": run_id} for a in articles]
    lake.write_part(the_lake, "articles", rows, run_id, "ingest-0")


def _corpus() -> list[ArticleText]:
    """Twenty articles: five stories of several reports each (repeats, updates, new headlines, a late
    earlier report), a template weeks apart and unrelated briefs."""
    articles = []
    for story in range(5):
        body = REPORT.replace("400 million", f"{400 + story * 37} million").replace("six", f"{story + 3}")
        body = f"Story number {story} in the series about border funds. " + body
        start = DAY + timedelta(days=7 * story)
        articles += [
            article(f"s{story}-b", f"Border fund {story} agreed", body, start + timedelta(hours=2)),
            article(f"s{story}-c", f"Border fund {story}: business welcomes it", body + UPDATE[len(REPORT):],
                    start + timedelta(hours=6)),
            article(f"s{story}-a", f"Border fund {story} agreed (early report)", body, start),  # arrives last
        ]
    for brief in range(5):
        articles.append(article(f"brief{brief}", f"Brief {brief}", f"Brief number {brief}: the weather was "
                                f"{['dry', 'wet', 'cold', 'hot', 'windy'][brief]} in the hills on day {brief}.", DAY))
    return articles


def _story_members(warehouse_dir: Path, the_lake: lake.Lake, settings) -> dict[str, str]:
    warehouse.build(warehouse_dir, settings.sql_dir, settings.seeds_dir, the_lake)
    with duckdb.connect(str(warehouse_dir / warehouse.DATABASE_FILE), read_only=True) as con:
        return dict(con.execute("select article_id, story_id from marts.story_members").fetchall())


def test_stories_found_run_by_run_equal_stories_found_in_one_run(tmp_path: Path, settings):
    from flows.pipeline import find_stories

    corpus = _corpus()
    small_chunks = settings.model_copy(update={"batch_size": 2})
    one = tmp_path / "one"
    one_lake = lake.Lake.of_warehouse(one)
    _write_articles(one_lake, corpus, "run-all")
    result = find_stories.fn(str(one), "run-all", small_chunks)
    assert result["articles"] == len(corpus) and result["links"] > 0
    in_one_run = _story_members(one, one_lake, small_chunks)

    runs = tmp_path / "runs"
    runs_lake = lake.Lake.of_warehouse(runs)
    for number in range(10):  # two articles per run, in arrival order
        run_id = f"run-{number:02d}"
        _write_articles(runs_lake, corpus[2 * number:2 * number + 2], run_id)
        find_stories.fn(str(runs), run_id, small_chunks)
    assert find_stories.fn(str(runs), "run-again", small_chunks) == {"articles": 0, "links": 0}
    run_by_run = _story_members(runs, runs_lake, small_chunks)

    assert run_by_run == in_one_run
    expected = {a.article_id: a.article_id.split("-")[0] + "-a" if a.article_id.startswith("s") else a.article_id
                for a in corpus}
    assert in_one_run == expected
    # The SQL components equal the Python ones over the same links.
    with duckdb.connect() as con:
        rows = con.execute("select article_id, linked_article_id from read_parquet(?)",
                           [lake.table_files(one_lake, "story_links")]).fetchall()
    links = [{"article_id": a, "linked_article_id": b} for a, b in rows]
    assert stories.group_stories({a.article_id: a for a in corpus}, links) == in_one_run


def test_a_run_killed_between_a_chunks_links_and_its_signatures_places_the_chunk_again(tmp_path: Path, settings,
                                                                                       monkeypatch):
    from flows import pipeline

    corpus = _corpus()
    small_chunks = settings.model_copy(update={"batch_size": 4})
    clean = tmp_path / "clean"
    clean_lake = lake.Lake.of_warehouse(clean)
    _write_articles(clean_lake, corpus, "run-a")
    pipeline.find_stories.fn(str(clean), "run-a", small_chunks)

    crashed = tmp_path / "crashed"
    crashed_lake = lake.Lake.of_warehouse(crashed)
    _write_articles(crashed_lake, corpus, "run-a")
    write_part = lake.write_part
    signatures = []

    def dies_at_the_third_signatures(the_lake, table, rows, run_id, part):
        if table == "story_signatures":
            signatures.append(part)
            if len(signatures) == 3:
                raise KeyboardInterrupt("killed")
        return write_part(the_lake, table, rows, run_id, part)

    monkeypatch.setattr(pipeline.lake, "write_part", dies_at_the_third_signatures)
    with pytest.raises(KeyboardInterrupt):
        pipeline.find_stories.fn(str(crashed), "run-a", small_chunks)
    monkeypatch.setattr(pipeline.lake, "write_part", write_part)
    again = pipeline.find_stories.fn(str(crashed), "run-b", small_chunks)
    assert 0 < again["articles"] < len(corpus)
    assert _story_members(crashed, crashed_lake, small_chunks) == _story_members(clean, clean_lake, small_chunks)
    with duckdb.connect(str(crashed / warehouse.DATABASE_FILE), read_only=True) as con:
        written = con.execute("select count(*) from lake.story_links").fetchone()[0]
        staged = con.execute("select count(*) from staging.stg_story_links").fetchone()[0]
    assert written > staged  # the chunk's links were written twice and are read once
