"""Country-pair relations (RELATIONS_GUIDE.md): a cue that syntactically connects two country actors.

For every cue word of ``seeds/relation_cues.csv`` in a sentence, the cue's predicate chain is the cue and the
words it hangs from up to its clause ("enhancing cooperation" -> "focusing"; "relations" in "relations
between X and Y"). An actor takes part when its own chain of heads reaches that predicate chain without
leaving the clause. Two actors of different countries on one cue make a relation; a mere co-mention, a
location ("on the border of Iran") or an organisation never does. Negated or conditional cues are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from transforms.entities import CountryMention, stable_id
from transforms.lexicons import Cue, Lexicons
from transforms.quotes import Quote

# Dependencies a cue climbs to reach its clause's predicate ("strengthen cooperation", "focus on enhancing").
PREDICATE_DEPS = frozenset({"dobj", "pobj", "prep", "pcomp", "xcomp", "attr", "acomp", "compound", "amod", "nmod",
                            "conj", "acl", "oprd", "npadvmod", "advcl", "appos"})
# Dependencies an actor climbs to reach the predicate it is an argument of.
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "prep", "conj", "compound", "amod", "poss", "nmod",
                           "appos", "agent", "dative", "attr", "npadvmod", "cc", "det"})
MAX_CLIMB = 6
CONDITIONAL_MARKERS = frozenset({"if", "unless", "whether"})
NEGATING_HEADS = frozenset({"deny", "refuse", "fail", "reject", "rule"})
# "the two countries", "both sides": the pair the article spoke of last.
PAIR_PHRASES = frozenset({"countries", "sides", "nations", "states", "governments"})
PAIR_DETERMINERS = frozenset({"two", "both"})
# "bilateral" on a cue makes the cue about the pair in context.
PAIR_MODIFIERS = frozenset({"bilateral", "interstate", "mutual"})
FIRST_PERSON = frozenset({"we", "our", "us", "ours"})


@dataclass(frozen=True)
class Actor:
    """A country acting in a sentence: a mention, a quoted "we/our", or a phrase for the pair in context."""

    token: Token
    codes: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Relation:
    """A relation supported by one sentence."""

    sentence: Span
    country_a: str
    country_b: str
    cue: Cue
    cue_text: str
    actor_a_text: str
    actor_b_text: str
    confidence: float


def predicate_chain(cue: Token) -> set[int]:
    """The cue and the tokens it hangs from, up to its clause's predicate."""
    chain = {cue.i}
    token = cue
    for _ in range(MAX_CLIMB):
        if token.dep_ not in PREDICATE_DEPS or token.head is token:
            break
        token = token.head
        chain.add(token.i)
    return chain


def reaches(actor: Token, chain: set[int]) -> int | None:
    """Steps from an actor up to the predicate chain, or None when it does not get there inside the clause."""
    token = actor
    for steps in range(MAX_CLIMB + 1):
        if token.i in chain:
            return steps
        if token.dep_ not in ARGUMENT_DEPS or token.head is token:
            return None
        token = token.head
    return None


def is_negated(cue: Token, chain: set[int]) -> bool:
    """Negated, denied or conditional: "no talks", "did not agree", "denied it would", "if they sign"."""
    doc = cue.doc
    for index in chain:
        token = doc[index]
        for child in token.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKERS:
                return True
        if token.lemma_.lower() in NEGATING_HEADS and token.i != cue.i:
            return True
    top = doc[min(chain, key=lambda i: sum(1 for _ in doc[i].ancestors))]
    return top.head is not top and top.head.lemma_.lower() in NEGATING_HEADS


def _pair_in_context(previous: list[str]) -> tuple[str, ...] | None:
    distinct: list[str] = []
    for code in reversed(previous):
        if code not in distinct:
            distinct.append(code)
        if len(distinct) == 2:
            return tuple(sorted(distinct))
    return None


def sentence_actors(sentence: Span, mentions: list[CountryMention], quotes: list[Quote],
                    previous: list[str]) -> list[Actor]:
    """The country actors of a sentence (locations excluded)."""
    actors = [Actor(m.root, (m.code,), m.span.text) for m in mentions
              if m.span.sent == sentence and not m.is_location]
    for quote in quotes:
        if quote.kind != "direct" or quote.speaker is None or quote.speaker.country is None:
            continue
        for index in quote.token_indexes:
            token = sentence.doc[index]
            if sentence.start <= index < sentence.end and token.lower_ in FIRST_PERSON:
                actors.append(Actor(token, (quote.speaker.country,), token.text))
    pair = _pair_in_context(previous)
    if pair is not None:
        for token in sentence:
            is_pair_phrase = token.lower_ in PAIR_PHRASES and any(
                c.lower_ in PAIR_DETERMINERS or c.lower_ == "the" for c in token.children)
            if is_pair_phrase or token.lower_ in PAIR_MODIFIERS:
                actors.append(Actor(token, pair, token.text))
    return actors


def sentence_relations(sentence: Span, actors: list[Actor], lexicons: Lexicons) -> list[Relation]:
    """Relations of one sentence: one per cue and country pair."""
    found: dict[tuple[str, str, str], Relation] = {}
    for token in sentence:
        cue = lexicons.cues.get(token.lemma_.lower()) or lexicons.cues.get(token.lower_)
        if cue is None or token.pos_ not in ("VERB", "NOUN", "ADJ", "PROPN"):
            continue
        chain = predicate_chain(token)
        if is_negated(token, chain):
            continue
        attached: list[tuple[Actor, int]] = []
        for actor in actors:
            steps = reaches(actor.token, chain)
            if steps is not None:
                attached.append((actor, steps))
        # A pair phrase or a modifier like "bilateral" names both sides at once.
        candidates: list[tuple[str, str, str, str, int]] = []
        for actor, steps in attached:
            if len(actor.codes) == 2:
                candidates.append((actor.codes[0], actor.codes[1], actor.text, actor.text, steps + 4))
        for (left, left_steps), (right, right_steps) in combinations(attached, 2):
            for a in left.codes:
                for b in right.codes:
                    if a != b:
                        pair = sorted([(a, left.text), (b, right.text)])
                        candidates.append((pair[0][0], pair[1][0], pair[0][1], pair[1][1], left_steps + right_steps))
        for a, b, a_text, b_text, distance in candidates:
            key = (a, b, cue.relation_type)
            confidence = round(max(0.5, 0.95 - 0.05 * distance), 2)
            if key not in found or found[key].confidence < confidence:
                found[key] = Relation(sentence, a, b, cue, token.text, a_text, b_text, confidence)
    return list(found.values())


def find_relations(doc: Doc, mentions: list[CountryMention], quotes: list[Quote], lexicons: Lexicons) -> list[Relation]:
    """All relations of a document, sentence by sentence."""
    relations: list[Relation] = []
    previous: list[str] = []  # country actors seen so far, for "the two countries"
    for sentence in doc.sents:
        actors = sentence_actors(sentence, mentions, quotes, previous)
        found = sentence_relations(sentence, actors, lexicons)
        relations.extend(found)
        for relation in found:
            previous.extend([relation.country_a, relation.country_b])
        previous.extend(code for a in actors if len(a.codes) == 1 for code in a.codes)
    return relations


def relation_rows(relations: list[Relation], article_id: str, sentence_index: dict[int, int]) -> list[dict]:
    """Rows of the ``relations`` table."""
    rows = []
    for relation in relations:
        sentence = relation.sentence
        rows.append({
            "article_id": article_id,
            "relation_id": stable_id(article_id, sentence.start_char, relation.country_a, relation.country_b,
                                     relation.cue.relation_type),
            "sentence_idx": sentence_index[sentence.start],
            "start": sentence.start_char,
            "end": sentence.start_char + len(sentence.text.rstrip()),
            "country_a": relation.country_a,
            "country_b": relation.country_b,
            "polarity": relation.cue.polarity,
            "relation_type": relation.cue.relation_type,
            "quad_class": relation.cue.quad_class,
            "cue": relation.cue_text,
            "actor_a_text": relation.actor_a_text,
            "actor_b_text": relation.actor_b_text,
            "confidence": relation.confidence,
            "sentence": sentence.text.strip(),
        })
    return rows
