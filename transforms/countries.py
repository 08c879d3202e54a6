"""Country resolution: names, short names, demonyms, capitals, former names and government bodies to ISO
3166-1 alpha-3, and places (cities, US states, regions) to the country they lie in.

The tables come from ``seeds/countries.csv`` and ``seeds/places.csv`` (see ``transforms/countries_seed.py``). Resolution is by exact
surface form (case-sensitive, so "Turkey" the state and "turkey" the bird differ) after stripping a leading
"the" and a possessive. Where one form names two states (Moscow: SUN until 1991, RUS after), the article's
date decides.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Country:
    """One row of the countries seed."""

    code: str
    name: str
    valid_until: date | None


@dataclass(frozen=True)
class CountryMatch:
    """A surface form resolved to a country, with how it named it (name, demonym, capital, former_name)."""

    code: str
    name: str
    kind: str


class CountryTable:
    """Lookup from surface forms to countries, built once from the seed CSV."""

    def __init__(self, countries: dict[str, Country], aliases: dict[str, list[tuple[str, str]]],
                 places: dict[str, str] | None = None):
        self.countries = countries
        self._aliases = aliases
        self.places = places or {}
        # Places the statistical NER tends to miss ("Wall Street"), to be found by pattern.
        self.regions: frozenset[str] = frozenset()

    @classmethod
    def from_csv(cls, path: Path) -> "CountryTable":
        """Load ``seeds/countries.csv``; columns hold pipe-separated lists of surface forms."""
        countries: dict[str, Country] = {}
        aliases: dict[str, list[tuple[str, str]]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["country_code"].strip()
                until = row.get("valid_until") or ""
                countries[code] = Country(code, row["country_name"], date.fromisoformat(until) if until else None)
                for kind, column in (("name", "names"), ("former_name", "former_names"), ("demonym", "demonyms"),
                                     ("capital", "capitals"), ("body", "government_bodies")):
                    for form in filter(None, (f.strip() for f in (row.get(column) or "").split("|"))):
                        for variant in {form, form.upper()} if len(form) >= 4 else {form}:
                            entries = aliases.setdefault(variant, [])
                            if (code, kind) not in entries:
                                entries.append((code, kind))
        return cls(countries, aliases)

    def resolve_place(self, text: str) -> CountryMatch | None:
        """A city, US state or region ("Chicago", "Wall Street") to the country it lies in, or None."""
        code = self.places.get(_LEADING_THE.sub("", text.strip()))
        if code is None or code not in self.countries:
            return None
        return CountryMatch(code, self.countries[code].name, "place")

    def surface_forms(self) -> dict[str, str]:
        """Every surface form with the alias kind it has most often (for building spaCy patterns)."""
        return {form: entries[0][1] for form, entries in self._aliases.items()}

    def resolve(self, text: str, on: date | None = None) -> CountryMatch | None:
        """Resolve a mention ("the U.S.", "Kazakh", "Yerevan", "Moscow") to a country, or None.

        ``on`` is the article's date: a historic state wins over its successor only before it ended.
        """
        key = _POSSESSIVE.sub("", _LEADING_THE.sub("", text.strip()))
        entries = self._aliases.get(key)
        if not entries:
            return None
        code, kind = self._pick(entries, on)
        return CountryMatch(code, self.countries[code].name, kind)

    def _pick(self, entries: list[tuple[str, str]], on: date | None) -> tuple[str, str]:
        if len(entries) == 1:
            return entries[0]
        current = [e for e in entries if self.countries[e[0]].valid_until is None]
        historic = [e for e in entries if self.countries[e[0]].valid_until is not None]
        if historic and on is not None and any(on < self.countries[e[0]].valid_until for e in historic):
            return historic[0]
        return (current or entries)[0]


def load_country_table(seeds_dir: Path) -> CountryTable:
    """The country table from ``<seeds_dir>/countries.csv``, with the places of ``places.csv``."""
    table = CountryTable.from_csv(seeds_dir / "countries.csv")
    with (seeds_dir / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table.places = {row["place_name"]: row["country_code"] for row in rows}
    table.regions = frozenset(row["place_name"] for row in rows if row["place_kind"] == "region")
    return table
