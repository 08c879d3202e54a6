"""Extraction of one batch of articles: spaCy over the texts, then entities, quotes and relations as rows.

This is the single code path the flow and ``newsflow eval`` both run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from transforms.actors import body_mentions, load_agents, load_people, person_actors
from transforms.entities import country_mentions, entity_rows
from transforms.lexicons import Lexicons
from transforms.nlp import headline_doc, restore_words, wire_case_doc
from transforms.normalise import DATELINE, document_text
from transforms.quotes import find_quotes, quote_rows, remember_text
from transforms.relations import find_relations, relation_rows

# A word a body writes in lower case: "loan" there says a headline's "LOAN" is no name.
LOWER_CASE_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# The modules whose code decides what extraction produces; their bytes are part of ``extractor_version``, so
# any change to them re-extracts on the next run without anyone remembering to bump a number.
EXTRACTION_MODULES = ("actors", "countries", "entities", "extract", "lexicons", "nlp", "quotes", "relations")


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
    remember_text(doc, article.text)  # the units joined give the text back exactly; spaCy would rebuild it
    sentences = list(doc.sents)
    sentence_of = [0] * len(doc)
    for index, sentence in enumerate(sentences):
        sentence_of[sentence.start:sentence.end] = [index] * len(sentence)
    agents = load_agents(lexicons.seeds_dir)
    mentions = country_mentions(doc, lexicons, on)
    mentions = sorted(mentions + body_mentions(doc, mentions, lexicons, agents, on), key=lambda m: m.span.start)
    people = person_actors(doc, mentions, lexicons, load_people(lexicons.seeds_dir), agents, on)
    quotes = find_quotes(doc, lexicons, mentions, sentence_of, people)
    relations = find_relations(doc, mentions, quotes, lexicons, people, agents, sentences)
    return Extraction(
        article_id=article.article_id,
        entities=entity_rows(doc, mentions, article.article_id, sentence_of),
        relations=relation_rows(relations, article.article_id, {s.start: i for i, s in enumerate(sentences)}),
        quotes=quote_rows(doc, quotes, article.article_id),
    )


def parsing_units(text: str) -> list[str]:
    """The title (with the separator after it), a wire dateline ("BAHRAIN, April 13 - ") if the body opens
    with one, and the rest of the body: joined they give the document text back exactly.

    A headline, often in capitals and without a verb or full stop, and a dateline, which says where the story
    was filed, change how the model reads the first sentence next to them, so each is parsed on its own. The
    rest of the body is one document whose paragraph breaks the pipeline marks as sentence starts (one
    document per paragraph costs ~25% more time for the same parses)."""
    title, separator, body = text.partition("\n\n")
    if not body:
        return [text]
    dateline = DATELINE.match(body)
    if dateline and dateline.end() < len(body):
        return [title + separator, dateline.group(0), body[dateline.end():]]
    return [title + separator, body]


def name_test(lexicons: Lexicons) -> Callable[[str, frozenset[str]], bool]:
    """Whether a headline word (or two) is a name to keep capitalised: a country form, or a known person's name
    that the article's body never writes in lower case (its second argument: those words), so that "LOAN" is
    a loan, not the surname Loan."""
    table = lexicons.countries
    people = load_people(lexicons.seeds_dir)

    def is_name(text: str, common: frozenset[str] = frozenset()) -> bool:
        title = " ".join(w[:1].upper() + w[1:].lower() for w in text.split())
        if table.resolve(text) or table.resolve(title) or table.resolve_place(title):
            return True
        key = text.lower()
        return " " not in key and len(key) > 3 and key not in common and (key in people.by_surname or key in people.by_name)

    return is_name


def extract_articles(nlp: Language, articles: Iterable[ArticleText], lexicons: Lexicons,
                     batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
    """Run the pipeline over articles with ``nlp.pipe`` (title and body, in ``n_process`` processes) and
    extract each document."""

    is_name = name_test(lexicons)

    def units() -> Iterator[tuple[str | Doc, tuple[ArticleText, bool]]]:
        for article in articles:
            pieces = parsing_units(article.text)
            for number, piece in enumerate(pieces):
                # A headline in capitals or Title Case is parsed in sentence case (its words come back after).
                if number == 0 and len(pieces) > 1:
                    common = frozenset(LOWER_CASE_WORD.findall(article.body))
                    recased = headline_doc(nlp, piece, lambda text: is_name(text, common))
                else:
                    recased = None
                if recased is None:
                    recased = wire_case_doc(nlp, piece)
                yield recased if recased is not None else piece, (article, number == len(pieces) - 1)

    parsed: list[Doc] = []
    for doc, (article, is_last) in nlp.pipe(units(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        parsed.append(restore_words(doc))
        if is_last:
            merged = Doc.from_docs(parsed, ensure_whitespace=False) if len(parsed) > 1 else parsed[0]
            yield extract_doc(merged, article, lexicons)
            parsed = []
