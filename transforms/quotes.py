"""Quotes and their speakers: direct quotes in any quote marks, indirect speech and "according to X".

Direct quotes are found in the text by their marks (balanced or not, over paragraphs); indirect speech by
syntax (a speech verb with a clausal complement). A speaker is the subject of the speech verb, resolved to a
name (pronouns to the nearest earlier person), a role (the rest of the mention: "Kazakh Ambassador to
Armenia") and a country (a country named in the role, not as its destination).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import takewhile

from spacy.tokens import Doc, Span, Token

from transforms.actors import STATE_SECTORS, PersonActor, title_sex
from transforms.entities import CountryMention, stable_id
from transforms.lexicons import Lexicons

# Quote marks, with the ASCII conventions of news archives and wire text: two apostrophes for a double quote
# mark (''We will win,'' she said) and the Penn Treebank's ``...''.
OPENING_MARKS = {"“": "”", "«": "»", "„": "“", "‹": "›", '"': '"', "''": "''", "``": "''"}
CLOSING_MARKS = frozenset({"”", "»", "“", "›", '"', "''"})
# Marks that open and close alike: one opens only before a word ('"We' but not 'said " and').
SYMMETRIC_MARKS = frozenset({'"', "''"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
# A quoted stretch shorter than this is a phrase in scare quotes, not a quote.
MIN_QUOTE_WORDS = 4
# Reported speech needs at least this many words ("he said so" is not a statement worth a row).
MIN_REPORTED_WORDS = 2
# Below this many words a quoted stretch is a quote only when it stands as an utterance of its own
# ('“We will see,” he said.'), not when it is a phrase inside a sentence ('called it “an outrage”').
SHORT_QUOTE_WORDS = 8
# How far (in tokens) an attribution may stand from the quote it attributes; up to the long window when its
# subject is all that stands between them.
ATTRIBUTION_WINDOW = 12
LONG_ATTRIBUTION_WINDOW = 40
# Two pieces of one quote split by "he said" or a paragraph break stand at most this many characters apart.
MAX_INTERRUPTION = 80
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Speech verbs whose passive subject is the one whose words they are ("X was quoted as saying"); with any other
# the subject is the one spoken to or about ("X was asked whether", "it was reported that").
SUBJECT_SPEAKS_PASSIVES = frozenset({"quote", "cite"})
SENTENCE_ENDS = frozenset({".", "!", "?"})
# A pronoun looks this many tokens back before its sentence for a main-clause subject it stands for.
RECENT_TOKENS = 40
# The words that open the idiom "that said" ("That said,", "That being said,", "Having said that,", "With all
# that said,"), up to the verb.
THAT_SAID_WORDS = frozenset({"that", "this", "being", "been", "having", "with", "all", "and", "but", "now"})
# Roles of a name inside another phrase: its possessor or modifier.
EMBEDDED_DEPS = frozenset({"poss", "compound", "nmod", "amod"})
# Clauses inside a subject phrase are not part of the speaker's name or role.
CLAUSAL_DEPS = frozenset({"relcl", "acl", "ccomp", "advcl", "csubj"})
_TRIM = " ,;:—–-\n\"“”«»'"


@dataclass(frozen=True)
class Speaker:
    """Who said it: the mention as written and what it resolves to."""

    text: str
    start: int
    end: int
    name: str | None
    role: str | None
    country: str | None
    # How the country is known: role ("Kazakh Ambassador"), dictionary (seeds/people.csv at the article's
    # date) or context (the country an article about one country's affairs is about, for a person nothing
    # in it ties to another).
    basis: str | None = None
    sector: str | None = None
    # A person, or a named body or titled group ("the Tax Foundation", "Japanese officials"); not a poll, a
    # document or a clause fragment the parse took for a subject: those have no speaker_id.
    is_named: bool = True


@dataclass
class Quote:
    """One quote: content span, kind, cue and speaker."""

    start: int
    end: int
    kind: str
    cue: str | None
    speaker: Speaker | None
    confidence: float
    sentence_idx: int
    token_indexes: set[int] = field(default_factory=set, repr=False)
    # Said by someone the text does not name ("Blumenthal was asked, “...?”"): a row with no speaker.
    is_unnamed: bool = False


def remember_text(doc: Doc, text: str) -> None:
    """Keep the document's text with it when the caller has it (it must equal ``doc.text``)."""
    doc.user_data["newsflow_text"] = text


def _text(doc: Doc) -> str:
    """The document's text, built once (spaCy joins it from the tokens on every ``doc.text``)."""
    text = doc.user_data.get("newsflow_text")
    if text is None:
        text = doc.user_data["newsflow_text"] = doc.text
    return text


def quote_mark_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted content (marks excluded).

    A quote left open at the end of a paragraph continues when the next paragraph opens with a quote mark
    (the newspaper convention for multi-paragraph quotes); otherwise it ends with its paragraph.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closing = ""
    i = 0
    while i < len(text):
        mark = _mark_at(text, i)
        if open_at is None:
            if mark in OPENING_MARKS and (mark not in SYMMETRIC_MARKS
                                          or (i + len(mark) < len(text) and not text[i + len(mark)].isspace())):
                open_at, closing = i + len(mark), OPENING_MARKS[mark]
        elif mark == closing or (mark in CLOSING_MARKS and mark != "“" and closing not in SYMMETRIC_MARKS):
            spans.append((open_at, i))
            open_at = None
        elif text.startswith("\n\n", i):
            following = _mark_at(text, i + 2)
            if following not in OPENING_MARKS:
                spans.append((open_at, i))
                open_at = None
            else:
                i += 1 + len(following)  # skip the re-opening mark of the continued quote
        i += len(mark) if mark in OPENING_MARKS or mark in CLOSING_MARKS else 1
    if open_at is not None:
        spans.append((open_at, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _mark_at(text: str, i: int) -> str:
    """The quote mark at ``text[i]`` (a two-character one first), or the character there."""
    pair = text[i:i + 2]
    return pair if pair in OPENING_MARKS else text[i:i + 1]


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    text = _text(doc)
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    return start, end


def _tokens_between(doc: Doc, start_char: int, end_char: int) -> Span | None:
    return doc.char_span(start_char, end_char, alignment_mode="expand")


# Share of an article's country mentions (places included) that makes a country its context.
CONTEXT_SHARE = 0.6
TITLE_WORDS = re.compile(r"^(?:mr|mrs|ms|dr|sen|rep|gov|gen|prof|sir)\.?\s+", re.IGNORECASE)
INITIAL = re.compile(r"\s+[A-Z]\.(?=\s)")


def context_country(mentions: list[CountryMention]) -> str | None:
    """The country an article is about: the one that has most of its country and place mentions."""
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.code] = counts.get(mention.code, 0) + 1
    if not counts:
        return None
    code, count = max(counts.items(), key=lambda item: item[1])
    return code if count >= CONTEXT_SHARE * sum(counts.values()) and count >= 2 else None


def speaker_id(name: str | None) -> str | None:
    """One id per person across articles: the name without titles and middle initials, case-folded
    ("Donald J. Trump", "Mr Trump"'s full name "Donald Trump" -> one id). None for an unresolved pronoun and
    for a mention without a name ("president", "experts")."""
    if not name or name.lower() in PERSONAL_PRONOUNS or name.lower() in ("it", "you", "they"):
        return None
    if not any(word[:1].isupper() for word in name.split()):
        return None  # a role or a noun without a name ("president", "experts") is nobody in particular
    normal = INITIAL.sub("", TITLE_WORDS.sub("", name.strip()))
    return stable_id("speaker", " ".join(normal.casefold().split()))


# Speech verbs whose object is what was said: "announced his candidacy", "denied the report".
STATEMENT_OBJECT_VERBS = frozenset({"announce", "deny", "confirm", "reveal", "disclose", "predict", "mention", "note",
                                    "cite", "suggest", "declare", "propose", "point", "acknowledge", "stress", "tweet",
                                    "explain"})
# Verbs whose prepositional object is what was said: "They point to technology that has eradicated ...".
CITING_PREPOSITIONS = {"point": "to"}


def _statement_objects(verb: Token, quoted: set[int]) -> list[Token]:
    """The object of a verb that states or cites it ("announced his candidacy", "pointed to his record")."""
    preposition = CITING_PREPOSITIONS.get(verb.lemma_.lower())
    found = []
    for child in verb.children:
        if child.i < verb.i or child.i in quoted:
            continue
        if child.dep_ == "dobj" and not preposition:  # "pointed a finger at" states nothing
            found.append(child)
        elif preposition and child.dep_ == "prep" and child.lower_ == preposition:
            found.extend(c for c in child.children if c.dep_ == "pobj" and c.i not in quoted)
    return found


# Verbs that give something a name, in the speaker's words when those are in quote marks.
NAMING_VERBS = frozenset({"call", "dub", "label", "brand", "describe"})
# What someone pledges in quote marks is in their words too: 'pledged a “political revolution”'.
PLEDGING_VERBS = frozenset({"pledge", "vow", "promise"})
MIXED_QUOTE_VERBS = NAMING_VERBS | PLEDGING_VERBS

POINTING_PREPOSITIONS = frozenset({"to", "in", "at", "on", "about", "over", "against"})


ORGANISATION_WORDS = re.compile(r"\b(?:European|EU|U\.N\.|UN|United Nations|NATO|IMF|World Bank|OPEC|WTO|"
                                r"International Monetary Fund|Council of Europe|African Union)\b")


def _speaks_for_organisation(role: str | None) -> bool:
    """A role in an international organisation: "European Council President", "U.N. Secretary-General"."""
    return bool(role and ORGANISATION_WORDS.search(role))


# What a parse can take for a speaker that is no one: "a new poll", "early results of exit polls", "filings".
NOT_SPEAKERS = frozenset({
    "poll", "survey", "result", "count", "tally", "report", "filing", "document", "letter", "ad", "article",
    "study", "data", "figure", "record", "number", "estimate", "analysis", "percent", "share", "half", "majority",
    "minority", "third", "quarter", "name", "image", "video",
})
NAMING_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
# Heads of a subject that is a share of those asked ("79 percent of Democrats", "about half", "a majority").
SHARE_WORDS = frozenset({"percent", "%", "half", "majority", "minority", "plurality", "third", "quarter",
                         "most", "many", "few"})
SURVEY_WORDS = frozenset({"poll", "survey"})


def _is_share(subject: Token) -> bool:
    """A subject that counts respondents rather than naming anyone: "75 percent of Democrats", "three in four",
    "the vast majority of Americans"."""
    if any(t.ent_type_ == "PERSON" for t in subject.subtree):
        return False
    return (subject.lemma_.lower() in SHARE_WORDS or subject.lower_ in SHARE_WORDS or subject.like_num
            or subject.lemma_.lower().split("-")[-1] in SHARE_WORDS)


def _cited_for(token: Token, verb: Token) -> bool:
    """Whether a phrase ``token`` heads is cited for what ``verb`` reports: it stands before the verb ("In a
    CBS News survey, 79 percent said ...") or in the verb's own clause or its content, or it is what the sentence
    is "according to"; not in a clause the verb hangs from (", after half said so in the earlier poll")."""
    if token.i < verb.i or any(a.lower_ == "according" for a in token.ancestors):
        # "according to" cites its source for the whole sentence, wherever the parse hangs it.
        return True
    clause = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return clause is not None and (clause.i == verb.i or verb in clause.ancestors)


def _survey_of(verb: Token, excluded: set[int]) -> list[Token] | None:
    """The poll or survey the sentence of a speech verb cites for it ("In a New York Times/CBS News survey
    released last Thursday, 79 percent said ..."), as the tokens of its phrase."""
    for token in verb.sent:
        if (token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in SURVEY_WORDS and token.i not in excluded
                and _cited_for(token, verb)):
            return [t for t in token.subtree if t.i not in excluded]
    return None


def _names_someone(tokens: list[Token]) -> bool:
    """Whether a speaker mention without a person in it names someone: a proper name ("Republicans", "the Tax
    Foundation") or a group titled by one ("Japanese officials", "Senate Republican leaders"); not a poll, a
    share of voters or a fragment of a clause."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    if not heads:
        return False
    head = heads[0]
    if head.lemma_.lower() in NOT_SPEAKERS or head.lower_ in NOT_SPEAKERS:
        return False
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return head.pos_ == "NOUN" and any(
        c.i in inside and c.dep_ in NAMING_DEPS and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "NORP", "GPE"))
        for c in head.children)


# Dependencies through which a word is part of a mention without being who it names.
MODIFIER_DEPS = frozenset({"poss", "compound", "nmod", "amod", "prep", "pobj", "relcl", "acl", "advcl", "ccomp",
                           "npadvmod", "dobj", "agent"})


def _heads_mention(token: Token, inside: set[int]) -> bool:
    """Whether ``token`` is who or what the mention ``inside`` names: its head word, or one joined to the head
    by apposition, coordination or a name's own flat structure ("Head of Center X, Johnny Melikyan"; "Frank
    Newport and Jim Harter"), not a possessor, modifier or word of a phrase within it. A name in apposition
    is who the mention names wherever the parse hangs it (it often hangs "Johnny Melikyan" of "Head of Center
    for Political Studies, Johnny Melikyan" on "Studies")."""
    while token.head.i in inside and token.head.i != token.i:
        if token.dep_ == "appos":
            return True
        if token.dep_ in MODIFIER_DEPS and not (token.dep_ == "compound" and token.head.ent_iob_ in ("I", "B")
                                                 and token.head.ent_type_ == token.ent_type_ == "PERSON"):
            return False
        token = token.head
    return True


def _after_dateline(tokens: list[Token]) -> int:
    """Where ``tokens`` go on after a wire dateline they hold ("WASHINGTON (Reuters) - ..."): the index after
    its dash, or 0 without one."""
    ends = [n for n in range(1, len(tokens)) if tokens[n].text in DASHES and tokens[n - 1].text == ")"]
    return ends[-1] + 1 if ends else 0


def _is_dateline(subject: Token) -> bool:
    """A subject that is a wire dateline, "MACAU (Reuters) –", which the parse made a second subject of the
    sentence it opens (with its dash or without it)."""
    doc = subject.doc
    tokens = list(doc[subject.left_edge.i:min(subject.right_edge.i + 2, len(doc))])
    end = _after_dateline(tokens)
    return end > 0 and all(t.i > subject.right_edge.i or t.is_punct for t in tokens[end:])


TIME_WORDS = frozenset({"moment", "second", "minute", "hour", "day", "night", "week", "month", "year", "time",
                        "morning", "afternoon", "evening", "earlier", "later"})


def _subjects(verb: Token, excluded: set[int]) -> list[Token]:
    """The subjects of ``verb`` outside ``excluded`` that can be who speaks: no dateline, no time."""
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i not in excluded
            and not _is_dateline(c) and not _is_time(c)]


def _is_time(subject: Token) -> bool:
    """A subject that is a time, not someone: "Moments earlier, ... Trump said" parsed with "Moments" as the
    subject, "the day before"."""
    return subject.pos_ != "PROPN" and subject.ent_type_ != "PERSON" and (
        subject.lemma_.lower() in TIME_WORDS or subject.ent_type_ in ("DATE", "TIME"))


def _in_clause(token: Token, inside: set[int]) -> bool:
    """Whether a token of a speaker mention hangs from a clause inside it ("the company that owns Russia
    Today"): what such a clause names is not the speaker's."""
    while token.head.i != token.i and token.head.i in inside:
        if token.dep_ in CLAUSAL_DEPS:
            return True
        token = token.head
    return token.dep_ in CLAUSAL_DEPS and token.head.i in inside


class SpeakerResolver:
    """Resolves speaker mentions, remembering who was named how in the document so far."""

    def __init__(self, doc: Doc, lexicons: Lexicons, mentions: list[CountryMention], people: dict[int, PersonActor]):
        self.doc = doc
        self.people = people
        self.lexicons = lexicons
        self.country_at = {t.i: m for m in mentions for t in m.span}
        self.persons = [e for e in doc.ents if e.label_ == "PERSON" and self._is_name(e)]
        self.known: dict[str, Speaker] = {}
        self.context = context_country(mentions)
        self.named_countries = {m.code for m in mentions}
        self._sexes: dict[int, str | None] = {}  # by person start: every he/she asks it of every earlier person
        self._sex_by_name: dict[str, str] | None = None
        self._quoted_spans = quote_mark_spans(_text(doc))
        # Who a later "he" or "she" may be: the people named, and a surname the model did not tag as a person
        # this time or took for an organisation ("Christie bristled at ..."), the person the article names in
        # full with it, when it stands alone ("the Congressional Black Caucus" mentions no "Caucus").
        tagged = {t.i for e in doc.ents if len(e) > 1 or e.label_ != "ORG" for t in e}
        surnames = {p[-1].text for p in self.persons if len(p) > 1}
        untagged = [doc[t.i:t.i + 1] for t in doc if t.i not in tagged and t.pos_ == "PROPN" and t.text in surnames
                    and not t.text.isupper() and t.i not in self.country_at
                    and not any(c.dep_ in ("compound", "det", "amod") for c in t.children)]
        self._mentions = sorted(self.persons + untagged, key=lambda p: p.start)

    def _is_name(self, ent: Span) -> bool:
        return not any(t.lower_ in self.lexicons.role_words or t.is_stop for t in ent)

    def person_in(self, start: int, end: int) -> Span | None:
        inside = [p for p in self.persons if p.start >= start and p.end <= end]
        return inside[-1] if inside else None

    def _full_name(self, person: Span) -> str:
        """A surname alone ("Shultz") takes the fuller name used earlier ("George Shultz"), or else later
        (a headline's "Trump" is the "Donald Trump" of the body); a first name alone ("Hillary") the one
        person the article names in full with it."""
        if len(person) == 1:
            fuller = [p for p in self.persons if len(p) > 1 and p[-1].text == person.text]
            # Of two people who share the surname, a title picks by sex ("Mr. Clinton" beside Hillary and Bill
            # Clinton); else the surname alone is the one the article introduced first: news writes the other
            # in full ("Hillary Clinton ... Bill Clinton set his wife's expectations ... Clinton began to find
            # her voice").
            title = title_sex(person[0])
            if title is not None and len({p.text for p in fuller}) > 1:
                fuller = [p for p in fuller if self._name_sex(p.text) == title] \
                    or [p for p in fuller if self._name_sex(p.text) is None] or fuller
            earlier = [p for p in fuller if p.start < person.start]
            if earlier or fuller:
                return (earlier[0] if earlier else fuller[0]).text
            first_named = [p for p in self.persons if len(p) > 1 and p[0].text == person.text]
            if len({p[-1].text for p in first_named}) == 1:
                return first_named[0].text
        return person.text

    def _country_of(self, tokens: list[Token]) -> str | None:
        candidates = []
        for token in tokens:
            mention = self.country_at.get(token.i)
            if mention is None or mention in candidates:
                continue
            candidates.append(mention)
        # "Ambassador to Armenia", "experts on North Korea": a country after to/in/on is where the role points
        # or what it is about, not whose it is; nor is a country inside a name of something else ("Russia
        # Today programming", "Iraq and Afghanistan Veterans of America").
        inside = {t.i for t in tokens}
        own = [m for m in candidates if not (m.root.dep_ == "pobj" and m.root.head.lower_ in POINTING_PREPOSITIONS)
               and not self._names_something_else(m) and not _in_clause(m.root, inside)]
        return own[0].code if own else None

    def _names_something_else(self, mention: CountryMention) -> bool:
        """A country that modifies (through compounds) no role, body or agent: part of another name."""
        token = mention.root
        if token.dep_ == "conj":
            token = token.head
        if token.dep_ not in ("compound", "nmod"):
            return False
        return not any(t.lower_ in self.lexicons.role_words or t.lemma_.lower() in self.lexicons.role_words
                       for t in token.head.subtree)

    def from_tokens(self, tokens: list[Token]) -> Speaker | None:
        """A speaker from the tokens of its mention (already cut to exclude quotes and cue)."""
        tokens = [t for t in tokens if not t.is_space]
        # A wire dateline the parse took into the mention ("WASHINGTON (Reuters) - U.S. Democratic presidential
        # candidate Hillary Clinton") is no part of who speaks.
        tokens = tokens[_after_dateline(tokens):]
        while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("det", "cc")):
            tokens = tokens[1:]
        # A relative clause that closes the mention of someone says what they did, not who they are ("Lionel
        # Sosa, a Texas media consultant who said he would not vote for Mr. Cruz"; but "an interview his brother
        # gave" is the brother's).
        ids = {t.i for t in tokens}
        clause = {t.i for r in tokens if r.dep_ == "relcl" and r.head.i in ids for t in r.subtree}
        cut = next((n for n, t in enumerate(tokens) if t.i in clause), len(tokens))
        if 0 < cut < len(tokens) and all(t.i in clause or t.is_punct for t in tokens[cut:]) and (
                self.person_in(tokens[0].i, tokens[cut - 1].i + 1) is not None
                or _names_someone(tokens[:cut])):
            tokens = tokens[:cut]
        while tokens and tokens[-1].is_punct:
            tokens = tokens[:-1]
        if not tokens:
            return None
        doc = self.doc
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        text = _text(doc)[start:end]
        if len(tokens) == 1 and tokens[0].lower_ in PERSONAL_PRONOUNS:
            return self._pronoun(tokens[0], text, start, end)
        ids = {t.i for t in tokens}
        # Who speaks is the person the mention is about, not one it mentions on the way: "Larry Cohen, a senior
        # adviser to Mr. Sanders", "Cameron's spokesman" and "Obama administration officials" are not Sanders,
        # Cameron or Obama.
        heads = [p for p in self.persons if p.start >= tokens[0].i and p.end <= tokens[-1].i + 1
                 and _heads_mention(p.root, ids)]
        person = heads[0] if heads else None
        if person is None:
            # A name the model did not tag as a person ("Obama said"), known from the people dictionary.
            named = [t for t in tokens if t.pos_ == "PROPN" and t.i in self.people and t.i not in self.country_at
                     and _heads_mention(t, ids)]
            if named and len(tokens) <= 3:
                person = self.doc[named[0].i:named[-1].i + 1]
        if person is None and len(tokens) <= 2:
            # A surname the model did not tag as a person this time ("Lynch said" in a story that named
            # "Loretta E. Lynch") is the person the article names in full with it.
            surnames = [t for t in tokens if t.pos_ == "PROPN" and not t.text.endswith(".") and not t.text.isupper()
                        and t.i not in self.country_at and _heads_mention(t, ids)]
            if len(surnames) == 1 and any(len(p) > 1 and p[-1].text == surnames[0].text for p in self.persons):
                person = self.doc[surnames[0].i:surnames[0].i + 1]
        if person is not None:
            name, known = self._identity(person)
            role_tokens = [t for t in tokens if not (person.start <= t.i < person.end)]
            role = _text(doc)[role_tokens[0].idx:role_tokens[-1].idx + len(role_tokens[-1])].strip(_TRIM) if role_tokens else ""
            # "Political scientist Johnny Melikyan" and "Urazayev, Kazakh ambassador" both leave a role.
            role = re.sub(r"\s*,\s*$", "", role) or None
            country = self._country_of(role_tokens)
            basis, sector = ("role", None) if country else (None, None)
            # Someone speaking for an international organisation does not speak for their country
            # ("European Council President Donald Tusk").
            if known is not None and country in (None, known.country) and not _speaks_for_organisation(role):
                country, basis, sector = known.country, basis or known.basis, known.sector
            earlier = self.known.get(name)
            if earlier is not None:
                role = role or earlier.role
                if country is None:
                    country, basis, sector = earlier.country, earlier.basis, earlier.sector
            # In an article about one country's affairs, a person nothing ties to another country is of it
            # ("Sen. Warren", "pollster Ann Selzer" in a story about US politics).
            if country is None and self.context:
                country, basis = self.context, "context"
            speaker = Speaker(text, start, end, name, role, country, basis, sector)
            self.known[name] = speaker
            return speaker
        country = self._country_of(tokens)
        is_named = _names_someone(tokens)
        if country is not None:
            return Speaker(text, start, end, text, None, country, "role", is_named=is_named)
        # A named body of the article's country ("the Tax Foundation", "Republicans"), not an international one.
        if self.context and is_named and not _speaks_for_organisation(text):
            return Speaker(text, start, end, text, None, self.context, "context")
        return Speaker(text, start, end, text, None, None, is_named=is_named)

    def _identity(self, person: Span) -> tuple[str, PersonActor | None]:
        """The full name of a person mention and who the people tables say they are. A dictionary match of a
        surname alone counts only for a person of the article's own country (a "Clarke" in a story about US
        politics is not the British minister; without a country of the article, only someone in a state office
        at the date whose country the article names, such as "Obama" in 2016, not Saint Lucia's prime minister
        for a "Mr. King"), and a first name must agree with the article's."""
        name = self._full_name(person)
        known = self.people.get(person.root.i)
        if known is None or known.basis != "dictionary":
            return name, known
        words, known_words = name.split(), known.name.split()
        if len(words) == 1 and known.country != self.context and not (
                self.context is None and known.sector in STATE_SECTORS and known.country in self.named_countries):
            return name, None
        if len(words) > 1 and words[0].lower() != known_words[0].lower():
            return name, None
        return (known.name if len(known_words) >= len(words) else name), known

    def _sex(self, person: Span) -> str | None:
        """"f" or "m" when a person mention's title ("Mrs. Clinton", "Mr. Cruz") or the first name of the
        fullest name the article gives them says so (``seeds/first_names.csv``), else None."""
        if person.start not in self._sexes:
            self._sexes[person.start] = self._read_sex(person)
        return self._sexes[person.start]

    def _read_sex(self, person: Span) -> str | None:
        sex = title_sex(person[0])
        if sex is not None:
            return sex
        # The name the mention resolves to: a surname alone takes the article's full name, else the people
        # table's; what the article says of that person elsewhere ("Mrs. Clinton", "Clinton said she") holds
        # for a bare "Clinton" too.
        return self._name_sex(self._identity(person)[0])

    def _name_sex(self, name: str) -> str | None:
        """The sex of a full name: its first name's (``seeds/first_names.csv``), else what the article says."""
        words = name.split()
        sex = self.lexicons.first_name_genders.get(words[0].lower()) if len(words) > 1 else None
        return sex or self._article_sexes().get(name)

    def _article_sexes(self) -> dict[str, str]:
        """The sex the article gives each person, by full name: a title ("Mrs. Clinton") or a he/she reporting
        their own words ("Clinton said she would ..."), or else his/her in their own clause at least twice
        ("Clinton is likely to cement her lead"; once may be someone else's: "Trump mocked her"); a person
        given both sexes is left out."""
        if self._sex_by_name is None:
            strong: dict[str, list[str]] = {}
            weak: dict[str, list[str]] = {}
            # his/her by the clause they are in: "Clinton is poised to shore up her lead" (up through xcomp)
            possessives: dict[int, list[str]] = {}
            for token in self.doc:
                if token.dep_ == "poss" and token.lower_ in ("his", "her") and not self._is_quoted(token.idx):
                    possessives.setdefault(_clause_verb(token).i, []).append("m" if token.lower_ == "his" else "f")
            # Who a titled surname two people of the article share is depends on the sex this finds: left out.
            surnames = Counter(p[-1].text for p in {p.text: p for p in self.persons if len(p) > 1}.values())
            for person in self._mentions:
                title = title_sex(person[0])
                if len(person) == 1 and surnames[person.text] > 1 and title is not None:
                    continue
                found = [title] if title else []
                verb = person.root.head
                owned: list[str] = []
                if person.root.dep_ in SUBJECT_DEPS and not self._is_quoted(person.start_char):
                    owned = possessives.get(verb.i, [])
                    if _speech_verb(verb, self.lexicons):
                        found.extend(("m" if s.lower_ == "he" else "f") for c in verb.children if c.dep_ == "ccomp"
                                     for s in c.children if s.dep_ in SUBJECT_DEPS and s.lower_ in ("he", "she"))
                if found or owned:
                    name = self._identity(person)[0]
                    strong.setdefault(name, []).extend(found)
                    weak.setdefault(name, []).extend(owned)
            self._sex_by_name = {}
            for name in strong.keys() | weak.keys():
                votes = strong.get(name, []) + weak.get(name, [])
                if len(set(votes)) == 1 and (strong.get(name) or len(votes) >= 2):
                    self._sex_by_name[name] = votes[0]
        return self._sex_by_name

    def _is_quoted(self, char: int) -> bool:
        return any(start <= char < end for start, end in self._quoted_spans)

    def _pronoun(self, pronoun: Token, text: str, start: int, end: int) -> Speaker:
        if pronoun.lower_ in {"he", "she"}:
            # The nearest earlier person who heads a phrase: a possessor or a modifier ("Mr. Trump's threats",
            # "the Putin favorite") is seldom who "he" is next.
            # Never someone whose first name or title is of the other sex ("She" is not "Pat McCrory" or
            # "Mr. Trump"); a name of no known sex may be either.
            sex = "m" if pronoun.lower_ == "he" else "f"
            earlier = [p for p in self._mentions if p.end <= pronoun.i and self._sex(p) in (None, sex)]
            earlier = [p for p in earlier if p.root.dep_ not in EMBEDDED_DEPS and not _of_a_thing(p.root)] or earlier
            # Someone named inside a quote ("'the advice I give to Donald is to Donald.' He also said") is
            # what was said, seldom who "he" is outside it.
            if not self._is_quoted(pronoun.idx):
                earlier = [p for p in earlier if not self._is_quoted(p.start_char)] or earlier
            # ... and the subject of a recent main clause before one named on the way ("Lynch announced the
            # lawsuit against Gov. Pat McCrory. She further announced ...").
            recent = pronoun.sent.start - RECENT_TOKENS
            main = [p for p in earlier if p.start >= recent and p.root.dep_ in SUBJECT_DEPS
                    and _is_main_clause(p.root.head)]
            earlier = [main[-1]] if main else earlier
            if earlier:
                name, person = self._identity(earlier[-1])
                known = self.known.get(name)
                if known is not None:
                    return Speaker(text, start, end, known.name, known.role, known.country, known.basis, known.sector)
                if person is not None:
                    return Speaker(text, start, end, name, None, person.country, person.basis, person.sector)
                # As for the name itself: in an article about one country's affairs, a person is of it.
                return Speaker(text, start, end, name, None, self.context, "context" if self.context else None)
        if pronoun.lower_ == "they" and not self._is_quoted(pronoun.idx):
            group = self._plural_subject_before(pronoun)
            if group is not None:
                return replace(group, text=text, start=start, end=end)
        return Speaker(text, start, end, None, None, None)

    def _plural_subject_before(self, pronoun: Token) -> Speaker | None:
        """Who "they" are: the plural noun that is the subject of the last main clause before it, in its
        sentence or the one before ("The groups who wrote to her say ... They ask ..."; "Cruz's allies bristle
        at the suggestion ... - it's a two-way street, they insist")."""
        doc = self.doc
        first = doc[pronoun.sent.start - 1].sent.start if pronoun.sent.start > 0 else 0
        subjects = [t for t in doc[first:pronoun.i] if t.dep_ == "nsubj" and _is_main_clause(t.head)
                    and t.tag_ in ("NNS", "NNPS") and not self._is_quoted(t.idx) and not _is_share(t)]
        if not subjects:
            return None
        subject = subjects[-1]
        return self._subject_phrase(subject, subject.head, set())

    def from_subject(self, verb: Token, excluded: set[int]) -> Speaker | None:
        """The subject of a speech verb (or of the verb it is coordinated with) as a speaker."""
        subjects = _subjects(verb, excluded)
        if not subjects and (verb.dep_ in ("conj", "advcl", "xcomp") or (
                verb.dep_ == "pcomp" and verb.head.dep_ == "prep")):
            # "X smiled and said ...", "X told reporters, saying ...", "X spoke before explaining why ...":
            # the subject is shared.
            sharing = verb.head.head if verb.dep_ == "pcomp" else verb.head
            subjects = _subjects(sharing, excluded)
            outer = next((a for a in sharing.ancestors if _speech_verb(a, self.lexicons)), None)
            # "He says the obvious response was ... and says he ...": the parse coordinated the speaker's next
            # verb into what they said; who shares it is the one who said it. So is a participle the parse hung
            # on what was said ("Trump told Newsmax that Romney “had a crazy policy,” adding, “...”").
            is_reported = verb.dep_ == "advcl" and verb.tag_ == "VBG" and outer is not None \
                and not _speech_verb(sharing, self.lexicons) and any(
                a.dep_ == "ccomp" and a.head.i == outer.i for a in [sharing, *sharing.ancestors])
            if subjects and (not _is_someone(subjects[0]) or is_reported) and outer is not None:
                subjects = [c for c in _subjects(outer, excluded) if _is_someone(c)] or subjects
        if not subjects:
            # "As Akhil Amar, professor of law, put it, ...": the small model often takes "As" for a preposition
            # and its subject for its object.
            subjects = [g for c in verb.children if c.dep_ == "mark" and c.lower_ == "as" for g in c.children
                        if g.dep_ == "pobj" and g.i not in excluded]
        if not subjects:
            return None
        subject = subjects[0]
        if _is_passive(verb):
            # "Sanders was asked by host Bill Maher, “...”": who speaks is the passive's agent; "Trump was asked
            # what he thought ...", "it was widely reported that ...": no one named (but "X is shown
            # lecturing: “...”" is X's).
            agent = _agent(verb)
            if agent is not None:
                subject = agent
            elif _speech_verb(verb, self.lexicons):
                return None
        if _is_share(subject):
            # When a share of voters "said" something, the poll that asked them is the source.
            survey = _survey_of(verb, excluded | {t.i for t in subject.subtree})
            speaker = self.from_tokens(survey) if survey else None
            if speaker is not None:
                return replace(speaker, is_named=False)
        if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
            # "Sanders, who said ..." (or "who endorsed Canova and said ..."): the mention is "who", and who it
            # is is what "who" stands for.
            antecedent = self._subject_phrase(subject.head.head, subject.head, excluded)
            if antecedent is None:
                return None
            return replace(antecedent, text=subject.text, start=subject.idx, end=subject.idx + len(subject))
        return self._subject_phrase(subject, verb, excluded)

    def from_agent(self, verb: Token) -> Speaker | None:
        """The agent of a passive verb as a speaker ("asked by Matt Lauer"), or None when it names none."""
        agent = _agent(verb)
        return self.from_tokens(list(agent.subtree)) if agent is not None else None

    def _subject_phrase(self, subject: Token, verb: Token, excluded: set[int]) -> Speaker | None:
        clausal = {t.i for c in subject.children if c.dep_ in CLAUSAL_DEPS for t in c.subtree}
        tokens = [t for t in subject.subtree if t.i not in excluded and t.i != verb.i and t.i not in clausal]
        return self.from_tokens(tokens)


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a token is in, up through infinitives ("is poised to shore up her lead": poised;
    "is likely to cement her dominance": is)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    while token.dep_ in ("xcomp", "acomp") and token.head.i != token.i:
        token = token.head
    return token


def _is_main_clause(verb: Token) -> bool:
    """Whether a verb heads a main clause: the root, or a verb coordinated with it (the small model often
    runs two sentences into one: "... entering the U.S. While Clinton has condemned it, the groups say ...")."""
    while verb.dep_ == "conj":
        verb = verb.head
    return verb.dep_ == "ROOT"


def _speech_verb(token: Token, lexicons: Lexicons, quoting: bool = False) -> bool:
    """Whether ``token`` is a speech verb; with ``quoting``, also a verb of the manner of speaking that stands
    next to words in quote marks ('“...,” he joked')."""
    if token.pos_ not in ("VERB", "AUX") or _is_that_said(token):
        return False
    lemma = token.lemma_.lower()
    if quoting and not any(c.dep_ in ("xcomp", "dobj") for c in token.children):
        # A phrasal verb is one cue with its particle ('“...,” Trump went on', '“...,” Bennett shot back').
        particles = [c.lower_ for c in token.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in (
            "back", "on", "in"))]
        if lemma in lexicons.quoting_verbs:
            return True
        # ... but not one that goes on to do something else ("He went on to rebut ...").
        if any(f"{lemma} {p}" in lexicons.quoting_verbs for p in particles) and not any(
                c.dep_ in ("advcl", "xcomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                for c in token.children):
            return True
    # "As Tom Ridge put it: ..." is an attribution; "put" alone, or putting it somewhere, is not.
    return lemma in lexicons.speech_verbs or (lemma == "put" and any(
        c.dep_ == "dobj" and c.lower_ == "it" for c in token.children) and not any(
        c.dep_ in ("prep", "prt", "advmod") for c in token.children))


def _is_that_said(verb: Token) -> bool:
    """The idiom "That said, ...", "Having said that, ...", "With that said, ...": a concession, no speech act."""
    if verb.lemma_.lower() != "say":
        return False
    doc, sentence = verb.doc, verb.sent
    after = verb.i + 1 + (verb.i + 1 < sentence.end and doc[verb.i + 1].lower_ in ("that", "this"))
    if after >= sentence.end or doc[after].text != ",":
        return False
    opening = doc[sentence.start:after]
    return any(t.lower_ in ("that", "this") for t in opening) and all(
        t.i == verb.i or t.lower_ in THAT_SAID_WORDS for t in opening)


def _attribution_after(doc: Doc, end_char: int, quoted: set[int], lexicons: Lexicons) -> Token | None:
    first = _tokens_between(doc, end_char, min(len(_text(doc)), end_char + 1))
    if first is None:
        return None
    # From after the quote's own closing mark: a mark that can also open ('"', "''") is no next quote.
    after = first.start + (doc[first.start].text in CLOSING_MARKS)
    # A quote that ends its sentence ('“...?” He answered, “...”') is no attribution's when the verb after it
    # opens the next quote.
    last = end_char - 1
    while last > 0 and _text(doc)[last] in _TRIM:
        last -= 1
    ends_sentence = _text(doc)[last] in {".", "?", "!"}
    for token in doc[after:after + LONG_ATTRIBUTION_WINDOW]:
        if token.i in quoted or token.text in OPENING_MARKS:
            break
        # Further than a short window, only a verb whose subject opens right after a quote that does not end
        # its sentence attributes it: a speaker with a long apposition ('“...,” Mr. Daniloff, now 81 and
        # retired in Cambridge, Mass., said').
        if _speech_verb(token, lexicons, quoting=True) and (token.i < after + ATTRIBUTION_WINDOW or (
                not ends_sentence and any(c.dep_ in SUBJECT_DEPS and c.left_edge.i <= after + 1
                                          for c in token.children))):
            return None if ends_sentence and _introduces_quote(token) else token
        if token.text in {".", "!", "?"} or "\n" in token.text:
            break
    return None


def _introduces_quote(verb: Token) -> bool:
    """Whether a comma or colon and an opening quote mark follow the verb: 'He answered, “I have no idea.”'."""
    following = [t for t in verb.doc[verb.i + 1:verb.i + 4] if not t.is_space]
    return len(following) >= 2 and following[0].text in {",", ":"} and following[1].text in OPENING_MARKS


def _attribution_before(doc: Doc, start_char: int, quoted: set[int], lexicons: Lexicons) -> Token | None:
    opening = _tokens_between(doc, max(0, start_char - 1), start_char)
    if opening is None or opening.start == 0:
        return None
    before = opening.start - 1
    if doc[before].is_space and before > 0 and doc[before - 1].text == ":":
        before -= 1  # a paragraph ending in a colon introduces the quote below it ("Smith echoed:\n\n“...”")
    previous = doc[before]
    if previous.text not in {":", ","}:
        return None
    for token in reversed(doc[max(0, before - ATTRIBUTION_WINDOW):before]):
        if token.i in quoted or "\n" in token.text:
            break
        if _speech_verb(token, lexicons, quoting=True):
            return token
    return None


def _introduction(doc: Doc, start_char: int, quoted: set[int]) -> tuple[list[Token], bool]:
    """The words of the sentence before a quote's opening mark, up to a line break or another quote, and
    whether they end in a colon that introduces it ('Mr. Amar said that ... might be possible: “...”',
    'Pollsters agree - Carl Bialik: “...”'); the colon is not among the words."""
    opening = _tokens_between(doc, max(0, start_char - 1), start_char)
    if opening is None or opening.start == 0:
        return [], False
    last = opening.start - 1
    if doc[last].is_space and last > 0:
        last -= 1
    is_colon = doc[last].text == ":"
    if not is_colon:
        last += 1
    words: list[Token] = []
    sentence = doc[last].sent if is_colon else doc[opening.start].sent
    for token in reversed(doc[sentence.start:last]):
        # A full stop ends the words even where the parse ran two sentences into one ("..., Cohen told Mr.
        # Obama as he stopped to have his picture taken. “It's hard ...”").
        if (token.i in quoted or "\n" in token.text or token.text in OPENING_MARKS or token.text in CLOSING_MARKS
                or token.text in SENTENCE_ENDS):
            break
        words.append(token)
    return words[::-1], is_colon


DASHES = frozenset({"-", "—", "–", "--"})


def _speaker_of_introduction(words: list[Token], resolver: "SpeakerResolver", excluded: set[int],
                             lexicons: Lexicons) -> Speaker | None:
    """Who a colon's introduction names as speaking: a name or named body without a verb after a dash or
    alone ("IOWA POLLS NOT WRONG - Mark Blumenthal and Jon Cohen:", "Stated Stone:"); the source it cites
    ("According to the newspaper:", "As Breitbart News reported, the White House was refusing ...:"); else
    the nearest subject above the colon that is someone, whatever its verb ("Jeb Bush broke down what was
    wrong with the image:", "Mr. Amar said that ... a grand bargain might be possible:"), not a thing ("His
    criticism was ...:")."""
    if not words:
        return None
    last = words[-1]
    dashes = [i for i, t in enumerate(words) if t.text in DASHES]
    fragment = words[dashes[-1] + 1:] if dashes else words
    if fragment and not any(t.pos_ in ("VERB", "AUX") for t in fragment) and (
            resolver.person_in(fragment[0].i, last.i + 1) is not None or _names_someone(fragment)):
        return resolver.from_tokens(fragment)
    if (cited := _cited_source(words, resolver, excluded, lexicons)) is not None:
        return cited
    inside = {t.i for t in words}
    return _first_someone_subject(takewhile(lambda t: t.i in inside, [last, *last.ancestors]), resolver, excluded)


def _attributed_source(token: Token, lexicons: Lexicons) -> Token | None:
    """X of an attribution phrase that ``token`` opens ("according to X"), or None."""
    doc = token.doc
    if token.i + 1 >= len(doc) or f"{token.lower_} {doc[token.i + 1].lower_}" not in lexicons.attribution_phrases:
        return None
    return next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)


def _cited_source(words: list[Token], resolver: "SpeakerResolver", excluded: set[int],
                  lexicons: Lexicons) -> Speaker | None:
    """The first source ``words`` cite: X of "according to X", or the someone-subject of a speech verb."""
    for token in words:
        if (source := _attributed_source(token, lexicons)) is not None:
            return resolver.from_tokens(list(source.subtree))
        if _speech_verb(token, lexicons) and any(
                c.dep_ in SUBJECT_DEPS and c.i not in excluded and _is_someone(c) for c in token.children):
            return resolver.from_subject(token, excluded)
    return None


def _speaker_of_sentence(words: list[Token], resolver: "SpeakerResolver", excluded: set[int]) -> Speaker | None:
    """Who speaks in a quote set inside a sentence without a speech verb: the subject of the verb nearest
    before the quote that is someone ("He vowed that “...”", "He dismissed the critique, saying it was his
    campaign's “...”"), none when no such subject is in the sentence ("the group seeks laws it calls “...”")."""
    return _first_someone_subject(reversed(words), resolver, excluded)


def _first_someone_subject(tokens: Iterable[Token], resolver: "SpeakerResolver", excluded: set[int]) -> Speaker | None:
    """The speaker of the first verb among ``tokens`` whose subject is someone."""
    for verb in tokens:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i not in excluded), None)
        if subject is not None and _is_someone(subject):
            return resolver.from_subject(verb, excluded)
    return None


def _is_someone(subject: Token) -> bool:
    """A subject that names a speaker: a personal pronoun, a name or a titled group ("Japanese officials"),
    not a thing ("the page on climate", "critics", "his criticism")."""
    return subject.lower_ in PERSONAL_PRONOUNS or _names_someone(list(subject.subtree))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether quoted content is an utterance of its own: it opens a paragraph or follows a full stop, colon
    or comma, and closes with punctuation inside the marks."""
    before = text[:start].rstrip("“”\"«»„‹›'` ")
    opens = not before or before.endswith(("\n", ".", ":", ",", "?", "!", "—"))
    return opens and text[start:end].rstrip()[-1:] in (",", ".", "?", "!", "…")


def _attribution_governing(doc: Doc, quoted: set[int], lexicons: Lexicons) -> Token | None:
    """A speech verb the quote depends on: 'Murray said he was "looking forward to it"'."""
    for index in sorted(quoted):
        token = doc[index]
        if token.head.i in quoted:
            continue
        for ancestor in token.ancestors:
            if ancestor.i not in quoted and _speech_verb(ancestor, lexicons):
                return ancestor
    return None


def _speaker_between(doc: Doc, end_char: int, verb: Token, resolver: SpeakerResolver) -> Speaker | None:
    """The words between a quote and its attribution's verb, when the parse gave the verb no subject:
    '“...” Murphy, the head of Right to Rise USA, Tweeted on Friday'."""
    first = _tokens_between(doc, end_char, min(len(_text(doc)), end_char + 1))
    if first is None or verb.i <= first.start:
        return None
    words = []
    for token in doc[first.start:verb.i]:
        if token.tag_ in ("VBG", "VBN") and token.i > 0 and doc[token.i - 1].text == ",":
            break  # what they were doing is no part of who they are ("Bill Eastland, wearing a cowboy hat, said")
        if not token.is_punct and not token.is_space:
            words.append(token)
    return resolver.from_tokens(words) if any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in words) else None


# What opens the words after a verb when they are no inverted speaker: "said at a press conference", "point
# out that", "asked in the video's description".
NOT_SPEAKER_OPENINGS = frozenset({"ADP", "ADV", "PART", "SCONJ", "VERB", "AUX"})


def _speaker_after_verb(verb: Token, resolver: SpeakerResolver, quoted: set[int]) -> Speaker | None:
    """Inverted attribution with no parsed subject: '..., said Head of Center ..., Johnny Melikyan.'"""
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if following is None or following.pos_ in NOT_SPEAKER_OPENINGS or following.lower_ == "that" or (
            following.dep_ == "dobj" and following.head.i == verb.i and following.pos_ == "PRON"):
        # "put it, ...": the verb's own object is no inverted speaker.
        return None
    tokens = []
    for token in verb.doc[verb.i + 1:verb.sent.end]:
        if token.i in quoted or token.text in {".", "!", "?"} or token.text in OPENING_MARKS:
            break
        tokens.append(token)
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    if heads and heads[0].pos_ in ("VERB", "AUX"):
        # Who speaks is a noun phrase: a name the parse made the subject of a loose participle ('said Robin
        # Maynard, half joking'), not a clause that says what was said or when ('saying she hadn't yet called
        # for ... because she believed “...”', 'said matter-of-factly as confetti fluttered down').
        subject = next((c for c in heads[0].children if c.dep_ in SUBJECT_DEPS and c.left_edge.i == tokens[0].i
                        and c.pos_ == "PROPN"), None)
        tokens = list(subject.subtree) if subject is not None else []
    elif heads and heads[0].pos_ in ("ADV", "ADP", "SCONJ"):
        return None  # how or when it was said ("said matter-of-factly as confetti fluttered down")
    return resolver.from_tokens(tokens) if tokens else None


def direct_quotes(doc: Doc, lexicons: Lexicons, resolver: SpeakerResolver, sentence_of: list[int]) -> list[Quote]:
    """Quotes in quote marks, attributed by a speech verb right after or right before them."""
    quotes: list[Quote] = []
    spans = [_trimmed(doc, s, e) for s, e in quote_mark_spans(_text(doc))]
    quoted_by_span = []
    for start, end in spans:
        tokens = _tokens_between(doc, start, end) if end > start else None
        quoted_by_span.append({t.i for t in tokens} if tokens is not None else set())
    all_quoted = set().union(*quoted_by_span) if quoted_by_span else set()
    # Speech verbs outside quotes whose subject is someone: who spoke last, for quotes with no attribution.
    speech_verbs = [t for t in doc if t.i not in all_quoted and _speech_verb(t, lexicons) and any(
        c.dep_ in SUBJECT_DEPS and _is_someone(c) for c in t.children)]
    for (start, end), quoted in zip(spans, quoted_by_span, strict=True):
        words = [t for t in doc[min(quoted):max(quoted) + 1] if t.is_alpha] if quoted else []
        if len(words) < MIN_QUOTE_WORDS:
            continue
        is_short = len(words) < SHORT_QUOTE_WORDS
        if is_short and not _stands_alone(_text(doc), start, end):
            continue
        after = _attribution_after(doc, end, all_quoted, lexicons)
        verb = (after or _attribution_before(doc, start, all_quoted, lexicons)
                or _attribution_governing(doc, quoted, lexicons))
        speaker, confidence, is_unnamed = None, 0.5, False
        if verb is not None and _is_passive(verb):
            # (A bare participle before a quote asks what the quote answers: "Asked which county was his
            # favorite, he demurred: “...”".)
            speaker = resolver.from_agent(verb)
            confidence, is_unnamed = 0.8, speaker is None
        elif verb is not None:
            excluded = all_quoted | {verb.i}
            speaker = (resolver.from_subject(verb, excluded)
                       or (_speaker_between(doc, end, verb, resolver) if verb.idx >= end else None)
                       or _speaker_after_verb(verb, resolver, all_quoted))
            confidence = 0.9 if speaker else 0.6
        elif (words_before := _introduction(doc, start, all_quoted))[1] and (
                introduced := _speaker_of_introduction(words_before[0], resolver, all_quoted, lexicons)):
            speaker, confidence = introduced, 0.7
        elif not is_short and (embedded := _speaker_of_sentence(words_before[0], resolver, all_quoted)):
            speaker, confidence = embedded, 0.6
        elif not is_short:
            # A quote with no attribution of its own most often continues the words of the last one said to
            # speak: the last quote's speaker, or the subject of a speech verb since ("Carter said that ...
            # \n\n “That's because ...”", '“A change agent,” Cole said. “That's exactly ...”').
            since = quotes[-1].end if quotes and quotes[-1].speaker is not None else -1
            later = [v for v in speech_verbs if since <= v.idx < start]
            if later and (speaker := resolver.from_subject(later[-1], all_quoted | {later[-1].i})) is not None:
                since = later[-1].idx
            elif since >= 0:
                speaker = quotes[-1].speaker
            if speaker is not None:
                confidence = 0.7 if _text(doc).count("\n\n", since, start) <= 1 else 0.5
        quotes.append(Quote(start, end, "direct", verb.text if verb is not None else None, speaker, confidence,
                            sentence_of[min(quoted)], quoted, is_unnamed))
    # Before anyone is named, a quote belongs to the first speaker named after it ("“...” \n\n Smith said").
    following: Speaker | None = None
    for quote in reversed(quotes):
        words = sum(doc[i].is_alpha for i in quote.token_indexes)
        if quote.speaker is None and not quote.is_unnamed and following is not None and words >= SHORT_QUOTE_WORDS:
            quote.speaker, quote.confidence = following, 0.5
        following = quote.speaker or following
    # Quoted text nobody is said to have said is a title, a slogan or a term, not a quote.
    return merge_interrupted([q for q in quotes if q.speaker is not None or q.is_unnamed], doc)


def merge_interrupted(quotes: list[Quote], doc: Doc) -> list[Quote]:
    """One quote from pieces split by their attribution: '“We will win,” she said. “And soon.”'.

    The merged row spans both pieces (its text keeps the attribution between them, so that offsets and text
    agree); the later piece has no attribution of its own, and the two stand in one paragraph at most
    ``MAX_INTERRUPTION`` characters apart.
    """
    merged: list[Quote] = []
    for quote in quotes:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.kind == quote.kind == "direct" and quote.cue is None
                and previous.speaker is not None and quote.speaker is not None
                and previous.speaker.name == quote.speaker.name
                and quote.start - previous.end <= MAX_INTERRUPTION
                and "\n\n" not in _text(doc)[previous.end:quote.start]):
            previous.end = quote.end
            previous.cue = previous.cue or quote.cue
            previous.confidence = max(previous.confidence, quote.confidence)
            previous.token_indexes |= quote.token_indexes
            continue
        merged.append(quote)
    return merged


def _is_parenthetical(verb: Token) -> bool:
    """A speech verb set off by commas inside what it reports: "A comic tone, she said, would make ..."."""
    doc = verb.doc
    left, right = verb.left_edge.i, verb.right_edge.i
    opens = doc[left].text == "," or (left > 0 and doc[left - 1].text == ",")
    closes = doc[right].text == "," or (right + 1 < len(doc) and doc[right + 1].text == ",")
    return opens and closes and left > verb.sent.start


# Dependencies of the adjuncts between a speech verb and a "that" clause the parse hung on their last noun.
ADJUNCT_DEPS = frozenset({"prep", "pobj", "npadvmod", "advmod", "compound", "amod", "det", "poss"})


def _misattached_that_clause(verb: Token) -> list[Token]:
    """A "that" clause the small model hangs on the last noun of the adjuncts after a speech verb ("said on
    Friday during a news conference that he may wait": a relative clause of "conference"); a relative "that"
    is the clause's subject or object, never its marker."""
    for token in verb.subtree:
        if token.i <= verb.i or token.dep_ not in ("relcl", "acl") or not any(
                c.dep_ == "mark" and c.lower_ == "that" for c in token.children):
            continue
        head = token.head
        while head.i != verb.i and head.dep_ in ADJUNCT_DEPS and head.head.i != head.i:
            head = head.head
        if head.i == verb.i:
            return [token]
    return []


# Verbs of asking and telling: what is asked is a question ("asked workers if they planned to attend"), a
# request ("asked the congregation to stand", "told Megyn not to worry") or a topic ("asked him about the loan").
QUESTION_VERBS = frozenset({"ask", "wonder", "inquire", "question", "tell"})


def _agent(verb: Token) -> Token | None:
    """The object of a passive verb's "by" ("asked by Matt Lauer"), or None."""
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


def _is_passive(verb: Token) -> bool:
    """Whether a verb is passive, so that if it is one of speech its subject is not who speaks: "X was asked
    ...", "after being told ...", "it is said that ..."; not "X was quoted as saying", nor "he's said" (the small
    model parses "has" contracted as a passive's "is")."""
    return verb.lemma_.lower() not in SUBJECT_SPEAKS_PASSIVES and any(
        c.dep_ == "auxpass" and c.lower_ not in ("'s", "’s") for c in verb.children)


def _is_reported_passively(verb: Token) -> bool:
    """Whether what a speech verb reports is not its subject's words: a passive, or a bare participle ("Asked
    whether he would run, Rubio said ...": what was asked is the asker's)."""
    return _is_passive(verb) or (verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(
        c.dep_ in ("aux", "auxpass", *SUBJECT_DEPS) for c in verb.children))


def _questions(verb: Token, quoted: set[int]) -> list[Token]:
    """What a verb of asking or telling asks: an "if"/"whether" clause, a "to" infinitive with whom it asks,
    or what it asks "about"; also when passive ("Trump was asked about his taxes", "Asked if she would run,
    ...": a question with the asker unnamed)."""
    asker = verb.head if verb.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children) else verb
    if not _is_reported_passively(verb) and not any(c.dep_ == "nsubj" for c in asker.children):
        return []
    for child in verb.children:
        if child.i < verb.i or child.i in quoted:
            continue
        if child.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in ("if", "whether")
                                                     for c in child.children):
            return [child]
        if child.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            # the one asked or told is part of the request: "asked the congregation to stand"
            asked = [c for c in verb.children if c.dep_ in ("dobj", "dative") and verb.i < c.i < child.i]
            return asked[:1] + [child]
        if child.dep_ == "prep" and child.lower_ == "about":
            return [c for c in child.children if c.dep_ == "pobj"][:1]
    return []


def indirect_quotes(doc: Doc, lexicons: Lexicons, resolver: SpeakerResolver, sentence_of: list[int],
                    quoted: set[int]) -> list[Quote]:
    """Reported speech: "X said (that) ..." and "..., according to X"."""
    quotes: list[Quote] = []
    reported: list[tuple[int, Quote]] = []
    for token in doc:
        if token.i in quoted:
            continue
        if _speech_verb(token, lexicons):
            # What follows the verb, when the parse also hangs a clause before it on the verb ("In a statement
            # released after X suspended his campaign, Cruz said he is certain ...").
            complements = sorted((c for c in token.children if c.dep_ == "ccomp" and c.i not in quoted
                                  and (c.i > token.i or not _ends_in_colon(c))),
                                 key=lambda c: c.i < token.i) or _misattached_that_clause(token)
            if complements:
                clause = complements[0]
                # "He said that he would offer a prayer but did not suggest ...": a speech verb coordinated
                # into what was said, with no subject of its own, is the speaker's next act, not their words.
                next_acts = [c for c in clause.children if c.dep_ == "conj" and c.i > clause.i
                             and _speech_verb(c, lexicons) and not any(g.dep_ in SUBJECT_DEPS for g in c.children)]
                cut = next_acts[0].left_edge.i if next_acts else clause.right_edge.i + 1
                content = [t for t in clause.subtree if t.i < cut
                           and not (t.dep_ == "mark" and t.head == clause and t.i < clause.i)]
                while content and (content[-1].dep_ == "cc" or content[-1].is_punct):
                    content.pop()
            elif token.head.i not in quoted and not _speech_verb(token.head, lexicons) and (
                    # (A speech verb in what another one reports is part of that report: "He said the FBI has not
                    # commented on ...".)
                    (token.dep_ in ("parataxis", "ccomp") and (token.head.i < token.i or _is_parenthetical(token))
                     and not (token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == ":"))
                    or (token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)
                        and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children))):
                # "The economy is growing, officials said.", "In the long run, many economists say, this effect
                # could ...", "As the Times reported, the bank lost money": the verb hangs under what was said. A
                # quote row spans what was said; an attribution in the middle stays in its text (offsets and text
                # agree), not in its words.
                attribution = {t.i for t in token.subtree}
                content = [t for t in token.head.subtree if t.i not in attribution]
            elif token.lemma_.lower() in STATEMENT_OBJECT_VERBS and (objects := _statement_objects(token, quoted)):
                # "Obama announced a series of steps to tighten gun sales": the small model often hangs the
                # infinitive that says what the object is for on the verb.
                purposes = [c for c in token.children if c.dep_ in ("xcomp", "advcl") and c.i > objects[0].i
                            and c.left_edge.lower_ == "to"]
                content = [t for part in objects[:1] + purposes[:1] for t in part.subtree]
            elif token.lemma_.lower() in QUESTION_VERBS and (questions := _questions(token, quoted)):
                content = [t for part in questions for t in part.subtree]  # "if" and "whether" ask
            else:
                continue
            inside = sum(1 for t in content if t.i in quoted)
            if inside == len(content):
                continue
            if _is_reported_passively(token):
                # "Asked whether he would run, Rubio said ...", "Trump was asked what he thought ...": what was
                # put to them is the asker's, who is the passive's agent ("Asked by Matt Lauer whether ...") or
                # unnamed (the row stays, with no speaker).
                speaker = resolver.from_agent(token)
            elif (speaker := resolver.from_subject(token, quoted | {t.i for t in content})) is None:
                continue
            # Reported speech with quoted words in it is a mixed quote.
            kind = "mixed" if any(t.text in OPENING_MARKS or t.text in CLOSING_MARKS for t in content) else "indirect"
            quote = _quote_from_tokens(doc, content, kind, token.text, speaker, 0.8, sentence_of)
            if quote is not None:
                quotes.append(quote)
                reported.append((token.i, quote))
        elif token.pos_ == "VERB" and token.lemma_.lower() in MIXED_QUOTE_VERBS:
            # 'Jeb Bush called Trump “unhinged.”': a speaker's words, in quote marks, for someone or something.
            # "described his skills as a “work in progress”": what the thing is called may come after "as".
            parts = [c for c in token.children if c.i > token.i and (
                c.dep_ in ("dobj", "oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as"))]
            content = [t for part in parts for t in part.subtree]
            # The parse may hang the quote marks on the verb: look for them in the text the words span.
            if not content or not _has_quote_mark(_text(doc)[min(t.idx for t in content):
                                                              max(t.idx + len(t) for t in content) + 1]):
                continue
            speaker = resolver.from_subject(token, quoted | {t.i for t in content})
            if speaker is None:
                continue
            quote = _quote_from_tokens(doc, content, "mixed", token.text, speaker, 0.7, sentence_of)
            if quote is not None:
                quotes.append(quote)
        elif (source := _attributed_source(token, lexicons)) is not None:
            source_tokens = list(source.subtree)
            phrase = {token.i, token.i + 1, *(t.i for t in source_tokens)}
            content = [t for t in token.sent if t.i not in phrase and not t.is_space]
            while content and content[-1].is_punct:  # the row ends where what is attributed does
                content.pop()
            if sum(t.is_alpha for t in content) < MIN_QUOTE_WORDS:
                continue
            speaker = resolver.from_tokens(source_tokens)
            cue = f"{token.text} {doc[token.i + 1].text}"
            quote = _quote_from_tokens(doc, content, "indirect", cue, speaker, 0.75, sentence_of)
            if quote is not None:
                quotes.append(quote)
    nested = {id(inner) for verb, inner in reported for outer_verb, outer in reported
              if outer is not inner and verb in outer.token_indexes and outer_verb not in inner.token_indexes}
    return [q for q in quotes if id(q) not in nested]


def _of_a_thing(token: Token) -> bool:
    """Whether a name is the "of" object of a common noun, a modifier like a possessor ("the lighted figure of
    Abraham Lincoln")."""
    return token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN"


def _ends_in_colon(clause: Token) -> bool:
    """Whether a clause before a verb ends in a colon, which opens what explains it, not who said it ("We have
    been here before: Osama bin Laden declared war")."""
    last = clause.right_edge.i
    return clause.doc[last].text == ":" or (last + 1 < len(clause.doc) and clause.doc[last + 1].text == ":")


def _has_quote_mark(text: str) -> bool:
    """Whether ``text`` holds an opening or closing quote mark."""
    return any(mark in text for mark in (*OPENING_MARKS, *CLOSING_MARKS))


def _quote_from_tokens(doc: Doc, content: list[Token], kind: str, cue: str, speaker: Speaker | None,
                       confidence: float, sentence_of: list[int]) -> Quote | None:
    """A quote over the span of ``content``, or None when the parse left too little to be a statement."""
    content = sorted(content, key=lambda t: t.i)
    if sum(t.is_alpha for t in content) < MIN_REPORTED_WORDS:
        return None
    start, end = _trimmed(doc, content[0].idx, content[-1].idx + len(content[-1]))
    while end > start and _text(doc)[end - 1] in ".,;:":
        end -= 1
    if end <= start:
        return None
    return Quote(start, end, kind, cue, speaker, confidence, sentence_of[content[0].i], {t.i for t in content})


def find_quotes(doc: Doc, lexicons: Lexicons, mentions: list[CountryMention], sentence_of: list[int],
                people: dict[int, PersonActor] | None = None) -> list[Quote]:
    """All quotes of a document, in text order; ``people`` maps person tokens to who they are
    (``transforms.actors.person_actors``)."""
    resolver = SpeakerResolver(doc, lexicons, mentions, people or {})
    direct = direct_quotes(doc, lexicons, resolver, sentence_of)
    quoted = set().union(*(q.token_indexes for q in direct)) if direct else set()
    indirect = indirect_quotes(doc, lexicons, resolver, sentence_of, quoted)
    # A quoted phrase inside reported speech is part of that (mixed) quote, not a quote of its own.
    mixed = [q for q in indirect if q.kind == "mixed"]
    direct = [d for d in direct if not any(d.start >= m.start and d.end <= m.end for m in mixed)]
    # Two speech verbs can report the same clause ("the Times reported ..., as did ..."): one row per span.
    unique: dict[tuple[int, int, str], Quote] = {}
    for quote in sorted(direct + indirect, key=lambda q: (q.start, -q.confidence)):
        unique.setdefault((quote.start, quote.end, quote.kind), quote)
    return list(unique.values())


def quote_rows(doc: Doc, quotes: list[Quote], article_id: str) -> list[dict]:
    """Rows of the ``quotes`` table."""
    rows = []
    for quote in quotes:
        speaker = quote.speaker
        rows.append({
            "article_id": article_id,
            "quote_id": stable_id(article_id, quote.start, quote.end, quote.kind),
            "start": quote.start,
            "end": quote.end,
            "text": _text(doc)[quote.start:quote.end],
            "kind": quote.kind,
            "cue": quote.cue,
            "speaker_text": speaker.text if speaker else None,
            "speaker_start": speaker.start if speaker else None,
            "speaker_end": speaker.end if speaker else None,
            "speaker_name": speaker.name if speaker else None,
            "speaker_role": speaker.role if speaker else None,
            "speaker_country": speaker.country if speaker else None,
            "speaker_country_basis": speaker.basis if speaker and speaker.country else None,
            "speaker_sector": speaker.sector if speaker else None,
            "speaker_id": speaker_id(speaker.name) if speaker and speaker.is_named else None,
            "sentence_idx": quote.sentence_idx,
            "confidence": quote.confidence,
        })
    return rows
