"""Who acts: the one owner of countries' actors for relations and quotes alike.

An actor is a country standing behind a mention, with the sector it acts through:
- a country name, capital or government body: the state itself (sector None);
- a demonym or country with an agent noun: "Chadian troops" (TCD, MIL), "the Japanese ministry" (JPN, GOV),
  "Japanese firms" (JPN, BUS), from ``seeds/agents.csv`` (Phoenix agents);
- a person: introduced with a national title in the article ("U.S. Treasury Secretary James Baker"), or known
  to ``seeds/people.csv`` (Phoenix actors with dated codes) at the article's date ("President Reagan" in 1987 is
  USA GOV; "Reagan" in 2016 is a former president, USA ELI). A surname after a full mention is the same person.

Only the state's own sectors act for it in a country-pair relation (``STATE_SECTORS``); a business, the media or
a farmer is not the state ("a Japanese firm bought a U.S. firm" is no relation).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from transforms.entities import CountryMention, is_location_use
from transforms.lexicons import Lexicons

# Sectors through which a state acts: government, military, police, intelligence, legislature, judiciary.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
# "the Reagan administration", "the Nakasone government": the person's government.
GOVERNMENT_NOUNS = frozenset({"administration", "government", "cabinet"})
# Nouns a country names rather than takes part in: "the Uruguay round" of trade talks.
EVENT_NAME_NOUNS = frozenset({"round"})
THIRD_PERSON = frozenset({"he", "she"})
# "his visit to Moscow", "her talks with Abe": the possessor is the person too.
THIRD_PERSON_POSSESSIVES = frozenset({"his", "her"})
TITLE_GLUE = frozenset({"'s", "’s", "-", "of", "for", "the"})  # "Chancellor of the Exchequer"
# Words of an organisation's name in the people dictionary ("Federal Trade Commission", "Soviet Union"): such
# an entry has no surname, so "Commission" or "Union" alone is nobody.
ORGANISATION_WORDS = frozenset({
    "administration", "agency", "army", "assembly", "association", "authority", "bank", "board", "commission",
    "committee", "company", "congress", "corporation", "council", "court", "department", "embassy", "force",
    "forces", "foundation", "front", "fund", "government", "group", "headquarters", "institute", "league",
    "ministry", "movement", "navy", "office", "organisation", "organization", "parliament", "party", "police",
    "security", "senate", "service", "treasury", "union", "of", "the", "for", "and"})
# Titles that say a person's sex: "Mrs. Thatcher", "Mr. Cruz".
TITLE_SEXES = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f", "miss": "f"}
# A title that says the office is held no longer: "former President Jimmy Carter".
PAST_TITLE_WORDS = frozenset({"former", "ex", "ex-", "late", "then"})


@dataclass(frozen=True)
class PersonPeriod:
    """A person's code over a period: country, sector, from and until (None: open)."""

    name: str
    country: str
    sector: str
    valid_from: date | None
    valid_until: date | None

    def covers(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True)
class PersonActor:
    """A person mention resolved to a country (and sector when known)."""

    name: str
    country: str
    sector: str | None
    # How the country is known: "role" (a national title in the article: "U.S. Treasury Secretary James
    # Baker") or "dictionary" (seeds/people.csv at the article's date).
    basis: str = "dictionary"


class PeopleTable:
    """``seeds/people.csv``: names and aliases (lower case) to their dated codes, and surnames to names."""

    def __init__(self, periods: list[PersonPeriod], aliases: dict[str, set[str]]):
        self.by_person: dict[str, list[PersonPeriod]] = {}
        for period in periods:
            self.by_person.setdefault(period.name, []).append(period)
        self.by_name: dict[str, set[str]] = {}
        self.by_surname: dict[str, set[str]] = {}
        for person, names in aliases.items():
            for name in names | {person}:
                self.by_name.setdefault(name.lower(), set()).add(person)
            if not ORGANISATION_WORDS.intersection(person.lower().split()):
                self.by_surname.setdefault(person.split()[-1].lower(), set()).add(person)

    @classmethod
    def from_csv(cls, path: Path) -> "PeopleTable":
        periods: list[PersonPeriod] = []
        aliases: dict[str, set[str]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(line for line in handle if not line.startswith("#")):
                name = row["person_name"]
                periods.append(PersonPeriod(name, row["country_code"], row["sector"],
                                            date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                                            date.fromisoformat(row["valid_until"]) if row["valid_until"] else None))
                aliases.setdefault(name, set()).update(a for a in row["aliases"].split("|") if a)
        return cls(periods, aliases)

    def period(self, person: str, on: date | None) -> PersonPeriod | None:
        """The person's code at ``on``: a dated period that covers it, else the undated default; without a
        date, a state period if the person ever held one (news names officials far more than ex-officials)."""
        periods = self.by_person.get(person, [])
        if not periods:
            return None
        if on is not None:
            dated = [p for p in periods if (p.valid_from or p.valid_until) and p.covers(on)]
            if dated:
                return dated[0]
            undated = [p for p in periods if not (p.valid_from or p.valid_until)]
            return undated[0] if undated else None
        countries = {p.country for p in periods}
        if len(countries) != 1:
            return None
        state = [p for p in periods if p.sector in STATE_SECTORS]
        return (state or periods)[-1]

    def held_office_before(self, person: str, country: str, on: date | None) -> bool:
        """Whether the dictionary has ``person`` in a state office of ``country`` that began before ``on``."""
        return on is not None and any(
            p.country == country and p.sector in STATE_SECTORS and p.valid_from is not None and p.valid_from <= on
            for p in self.by_person.get(person, []))

    def resolve(self, text: str, on: date | None) -> PersonActor | None:
        """A full name or alias ("Ronald Reagan", "Reagan Administration"), or a surname that only one person
        in a state office at ``on`` has ("Nakasone" in 1987)."""
        key = text.strip().lower()
        candidates = self.by_name.get(key, set())
        # A surname alone needs the date: without it, too many words are someone's surname.
        if not candidates and " " not in key and on is not None:
            candidates = {p for p in self.by_surname.get(key, set())
                          if (period := self.period(p, on)) is not None and period.sector in STATE_SECTORS}
        found = {(p.name, p.country, p.sector) for c in candidates if (p := self.period(c, on)) is not None}
        if len({(name, country) for name, country, _ in found}) != 1:
            return None
        name, country, sector = next(iter(found))
        return PersonActor(name, country, sector or None)


@lru_cache(maxsize=4)
def load_people(seeds_dir: str) -> PeopleTable:
    """``<seeds_dir>/people.csv``, read once per process."""
    return PeopleTable.from_csv(Path(seeds_dir) / "people.csv")


@lru_cache(maxsize=4)
def load_agents(seeds_dir: str) -> dict[str, str]:
    """``<seeds_dir>/agents.csv``: agent noun or phrase (lower case) -> sector."""
    with (Path(seeds_dir) / "agents.csv").open(encoding="utf-8", newline="") as handle:
        return {row["agent"]: row["sector"]
                for row in csv.DictReader(line for line in handle if not line.startswith("#"))}


def agent_sector(head: Token, agents: dict[str, str]) -> str | None:
    """The sector of an agent noun: "patrol boat", "troops", "ministry"; None when it is no agent."""
    for child in head.children:  # a two-word agent: "patrol boat", "central bank"
        if child.dep_ in ("compound", "amod") and child.i == head.i - 1:
            sector = agents.get(f"{child.lower_} {head.lower_}") or agents.get(f"{child.lower_} {head.lemma_.lower()}")
            if sector:
                return sector
    return agents.get(head.lower_) or agents.get(head.lemma_.lower())


# The last word of a company's name: "Japan's Canon Inc", "South Korea's <Lucky-Goldstar Group>".
COMPANY_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "plc", "group", "ag", "sa", "nv", "gmbh", "spa", "llc",
                              "kk", "bv", "corporation", "company", "holdings"})


# Kinds of country name that open a state body's name: "the U.S. Administration", "the French Foreign Ministry".
# Not a capital: "the Tokyo District Court" is the city's court.
BODY_NAME_KINDS = frozenset({"name", "demonym", "former_name"})


def body_mentions(doc: Doc, mentions: list[CountryMention], lexicons: Lexicons, agents: dict[str, str],
                  on: date | None) -> list[CountryMention]:
    """Countries inside the name of a state body that the model tags as one organisation ("the U.S.
    Administration", "The French Foreign Ministry", "the West German Government"), or of an act that wire copy
    capitalises after "U.S." ("the U.S. Attack on Iranian oil platforms"): the country words are a mention of
    their own, an actor through the body's sector or of the act. A name whose head is neither ("U.S. Steel",
    "the Japan Foundation") gives none."""
    named = {(m.span.start, m.span.end) for m in mentions}
    found = []
    for ent in doc.ents:
        if ent.label_ != "ORG" or (ent.start, ent.end) in named:
            continue
        start = ent.start + (doc[ent.start].pos_ == "DET")
        head = ent.root
        if agent_sector(head, agents) not in STATE_SECTORS and head.lower_ not in lexicons.cues:
            continue
        for end in range(min(start + 3, head.i), start, -1):  # the longest country form before the head
            match = lexicons.countries.resolve(doc[start:end].text, on)
            if match is not None and match.kind in BODY_NAME_KINDS:
                span = doc[start:end]
                found.append(CountryMention(span, match.code, match.name, match.kind, is_location_use(span)))
                break
    return found


def mention_sector(mention: CountryMention, agents: dict[str, str]) -> str | None:
    """The sector a country mention acts through: the agent noun it modifies ("U.S. troops", "Japan's
    ministry", "Japanese firms"; a past office is ELI: "former South African president"), a company it owns
    ("Japan's Canon Inc": BUS), None when it names the state itself."""
    root = mention.root
    if root.dep_ in ("amod", "compound", "nmod", "poss") and root.head.i != root.i:
        sector = agent_sector(root.head, agents)
        if sector is None and _company_after(mention):
            return "BUS"
        if sector in STATE_SECTORS and any(c.lower_ in PAST_TITLE_WORDS for c in root.head.children):
            return "ELI"  # "former South African president Nelson Mandela" is no longer the state
        return sector
    return None


def _company_after(mention: CountryMention) -> bool:
    """Whether a company's name follows the mention ("Japan's Canon Inc", "South Korea's <Lucky-Goldstar
    Group>"): the small model hangs the possessor anywhere inside such a name, or tags none of it."""
    doc = mention.span.doc
    index = mention.span.end
    while index < len(doc) and doc[index].text in ("'s", "’s", "'", "<"):
        index += 1
    for token in doc[index:index + 6]:
        if token.pos_ != "PROPN" and token.text not in ("-", "&", ">"):
            return False
        if token.lower_.rstrip(".>") in COMPANY_SUFFIXES:
            return True
    return False


def is_actor(mention: CountryMention, lexicons: Lexicons, agents: dict[str, str]) -> bool:
    """Locations are never actors, nor a country's non-state agents ("Japanese firms", "Kenyan farmers"); a
    demonym is one only for people, institutions or events ("Japanese officials", "the Iranians", "Soviet-U.S.
    talks"), not for things ("Japanese cars", "Kenyan tea exports")."""
    if mention.is_location:
        return False
    root = mention.root
    # Where an event took place or what it is called: "the Paris pact", "the Geneva talks", "the Uruguay round"
    # (but "Howard's Tokyo trip" goes to Japan).
    following = root.doc[root.i + 1] if root.i + 1 < len(root.doc) else root
    if root.dep_ == "compound" and root.head.i != root.i and (
            root.head.lower_ in EVENT_NAME_NOUNS or following.lower_ in EVENT_NAME_NOUNS
            or (mention.kind == "capital" and root.head.lemma_.lower() in lexicons.cues
                and lexicons.cues[root.head.lemma_.lower()].is_reciprocal)):
        return False
    sector = mention_sector(mention, agents)
    if sector is not None:
        return sector in STATE_SECTORS
    if mention.kind == "capital" and root.dep_ == "compound" and root.head.i != root.i \
            and not _names_actor_or_act(root.head, lexicons):
        return False  # the city: "London oil and stock market rumors", "the Tokyo stock market"
    if mention.kind != "demonym":
        return True
    if root.dep_ not in ("amod", "compound", "nmod"):
        return True
    return _names_actor_or_act(root.head, lexicons)


def _names_actor_or_act(head: Token, lexicons: Lexicons) -> bool:
    """Whether a noun a country modifies is someone or an act: a role ("Japanese officials"), a cue
    ("Soviet-U.S. talks"; "counter-attacks" is an attack) or a named person, body or group."""
    event = head.lemma_.lower().rsplit("-", 1)[-1]
    return (head.lower_ in lexicons.role_words or head.lemma_.lower() in lexicons.role_words
            or head.lemma_.lower() in lexicons.cues or event in lexicons.cues
            or head.ent_type_ in ("PERSON", "ORG", "NORP"))


def _is_title_word(token: Token, lexicons: Lexicons) -> bool:
    """A title is role words, capitalised words and the glue between them: "Secretary of Commerce"."""
    return (token.lower_ in lexicons.role_words or token.lemma_.lower() in lexicons.role_words
            or (token.is_title and token.is_alpha) or token.text in TITLE_GLUE)


def _country_before(doc: Doc, person: Span, country_at: dict[int, CountryMention], lexicons: Lexicons) -> str | None:
    """The country in a title right before a name: "U.S. Treasury Secretary James Baker" -> USA. A title has a
    role word: capitalised words alone are none ("Trump: Make China Take Care Of North Korea Donald Trump ...",
    a headline run into its story)."""
    index = person.start - 1
    has_role = False
    for _ in range(8):
        if index < 0:
            return None
        token = doc[index]
        mention = country_at.get(token.i)
        if mention is not None and not mention.is_location:
            # ... or a possessive or demonym right before the name: "Iraq's Tariq Aziz", "Iranian Mousavi"
            between = [t.text for t in doc[index + 1:person.start]]
            return mention.code if has_role or between in ([], ["'s"], ["’s"]) and (
                between or mention.kind == "demonym") else None
        if not _is_title_word(token, lexicons):
            return None
        has_role = has_role or token.lower_ in lexicons.role_words or token.lemma_.lower() in lexicons.role_words
        index -= 1
    return None


def _title_words(doc: Doc, person: Span, lexicons: Lexicons, size: int = 4) -> list[str]:
    """The last ``size`` words of the title right before a name, lower case."""
    words: list[str] = []
    index = person.start - 1
    while index >= 0 and len(words) < size and _is_title_word(doc[index], lexicons):
        words.insert(0, doc[index].lower_)
        index -= 1
    return words


def _is_past_title(doc: Doc, person: Span, lexicons: Lexicons) -> bool:
    """Whether the title before a name says the office is held no longer ("former South African president
    Nelson Mandela")."""
    words = _title_words(doc, person, lexicons, 8)
    before = person.start - len(words) - 1
    return bool(PAST_TITLE_WORDS.intersection(words)) or (before >= 0 and doc[before].lower_ in PAST_TITLE_WORDS)


def _title_sector(doc: Doc, person: Span, lexicons: Lexicons, agents: dict[str, str]) -> str | None:
    """The sector of a state title right before a name ("Treasury Secretary James Baker": GOV), None for
    another title, none, or one held no longer ("former President Carter")."""
    if _is_past_title(doc, person, lexicons):
        return None
    words = _title_words(doc, person, lexicons)
    for size in (2, 1):  # the office is the last words of the title: "Treasury Secretary", "Secretary"
        sector = agents.get(" ".join(words[-size:])) if len(words) >= size else None
        if sector in STATE_SECTORS:
            return sector
    return None


def person_actors(doc: Doc, mentions: list[CountryMention], lexicons: Lexicons, people: PeopleTable,
                  agents: dict[str, str], on: date | None) -> dict[int, PersonActor]:
    """The people of a document with their country, by the token index of every mention of them.

    A national title in the article wins ("U.S. Treasury Secretary James Baker ... Baker said": USA, GOV);
    else the people dictionary at the article's date. A surname shared by two people of different countries
    in the article is left unresolved; a surname after a full mention is that person.
    """
    country_at = {t.i: m for m in mentions for t in m.span}
    # Each surname's people in the order the article introduces them, by the surname in lower case (a headline in
    # capitals names "REAGAN", the story "President Reagan").
    by_surname: dict[str, dict[PersonActor, int]] = {}
    by_full_name: dict[str, PersonActor] = {}
    persons = [e for e in doc.ents if e.label_ == "PERSON" or (e.label_ == "ORG" and len(e) > 1)]
    # A first name of someone the article names in full is that person's, not a namesake's surname
    # ("Donald" beside "Donald Trump" is not Suriname's Henry Mac Donald).
    first_names = {p[0].text for p in persons if p.label_ == "PERSON" and len(p) > 1}
    # A surname alone is the person the article names in full ("Chris Wallace ... Wallace"), never a
    # namesake the dictionary knows only by that surname.
    full_surnames = {p[-1].text for p in persons if p.label_ == "PERSON" and len(p) > 1}
    for person in persons:
        if len(person) == 1 and (person.text in first_names or person.text in full_surnames
                                 or _is_given_name(person[0], lexicons)):
            continue
        if person.label_ != "PERSON":
            words = person.text.split()
            if words[0].lower() == "the":
                words = words[1:]
            if len(words) < 2 or words[-1].lower() not in GOVERNMENT_NOUNS:
                continue
            known = people.resolve(" ".join(words[:-1]), on)  # "the Reagan Administration"
        else:
            code = _country_before(doc, person, country_at, lexicons)
            # A national title makes a person the state's, unless the office is past ("former South African
            # president Nelson Mandela" speaks for South Africa's elite, not its government).
            sector = "ELI" if code is not None and _is_past_title(doc, person, lexicons) else "GOV"
            known = (PersonActor(person.text if len(person) > 1 else "", code, sector, "role") if code is not None
                     else people.resolve(person.text, on))
            # The article's title says what the person is at its date where the dictionary's periods leave a
            # gap ("Treasury Secretary James Baker" in 1987: the dictionary has his offices of 1981-85 and
            # 1989-92); not for someone whose state office came only later (Shevardnadze, Georgia's from 1992).
            if known is not None and known.sector not in STATE_SECTORS \
                    and people.held_office_before(known.name, known.country, on) \
                    and (title := _title_sector(doc, person, lexicons, agents)) is not None:
                known = PersonActor(known.name, known.country, title, known.basis)
        if known is not None:
            by_surname.setdefault(person[-1].lower_, {}).setdefault(known, person.start)
            by_full_name.setdefault(person.text, known)

    def one_person(surname: str) -> PersonActor | None:
        known = by_surname.get(surname.lower(), {})
        if len({k.country for k in known}) != 1:
            return None
        # A national title wins; else the fullest name of the person introduced first (news writes a second
        # namesake in full: "Clinton" after "Bill Clinton ... Hillary Clinton" is Bill).
        first = min(known.values())
        return max(known, key=lambda k: (k.basis == "role", known[k] == first, len(k.name)))

    found: dict[int, PersonActor] = {}
    for person in persons:
        # A full name is who it names when it was resolved itself ("Hillary Clinton" beside "Bill Clinton").
        own = by_full_name.get(person.text) if len(person) > 1 else None
        known = own if own is not None and own.name else one_person(person[-1].text)
        if known is not None:
            actor = known if known.name else PersonActor(person.text, known.country, known.sector, known.basis)
            found.update({t.i: actor for t in person})
    # The model does not tag every later mention ("Baldrige met ..."): a known surname is the person.
    # Nor every name as a person ("Nakasone" as ORG): a one-word name that is no agent noun ("Government") and
    # the surname of one person in a state office at the date is.
    for token in doc:
        if token.pos_ != "PROPN" or token.i in found or token.i in country_at or token.text in first_names \
                or _is_given_name(token, lexicons):
            continue
        known = one_person(token.text)
        if known is not None:
            found[token.i] = known if known.name else PersonActor(token.text, known.country, known.sector, known.basis)
        elif (token.lower_ not in by_surname and token.text not in full_surnames and on is not None and token.is_title
              and token.ent_type_ in ("PERSON", "ORG") and token.ent_iob_ == "B"
              and (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I") and token.lower_ not in agents):
            resolved = people.resolve(token.text, on)
            if resolved is not None and resolved.sector in STATE_SECTORS:
                found[token.i] = resolved
    # "he"/"she"/"his" is the person named last before it, when that person is known ("Baldrige ... he said"),
    # passing over someone of the other sex by title or first name ("She ... from talks with Kohl" is not Kohl).
    named: list[tuple[PersonActor | None, str | None]] = []  # (who, sex) per person mention, unknown as None
    for token in doc:
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            named.append((found.get(token.i), _person_sex(token, lexicons)))
        elif named and token.i not in found and (
                token.lower_ in THIRD_PERSON or (token.lower_ in THIRD_PERSON_POSSESSIVES and token.dep_ == "poss")):
            sex = "f" if token.lower_ in ("she", "her") else "m"
            who = next((person for person, person_sex in reversed(named) if person_sex in (None, sex)), None)
            if who is not None:
                found[token.i] = who
    return found


def _is_given_name(token: Token, lexicons: Lexicons) -> bool:
    """A first name right before another capitalised word is someone's given name, not a namesake's surname, though
    the model tags no person there ("Donald Trump Praises ..." in a title-case headline is not Suriname's Henry Mac
    Donald)."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.lower_ in lexicons.first_name_genders and following is not None and following.is_alpha \
        and (following.is_title or following.is_upper)


def title_sex(first: Token) -> str | None:
    """The sex the title before a person mention, or opening it, says: "Mrs. Thatcher", "Mr. Cruz"; else None."""
    before = first.doc[first.i - 1].lower_ if first.i > 0 else ""
    return TITLE_SEXES.get(before) or TITLE_SEXES.get(first.lower_)


def _person_sex(first: Token, lexicons: Lexicons) -> str | None:
    """The sex a person mention's title or first name says: "Mrs. Thatcher", "Helmut Kohl"; else None."""
    sex = title_sex(first)
    if sex is not None:
        return sex
    is_full_name = first.i + 1 < len(first.doc) and first.doc[first.i + 1].ent_iob_ == "I"
    return lexicons.first_name_genders.get(first.lower_) if is_full_name else None
