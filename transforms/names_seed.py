"""Generate ``seeds/first_names.csv``: first names that almost always belong to women or to men.

Run once (``python -m transforms.names_seed [NAME_DATA_JSON]``) and commit the CSV: extraction reads the CSV,
never the source. Source: the name-gender data of nomquamgender 0.1.4 (``nomquamgender/name_data.json``, Ian
Van Buskirk, MIT; https://github.com/ianvanbuskirk/nomquamgender): each name with the number of its sources,
its count and the share of its bearers gendered female, p(gf). Without an argument the generator reads the data
of an installed ``nomquamgender`` (``pip install nomquamgender``; not a dependency of newsflow). The CSV has no
credit line (DuckDB's sniffer cannot read a two-column file behind a comment); the README's seeds table
credits the source.

A name is kept when it is a plain word, at least ``MIN_COUNT`` people bear it, and p(gf) is at most
``THRESHOLD`` (a man's name) or at least ``1 - THRESHOLD`` (a woman's): the resolver uses it only to rule out
"she" for "Donald" and "he" for "Loretta", so a name of either sex ("Pat", "Jean", "Robin") is left out.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CREDIT = "nomquamgender 0.1.4 name-gender data by Ian Van Buskirk; MIT"
MIN_COUNT = 1000
# Stricter than nomquamgender's own default (0.1): a name more than 1 in 20 of whose bearers are of the other
# sex ("Lindsey", "Marion", "Hillary") is left out.
THRESHOLD = 0.05


def first_name_rows(name_data: dict[str, list]) -> list[dict[str, str]]:
    """The rows of ``first_names.csv`` from nomquamgender's ``{name: [sources, count, p(gf), ...]}``."""
    rows = []
    for name, (_, count, p_female, *_rest) in name_data.items():
        if not name.isascii() or not name.isalpha() or len(name) < 2 or count < MIN_COUNT:
            continue
        if p_female <= THRESHOLD:
            rows.append({"first_name": name.lower(), "gender": "m"})
        elif p_female >= 1 - THRESHOLD:
            rows.append({"first_name": name.lower(), "gender": "f"})
    return sorted(rows, key=lambda row: row["first_name"])


def _name_data(path: str | None) -> dict[str, list]:
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    import importlib.resources

    with importlib.resources.files("nomquamgender").joinpath("name_data.json").open(encoding="utf-8") as file:
        return json.load(file)


def main(argv: list[str]) -> None:
    rows = first_name_rows(_name_data(argv[0] if argv else None))
    with (SEEDS / "first_names.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=["first_name", "gender"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"first_names.csv: {len(rows)} names ({CREDIT})")


if __name__ == "__main__":
    main(sys.argv[1:])
