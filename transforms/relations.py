"""Country-pair relations (RELATIONS_GUIDE.md): a cue that syntactically connects two country actors.

For every cue word of ``seeds/relation_cues.csv`` in a sentence, its parties are the actors named inside the
cue's phrase ("Japan's dispute with the U.S.", "talks between X and Y", "U.S.-Japan talks"), or else also the
subjects of the verbs the cue is an argument of ("X and Y are focusing on enhancing cooperation"), never
crossing into another clause. Coordinated actors ("X and Y") pair only on a reciprocal cue (talks, agreement,
war); a directed cue (offer, sanction) needs the two sides in different roles. A mere co-mention, a location
("on the border of Iran") or an organisation is never a party; negated or conditional cues are dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from transforms.actors import (
    STATE_SECTORS,
    THIRD_PERSON_POSSESSIVES,
    PersonActor,
    agent_sector,
    is_actor,
    mention_sector,
)
from transforms.entities import CountryMention, stable_id
from transforms.lexicons import POLARITY, TYPE_QUAD, Cue, Lexicons
from transforms.quotes import Quote

# Dependencies a noun cue climbs to reach the verb it is an argument of ("strengthen cooperation",
# "focusing on enhancing cooperation", "is our closest partner").
CLIMB_DEPS = frozenset({"dobj", "pobj", "prep", "pcomp", "attr", "oprd", "acomp", "compound", "amod", "nmod",
                        "npadvmod", "appos", "xcomp"})
MAX_CLIMB = 5
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
# Prepositions that introduce the other party of a cue: "talks with Y", "sanctions against Y", "between X and Y".
PARTY_PREPOSITIONS = frozenset({"with", "between", "among", "against", "to", "on", "from", "towards", "toward", "for",
                                "by", "of", "over", "into"})
MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
CONDITIONAL_MARKERS = frozenset({"if", "unless", "whether"})
# Words that open a concession: "despite", "notwithstanding", "in spite of".
CONCESSIVE_WORDS = frozenset({"despite", "notwithstanding", "spite"})
CONTRASTING_CONJUNCTIONS = frozenset({"but", "yet"})
NEGATING_HEADS = frozenset({"deny", "refuse", "fail", "reject", "rule", "cancel", "postpone", "scrap", "abandon"})
# What a verb prevents does not happen: "U.S., BRITAIN BAR SANCTIONS AGAINST SOUTH AFRICA" (its object only: "blocked
# under a treaty" is no treaty prevented).
PREVENTING_HEADS = frozenset({"bar", "veto", "block", "prevent"})
# Who opposes cooperation is no party to it: "Ireland and France continued to oppose the deal" (but who resists
# pressure is its target: "Britain has decided to resist U.S. pressure").
OPPOSING_HEADS = frozenset({"oppose", "resist", "obstruct"})
# Words that say an act will likely not happen: "U.S./SOVIET GRAIN MEETING UNLIKELY THIS SUMMER".
DOUBTING_WORDS = frozenset({"unlikely", "doubtful", "improbable"})
# Cooperation only wished for or asked of someone is not cooperation: "calling on X to agree".
DESIRE_HEADS = frozenset({"call", "urge", "ask", "want", "press", "demand", "wish", "seek", "interest"})
# ... but one's own wish to cooperate is an intention to, which the guide counts (AGREE): "Bonn wishes to reach
# an agreement with Bolivia", "Japan seeks talks with the U.S." (not "wanted Japan to agree": asked of another).
INTENDING_HEADS = frozenset({"want", "wish", "seek", "interest"})
# Verbs whose clause is what is threatened, not done: "threatened to impose", "warned it would retaliate".
THREATENING_HEADS = frozenset({"threaten", "warn"})
THREATENED_AUXILIARIES = frozenset({"to", "would", "will", "could", "might", "may", "'d", "'ll"})
# Verbs that demand when they tell someone to act: "U.S. TELLS JAPAN TO DO MORE TO CUT TRADE SURPLUS" (pressure
# to change policy, the guide's DEMAND); alone they are no act ("told reporters"). Not "ask": asking another to
# help or to join talks is an appeal, not a demand.
REQUEST_HEADS = frozenset({"tell", "instruct"})
REQUEST_CUE = "demand"
# Verbs that accuse when they say what another did ("U.S. officials have charged that the French, British and West
# German governments have disrupted the market"); else another sense (charging a fee, a battery).
CHARGING_HEADS = frozenset({"charge"})
CHARGE_CUE = "accuse"
# Cue verbs that name rather than act when they take a predicate: "called the debt problem an expression of".
NAMING_SENSES = frozenset({"call"})
NAMING_CUE = "criticize"
# Heads that ask an act of someone only through an infinitive: "told Japan to resolve the row" (but "told
# reporters the two countries agreed" reports an act).
INSTRUCTING_HEADS = frozenset({"tell", "order", "instruct", "advise", "direct"})
# "the two countries", "both sides": the pair the article spoke of last.
PAIR_PHRASES = frozenset({"countries", "sides", "nations", "states", "governments", "parties", "neighbours",
                          "neighbors", "partners"})
PAIR_DETERMINERS = frozenset({"two", "both"})
# "bilateral" on a cue makes the cue about the pair in context.
PAIR_MODIFIERS = frozenset({"bilateral", "interstate", "mutual"})
# Cue nouns that name a party by its relation to another ("ally", "enemy").
PARTY_NOUNS = frozenset({"ally", "partner", "enemy"})
FIRST_PERSON = frozenset({"we", "our", "us", "ours"})
SINGULAR_FIRST_PERSON = frozenset({"i", "my", "me"})


@dataclass(frozen=True)
class Actor:
    """A country acting in a sentence: a mention, a quoted "we/our", or a phrase for the pair in context."""

    token: Token
    codes: tuple[str, ...]
    text: str
    sector: str | None = None
    # A country named only through its goods ("tariffs on Japanese chips"): the target of a trade measure.
    is_goods: bool = False


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
    actor_a_sector: str | None = None
    actor_b_sector: str | None = None


def _with_conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ in ("conj", "appos"):
            found.extend(_with_conjuncts(child))
    return found


def _party_tokens(head: Token, deps: frozenset[str]) -> list[Token]:
    """Children of ``head`` in the given roles, prepositional objects of party prepositions, and conjuncts."""
    found: list[Token] = []
    if "nsubj" in deps and not any(c.dep_ in SUBJECT_DEPS for c in head.children):
        # The small model hangs a long fronted subject on the clause inside it: "Funaro, on the third leg of a
        # trip to explain his country's stance, met Stoltenberg" (Funaro as the subject of "explain").
        found.extend(t for c in head.children if c.dep_ == "advcl" and c.i < head.i
                     for s in c.children if s.dep_ == "nsubj" and s.i < c.i and s.pos_ == "PROPN"
                     for t in _noun_phrase_parties(s))
    for child in head.children:
        # "gives Cuba a credit"; and a name right after the verb that the parse made an adverbial is its
        # indirect object ("U.S. LENDS SUDAN 57 MLN DLRS").
        is_dative = child.dep_ == "dative" or ("dobj" in deps and child.dep_ == "npadvmod" and child.pos_ == "PROPN"
                                              and child.i == head.i + 1 and head.pos_ == "VERB")
        if (child.dep_ in deps or is_dative) and child.pos_ != "ADP":
            found.extend(_noun_phrase_parties(child))
        elif child.dep_ in ("agent", "dative") or (child.dep_ == "prep" and child.lower_ in PARTY_PREPOSITIONS):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(_noun_phrase_parties(pobj))
    return found


# Heads that only count or part what their "of" object names: "a number of Pakistani villages".
PARTITIVES = frozenset({"number", "lot", "dozen", "dozens", "hundreds", "thousands", "scores", "some", "most",
                        "part", "one", "group", "series", "couple", "majority", "many", "several", "all", "each"})


# Participles that name where goods come from: "microchips imported from Japan", "cars made in Japan".
ORIGIN_VERBS = frozenset({"import", "make", "produce", "manufacture", "ship", "originate", "export", "build"})


def _noun_phrase_parties(token: Token) -> list[Token]:
    """A party phrase: its head and conjuncts, and their modifiers ("the Egyptian and Canadian governments"),
    through a partitive head ("a number of Pakistani villages")."""
    found: list[Token] = []
    for head in _with_conjuncts(token):
        found.append(head)
        for child in head.children:
            if child.dep_ in MODIFIER_DEPS:
                found.extend(_with_conjuncts(child))
                # The country of an official's title: "British Chancellor ... Nigel Lawson" (British hangs
                # from Chancellor, a compound of Lawson), or of a body: "senior French Treasury officials".
                if child.dep_ == "compound" and (head.pos_ == "PROPN" or child.ent_type_ == "ORG"):
                    found.extend(title for title in child.subtree if title.i != child.i and title.i < head.i
                                 and title.dep_ in MODIFIER_DEPS)
            elif child.dep_ == "prep" and child.lower_ == "of" and head.lower_ in PARTITIVES:
                found.extend(t for pobj in child.children if pobj.dep_ == "pobj" for t in _noun_phrase_parties(pobj))
            elif child.dep_ == "acl" and child.lemma_.lower() in ORIGIN_VERBS:
                found.extend(pobj for prep in child.children if prep.dep_ == "prep" and prep.lower_ in ("from", "in")
                             for pobj in prep.children if pobj.dep_ == "pobj")
    return found


def _comma_subjects(verb: Token) -> list[Token]:
    """A headline's comma for "and": "WEST GERMANY, TANZANIA AGREE ...", "JAPAN, U.S. SET TO BEGIN TALKS"
    (the first name hangs from the verb, as an adverbial or an unlabelled dependent)."""
    return [c for c in verb.children if c.dep_ in ("npadvmod", "dep") and c.pos_ == "PROPN" and c.i < verb.i
            and c.i + 1 < len(c.doc) and c.doc[c.i + 1].text == ","]


def is_predicate(token: Token) -> bool:
    """A verb, or a word parsed with a subject (title case hides verbs: "X and Y to Strengthen Cooperation")."""
    return token.pos_ in ("VERB", "AUX") or any(c.dep_ in SUBJECT_DEPS for c in token.children)


def _with_partners(head: Token) -> list[Token]:
    """The parties of the "with" phrases hanging from ``head`` ("developed the plane with Britain")."""
    return [t for prep in head.children if prep.dep_ == "prep" and prep.lower_ == "with"
            for pobj in prep.children if pobj.dep_ == "pobj" for t in _noun_phrase_parties(pobj)]


# Prepositions of the field an act is in: "cooperation in the silver market", "talks on trade".
FIELD_PREPOSITIONS = frozenset({"in", "on"})


def internal_arguments(cue: Token, act: Cue, lexicons: Lexicons) -> list[Token]:
    """Parties named inside the cue's own phrase: "Japan's dispute with the U.S.", "U.S.-Japan talks"; for a
    verb cue its subject and objects. What ``act`` is decides more: a demand's clause adds only the subject
    asked to act; a reciprocal act's partner may hang from its object (but an act inside that object keeps its
    own partner, ``lexicons`` telling which words are acts); whoever must meet a threat's condition is
    threatened."""
    is_demand, is_reciprocal = act.relation_type == "DEMAND", act.is_reciprocal
    # What a complaint is about is whose it blames: "U.S. complaints about Japan's agricultural policy" (what talks
    # are about is only their topic).
    blamed = [t for prep in cue.children if act.relation_type == "ACCUSE" and prep.dep_ == "prep"
              and prep.lower_ == "about" for pobj in prep.children if pobj.dep_ == "pobj"
              for t in _noun_phrase_parties(pobj)]
    if not is_predicate(cue) and cue.pos_ != "VERB":
        found = _party_tokens(cue, MODIFIER_DEPS) + blamed
        # A cue modifying a noun shares the noun's parties: "an aid package for Egypt", "tariff cuts for U.S."
        if cue.dep_ == "compound" and cue.head.pos_ == "NOUN":
            found.extend(_party_tokens(cue.head, frozenset()))
        # The small model attaches a noun's pre-modifiers loosely ("Japanese 150 billion yen loan": Japanese
        # hangs from "billion"): any modifier inside the cue's pre-modifiers names a party of it.
        for left in cue.lefts:
            # ... and a country hyphen-joined to one ("U.S.-British pact": U.S. hangs from British)
            found.extend(t for t in left.subtree if t.i != left.i and t not in found and (
                t.dep_ in MODIFIER_DEPS or (t.dep_ == "npadvmod" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text == "-")))
            if left.dep_ == "npadvmod" and left.pos_ == "PROPN":  # "U.S., Japanese open talks"
                found.append(left)
        for child in cue.children:  # "an agreement signed between X and Y"
            if child.dep_ == "acl":
                found.extend(_party_tokens(child, frozenset()))
            # "a treaty on legal assistance between X and Y": the pair the cue's topic is between.
            elif child.dep_ == "prep":
                found.extend(t for pobj in child.children if pobj.dep_ == "pobj" for prep in pobj.children
                             if prep.dep_ == "prep" and prep.lower_ in ("between", "among")
                             for inner in prep.children if inner.dep_ == "pobj" for t in _noun_phrase_parties(inner))
        # A noun for a party renames it by apposition: "Iran's war enemy Iraq", "Syria, an ally of Iran"
        # (not an act's noun: "French and German pressure, especially the French").
        if cue.lemma_.lower() in PARTY_NOUNS:
            found.extend(t for c in cue.children if c.dep_ == "appos" for t in _with_conjuncts(c))
            if cue.dep_ == "appos":
                found.extend(t for t in _with_conjuncts(cue.head) if t.i != cue.i)
        # An adverb cue's partner is its verb's: "France jointly developed the plane with Britain".
        if cue.pos_ == "ADV":
            found.extend(_with_partners(cue.head))
        # An adjective cue is about the thing it describes and the parties that thing names: "a joint
        # Japan-Poland committee".
        if cue.pos_ == "ADJ" and cue.dep_ == "amod" and cue.head.i != cue.i:
            for modifier in cue.head.children:  # and the modifiers of those: "Japan-Poland" (Japan on Poland)
                if modifier.i != cue.i and modifier.dep_ in MODIFIER_DEPS:
                    found.extend(_with_conjuncts(modifier))
                    found.extend(c for c in modifier.children if c.dep_ in MODIFIER_DEPS)
        return found
    found = _party_tokens(cue, SUBJECT_DEPS | OBJECT_DEPS) + _comma_subjects(cue) + blamed
    # A participle on a noun is done to that noun, by a name hyphen-joined to it: "the Soviet-backed Afghan
    # government" (not "a plan backed by ...", whose agent is a party anyway).
    if cue.dep_ == "amod" and cue.tag_ == "VBN" and cue.head.pos_ in ("NOUN", "PROPN"):
        makers = [c for c in cue.children if c.dep_ in ("npadvmod", "compound", "nmod") and c.i < cue.i]
        if makers:
            found.extend(t for maker in makers for t in _noun_phrase_parties(maker))
            found.extend(t for t in _noun_phrase_parties(cue.head) if t.i != cue.i)
    if is_reciprocal:  # the small model hangs the partner on the object: "discussed rice imports with the U.S.",
        # or on the field it names: "discuss cooperation in the silver market with Mexican officials"
        for obj in (c for c in cue.children if c.dep_ == "dobj"):
            found.extend(_with_partners(obj))
            found.extend(t for prep in obj.children if prep.dep_ == "prep" and prep.lower_ in FIELD_PREPOSITIONS
                         for field in prep.children if field.dep_ == "pobj"
                         and cue_of(field, lexicons) is None  # "the crisis in trade relations with Japan"
                         for t in _with_partners(field))
    if act.relation_type == "THREATEN":  # "threatened to impose restrictions if Japan does not open its markets"
        for clause in (cue, *(c for c in cue.children if c.dep_ in ("xcomp", "ccomp"))):
            found.extend(t for condition in clause.children if condition.dep_ == "advcl"
                         and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKERS for m in condition.children)
                         for subject in condition.children if subject.dep_ in SUBJECT_DEPS
                         for t in _noun_phrase_parties(subject))
    for child in cue.children:  # "wanted West Germany and Japan to reduce their rates"
        if child.dep_ in ("ccomp", "xcomp"):
            # "refused to cooperate with Spain"; but a demand is of the one asked to act, not of whom the
            # asker's own act is for: "wanted to sell India a computer" demands nothing of India.
            found.extend(_party_tokens(child, SUBJECT_DEPS) if not is_demand else
                         [t for c in child.children if c.dep_ in SUBJECT_DEPS for t in _noun_phrase_parties(c)])
    if not any(c.dep_ in SUBJECT_DEPS for c in cue.children) and cue.dep_ in ("advcl", "xcomp", "conj"):
        # The controller: "Moscow ..., calling on X"; the object when there is one ("asked France to stop
        # selling arms to Iraq": France sells).
        objects = [c for c in cue.head.children if c.dep_ == "dobj"] if cue.dep_ == "xcomp" else []
        found.extend(_party_tokens(cue.head, frozenset({"dobj"}) if objects else SUBJECT_DEPS))
    return found


def governing_chain(cue: Token) -> tuple[list[Token], Token | None]:
    """The verbs the cue is an argument of, up to its clause, and the noun an infinitive cue hangs from
    ("Kazakhstan and Armenia to strengthen cooperation" parsed as a noun phrase)."""
    chain: list[Token] = []
    token = cue
    for _ in range(MAX_CLIMB):
        if token.head.i == token.i:
            break
        # "Kazakhstan and Armenia to strengthen ...", "Senior U.S. official to visit Japan" (acl or relcl).
        if (token.dep_ == "acl" or (token.dep_ == "relcl" and not any(c.dep_ in SUBJECT_DEPS for c in token.children))) \
                and token.head.pos_ in ("NOUN", "PROPN"):
            return chain, token.head
        if token.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("NOUN", "PROPN"):
            token = token.head
            continue
        # An adverb cue is its verb's manner: "Japan and Thailand to jointly extract rare metals".
        is_manner = token.i == cue.i and token.pos_ == "ADV" and token.dep_ == "advmod"
        # ... and a noun the parse made a clause is an object ("BRITAIN WANTS BANK REGULATION DEAL WITH JAPAN").
        is_object = token.dep_ == "ccomp" and token.pos_ == "NOUN"
        if token.dep_ not in CLIMB_DEPS and not is_manner and not is_object:
            break
        token = token.head
        chain.append(token)
    return chain, None


def external_arguments(chain: list[Token], noun_head: Token | None, cue: Token | None = None,
                       polarity: str = "cooperation") -> list[Token]:
    """Parties attached to what governs the cue: the verbs' subjects (for cooperation, up to a verb opposing it;
    who resists pressure is its target), the object of a verb the cue furnishes it with, the actor of an act the
    cue is in the field of, or the noun an infinitive hangs from (``cue``: the cue token, whose clause under that
    noun is the chain's top)."""
    found: list[Token] = []
    for below, token in zip([cue, *chain], chain):
        if polarity == "cooperation" and token.lemma_.lower() in OPPOSING_HEADS:
            break  # OPPOSING_HEADS
        if below is not None and below.dep_ == "prep" and below.lower_ == "with" and token.pos_ == "VERB":
            # what a verb furnishes its object with: "France is to provide Togo with aid"
            found.extend(_party_tokens(token, frozenset({"dobj"})))
        if below is not None and below.dep_ == "prep" and below.lower_ in ("in", "during") \
                and token.pos_ == "NOUN":
            # an act in the field of another is by that one's actor: "a new attack by Iran in the war against Iraq"
            found.extend(t for c in token.children if c.dep_ == "poss" for t in _with_conjuncts(c))
            found.extend(t for c in token.children if c.dep_ == "prep" and c.lower_ == "by"
                         for pobj in c.children if pobj.dep_ == "pobj" for t in _noun_phrase_parties(pobj))
        if is_predicate(token):
            subjects = _party_tokens(token, SUBJECT_DEPS) + _comma_subjects(token)
            # Coordinated verbs share their subject: "Shultz flew in and drove to a meeting with ..."; a
            # participle takes the subject of the clause it modifies: "Clark, winding up a visit to X, said".
            if not subjects and token.dep_ in ("conj", "advcl") and token.pos_ in ("VERB", "AUX") \
                    and (token.dep_ == "conj" or token.tag_ in ("VBG", "VBN")):
                subjects = _party_tokens(token.head, SUBJECT_DEPS) + _comma_subjects(token.head)
            found.extend(subjects)
    # A headline without a verb names its actors first: "Peru, Ecuador in border deal".
    root = (cue if cue is not None else chain[-1] if chain else None)
    root = root.sent.root if root is not None else None
    if root is not None and root.pos_ in ("NOUN", "PROPN") and not any(t.pos_ in ("VERB", "AUX") for t in root.sent):
        found.extend(_noun_phrase_parties(root))
        found.extend(c for c in root.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN"
                     and c.i > 0 and c.doc[c.i - 1].text == ",")
    if noun_head is not None:
        found.extend(_noun_phrase_parties(noun_head))
        # "America's decision to impose tariffs": the noun's possessor decides; "Washington announced plans
        # to impose tariffs": the subject of the verb that has the plans.
        found.extend(t for c in noun_head.children if c.dep_ == "poss" for t in _with_conjuncts(c))
        clause = chain[-1] if chain else cue
        has_subject = clause is not None and any(c.dep_ in SUBJECT_DEPS for c in clause.children)
        has_agent = any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") for c in noun_head.children)
        if noun_head.dep_ == "dobj" and noun_head.head.pos_ in ("VERB", "AUX") and not has_subject \
                and not has_agent:  # not "backed the decision by the Paris Club to ...", "evidence that X ..."
            found.extend(_party_tokens(noun_head.head, SUBJECT_DEPS))
    return found


# How a wish or demand takes what it wants: "urged talks", "called for talks", "wants to agree".
DESIRE_LINKS = frozenset({"dobj", "xcomp", "ccomp", "attr", "oprd"})


def _intends(head: Token, link: Token) -> bool:
    """Whether ``head`` wishes for ``link`` as the wisher's own act: an infinitive without a subject or object
    of its own ("wishes to reach an agreement"), or a thing wished for ("seeks talks with")."""
    if head.lemma_.lower() not in INTENDING_HEADS or head.pos_ != "VERB":
        return False
    if any(c.dep_ in ("dobj", "dative") and c.i != link.i for c in head.children):
        return False  # "wanted Japan to lift the quotas": another is asked to act
    if link.dep_ == "xcomp":
        return not any(c.dep_ in SUBJECT_DEPS for c in link.children)
    # a noun the parse made a clause is the thing wished for: "BRITAIN WANTS BANK REGULATION DEAL WITH JAPAN"
    return link.dep_ in ("dobj", "prep") or (link.dep_ == "ccomp" and link.pos_ in ("NOUN", "PROPN"))


def _wants(head: Token, link: Token) -> bool:
    """Whether ``head`` is a wish or demand and ``link``, its child, what it wants ("called for talks"; not
    "called the move important in a press conference after talks")."""
    if head.lemma_.lower() in INSTRUCTING_HEADS:
        return link.dep_ == "xcomp" or (link.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                                     for c in link.children))
    if head.lemma_.lower() not in DESIRE_HEADS or _intends(head, link):
        return False
    if link.dep_ == "prep":  # "called for talks", "seek in credits"; a fronted adverbial is no wish
        return link.i > head.i
    return link.dep_ in DESIRE_LINKS or head.pos_ == "NOUN"


def is_unrealised(cue: Token, chain: list[Token], polarity: str) -> bool:
    """Cooperation that is only wished for or demanded ("calling on the U.S. to agree to a ban", "urged
    talks", "a call for talks"): a wish up to the first verb that governs the cue, or the wish that verb is
    the complement of; not one the cue is only an adverbial of, nor one beyond another verb ("urged sanctions
    for violating the U.S.-Japan agreement")."""
    path = [cue, *chain]
    if polarity != "cooperation":
        # a threatened act is only the threat: "threatened to impose restrictions" (THREATEN, not SANCTION)
        # (not what the warned are told to do: "warned his troops to expect further Iranian attacks")
        return any(link.head.lemma_.lower() in THREATENING_HEADS
                   and (link.dep_ == "ccomp" or (link.dep_ == "xcomp" and not any(
                       c.dep_ == "dobj" for c in link.head.children)))
                   and any(c.dep_ == "aux" and c.lower_ in THREATENED_AUXILIARIES for c in link.children)
                   for link in path)
    for link, head in zip(path, path[1:]):
        if _wants(head, link):
            return True
        if head.pos_ in ("VERB", "AUX"):
            break
    verb = next((t for t in path if t.pos_ in ("VERB", "AUX")), path[-1])
    # ... or a wish's clause: "wanted Japan to lift the quotas", "the U.S. demand that Japan lift the quotas"
    return verb.dep_ in ("xcomp", "ccomp") and verb.head.i != verb.i and _wants(verb.head, verb) or (
        verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and verb.head.lemma_.lower() in DESIRE_HEADS)


def is_negated(cue: Token, chain: list[Token]) -> bool:
    """Negated, denied, prevented, doubted or conditional: "no talks", "did not agree", "denied it would", "barred
    sanctions", "a meeting unlikely", "if they sign", "the cancelled trip" (and "CANCELS TRIP" in a headline the
    small model reads as a compound)."""
    if any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in NEGATING_HEADS | PREVENTING_HEADS
           for c in cue.children):
        return True
    # ... or doubted: "a meeting unlikely", "talks are unlikely"
    if any(c.dep_ in ("amod", "acomp") and c.lower_ in DOUBTING_WORDS
           for c in [*cue.children, *(cue.head.children if cue.dep_ == "nsubj" else ())]):
        return True
    for token in [cue, *chain]:
        # A verb coordinated with a negated one shares its negation when it has no subject of its own ("is
        # not being promoted by Brazil or even defended by Peru").
        # Not after "but": "did not specify which computer but had offered India a choice".
        shared = [token.head] if token.dep_ == "conj" and token.pos_ == "VERB" and not any(
            c.dep_ in SUBJECT_DEPS for c in token.children) and not any(
            c.dep_ == "cc" and c.lower_ in CONTRASTING_CONJUNCTIONS and token.head.i < c.i < token.i
            for c in [*token.head.children, *token.children]) else []
        for child in [*token.children, *(c for h in shared for c in h.children if c.dep_ == "neg")]:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
            if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
                return True  # "no longer under any pressure from the U.S."
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKERS:
                return True
        if token.i != cue.i and token.lemma_.lower() in NEGATING_HEADS:
            return True
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None and verb.lemma_.lower() in PREVENTING_HEADS:
        link = next((t for t in [cue, *chain] if t.head.i == verb.i and t.i != verb.i), None)
        if link is not None and link.dep_ in ("dobj", "xcomp"):
            return True
    top = chain[-1] if chain else cue
    # ... or the clause of a verb that is negated or negates: "did not think Iran and the U.S. were moving
    # towards a conflict", "denied it would sanction"
    return top.head.i != top.i and top.dep_ in ("ccomp", "xcomp") and (
        top.head.lemma_.lower() in NEGATING_HEADS or any(c.dep_ == "neg" for c in top.head.children))


# Clauses whose it/its is the country of the main clause's subject: what it says ("Iran said its troops ...")
# and what happens around its acts ("Tehran announced, after its forces overran ...").
PRONOUN_CLAUSES = frozenset({"ccomp", "advcl"})


def _speaker_country_of_pronoun(token: Token, actors_by_token: dict[int, tuple[str, ...]],
                                officials: dict[int, tuple[str, ...]] | None = None,
                                plural: bool = False) -> tuple[str, ...] | None:
    """ "Iran said it had achieved its objectives": it/its in what a country says is that country; with
    ``officials`` (state agents' countries by their modifier token), he/she in what an official says ("a
    British minister said he had warned Tokyo"), and with ``plural`` "they" in what officials say."""
    clause = token
    while clause.dep_ not in PRONOUN_CLAUSES and clause.head.i != clause.i:
        if plural and clause.dep_ in ("relcl", "acl"):
            return None  # "tankers ... where they could be threatened": they are what the clause is about
        clause = clause.head
    if clause.dep_ not in PRONOUN_CLAUSES:
        return None
    for subject in clause.head.children:
        if subject.dep_ in SUBJECT_DEPS and (not plural or subject.tag_ == "NNS"):
            if subject.i in actors_by_token:
                return actors_by_token[subject.i]
            # The official's country in their title: "a British minister", "Iranian Premier Mir-Hossein Mousavi".
            for child in subject.subtree if officials else ():
                if child.i < subject.i and child.dep_ in MODIFIER_DEPS and child.i in officials:
                    return officials[child.i]
    return None


def _said_by_other_thing(pronoun: Token) -> bool:
    """Whether "it" is in what a singular thing or person other than a country says or does: "The EU has also
    announced that it will start accession talks" (it is the EU, not the country the sentence before was
    about), "he warned it was not a complete cure" (it is what he speaks of)."""
    clause = pronoun
    while clause.dep_ not in PRONOUN_CLAUSES and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ not in PRONOUN_CLAUSES:
        return False
    return any(s.dep_ in SUBJECT_DEPS and (s.tag_ in ("NN", "NNP") or s.lower_ in ("he", "she"))
               for s in clause.head.children)


# Definite nouns for the country the previous sentence's subject was: "the kingdom", "the country".
STATE_NOUNS = frozenset({"country", "kingdom", "republic", "emirate", "nation", "state"})
# What an official's "his"/"her" makes their state: "his country", "her government".
OWN_STATE_NOUNS = frozenset({"country", "nation", "government"})


RELATIVE_PRONOUNS = frozenset({"which", "who", "that"})


def _antecedent_country(noun: Token, clause: Token, actors_by_token: dict[int, tuple[str, ...]],
                        officials: dict[int, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The countries a relative clause's noun stands for: a country itself ("Japan, which signed ..."), a
    coordination when the clause's verb is plural ("Iran and Iraq, which have been at war"), a state agent of a
    country ("US lawmakers who blame China"), or the subject a copula equates it with ("Egypt is the only Arab
    country which has signed ...")."""
    if noun.i in actors_by_token:
        is_singular = any(t.tag_ == "VBZ" for t in (clause, *clause.children) if t.i == clause.i or t.dep_ == "aux")
        if is_singular:
            return actors_by_token[noun.i]
        codes = [code for t in _with_conjuncts(_anchor(noun)) for code in actors_by_token.get(t.i, ())]
        return tuple(dict.fromkeys(codes))[:2] if len(set(codes)) <= 2 else actors_by_token[noun.i]
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS and child.i in officials:
            return officials[child.i]
    if noun.dep_ == "attr" and noun.lemma_.lower() in STATE_NOUNS:
        for subject in noun.head.children:
            if subject.dep_ == "nsubj" and subject.i in actors_by_token:
                return actors_by_token[subject.i]
    return None


def _is_quoted(token: Token, quotes: list[Quote]) -> bool:
    return any(quote.kind == "direct" and token.i in quote.token_indexes for quote in quotes)


def main_subject(sentence: Span, actors: list[Actor]) -> tuple[str, ...] | None:
    """The countries that are the subject of a sentence's main verb (one, or a coordinated pair: "Japan and
    the U.S. agreed"), for "it", "the kingdom" and "they" after it; None when the subject is anything else."""
    by_token = {a.token.i: a for a in actors if not a.is_goods and len(a.codes) == 1}
    for child in sentence.root.children:
        if child.dep_ in SUBJECT_DEPS:
            codes: list[str] = []
            for conjunct in _with_conjuncts(child):
                actor = by_token.get(conjunct.i) or next(
                    (by_token[c.i] for c in conjunct.children if c.dep_ in MODIFIER_DEPS and c.i in by_token), None)
                if actor is None:
                    return None  # "Japan and its banks": not only countries
                codes.extend(code for code in actor.codes if code not in codes)
            return tuple(codes) if 0 < len(codes) <= 2 else None
    return None


def sentence_actors(sentence: Span, mentions: list[CountryMention], quotes: list[Quote],
                    pair: tuple[str, str] | None, lexicons: Lexicons, people: dict[int, PersonActor],
                    agents: dict[str, str], previous: tuple[str, ...] | None = None) -> list[Actor]:
    """The country actors of a sentence: mentions that are not locations or things, officials of a known
    country, "we/our" in a quote of a speaker with a country, "it/its" in what a country said, "he"/"she" in what an
    official says and a bare "troops" in what a country says, "it" and "the kingdom" for ``previous`` (the
    country the sentence before had as its subject) and "they" for a pair that was, and phrases for the pair
    in context."""
    actors = []
    for m in mentions:
        if not sentence.start <= m.root.i < sentence.end or m.is_location:
            continue
        sector = mention_sector(m, agents)
        if is_actor(m, lexicons, agents):
            actors.append(Actor(m.root, (m.code,), m.span.text, sector))
        elif m.root.dep_ in ("amod", "compound", "nmod"):
            # Its goods, assets or people ("Japanese chips", "Pakistani villages"): a side only as the target
            # of the acts ``is_trade_target`` names.
            actors.append(Actor(m.root, (m.code,), m.span.text, sector, is_goods=True))
    tokens = list(sentence)  # iterated up to three times below; spaCy makes a new Token object per step
    for token in tokens:
        # The head word of an official's name ("James Baker": Baker) stands for the official; only people in
        # a state office act for the state.
        person = people.get(token.i)
        is_name_part = token.dep_ in ("compound", "flat") and token.head.i in people  # "Nestor" of Nestor Kirchner
        if person is not None and not is_name_part and (person.sector or "GOV") in STATE_SECTORS:
            actors.append(Actor(token, (person.country,), token.text, person.sector or "GOV"))
    by_token = {a.token.i: a.codes for a in actors}
    for quote in quotes:
        if quote.kind != "direct" or quote.speaker is None or quote.speaker.country is None:
            continue
        # "I"/"my" too when the speaker holds a state office: "My visit to the United States ...," Nakasone said.
        first_person = FIRST_PERSON | (SINGULAR_FIRST_PERSON if quote.speaker.sector in STATE_SECTORS else set())
        for index in quote.token_indexes:
            token = sentence.doc[index]
            if sentence.start <= index < sentence.end and token.lower_ in first_person:
                actors.append(Actor(token, (quote.speaker.country,), token.text))
    for token in tokens:
        if token.lower_ in RELATIVE_PRONOUNS and token.dep_ in SUBJECT_DEPS and token.head.dep_ == "relcl":
            officials = {a.token.i: a.codes for a in actors if a.sector in STATE_SECTORS}
            codes = _antecedent_country(token.head.head, token.head, by_token, officials)
            if codes:
                actors.append(Actor(token, codes, token.text))
        elif token.lower_ in ("it", "its") and token.dep_ in ("nsubj", "nsubjpass", "poss"):
            # "it" is no person: "Both Brazil and its creditors ..., Volcker said" is not Volcker's country.
            codes = _speaker_country_of_pronoun(token, {i: c for i, c in by_token.items() if i not in people})
            if codes:
                actors.append(Actor(token, codes, token.text))
            elif previous is not None and len(previous) == 1 and token.lower_ == "it" and token.i not in by_token \
                    and not _is_quoted(token, quotes) and not _said_by_other_thing(token) \
                    and not any(a.token.i < token.i and a.token.dep_ in SUBJECT_DEPS and not a.is_goods
                                for a in actors):
                # "Japan agreed ... It will also ..."; but a country subject before it in its own sentence is
                # nearer ("Tehran announced, after its forces overran Faw, that it had missiles").
                actors.append(Actor(token, previous, token.text))
        elif token.lower_ == "they" and previous is not None and len(previous) == 2 and token.dep_ in SUBJECT_DEPS \
                and token.head.i == sentence.root.i and not _is_quoted(token, quotes):
            actors.append(Actor(token, previous, token.text))  # "Japan and the U.S. met. They agreed ..."
        elif token.lower_ == "they" and token.dep_ in SUBJECT_DEPS and not _is_quoted(token, quotes) and (
                codes := _speaker_country_of_pronoun(
                    token, {}, {a.token.i: a.codes for a in actors if a.sector in STATE_SECTORS}, plural=True)):
            actors.append(Actor(token, codes, token.text))  # "Peruvian officials have said they will discuss"
        elif token.dep_ in SUBJECT_DEPS and token.pos_ == "NOUN" and token.i not in by_token \
                and (sector := agent_sector(token, agents)) in STATE_SECTORS \
                and not any(c.i in by_token for c in token.children):
            codes = _speaker_country_of_pronoun(token, by_token)  # "NIGER SAYS TROOPS REPELLED MALI RAID"
            if codes:
                actors.append(Actor(token, codes, token.text, sector))
        elif token.lower_ in ("he", "she") and token.dep_ in SUBJECT_DEPS and token.i not in by_token:
            officials = {a.token.i: a.codes for a in actors if a.sector in STATE_SECTORS}
            codes = _speaker_country_of_pronoun(token, by_token, officials)  # "a British minister said he ..."
            if codes:
                actors.append(Actor(token, codes, token.text))
        elif token.lower_ in OWN_STATE_NOUNS and token.i not in by_token and (owner := next(
                (c for c in token.children if c.dep_ == "poss" and c.lower_ in THIRD_PERSON_POSSESSIVES), None)):
            # "Iranian Premier Mousavi reiterated his country would retaliate": an official's country, known
            # from who "his" is, or from the official whose words these are.
            person = people.get(owner.i)
            if person is not None and (person.sector or "GOV") in STATE_SECTORS:
                codes = (person.country,)
            else:
                officials = {a.token.i: a.codes for a in actors if a.sector in STATE_SECTORS}
                codes = _speaker_country_of_pronoun(token, by_token, officials)
            if codes:
                actors.append(Actor(token, codes, f"{owner.text} {token.text}"))
        elif previous is not None and len(previous) == 1 and token.lower_ in STATE_NOUNS and token.dep_ in SUBJECT_DEPS \
                and [c.lower_ for c in token.children] == ["the"]:
            actors.append(Actor(token, previous, f"the {token.text}"))  # "the kingdom", "the country"
    if pair is not None:
        # "bilateral" is the pair in context only in a sentence naming no third country: "The Nigerians will go on
        # to Paris for similar bilateral talks with Coface, the French export credit agency" (after their talks
        # with Britain) are Nigeria's with France.
        is_pair_only = all(set(a.codes) <= set(pair) for a in actors if not a.is_goods)
        for token in tokens:
            # "the two countries", "both sides", "the nations"; not "the nations of the world", nor "the
            # industrial countries" (an adjective without "two"/"both" picks out other countries).
            children = list(token.children)
            has_number = any(c.lower_ in PAIR_DETERMINERS for c in children)
            other_number = any(c.dep_ == "nummod" and c.lower_ not in PAIR_DETERMINERS for c in children)
            # A word of a name is none: "States" of "the United States".
            is_pair_phrase = token.lower_ in PAIR_PHRASES and not other_number and token.pos_ != "PROPN" \
                and token.ent_type_ not in ("GPE", "ORG", "NORP") \
                and (has_number or any(c.lower_ == "the" for c in children)) \
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in children) \
                and (has_number or not any(c.dep_ == "amod" for c in children))
            # "bilateral" on anything, "mutual" on an act only ("mutual funds" are none).
            is_pair_modifier = token.lower_ in PAIR_MODIFIERS and is_pair_only and (
                token.lower_ != "mutual" or cue_of(token.head, lexicons) is not None)
            if is_pair_phrase or is_pair_modifier:
                actors.append(Actor(token, pair, token.text))
    return actors


def _anchor(token: Token) -> Token:
    """The first conjunct of a coordination ("X and Y": X), which stands for the whole role; a headline's name
    before a comma for "and" stands in its verb's subject's ("U.S., JAPAN WARN IRAN")."""
    if token in _comma_subjects(token.head):
        token = next((c for c in token.head.children if c.dep_ == "nsubj"), token)
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head
    return token


def _role_anchor(token: Token) -> Token:
    """The anchor of the role a token stands in, through the title of a person it names ("German Chancellor
    Gerhard Schroeder and French President Jacques Chirac called for ...": German's role is Schroeder's)."""
    head = token
    while head.dep_ in ("compound", "amod") and head.head.pos_ == "PROPN" and head.head.i != head.i:
        head = head.head
    return _anchor(head if head.i != token.i and head.ent_type_ == "PERSON" else token)


def _pairs_within(anchor: Token, cue: Token) -> bool:
    """Whether a coordination names both sides: as subject ("X and Y agreed"), after between/among or as the
    makers of a noun cue ("an agreement by X, Y and Z"), or as modifiers ("U.S.-Japan talks"); not as the objects
    of one side ("talks with X, Y and Z"), nor as the passive subject of the cue itself ("X and Y were invited",
    but "X and Y are scheduled to meet"); a verbless headline's subject counts ("Argentina, Venezuela in oil
    deal")."""
    if cue.tag_ == "NNS" and cue.lemma_.lower() in ALLY_NOUNS and any(c.dep_ == "poss" for c in cue.children):
        return False  # "Greece and Turkey's NATO allies", "Britain and West Germany told their partners"
    if anchor.dep_ in MODIFIER_DEPS and anchor.head.i != anchor.i:
        # Modifiers of the cue ("U.S.-Japan talks") or of a noun in a role that pairs ("U.S. and Japanese
        # officials met"); not of one side ("talks with Chinese, Japanese and South Korean officials").
        noun = anchor.head
        return noun.i == cue.i or noun.dep_ in ("compound", "amod") and noun.head.i == cue.i \
            or _pairs_within(noun, cue)
    if anchor.dep_ in ("nsubj", "ROOT") or (anchor.dep_ == "nsubjpass" and anchor.head.i != cue.i):
        # ... not those who each receive it: "Uganda and Mozambique won debt rescheduling accords" (from creditors)
        return not (anchor.dep_ == "nsubj" and anchor.head.lemma_.lower() in RECEIVING_VERBS
                    and cue.dep_ == "dobj" and cue.head.i == anchor.head.i)
    # "talks between X and Y"; "the Paris agreement by the U.S., Japan, ... and Canada" (its makers).
    if anchor.dep_ == "pobj" and anchor.head.dep_ == "agent" and anchor.head.head.i == cue.i:
        return True  # "the accord was signed by Nigerian Finance Minister Chu Okongwu and French officials"
    return anchor.dep_ == "pobj" and (anchor.head.lower_ in ("between", "among") or (
        anchor.head.lower_ == "by" and anchor.head.head.i == cue.i and cue.pos_ == "NOUN"))


# Verbs whose coordinated subjects each receive what their object names, from someone else.
RECEIVING_VERBS = frozenset({"win", "receive", "get", "obtain"})
# Nouns for the other side of a relation: "X's allies" are not X.
ALLY_NOUNS = frozenset({"ally", "partner"})


def _member_group(token: Token, role_words: frozenset[str] | set[str]) -> int | None:
    """The group noun a listed country is a member of, by apposition ("Asia's biggest energy consumers -
    China, India, Japan and South Korea"): its members are one side together. Not for people ("the two
    leaders, Reagan and Gorbachev, met")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "appos" and token.head.pos_ == "NOUN" and token.head.lemma_.lower() not in role_words \
            and token.head.lower_ not in role_words:
        return token.head.i
    return None


# Verbs through which a predicate qualifies their subject: "relations remain tense".
LINKING_VERBS = frozenset({"be", "remain", "become", "grow", "seem", "appear", "look"})
CUE_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADV"})
# Dependents that complete a multi-word cue: "iron out", "sign an accord", "break off relations", "work together",
# "strained relations".
PHRASE_DEPS = frozenset({"prt", "dobj", "prep", "pobj", "attr", "compound", "nsubjpass", "advmod", "amod"})


def is_trade_target(actor: Actor, cue_token: Token, cue: Cue) -> bool:
    """A country named through its goods or assets is a side only as the target of a trade measure, a
    complaint or an attack: "tariffs on Japanese semiconductors", "curbs against imports of Japanese
    chips", "an attack on an Iranian oil platform", "raided Pakistani villages"."""
    if cue.relation_type not in ("SANCTION", "ACCUSE", "FIGHT") or cue.is_reciprocal:
        return False
    thing = actor.token.head
    for _ in range(4):  # up the object phrase: "on 300 mln dlrs worth of Japanese goods"
        if thing.dep_ == "dobj" and thing.head.i == cue_token.i:
            return True
        if thing.dep_ == "pobj" and thing.head.lower_ in ("on", "against") and thing.head.head.i == cue_token.i:
            return True
        if thing.dep_ not in ("pobj", "prep", "compound", "nmod", "npadvmod", "amod") or thing.head.i == thing.i:
            return False
        thing = thing.head
    return False


def has_other_possessor(cue: Token, by_token: dict[int, list[Actor]]) -> bool:
    """A noun cue whose possessor is a noun that is no country actor: "the banks' refusal" (a time is no
    owner: "this week's meeting")."""
    return not is_predicate(cue) and any(
        c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") and c.i not in by_token and c.ent_type_ not in ("DATE", "TIME")
        for c in cue.children)


# Prepositions of what is talked about.
TOPIC_PREPOSITIONS = frozenset({"about", "regarding", "concerning"})
# Prepositions whose object is the source or actor of a directed act, not its recipient: "by", "from".
SOURCE_PREPOSITIONS = frozenset({"by", "from", "between", "among"})


def _is_topic(actor: Actor, cue: Token, act: Cue) -> bool:
    """A country in what a reciprocal act is over, not a side of it: "AGENCIES DISAGREE OVER IRAN COMPUTER
    SALES", "talks over Kashmir"; or on or about, but for a fight ("talks on Iran", not "war on Iraq")."""
    prepositions = ("over",) if act.relation_type == "FIGHT" else ("over", "on", "about")
    token = actor.token
    while token.head.i != token.i and token.head.i != cue.i:
        if token.dep_ == "pobj" and token.head.lower_ in ("with", "between", "among"):
            return False  # a partner the parse hangs on the topic: "an agreement on chips with the United States"
        if token.dep_ == "pobj" and token.head.lower_ in prepositions and token.head.head.i == cue.i:
            return True
        token = token.head
    return False


def _is_counterpart(party: Token, cue: Token) -> bool:
    """Whether a party is the object of the cue noun's "with" or "against": "talks with the United States"."""
    return cue.pos_ == "NOUN" and party.dep_ == "pobj" and party.head.lower_ in ("with", "against") \
        and party.head.head.i == cue.i and not any(c.dep_ == "poss" for c in cue.children)


def _speaker_side(cue: Token, by_token: dict[int, list[Actor]], lexicons: Lexicons) -> list[Actor]:
    """The country actors who say the clause a cue is in: the subject of the speech verb it reports to, a
    country or a state agent of one ("Mulroney said ...", "U.S. officials said ...")."""
    clause = cue
    while clause.dep_ != "ccomp" and clause.head.i != clause.i:
        if clause.dep_ in ("relcl", "acl", "advcl"):
            return []
        clause = clause.head
    verb = clause.head
    if clause.dep_ != "ccomp" or verb.lemma_.lower() not in lexicons.speech_verbs:
        return []
    found: list[Actor] = []
    for subject in verb.children:
        if subject.dep_ == "nsubj":
            found.extend(a for t in subject.subtree if t.i <= subject.i for a in by_token.get(t.i, [])
                         if not a.is_goods and (a.sector or "GOV") in STATE_SECTORS)
    # Not when the clause names a third country, whose act it may be ("an attack by Iran in the Gulf war
    # against Iraq"); the speaker's own ("our approach in negotiations with the Soviets") is no third.
    own = {t.i for p in cue.children if p.dep_ == "prep" for t in p.subtree}
    known = {code for a in found for code in a.codes}
    if any(t.i not in own and not set(a.codes) <= known for t in clause.subtree for a in by_token.get(t.i, [])):
        return []
    return found


def _led_by_other_side(anchor: Token, by_token: dict[int, list[Actor]]) -> bool:
    """Whether a coordination opens with a group that is no country ("talks between banks and Mexico, Chile
    and Venezuela"): the countries after it are the other side, together."""
    return anchor.i not in by_token and anchor.tag_ == "NNS" and anchor.dep_ == "pobj" \
        and anchor.head.lower_ in ("between", "among")


def _without_topics(parties: list[Actor], cue: Token) -> list[Actor]:
    """A reciprocal act whose two sides one coordination names has a third country that modifies it, or its verb's
    object, for its topic: "CHINA AND PORTUGAL SIGN MACAO DEAL", "Britain and Argentina held Falklands talks"."""
    sides: dict[int, set[str]] = {}
    for actor in parties:
        sides.setdefault(_role_anchor(actor.token).i, set()).update(actor.codes)
    topics = {c.i for n in (cue, *(c for c in cue.children if c.dep_ == "dobj")) for c in n.children
              if c.dep_ == "compound"}
    for anchor, codes in sides.items():
        if len(codes) >= 2 and _pairs_within(cue.doc[anchor], cue):
            return [a for a in parties if a.token.i not in topics or set(a.codes) & codes]
    return parties


def _has_counterpart(cue: Token, chain: list[Token], coordination: Token) -> bool:
    """Whether a reciprocal act names its other side after "with" or "against", on the cue or the verb that
    governs it, so that a coordination beside it is one side ("Iraq and China have barter deals with Brazil",
    "Venezuela, Chile and the Philippines have reached agreement with commercial banks")."""
    # An organisation naming the act: "Iraq and Afghanistan in WTO talks" each talk with the WTO.
    if cue.pos_ == "NOUN" and any(c.dep_ == "compound" and c.ent_type_ == "ORG" and c.i != coordination.i
                                  for c in cue.children):
        return True
    for head in [cue, *chain[:1]]:
        for prep in head.children:
            # Someone: a name or a plural ("with creditor banks"), not "with the aim of".
            if prep.dep_ == "prep" and prep.lower_ in ("with", "against") and any(
                    p.dep_ == "pobj" and p.i != coordination.i and (p.pos_ == "PROPN" or p.tag_ == "NNS"
                                                                   or p.ent_type_ in ("ORG", "GPE", "NORP"))
                    for p in prep.children):
                return True
    return False


def _is_recipient(anchor: Token) -> bool:
    """A party named as the object of a preposition that marks a recipient or target ("to Y", "on Y")."""
    return anchor.dep_ == "pobj" and anchor.head.lower_ not in SOURCE_PREPOSITIONS


# Nouns that are a quarrel only with a party, a kind or a subject ("Japan's row with the U.S.", "a trade row over
# chips"); bare, they are another word ("for the third day in a row").
QUARREL_NOUNS = frozenset({"row"})
QUARREL_PREPOSITIONS = frozenset({"with", "between", "among", "over"})
# Nouns that are a measure against another only with what they fall on ("quotas on U.S. beef", "import quotas");
# else a share allotted ("Ecuador's OPEC quota", "coffee export quota shares").
ALLOTMENT_NOUNS = frozenset({"quota"})


def cue_of(token: Token, lexicons: Lexicons) -> Cue | None:
    """The cue a token is: a multi-word cue whose second word depends on it wins over the word alone."""
    if token.pos_ not in CUE_POS or (token.pos_ == "ADV" and (token.dep_ != "advmod"
                                                            or token.head.pos_ not in ("VERB", "AUX"))):
        return None  # an adverb is a cue only as the manner of an act ("jointly extract")
    lemma = token.lemma_.lower()
    if lemma in QUARREL_NOUNS and not any(
            c.dep_ in MODIFIER_DEPS or (c.dep_ == "prep" and c.lower_ in QUARREL_PREPOSITIONS) for c in token.children):
        return None  # "three days in a row", "a row of houses"
    if lemma in ALLOTMENT_NOUNS and not any(
            (c.dep_ == "prep" and c.lower_ in ("on", "against"))
            or (c.dep_ in MODIFIER_DEPS and c.lemma_.lower() == "import")
            for c in token.children):
        return None
    phrases = lexicons.phrase_cues.get(lemma)
    cue: Cue | None = None
    if phrases:
        # ... and what a linking verb says of the cue: "relations have been tense".
        predicates = [c for c in token.head.children if c.dep_ in ("acomp", "attr")] \
            if token.dep_ == "nsubj" and token.head.lemma_.lower() in LINKING_VERBS else []
        for child in [*token.children, *predicates]:
            if child.dep_ in PHRASE_DEPS or child in predicates:
                cue = phrases.get(child.lemma_.lower()) or phrases.get(child.lower_)
                if cue is not None:
                    break
    # A verb-only cue (the dictionary's, "press") on a noun gives way to the next candidate, and a checked verb
    # with a particle no phrase names is another verb ("backed down", "pressed ahead"); a checked noun is no
    # verb ("how he would deal with North Korea").
    has_particle = any(child.dep_ == "prt" for child in token.children)
    candidates = [cue, lexicons.cues.get(lemma), lexicons.cues.get(token.lower_)]
    if token.pos_ == "PROPN" and token.lower_.endswith("s"):
        # a plural the model took for a name keeps its "s" as lemma: Reuters capitalises the word after "U.S."
        # ("recent U.S. Complaints about Japan's agricultural policy", "U.S. Tariffs")
        candidates.append(lexicons.cues.get(token.lower_[:-1]))
    found = next((c for c in candidates if c is not None and (not c.is_verb_only or token.pos_ == "VERB")
                  and not (c.source == "checked noun" and token.pos_ not in ("NOUN", "PROPN"))
                  and not (c is not cue and c.source == "checked verb" and has_particle)), None)
    if found is None and lemma in REQUEST_HEADS and token.pos_ == "VERB" \
            and any(c.dep_ == "dobj" for c in token.children) \
            and any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                    for c in token.children):
        return lexicons.cues.get(REQUEST_CUE)  # "told Japan to do more", not "told reporters"
    if found is None and lemma in CHARGING_HEADS and token.pos_ == "VERB" and any(
            c.dep_ == "ccomp" and any(s.dep_ in SUBJECT_DEPS for s in c.children) for c in token.children):
        return lexicons.cues.get(CHARGE_CUE)
    return found


def is_discarded(sentence: Span, discards: dict[str, list[tuple[str, ...]]]) -> bool:
    """A sentence with a phrase of the discard list (sports, entertainment): "the World Cup", "test series"."""
    words = [t.lower_ for t in sentence]
    for start, word in enumerate(words):
        for phrase in discards.get(word, ()):
            if tuple(words[start:start + len(phrase)]) == phrase:
                return True
    return False


# Nouns whose compound modifiers name a body, not an act: "the French export credit agency", "the trade
# commission".
BODY_NOUNS = frozenset({"agency", "committee", "commission", "council", "office"})


@dataclass(frozen=True)
class CueMatch:
    """A cue word of a sentence that is neither negated nor only wished for, with what governs it."""

    token: Token
    cue: Cue
    chain: list[Token]
    noun_head: Token | None


def sentence_cues(sentence: Span, lexicons: Lexicons, agents: dict[str, str] | None = None) -> list[CueMatch]:
    """The sentence's asserted cues: negated, conditional or unrealised ones are dropped, and so is a cue
    word that names a kind of agent (``agents``: "attack helicopters", "aid workers") or a body ("the French
    export credit agency")."""
    found = []
    for token in sentence:
        cue = cue_of(token, lexicons)
        if cue is None or (token.dep_ == "compound" and (
                token.head.lemma_.lower() in BODY_NOUNS or (agents and agent_sector(token.head, agents) is not None))):
            continue
        if token.lower_ == "according":
            continue  # "according to the report": no accord
        if token.lemma_.lower() in NAMING_SENSES and any(c.dep_ == "oprd" for c in token.children):
            # "Chirac called the UK's rebate 'unjustified'": naming is judging, no demand; news judges so to
            # criticise.
            cue = lexicons.cues.get(NAMING_CUE)
            if cue is None:
                continue
        chain, noun_head = governing_chain(token)
        governing = chain + ([noun_head] if noun_head is not None else [])  # "no plans to hold talks"
        # What a clause concedes holds whatever the clause says: "despite U.S. pressure, Ottawa was not
        # considering limits" is pressure.
        concession = next((i for i, t in enumerate(chain) if t.lower_ in CONCESSIVE_WORDS), None)
        if concession is not None:
            governing = chain[:concession + 1]
        if is_negated(token, governing):
            continue
        # What a verb cuts or eases was there before: "slashed aid to Panama" is aid and its cut, "lift sanctions
        # against Japan" sanctions and their easing (each dropped if only wished for).
        undone = reversed_cue(token, cue)
        for act in (cue, undone) if undone is not cue else (cue,):
            if not is_unrealised(token, governing, act.polarity):
                found.append(CueMatch(token, act, chain, noun_head))
    return found


# Verbs that undo what their object names (CAMEO 16 "reduce relations", 08 "yield"): cooperation cut is
# conflict ("slash foreign aid to Panama": 162 reduce or stop aid; "suspended talks": 164 halt negotiations;
# "froze relations": 161), sanctions eased are cooperation ("dropped tariffs on Chinese imports": 085 ease
# economic sanctions). Goldstein values from reference/cameo_goldstein.tsv.
REDUCING_HEADS = frozenset({"cut", "slash", "suspend", "halt", "freeze", "stop", "withdraw", "curtail", "reduce",
                            "sever", "terminate", "reduction", "suspension", "withdrawal"})
EASING_HEADS = frozenset({"lift", "ease", "drop", "remove", "relax", "waive", "suspend", "end", "cut", "reduce",
                          "lower", "dismantle", "abolish", "rescind", "repeal", "reduction", "removal", "relaxation",
                          "suspension", "elimination"})
REVERSALS: dict[str, tuple[str, str, float]] = {
    "AID": ("SANCTION", "162", -5.6), "CONSULT": ("REJECT", "164", -7.0), "AGREE": ("REJECT", "161", -4.0),
    "COOPERATE": ("REJECT", "161", -4.0), "SANCTION": ("COOPERATE", "085", 7.0),
}


def reversed_cue(token: Token, cue: Cue) -> Cue:
    """What the verb a cue is the object of does to it: cooperation cut is conflict, sanctions eased are
    cooperation (``REVERSALS``); else the cue itself."""
    # ... and the noun it modifies: "tariff cuts for the U.S.", "aid cuts".
    is_object = token.dep_ in ("dobj", "nsubjpass") or (token.dep_ == "compound" and token.head.pos_ == "NOUN")
    if not is_object or token.head.i == token.i or token.pos_ not in ("NOUN", "PROPN"):
        return cue
    head = token.head.lemma_.lower()
    undoes = head in REDUCING_HEADS if cue.polarity == "cooperation" else (
        head in EASING_HEADS and cue.relation_type == "SANCTION")
    if not undoes:
        return cue
    kind, code, goldstein = REVERSALS[cue.relation_type]
    quad = TYPE_QUAD[kind]
    return replace(cue, polarity=POLARITY[quad], relation_type=kind, quad_class=quad, cameo_code=code,
                   goldstein=goldstein)


# What ends a sentence of running text; a headline ends without it.
CLOSING_PUNCTUATION = frozenset(".!?\"'”’)")


def headline_pair(sentence: Span, actors: list[Actor]) -> list[Actor]:
    """The two states a headline opens with, a comma for "and" ("U.S., SOVIETS TO RESUME TALKS", "U.S., JAPAN
    TRADE TIES REMAIN HOSTILE"): the sides of its reciprocal acts, however the parse hangs them."""
    text = sentence.text.strip()
    if not text or text[-1] in CLOSING_PUNCTUATION:
        return []
    tokens = list(sentence)
    comma = next((i for i, t in enumerate(tokens[:5]) if t.text == ","), None)
    if not comma or not all(t.ent_type_ for t in tokens[:comma]):
        return []
    end = comma + 1
    while end < len(tokens) and tokens[end].ent_type_ and (end == comma + 1 or tokens[end].ent_iob_ == "I"):
        end += 1
    states = [a for a in actors if not a.is_goods and (a.sector is None or a.sector in STATE_SECTORS)]
    left = [a for a in states if a.token.i - sentence.start < comma]
    right = [a for a in states if comma < a.token.i - sentence.start < end]  # not "JAPAN TRADING FIRM"
    if len(left) != 1 or len(right) != 1 or set(left[0].codes) & set(right[0].codes):
        return []
    return left + right


def _is_headline_act(token: Token, lexicons: Lexicons) -> bool:
    """Whether a cue is what a headline says its opening names do: its verb ("AGREE", "TO RESUME"), its subject
    ("TRADE TIES REMAIN HOSTILE") or the object of a cue verb ("SIGN MACAO ACCORD"); not what they only move
    towards ("TURKEY, GREECE MOVING TOWARDS AEGEAN TALKS")."""
    if token.dep_ == "ROOT" or (token.dep_ in ("xcomp", "conj") and token.head.dep_ == "ROOT"):
        return True
    if token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ROOT":
        return True
    return token.dep_ == "dobj" and cue_of(token.head, lexicons) is not None


def sentence_relations(sentence: Span, actors: list[Actor], lexicons: Lexicons,
                       cues: list[CueMatch] | None = None, agents: dict[str, str] | None = None) -> list[Relation]:
    """Relations of one sentence: one per cue, country pair and type (``cues``: ``sentence_cues``, if the
    caller has them; ``agents``: agent nouns, for acts a named agent owns)."""
    found: dict[tuple[str, str, str], Relation] = {}
    by_token: dict[int, list[Actor]] = {}
    for actor in actors:
        by_token.setdefault(actor.token.i, []).append(actor)
    opening_pair = headline_pair(sentence, actors)
    for match in sentence_cues(sentence, lexicons) if cues is None else cues:
        token, cue, chain, noun_head = match.token, match.cue, match.chain, match.noun_head
        parties = [a for t in internal_arguments(token, cue, lexicons)
                   for a in by_token.get(t.i, [])
                   if (not a.is_goods or is_trade_target(a, token, cue))
                   and not (cue.is_reciprocal and _is_topic(a, token, cue))]
        # A phrase that names both sides itself ("talks between X and Y") needs nothing from outside, nor does
        # an act whose own actor is named and is no country ("the banks' refusal to ...").
        # A named event's parties are in its name ("the Iran-Iraq war"), never outside ("after World War II").
        # A cue with a side of its own that is what others talk about takes no side from them ("talking with
        # Chinese officials about the threat posed by North Korea").
        is_topic = bool(parties) and any(
            t.lower_ in TOPIC_PREPOSITIONS and t.dep_ == "prep" and (talk := cue_of(t.head, lexicons)) is not None
            and talk.relation_type == "CONSULT" for t in chain)
        # Coordinated partners are one side: "conducting trade talks with India, South Korea and China" takes
        # its other side, Israel, from outside (not "talks between X and Y", which names both, nor a reciprocal
        # act handed "to" others: "outsource the fight to Syria and Russia").
        anchor = _role_anchor(parties[0].token) if parties else token
        one_side = len({_role_anchor(a.token).i for a in parties}) == 1 and len(parties) > 1 \
            and not _pairs_within(anchor, token) \
            and not (cue.is_reciprocal and anchor.dep_ == "pobj" and anchor.head.lower_ not in ("with", "against"))
        if (len({code for a in parties for code in a.codes}) < 2 or one_side) and not has_other_possessor(token, by_token) \
                and token.ent_type_ != "EVENT" and not is_topic:
            external = [a for t in external_arguments(chain, noun_head, token, cue.polarity)
                        for a in by_token.get(t.i, [])
                        if not a.is_goods]
            parties += [a for a in external if a not in parties]
        if cue.is_reciprocal:
            parties = _without_topics(parties, token)
        if len({code for a in parties for code in a.codes}) == 1 \
                and any(_is_counterpart(a.token, token) for a in parties) \
                and not any(c.dep_ == "compound" and agent_sector(c, agents or {}) for c in token.children):
            # "Mulroney said progress was being made in trade talks with the United States": a noun cue with only
            # its counterpart, in what a country or its official says, is the speaker's country's.
            parties += [a for a in _speaker_side(token, by_token, lexicons) if a not in parties]
        if cue.is_reciprocal and opening_pair and not is_topic and _is_headline_act(token, lexicons):
            parties += [a for a in opening_pair if a not in parties]
        candidates: list[tuple[str, str, str, str, float, str | None, str | None]] = []
        for actor in parties:  # one phrase for the pair, in order: "the two countries", "they"
            if len(actor.codes) == 2 and cue.is_reciprocal:
                a, b = sorted(actor.codes)
                candidates.append((a, b, actor.text, actor.text, 0.7, None, None))
        for left, right in combinations(parties, 2):
            anchor, right_anchor = _role_anchor(left.token), _role_anchor(right.token)
            coordinated = anchor.i == right_anchor.i
            if coordinated and not (cue.is_reciprocal and _pairs_within(anchor, token)
                                    and not _has_counterpart(token, chain, anchor)
                                    and not _led_by_other_side(anchor, by_token)):
                continue
            group = _member_group(left.token, lexicons.role_words)
            if group is not None and group == _member_group(right.token, lexicons.role_words):
                continue
            if not cue.is_reciprocal and _is_recipient(anchor) and _is_recipient(right_anchor):
                continue  # "offered oil to Turkey and to Algeria": two recipients are not a pair
            for a in left.codes:
                for b in right.codes:
                    if a != b:
                        (a, a_text, a_sector), (b, b_text, b_sector) = sorted(
                            [(a, left.text, left.sector or ""), (b, right.text, right.sector or "")])
                        candidates.append((a, b, a_text, b_text, 0.9 if not coordinated else 0.85,
                                           a_sector or None, b_sector or None))
        for a, b, a_text, b_text, syntax, a_sector, b_sector in candidates:
            key = (a, b, cue.relation_type)
            confidence = round(syntax * cue.weight, 3)
            if key not in found or found[key].confidence < confidence:
                found[key] = Relation(sentence, a, b, cue, token.text, a_text, b_text, confidence, a_sector, b_sector)
    return list(found.values())


def find_relations(doc: Doc, mentions: list[CountryMention], quotes: list[Quote], lexicons: Lexicons,
                   people: dict[int, PersonActor], agents: dict[str, str],
                   sentences: list[Span] | None = None) -> list[Relation]:
    """All relations of a document, sentence by sentence; ``people`` maps person tokens to who they are,
    ``agents`` agent nouns to sectors (transforms/actors.py); ``sentences`` is ``list(doc.sents)`` if the
    caller has it."""
    relations: list[Relation] = []
    pair: tuple[str, str] | None = None  # the last related pair, for "the two countries" and "bilateral"
    previous: tuple[str, ...] | None = None  # the last sentence's country subject, for "it" and "the kingdom"
    sentences = list(doc.sents) if sentences is None else sentences
    mentions_in: list[list[CountryMention]] = [[] for _ in sentences]
    starts = [sentence.start for sentence in sentences]
    for mention in mentions:
        mentions_in[bisect_right(starts, mention.root.i) - 1].append(mention)
    # Per sentence: its actors' countries and its cues, for the types of the pairs found (below).
    read: list[tuple[Span, dict[str, Actor], list[CueMatch]]] = []
    for sentence, sentence_mentions in zip(sentences, mentions_in):
        if is_discarded(sentence, lexicons.discards):
            continue
        actors = sentence_actors(sentence, sentence_mentions, quotes, pair, lexicons, people, agents, previous)
        previous = main_subject(sentence, actors)
        cues = sentence_cues(sentence, lexicons, agents)
        found = sentence_relations(sentence, actors, lexicons, cues, agents)
        relations.extend(found)
        if found:
            pair = (found[-1].country_a, found[-1].country_b)
        if cues and len(actors) > 1:
            read.append((sentence, {code: a for a in actors for code in a.codes}, cues))
    return relations + pair_types(relations, read)


# Confidence of a type added to a related pair by a sentence that names both and has the cue, unconnected.
CONTEXT_SYNTAX = 0.6


def pair_types(relations: list[Relation], read: list[tuple[Span, dict[str, Actor], list[CueMatch]]]
               ) -> list[Relation]:
    """More types for the pairs the article relates: a sentence that names both countries of a related pair
    as actors and has a cue of the relation's polarity supports that cue's type for the pair, though the
    parse does not connect them (the guide records every type some sentence supports). Never a new pair."""
    have = {(r.country_a, r.country_b, r.cue.polarity, r.cue.relation_type) for r in relations}
    pairs = {(r.country_a, r.country_b, r.cue.polarity) for r in relations}
    added: list[Relation] = []
    for sentence, actors, cues in read:
        for a, b, polarity in sorted(pairs):
            if a not in actors or b not in actors:
                continue
            for match in cues:
                key = (a, b, polarity, match.cue.relation_type)
                # A named event is a date, not an act of the pair: "since the close of World War II".
                if match.cue.polarity != polarity or key in have or match.token.ent_type_ == "EVENT":
                    continue
                have.add(key)
                added.append(Relation(sentence, a, b, match.cue, match.token.text, actors[a].text, actors[b].text,
                                      round(CONTEXT_SYNTAX * match.cue.weight, 3), actors[a].sector,
                                      actors[b].sector))
    return added


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
            "cameo_code": relation.cue.cameo_code or None,
            "goldstein": relation.cue.goldstein,
            "actor_a_text": relation.actor_a_text,
            "actor_b_text": relation.actor_b_text,
            "actor_a_sector": relation.actor_a_sector,
            "actor_b_sector": relation.actor_b_sector,
            "confidence": relation.confidence,
            "sentence": sentence.text.strip(),
        })
    return rows
