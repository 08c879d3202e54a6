"""Extraction of one batch of articles: spaCy over the texts, then entities, quotes and relations as rows.

This is the single code path the flow and ``newsflow eval`` both run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from transforms.entities import country_mentions, entity_rows, person_countries
from transforms.lexicons import Lexicons
from transforms.normalise import DATELINE, document_text
from transforms.quotes import find_quotes, quote_rows
from transforms.relations import find_relations, relation_rows

# The modules whose code decides what extraction produces; their bytes are part of ``extractor_version``, so
# any change to them re-extracts on the next run without anyone remembering to bump a number.
EXTRACTION_MODULES = ("countries", "entities", "extract", "lexicons", "nlp", "quotes", "relations")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Short hash of the extraction modules' source."""
    digest = hashlib.sha256()
    for name in EXTRACTION_MODULES:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:8]


@dataclass
class ArticleText:
    """What extraction needs of an article."""

    article_id: str
    title: str
    body: str
    published_at: datetime | None = None

    @property
    def text(self) -> str:
        return document_text(self.title, self.body)


@dataclass
class Extraction:
    """The rows extracted from one article."""

    article_id: str
    entities: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)


def extractor_version(meta: dict, lexicons: Lexicons) -> str:
    """Changes whenever the model (its ``meta``), the seeds or the extraction code changes."""
    model = f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
    return f"{code_fingerprint()}+{model}+{lexicons.fingerprint}"


def extract_doc(doc: Doc, article: ArticleText, lexicons: Lexicons) -> Extraction:
    """Entities, quotes and relations of one parsed article."""
    on: date | None = article.published_at.date() if article.published_at else None
    sentences = list(doc.sents)
    sentence_of = [0] * len(doc)
    for index, sentence in enumerate(sentences):
        for token in sentence:
            sentence_of[token.i] = index
    mentions = country_mentions(doc, lexicons, on)
    people = person_countries(doc, mentions, lexicons)
    quotes = find_quotes(doc, lexicons, mentions, sentence_of, people)
    relations = find_relations(doc, mentions, quotes, lexicons, people)
    return Extraction(
        article_id=article.article_id,
        entities=entity_rows(doc, mentions, article.article_id, sentence_of),
        relations=relation_rows(relations, article.article_id, {s.start: i for i, s in enumerate(sentences)}),
        quotes=quote_rows(doc, quotes, article.article_id),
    )


def parsing_units(text: str) -> list[str]:
    """The title and each body paragraph, each with its trailing separator, so that joined they give the
    document text back exactly. Parsing them apart keeps a title without a full stop out of the first body
    sentence, which the parser otherwise merges or splits oddly."""
    parts = [part + "\n\n" for part in text.split("\n\n")]
    parts[-1] = parts[-1][:-2]
    if len(parts) > 1:
        # A wire dateline ("BAHRAIN, April 13 - ") is where the story was filed, not part of its first sentence.
        dateline = DATELINE.match(parts[1])
        if dateline:
            parts[1:2] = [dateline.group(0), parts[1][dateline.end():]]
    return [part for part in parts if part]


def extract_articles(nlp: Language, articles: Iterable[ArticleText], lexicons: Lexicons,
                     batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
    """Run the pipeline over articles with ``nlp.pipe`` (paragraph by paragraph, in ``n_process`` processes)
    and extract each document."""

    def units() -> Iterator[tuple[str, tuple[ArticleText, bool]]]:
        for article in articles:
            pieces = parsing_units(article.text)
            for number, piece in enumerate(pieces):
                yield piece, (article, number == len(pieces) - 1)

    parsed: list[Doc] = []
    for doc, (article, is_last) in nlp.pipe(units(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        parsed.append(doc)
        if is_last:
            yield extract_doc(Doc.from_docs(parsed, ensure_whitespace=False), article, lexicons)
            parsed = []
