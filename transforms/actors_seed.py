"""Generate ``seeds/people.csv`` and ``seeds/agents.csv`` from the Phoenix actor and agent dictionaries.

Run once (``python -m transforms.actors_seed [SHARED_DIR]``) and commit the CSVs: extraction reads the CSVs,
never the dictionaries. Source: ``reference/petrarch2/Phoenix.Countries.actors.txt`` and
``reference/petrarch2/Phoenix.agents.txt`` in the shared folder, PETRARCH2 / Open Event Data Alliance (MIT).

- people: every person of the country actor dictionary (``RONALD_REAGAN_`` with its ``+PRESIDENT_REAGAN``
  variants) with each dated code (``[USAGOV 810120-890120]``) as one row: country (ISO3), sector (GOV, ELI,
  MIL, LEG, ...), valid_from and valid_until (empty: open). Title words are stripped from variants ("President
  Reagan" is an alias "Reagan" of Ronald Reagan); only people whose code's country is in ``countries.csv``.
- agents: agent nouns with their sector (``FARMER [~AGR]``; ``!PERSON!``/``!MINIST!`` expanded), plus the checked
  ``CHECKED_AGENTS`` the dictionary lacks in the bare plural form news uses ("troops", "forces", "officials").
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CREDIT = "PETRARCH2 / Open Event Data Alliance, MIT"

# Words of a dictionary variant that are a title, not a name: "PRESIDENT_REAGAN" is "Reagan".
TITLE_WORDS = frozenset({
    "president", "former", "prime", "minister", "vice", "secretary", "of", "state", "the", "gov.", "governor",
    "govenor", "senator", "sen.", "rep.", "representative", "king", "queen", "prince", "princess", "sheikh",
    "chancellor", "premier", "general", "gen.", "foreign", "defense", "defence", "finance", "interior",
    "president-elect", "mr.", "mrs.", "ms.", "dr.", "chairman", "leader", "ambassador", "deputy", "acting",
    "administration", "colonel", "col.", "admiral", "emir", "ayatollah", "pope", "speaker", "mayor", "justice",
    "chief", "lieutenant", "lt.", "commander", "marshal", "field", "sir", "lord", "lady", "dame", "crown",
})

# Sector nouns news uses that the dictionary has only in other forms (noun: sector).
CHECKED_AGENTS: dict[str, str] = {
    "troop": "MIL", "troops": "MIL", "soldier": "MIL", "soldiers": "MIL", "force": "MIL", "forces": "MIL",
    "army": "MIL", "navy": "MIL", "air force": "MIL", "military": "MIL", "warship": "MIL", "warships": "MIL",
    "gunboat": "MIL", "patrol boat": "MIL", "jet": "MIL", "jets": "MIL", "warplane": "MIL", "warplanes": "MIL",
    "aircraft": "MIL", "artillery": "MIL", "tank": "MIL", "tanks": "MIL", "guard": "MIL", "guards": "MIL",
    "commando": "MIL", "commandos": "MIL", "marine": "MIL", "marines": "MIL", "militia": "MIL",
    # weapons and craft a state attacks with: "an Iranian missile strike", "Libyan gunboats fired"
    "missile": "MIL", "missiles": "MIL", "rocket": "MIL", "rockets": "MIL", "gunboats": "MIL",
    "helicopter": "MIL", "helicopters": "MIL", "submarine": "MIL", "submarines": "MIL", "drone": "MIL",
    "drones": "MIL",
    "official": "GOV", "officials": "GOV", "government": "GOV", "authorities": "GOV", "authority": "GOV",
    "ministry": "GOV", "ministries": "GOV", "minister": "GOV", "ministers": "GOV", "embassy": "GOV",
    "diplomat": "GOV", "diplomats": "GOV", "delegation": "GOV", "delegations": "GOV", "negotiator": "GOV",
    "negotiators": "GOV", "envoy": "GOV", "envoys": "GOV", "leader": "GOV", "leaders": "GOV",
    "spokesman": "GOV", "spokeswoman": "GOV", "administration": "GOV", "cabinet": "GOV", "regime": "GOV",
    "treasury": "GOV", "department": "GOV",  # "the U.S. Treasury", "the U.S. Agriculture Department"
    "counterpart": "GOV", "counterparts": "GOV",  # "pressed their Japanese counterparts": officials
    "representative": "GOV",  # "the U.S. Trade Representative"
    "president": "GOV", "premier": "GOV", "ambassador": "GOV", "consulate": "GOV", "police": "COP",
    "firm": "BUS", "firms": "BUS", "company": "BUS", "companies": "BUS", "maker": "BUS", "makers": "BUS",
    "exporter": "BUS", "exporters": "BUS", "importer": "BUS", "importers": "BUS", "producer": "BUS",
    "producers": "BUS", "bank": "BUS", "banks": "BUS", "industry": "BUS", "chipmaker": "BUS", "chipmakers": "BUS",
    "investor": "BUS", "investors": "BUS", "businessman": "BUS", "businessmen": "BUS",
    "group": "BUS", "groups": "BUS",  # "ALGERIA SIGNS MAJOR LNG DEAL WITH U.S. GROUP"
    "parliament": "LEG", "lawmaker": "LEG", "lawmakers": "LEG", "legislator": "LEG", "legislators": "LEG",
    "court": "JUD", "judge": "JUD", "judges": "JUD", "rebel": "REB", "rebels": "REB", "insurgent": "REB",
    "insurgents": "REB", "newspaper": "MED", "media": "MED", "journalist": "MED", "journalists": "MED",
}

# CAMEO sector codes (dictionaries.rst); other letters after a country code are regions or groups.
SECTORS = frozenset({"GOV", "ELI", "MIL", "LEG", "JUD", "OPP", "REB", "BUS", "MED", "SPY", "COP", "PTY", "CVL",
                     "EDU", "HLH", "LAB", "AGR", "REL", "IGO", "NGO", "UAF", "CRM", "REF", "DEV", "ENV", "SET",
                     "MOD", "RAD", "IND"})
_CODE_LINE = re.compile(r"^\s*\[([A-Z]{3})([A-Z]*)\s*([^\]]*)\]")
_AGENT = re.compile(r"^([A-Z0-9!'_.&-]+)\s*(?:\{([^}]*)\})?\s*\[(~?)([A-Z]+)(~?)\]")
_MACRO = re.compile(r"^!([A-Z]+)!\s*=\s*(.+)$")


def parse_date(text: str) -> date | None:
    """YYMMDD (1929-2028, as the files use them) or YYYYMMDD."""
    text = text.strip()
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 6:
        year = int(text[:2])
        year += 1900 if year >= 29 else 2000
        month, day = max(1, int(text[2:4])), max(1, int(text[4:]))
        return date(year, min(month, 12), min(day, 28) if month == 2 else min(day, 30))
    return None


def date_range(restriction: str) -> tuple[date | None, date | None]:
    """``810120-890120``, ``>090301``, ``<090301`` or empty -> (from, until)."""
    restriction = restriction.strip()
    if not restriction:
        return None, None
    if restriction.startswith(">"):
        return parse_date(restriction[1:]), None
    if restriction.startswith("<"):
        return None, parse_date(restriction[1:])
    start, _, end = restriction.partition("-")
    return parse_date(start), parse_date(end)


def _name(phrase: str) -> str:
    words = [w for w in phrase.strip("_+ ").split("_") if w]
    return " ".join(w.capitalize() for w in words)


def _alias(phrase: str) -> str:
    """A variant without its title words ("PRESIDENT_REAGAN" -> "Reagan"); empty when nothing is left."""
    words = [w for w in phrase.strip("_+ ").split("_") if w]
    kept = [w for w in words if w.lower() not in TITLE_WORDS]
    return " ".join(w.capitalize() for w in kept)


def parse_people(path: Path, known: set[str]) -> list[dict[str, str]]:
    """One row per person and dated code from the country actor dictionary."""
    rows: list[dict[str, str]] = []
    person = ""
    aliases: list[str] = []
    codes: list[tuple[str, str, str]] = []

    def flush() -> None:
        if person and codes:
            for country, sector, restriction in codes:
                if country not in known:
                    continue
                start, end = date_range(restriction)
                rows.append({"person_name": person, "aliases": "|".join(sorted(set(aliases) - {person})),
                             "country_code": country, "sector": sector[:3] if sector[:3] in SECTORS else "",
                             "valid_from": start.isoformat() if start else "",
                             "valid_until": end.isoformat() if end else ""})

    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        code = _CODE_LINE.match(line)
        if code and raw.startswith(("\t", " ")):
            codes.append((code.group(1), code.group(2), code.group(3)))
            continue
        if line.startswith("+"):
            alias = _alias(line[1:].split("[")[0].strip())
            if alias:
                aliases.append(alias)
            continue
        flush()
        # A country line carries its code on the line ("AFGHANISTAN_  [AFG]"): not a person.
        person, aliases, codes = "", [], []
        head = line.split("[")[0].strip()
        if "[" in line or "_" not in head.strip("_"):
            continue
        person = _name(head)
    flush()
    return rows


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def parse_agents(path: Path) -> dict[str, str]:
    """Agent phrase (lower case, words joined by spaces) -> primary sector code."""
    macros: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        macro = _MACRO.match(line)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",")]
            continue
        agent = _AGENT.match(line)
        if not agent:
            continue
        phrase, plurals, sector = agent.group(1), agent.group(2), agent.group(4)[:3]
        forms = [phrase]
        expanded = False
        for name, words in macros.items():
            if f"!{name}!" in phrase:
                forms, expanded = [phrase.replace(f"!{name}!", w) for w in words], True
        if plurals:
            forms += [p for p in plurals.split() if "!" not in p]
        elif plurals is None and not expanded:  # a macro lists singular and plural itself
            forms += [_plural(f.rstrip("_")) for f in forms if not f.endswith("_")]
        for form in forms:
            text = form.strip("_").replace("_", " ").lower()
            if text and "!" not in text:
                found.setdefault(text, sector)
    return found


def known_countries(seeds: Path) -> set[str]:
    """ISO3 codes of ``seeds/countries.csv``."""
    with (seeds / "countries.csv").open(encoding="utf-8", newline="") as handle:
        return {row["country_code"] for row in csv.DictReader(handle)}


def write_seeds(shared: Path, seeds: Path) -> tuple[int, int]:
    """Write ``people.csv`` and ``agents.csv``; returns their row counts."""
    reference = shared / "reference" / "petrarch2"
    people = parse_people(reference / "Phoenix.Countries.actors.txt", known_countries(seeds))
    with (seeds / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Generated by transforms/actors_seed.py from Phoenix.Countries.actors.txt ({CREDIT}).\n")
        writer = csv.DictWriter(handle, ["person_name", "aliases", "country_code", "sector", "valid_from",
                                         "valid_until"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(people)
    agents = parse_agents(reference / "Phoenix.agents.txt")
    for noun, sector in CHECKED_AGENTS.items():
        agents[noun] = sector
    with (seeds / "agents.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Generated by transforms/actors_seed.py from Phoenix.agents.txt ({CREDIT}) and checked nouns.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["agent", "sector"])
        writer.writerows(sorted(agents.items()))
    return len(people), len(agents)


def main() -> None:
    """``python -m transforms.actors_seed [SHARED_DIR]`` (default ../shared beside the project)."""
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS.parent.parent / "shared"
    people, agents = write_seeds(shared, SEEDS)
    print(f"wrote {people} people rows and {agents} agents to {SEEDS}")


if __name__ == "__main__":
    main()
