"""Arrow schemas of the lake tables: the contract in DESIGN.md, section 4, as code.

Every lake file is written with one of these schemas, so types never drift between batches or runs. Each
column carries its one-line description as field metadata (``description``), and each table its own: the
data dictionary (``newsflow docs``) is generated from them, and Parquet readers see them in the files.
"""

from __future__ import annotations

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
EXTRACTOR_VERSION = "model + seeds + extraction code fingerprint that produced the row"
RUN_ID = "the run that wrote the row (see runs)"


def column(name: str, type_: pa.DataType, description: str) -> pa.Field:
    """A lake column with its description."""
    return pa.field(name, type_, metadata={"description": description})


def table(description: str, *columns: pa.Field) -> pa.Schema:
    """A lake table's schema with its description."""
    return pa.schema(list(columns), metadata={"description": description})


def describe(field: pa.Field) -> str:
    """The description of a column ('' if it has none)."""
    return (field.metadata or {}).get(b"description", b"").decode()


ARTICLES = table(
    "One row per distinct article text (title + body), as ingested.",
    column("article_id", pa.string(), "hex sha256 of the normalised title + \"\\n\\n\" + body: one text, one id"),
    column("external_id", pa.string(), "the id the source gave it: JSON id, feed entry id, file name or URL"),
    column("source", pa.string(), "the source's name (sources file), else the JSON source field or the folder name"),
    column("url", pa.string(), "the article's web address, when known"),
    column("title", pa.string(), "normalised title"),
    column("body", pa.string(), "normalised body, paragraphs separated by a blank line"),
    column("published_at", UTC_TIMESTAMP, "publication time (UTC), null if unknown"),
    column("ingested_at", UTC_TIMESTAMP, "when the run that first saw the text read it"),
    column("language", pa.string(), "language code from the source, else NEWSFLOW_LANGUAGE"),
    column("word_count", pa.int32(), "words in title and body"),
    column("origin", pa.string(), "where it was read: file path (#record index) or feed URL + # + entry id"),
    column("is_title_derived", pa.bool_(), "the source gave no title: it is the body's first line or sentence "
           "(taken out of the body), else its first words with an ellipsis"),
    column("run_id", pa.string(), RUN_ID),
)

ENTITIES = table(
    "One row per named-entity mention in an article.",
    column("article_id", pa.string(), "the article (articles.article_id)"),
    column("entity_id", pa.string(), "stable id of the mention: hash of article, offsets and label"),
    column("sentence_idx", pa.int32(), "0-based index of the sentence in the document text"),
    column("start", pa.int32(), "character offset where the mention starts in title + \"\\n\\n\" + body"),
    column("end", pa.int32(), "character offset just after the mention"),
    column("text", pa.string(), "the mention as written"),
    column("label", pa.string(), "spaCy entity label (GPE, NORP, ORG, PERSON, ...)"),
    column("country_code", pa.string(), "ISO 3166-1 alpha-3 code when the mention denotes or lies in a country"),
    column("canonical_name", pa.string(), "the country's or place's name when resolved"),
    # True when the mention is a place (a city, "in Japan", a dateline), not a country acting; null when it
    # is no country or place at all.
    column("is_location", pa.bool_(), "true for a place (city, \"in Japan\", dateline), false for a country acting"),
    column("extractor_version", pa.string(), EXTRACTOR_VERSION),
    column("run_id", pa.string(), RUN_ID),
)

RELATIONS = table(
    "One row per sentence that supports a country-to-country relation (RELATIONS_GUIDE.md).",
    column("article_id", pa.string(), "the article (articles.article_id)"),
    column("relation_id", pa.string(), "stable id: hash of article, sentence, pair and type"),
    column("sentence_idx", pa.int32(), "0-based index of the supporting sentence"),
    column("start", pa.int32(), "character offset where the sentence starts"),
    column("end", pa.int32(), "character offset just after the sentence"),
    column("country_a", pa.string(), "ISO3 of one side; country_a < country_b"),
    column("country_b", pa.string(), "ISO3 of the other side"),
    column("polarity", pa.string(), "cooperation or conflict"),
    column("relation_type", pa.string(), "AGREE CONSULT COOPERATE AID ACCUSE DEMAND THREATEN REJECT SANCTION FIGHT"),
    column("quad_class", pa.int8(), "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
    column("cue", pa.string(), "the word that signals the relation as written, e.g. agreed, talks, sanctions"),
    column("cameo_code", pa.string(), "the cue's CAMEO event code (PETRARCH2's verb dictionary), e.g. 057 sign formal agreement"),
    column("goldstein", pa.float32(), "the Goldstein conflict-cooperation value of cameo_code, -10 to +10 (GDELT's GoldsteinScale)"),
    column("actor_a_text", pa.string(), "how the sentence names country_a's side"),
    column("actor_b_text", pa.string(), "how the sentence names country_b's side"),
    column("actor_a_sector", pa.string(), "country_a's side as a sector (Phoenix codes: GOV, MIL, COP, LEG, ...); null when the text names the country itself"),
    column("actor_b_sector", pa.string(), "country_b's side as a sector, as actor_a_sector"),
    column("confidence", pa.float32(), "extractor's confidence, 0 to 1: syntax times the cue's reliability"),
    column("sentence", pa.string(), "the supporting sentence"),
    column("extractor_version", pa.string(), EXTRACTOR_VERSION),
    column("run_id", pa.string(), RUN_ID),
)

QUOTES = table(
    "One row per quote (direct, indirect or mixed) with its speaker.",
    column("article_id", pa.string(), "the article (articles.article_id)"),
    column("quote_id", pa.string(), "stable id: hash of article and offsets"),
    column("start", pa.int32(), "character offset where the quoted content starts"),
    column("end", pa.int32(), "character offset just after the quoted content"),
    column("text", pa.string(), "the quoted content"),
    column("kind", pa.string(), "direct (in quotation marks), indirect (reported speech) or mixed"),
    column("cue", pa.string(), "the speech verb or phrase, e.g. said, told, according to"),
    column("speaker_text", pa.string(), "the speaker mention as written, e.g. \"he\" or a relative \"who\"; null when the text names no one (\"Asked whether ...\", \"X was told that ...\")"),
    column("speaker_start", pa.int32(), "character offset of the speaker mention"),
    column("speaker_end", pa.int32(), "character offset just after the speaker mention"),
    column("speaker_name", pa.string(), "the resolved speaker, e.g. \"Timur Urazayev\""),
    column("speaker_role", pa.string(), "the speaker's role, e.g. \"Kazakh Ambassador to Armenia\""),
    column("speaker_country", pa.string(), "ISO3 of the country the speaker speaks for, when known"),
    column("speaker_country_basis", pa.string(), "how speaker_country is known: role (\"Kazakh Ambassador\"), dictionary (seeds/people.csv at the article's date) or context (a domestic title such as \"Sen.\" in an article about one country; the least certain)"),
    column("speaker_sector", pa.string(), "the speaker's sector when known (GOV, ELI, MIL, ...; seeds/people.csv)"),
    column("speaker_id", pa.string(), "one id per person across articles: hash of the resolved name without titles and middle initials; null for an unresolved pronoun"),
    column("sentence_idx", pa.int32(), "0-based index of the sentence holding the cue"),
    column("confidence", pa.float32(), "extractor's confidence, 0 to 1"),
    column("extractor_version", pa.string(), EXTRACTOR_VERSION),
    column("run_id", pa.string(), RUN_ID),
)

# Written after the batch's entity/relation/quote files, so it marks the extraction complete. Staging reads
# an article's rows only from its newest complete extraction.
EXTRACTIONS = table(
    "One row per article and extraction run, written last: the extraction is complete.",
    column("article_id", pa.string(), "the article extracted"),
    column("extractor_version", pa.string(), EXTRACTOR_VERSION),
    column("run_id", pa.string(), RUN_ID),
    column("extracted_at", UTC_TIMESTAMP, "when the batch was extracted"),
    column("entities", pa.int32(), "entity rows written for the article"),
    column("relations", pa.int32(), "relation rows written for the article"),
    column("quotes", pa.int32(), "quote rows written for the article"),
)

REJECTS = table(
    "One row per file, record or fetch that could not become an article, with the reason.",
    column("origin", pa.string(), "file path (#record), URL, or feed URL + # + entry id"),
    column("reason", pa.string(), "short reason code (README, Operations)"),
    column("detail", pa.string(), "what exactly was wrong"),
    column("excerpt", pa.string(), "the start of the offending input"),
    column("seen_at", UTC_TIMESTAMP, "when the run saw it"),
    column("run_id", pa.string(), RUN_ID),
)

RUNS = table(
    "One row per run state change (started, succeeded, failed); staging keeps the newest per run.",
    column("run_id", pa.string(), "sortable run id: UTC start time + random suffix"),
    column("started_at", UTC_TIMESTAMP, "when the run started"),
    column("finished_at", UTC_TIMESTAMP, "when extraction ended (null while running or if killed)"),
    column("status", pa.string(), "running, succeeded or failed"),
    column("sources", pa.list_(pa.string()), "the paths and URLs the run read"),
    column("articles_seen", pa.int32(), "articles read from new or changed files and fetched sources"),
    column("articles_new", pa.int32(), "of those, texts not in the lake before"),
    column("articles_duplicate", pa.int32(), "of those, texts already in the lake"),
    column("articles_rejected", pa.int32(), "files, records and fetches rejected"),
    column("articles_extracted", pa.int32(), "articles extracted by this run"),
    column("entities", pa.int32(), "entity rows written"),
    column("relations", pa.int32(), "relation rows written"),
    column("quotes", pa.int32(), "quote rows written"),
    column("extractor_version", pa.string(), "the extractor version the run extracts with"),
    column("error", pa.string(), "why the run failed (type: message)"),
    column("files_read", pa.int32(), "source files read"),
    column("files_unchanged", pa.int32(), "source files skipped: the same bytes were read before"),
    column("files_pending", pa.int32(), "source files still being written, left for the next run"),
    column("sources_failed", pa.list_(pa.string()), "remote sources that could not be fetched"),
    column("recorded_at", UTC_TIMESTAMP, "when this row was written"),
)

# A later run skips a file whose bytes (file_id) were already read by the same reader version.
SOURCE_FILES = table(
    "One row per source file read completely, written after its articles and rejects.",
    column("file_id", pa.string(), "hex sha256 of the file's bytes"),
    column("path", pa.string(), "absolute path where it was read"),
    column("size_bytes", pa.int64(), "file size"),
    column("modified_at", UTC_TIMESTAMP, "file modification time"),
    column("reader_version", pa.string(), "fingerprint of the reader and normaliser code and settings"),
    column("articles", pa.int32(), "articles read from it"),
    column("rejects", pa.int32(), "rejects from it"),
    column("ingested_at", UTC_TIMESTAMP, "when it was read"),
    column("run_id", pa.string(), RUN_ID),
)

# Written after the article's story_links rows, so it marks the article placed in a story (the lake's LSH index).
STORY_SIGNATURES = table(
    "One row per article and story version, written last: the article has been compared and placed in a story.",
    column("article_id", pa.string(), "the article (articles.article_id)"),
    column("story_version", pa.string(), "the story parameters and code that placed it (threshold, window, MinHash bands)"),
    column("bands", pa.list_(pa.int64()), "MinHash LSH band keys of its word 5-grams: articles sharing a key are compared"),
    column("shingles", pa.int32(), "distinct word 5-grams of title and body"),
    column("found_at", UTC_TIMESTAMP, "when it was placed"),
    column("run_id", pa.string(), RUN_ID),
)

STORY_LINKS = table(
    "One row per pair of articles found to be reports of one story (a repeat, correction, update or new headline).",
    column("article_id", pa.string(), "the article being placed (articles.article_id)"),
    column("linked_article_id", pa.string(), "an article placed before it that reports the same story"),
    column("similarity", pa.float32(), "containment of word 5-grams: the share of the shorter text's 5-grams found in the other"),
    column("jaccard", pa.float32(), "Jaccard similarity of the two sets of word 5-grams"),
    column("story_version", pa.string(), "the story parameters and code that found the link"),
    column("run_id", pa.string(), RUN_ID),
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES, "entities": ENTITIES, "relations": RELATIONS, "quotes": QUOTES,
    "extractions": EXTRACTIONS, "rejects": REJECTS, "runs": RUNS, "source_files": SOURCE_FILES,
    "story_links": STORY_LINKS, "story_signatures": STORY_SIGNATURES,
}
