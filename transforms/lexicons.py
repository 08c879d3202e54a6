"""The reference data extraction reads from ``seeds/``: countries, relation cues, speech verbs, role words.

Everything an analyst may want to extend lives in those CSVs, not in code.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from transforms.countries import CountryTable, load_country_table

SEED_FILES = ("countries.csv", "places.csv", "relation_cues.csv", "speech_verbs.csv", "role_words.csv", "people.csv",
              "agents.csv", "discards.csv", "first_names.csv")


# CAMEO's quad class of each newsflow relation type (1 verbal and 2 material cooperation, 3 verbal and 4 material
# conflict), and the polarity of each quad.
TYPE_QUAD = {"AGREE": 1, "CONSULT": 1, "COOPERATE": 2, "AID": 2, "ACCUSE": 3, "DEMAND": 3, "THREATEN": 3,
             "REJECT": 3, "SANCTION": 4, "FIGHT": 4}
POLARITY = {1: "cooperation", 2: "cooperation", 3: "conflict", 4: "conflict"}


@dataclass(frozen=True)
class Cue:
    """A relation cue: its polarity, event type and quad class."""

    lemma: str
    polarity: str
    relation_type: str
    quad_class: int
    # A reciprocal cue ("talks", "agreement", "war") pairs coordinated actors: "X and Y held talks".
    # A directed one ("offer", "sanction") needs the two sides in different roles: "X offered aid to Y".
    is_reciprocal: bool
    cameo_code: str = ""
    goldstein: float = 0.0
    # How reliable the cue is on its own (1.0 checked, less for dictionary synonyms): scales confidence.
    weight: float = 1.0
    # A multi-word cue's second word, which must hang from the lemma ("iron out", "sign" + "accord").
    with_word: str = ""
    # A cue from the verb dictionary matches verbs only.
    is_verb_only: bool = False
    # Where the cue comes from (seeds/relation_cues.csv): checked, checked verb, nominalisation, head, ...
    source: str = ""


@dataclass(frozen=True)
class Lexicons:
    """All seed lexicons, loaded once per process."""

    countries: CountryTable
    cues: dict[str, Cue]
    # Cues of a lemma with a word that must depend on it: lemma -> {with_word: cue}.
    phrase_cues: dict[str, dict[str, Cue]]
    speech_verbs: frozenset[str]
    # Verbs of the manner of speaking ("joked", "continued"): they attribute words in quote marks next to
    # them, never reported speech ("he continued to fight" reports nothing).
    quoting_verbs: frozenset[str]
    attribution_phrases: frozenset[str]
    role_words: dict[str, str]
    fingerprint: str
    # Phrases that put a sentence outside politics ("world cup", "test series"): first word -> the phrases'
    # words, lower case.
    discards: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # First names nearly always a woman's ("f") or a man's ("m"), lower case: what "she" and "he" cannot be.
    first_name_genders: dict[str, str] = field(default_factory=dict)
    # Where the seeds are: the people and agents tables (transforms/actors.py) load from here.
    seeds_dir: str = ""


def _rows(path: Path) -> list[dict[str, str]]:
    """A seed CSV's rows; leading ``#`` lines (a generated file's credit) are skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _by_first_word(phrases: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        found.setdefault(words[0], []).append(words)
    return found


def _cue(row: dict[str, str]) -> Cue:
    return Cue(row["lemma"].lower(), row["polarity"], row["relation_type"], int(row["quad_class"]),
               row.get("is_reciprocal", "").lower() == "true", row.get("cameo_code", ""),
               float(row.get("goldstein") or 0.0), float(row.get("weight") or 1.0), row.get("with_word", "").lower(),
               row.get("source", "") in ("head", "synonym", "pattern", "checked verb"), row.get("source", ""))


def seeds_fingerprint(seeds_dir: Path) -> str:
    """Short hash of the seed files extraction depends on: part of ``extractor_version``."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(name.encode())
        digest.update((seeds_dir / name).read_bytes())
    return digest.hexdigest()[:10]


@lru_cache(maxsize=4)
def load_lexicons(seeds_dir: str) -> Lexicons:
    """Read the seed CSVs under ``seeds_dir``."""
    root = Path(seeds_dir)
    cues: dict[str, Cue] = {}
    phrase_cues: dict[str, dict[str, Cue]] = {}
    for row in _rows(root / "relation_cues.csv"):
        cue = _cue(row)
        if cue.with_word:
            phrase_cues.setdefault(cue.lemma, {})[cue.with_word] = cue
        else:
            cues[cue.lemma] = cue
    speech = _rows(root / "speech_verbs.csv")
    return Lexicons(
        countries=load_country_table(root),
        cues=cues,
        phrase_cues=phrase_cues,
        speech_verbs=frozenset(r["lemma"].lower() for r in speech if r["kind"] == "speech"),
        quoting_verbs=frozenset(r["lemma"].lower() for r in speech if r["kind"] == "quoting"),
        attribution_phrases=frozenset(r["lemma"].lower() for r in speech if r["kind"] == "attribution"),
        role_words={row["word"].lower(): row["kind"] for row in _rows(root / "role_words.csv")},
        fingerprint=seeds_fingerprint(root),
        discards=_by_first_word(row["phrase"] for row in _rows(root / "discards.csv")),
        first_name_genders={row["first_name"]: row["gender"] for row in _rows(root / "first_names.csv")},
        seeds_dir=str(root),
    )
