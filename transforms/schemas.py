"""Arrow schemas of the lake tables: the contract in DESIGN.md, section 4, as code.

Every lake file is written with one of these schemas, so types never drift between batches or runs.
"""

from __future__ import annotations

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema([
    ("article_id", pa.string()), ("external_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
    ("title", pa.string()), ("body", pa.string()), ("published_at", UTC_TIMESTAMP),
    ("ingested_at", UTC_TIMESTAMP), ("language", pa.string()), ("word_count", pa.int32()),
    ("origin", pa.string()), ("run_id", pa.string()),
])

ENTITIES = pa.schema([
    ("article_id", pa.string()), ("entity_id", pa.string()), ("sentence_idx", pa.int32()),
    ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()), ("label", pa.string()),
    ("country_code", pa.string()), ("canonical_name", pa.string()),
    # True when the mention is a place (a city, "in Japan", a dateline), not a country acting; null when it
    # is no country or place at all.
    ("is_location", pa.bool_()),
    ("extractor_version", pa.string()), ("run_id", pa.string()),
])

RELATIONS = pa.schema([
    ("article_id", pa.string()), ("relation_id", pa.string()), ("sentence_idx", pa.int32()),
    ("start", pa.int32()), ("end", pa.int32()), ("country_a", pa.string()), ("country_b", pa.string()),
    ("polarity", pa.string()), ("relation_type", pa.string()), ("quad_class", pa.int8()), ("cue", pa.string()),
    ("actor_a_text", pa.string()), ("actor_b_text", pa.string()), ("confidence", pa.float32()),
    ("sentence", pa.string()), ("extractor_version", pa.string()), ("run_id", pa.string()),
])

QUOTES = pa.schema([
    ("article_id", pa.string()), ("quote_id", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("text", pa.string()), ("kind", pa.string()), ("cue", pa.string()), ("speaker_text", pa.string()),
    ("speaker_start", pa.int32()), ("speaker_end", pa.int32()), ("speaker_name", pa.string()),
    ("speaker_role", pa.string()), ("speaker_country", pa.string()), ("sentence_idx", pa.int32()),
    ("confidence", pa.float32()), ("extractor_version", pa.string()), ("run_id", pa.string()),
])

# One row per article and extraction: written after the batch's entity/relation/quote files, so it marks
# the extraction complete. Staging reads an article's rows only from its newest complete extraction.
EXTRACTIONS = pa.schema([
    ("article_id", pa.string()), ("extractor_version", pa.string()), ("run_id", pa.string()),
    ("extracted_at", UTC_TIMESTAMP), ("entities", pa.int32()), ("relations", pa.int32()), ("quotes", pa.int32()),
])

REJECTS = pa.schema([
    ("origin", pa.string()), ("reason", pa.string()), ("detail", pa.string()), ("excerpt", pa.string()),
    ("seen_at", UTC_TIMESTAMP), ("run_id", pa.string()),
])

RUNS = pa.schema([
    ("run_id", pa.string()), ("started_at", UTC_TIMESTAMP), ("finished_at", UTC_TIMESTAMP),
    ("status", pa.string()), ("sources", pa.list_(pa.string())), ("articles_seen", pa.int32()),
    ("articles_new", pa.int32()), ("articles_duplicate", pa.int32()), ("articles_rejected", pa.int32()),
    ("articles_extracted", pa.int32()), ("entities", pa.int32()), ("relations", pa.int32()),
    ("quotes", pa.int32()), ("extractor_version", pa.string()), ("error", pa.string()),
    ("files_read", pa.int32()), ("files_unchanged", pa.int32()), ("files_pending", pa.int32()),
    ("sources_failed", pa.list_(pa.string())),
    # A run writes a row when it starts and when it ends; staging keeps the newest per run.
    ("recorded_at", UTC_TIMESTAMP),
])

# One row per source file read completely, written after its articles and rejects: a later run skips a file
# whose bytes (file_id, the sha256) were already read by the same reader version.
SOURCE_FILES = pa.schema([
    ("file_id", pa.string()), ("path", pa.string()), ("size_bytes", pa.int64()), ("modified_at", UTC_TIMESTAMP),
    ("reader_version", pa.string()), ("articles", pa.int32()), ("rejects", pa.int32()),
    ("ingested_at", UTC_TIMESTAMP), ("run_id", pa.string()),
])

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES, "entities": ENTITIES, "relations": RELATIONS, "quotes": QUOTES,
    "extractions": EXTRACTIONS, "rejects": REJECTS, "runs": RUNS, "source_files": SOURCE_FILES,
}
