"""Entity mentions: spaCy's named entities with countries resolved, and the rows of the ``entities`` table."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from transforms.countries import CountryMatch
from transforms.lexicons import Lexicons
from transforms.normalise import DATELINE

# A country named as the object of these prepositions is where something happens, not who acts.
LOCATION_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "throughout", "across", "within", "into"})
# Nouns that make "X of <country>" a place: "the border of Iran", "a port of Japan".
LOCATION_NOUNS = frozenset({
    "border", "borders", "zone", "region", "territory", "coast", "city", "capital", "market", "markets", "port",
    "waters", "soil", "airspace", "north", "south", "east", "west", "part", "parts", "area", "province",
})
COUNTRY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
# Labels under which a name may be a city or region (a PERSON "Chicago" is not one).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_PARTICLES = frozenset({"de", "la", "del", "da", "das", "do", "dos", "di", "du", "van", "von"})


def stable_id(*parts: object) -> str:
    """A short deterministic id: re-running the same extraction gives the same ids."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CountryMention:
    """A mention that resolves to a country, with its syntactic root and whether it is only a location."""

    span: Span
    code: str
    name: str
    kind: str
    is_location: bool

    @property
    def root(self) -> Token:
        return self.span.root


def is_location_use(span: Span) -> bool:
    """True when a country mention is a place ("in Japan", "on the border of Iran", a dateline), not an actor."""
    if DATELINE.match(span.sent.text):
        return True
    root = span.root
    if root.dep_ != "pobj":
        return False
    preposition = root.head
    if preposition.lower_ in LOCATION_PREPOSITIONS:
        return True
    return preposition.lower_ == "of" and preposition.head.lower_ in LOCATION_NOUNS


def _person_surnames(doc: Doc) -> set[str]:
    return {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}


def _after_name_particle(ent: Span) -> bool:
    """Whether particles of a name ("de la", "da") and a capitalised word come right before the entity."""
    index = ent.start - 1
    while index >= 0 and ent.doc[index].lower_ in NAME_PARTICLES:
        index -= 1
    return index < ent.start - 1 and index >= 0 and ent.doc[index].is_title


def country_mentions(doc: Doc, lexicons: Lexicons, on: date | None) -> list[CountryMention]:
    """Every entity of the document that resolves to a country or to a place in one.

    Ambiguous names are settled by the document: "Jordan" is not a country where "Michael Jordan" is named,
    and "Georgia" is the US state where the other places named are mostly American.
    """
    table = lexicons.countries
    surnames = _person_surnames(doc)
    resolved: list[tuple[Span, CountryMatch | None, CountryMatch | None]] = []
    for ent in doc.ents:
        if ent.label_ not in COUNTRY_LABELS or ent.text in surnames:
            continue
        country = table.resolve(ent.text, on)
        place = table.resolve_place(ent.text) if ent.label_ in PLACE_LABELS or country else None
        if country or place:
            resolved.append((ent, country, place))
    # A capital after a name particle is a surname: "Mexican President Miguel de la Madrid".
    resolved = [(ent, country, place) for ent, country, place in resolved
                if not (country is not None and country.kind == "capital" and _after_name_particle(ent))]
    context = Counter((country or place).code for _, country, place in resolved)
    mentions = []
    for ent, country, place in resolved:
        if country and place and place.code != country.code and context[place.code] > context[country.code]:
            country = None  # "Georgia" among American places is the state
        if country is not None:
            mentions.append(CountryMention(ent, country.code, country.name, country.kind, is_location_use(ent)))
        elif place is not None:
            mentions.append(CountryMention(ent, place.code, place.name, "place", True))
    return mentions


def entity_rows(doc: Doc, mentions: list[CountryMention], article_id: str, sentence_of: list[int]) -> list[dict]:
    """Rows of the ``entities`` table: every named entity, with ``country_code`` where it is a country or a
    place in one, and ``is_location`` where it is named as a place rather than an actor."""
    by_span = {(m.span.start_char, m.span.end_char): m for m in mentions}  # not the country inside an ORG's name
    rows = []
    for ent in doc.ents:
        mention = by_span.get((ent.start_char, ent.end_char))
        rows.append({
            "article_id": article_id,
            "entity_id": stable_id(article_id, ent.start_char, ent.end_char),
            "sentence_idx": sentence_of[ent.start],
            "start": ent.start_char,
            "end": ent.end_char,
            "text": ent.text,
            "label": ent.label_,
            "country_code": mention.code if mention else None,
            "canonical_name": mention.name if mention and mention.kind != "place" else ent.text,
            "is_location": mention.is_location if mention else None,
        })
    return rows
