from datetime import date, datetime, timezone
from pathlib import Path

from transforms.actors import PeopleTable, PersonPeriod, load_agents
from transforms.actors_seed import _alias, date_range, parse_agents


def _people() -> PeopleTable:
    periods = [
        PersonPeriod("Ronald Reagan", "USA", "ELI", date(1929, 1, 1), date(1981, 1, 20)),
        PersonPeriod("Ronald Reagan", "USA", "GOV", date(1981, 1, 20), date(1989, 1, 20)),
        PersonPeriod("George Bush", "USA", "GOV", date(1989, 1, 20), date(1993, 1, 20)),
        PersonPeriod("George W. Bush", "USA", "GOV", date(2001, 1, 20), date(2009, 1, 20)),
        PersonPeriod("Jean Baker", "FRA", "GOV", date(1980, 1, 1), date(1990, 1, 1)),
        PersonPeriod("James Baker", "USA", "GOV", date(1985, 2, 4), date(1992, 8, 23)),
    ]
    return PeopleTable(periods, {"Ronald Reagan": {"Ronald Wilson Reagan"}, "George Bush": set(), "George W. Bush": set(),
                                 "Jean Baker": set(), "James Baker": set()})


def test_a_person_stands_for_the_state_while_in_office():
    people = _people()
    assert people.resolve("Reagan", date(1987, 3, 1)).sector == "GOV"
    assert people.resolve("Ronald Wilson Reagan", date(1987, 3, 1)).name == "Ronald Reagan"
    assert people.resolve("Ronald Reagan", date(1975, 1, 1)).sector == "ELI"
    assert people.resolve("Reagan", date(1975, 1, 1)) is None  # a surname alone only for someone in office


def test_a_shared_surname_needs_the_date_or_stays_unresolved():
    people = _people()
    assert people.resolve("Bush", date(1990, 6, 1)).name == "George Bush"
    assert people.resolve("Bush", date(2005, 6, 1)).name == "George W. Bush"
    assert people.resolve("Baker", date(1987, 6, 1)) is None  # two countries' Bakers in office


def test_dictionary_people_act_in_relations(extract):
    when = datetime(1987, 4, 1, tzinfo=timezone.utc)
    result = extract("Trade", "Reagan criticised Nakasone over the chip pact.", when)
    keys = {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations}
    assert ("JPN", "USA", "conflict") in keys
    row = next(r for r in result.relations if r["polarity"] == "conflict")
    assert (row["actor_a_sector"], row["actor_b_sector"]) == ("GOV", "GOV")


def test_agents_carry_sectors_and_business_is_not_the_state(extract):
    result = extract("Border", "Chadian troops attacked Libyan forces near the border.")
    row = next(r for r in result.relations if r["relation_type"] == "FIGHT")
    assert (row["country_a"], row["country_b"]) == ("LBY", "TCD")
    assert (row["actor_a_sector"], row["actor_b_sector"]) == ("MIL", "MIL")
    assert extract("Deal", "Japanese firms signed a deal with American firms.").relations == []


def test_seed_parsing_helpers(tmp_path: Path):
    assert date_range("810120-890120") == (date(1981, 1, 20), date(1989, 1, 20))
    assert date_range(">090301") == (date(2009, 3, 1), None)
    assert _alias("PRESIDENT_REAGAN") == "Reagan"
    agents = tmp_path / "agents.txt"
    agents.write_text("!PERSON! = MAN, WOMAN\nFARMER [~AGR]\nBUSINESS!PERSON! [~BUS]\nARMY {ARMIES} [~MIL]\n")
    assert parse_agents(agents) == {"farmer": "AGR", "farmers": "AGR", "businessman": "BUS",
                                    "businesswoman": "BUS", "army": "MIL", "armies": "MIL"}


def test_seed_agents_have_news_plurals(settings):
    agents = load_agents(str(settings.seeds_dir))
    assert (agents["troops"], agents["ministry"], agents["firms"]) == ("MIL", "GOV", "BUS")


def test_a_first_name_of_someone_named_in_full_is_no_namesakes_surname(extract):
    # seeds/people.csv holds Suriname's Henry Leonard Mac Donald in office from 2008 (surname "Donald").
    when = datetime(2016, 5, 1, tzinfo=timezone.utc)
    body = "Donald Trump spoke in Ohio on Monday. Later Donald criticised Brazil over its trade policy."
    assert not any("SUR" in (r["country_a"], r["country_b"]) for r in extract("Trade", body, when).relations)
    assert any("SUR" in (r["country_a"], r["country_b"])
               for r in extract("Trade", "Donald criticised Brazil over its trade policy.", when).relations)
