from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from spacy.tokens import Span

from transforms.actors import PeopleTable, PersonPeriod, load_agents, person_actors
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


@pytest.mark.parametrize(("full", "alone", "namesake"), [
    # seeds/people.csv holds Suriname's Henry Leonard Mac Donald in office from 2008 (surname "Donald"): a
    # first name of someone named in full is no namesake's surname.
    ("Donald Trump spoke in Ohio on Monday.", "Donald", "SUR"),
    # ... and the Bahamas' Vincent Vanderpool Wallace from 2008: a surname alone is the person the article
    # names in full.
    ("Chris Wallace of Fox News asked the question.", "Wallace", "BHS"),
])
def test_a_name_of_someone_named_in_full_is_no_namesake(extract, full: str, alone: str, namesake: str):
    when = datetime(2016, 5, 1, tzinfo=timezone.utc)
    act = f"{alone} criticised Brazil over its trade policy."
    assert not any(namesake in (r["country_a"], r["country_b"]) for r in extract("Trade", f"{full} {act}", when).relations)
    assert any(namesake in (r["country_a"], r["country_b"]) for r in extract("Trade", act, when).relations)


def test_a_given_name_before_a_capitalised_word_is_no_namesakes_surname(nlp, lexicons):
    people = PeopleTable([PersonPeriod("Henry Leonard Mac Donald", "SUR", "GOV", date(2008, 9, 1), None)],
                         {"Henry Leonard Mac Donald": set()})
    on = date(2016, 2, 16)
    # The model tags "Donald" alone as a person in some title-case headlines.
    headline = nlp("Donald Trump Praises Washington Editor")
    headline.ents = [Span(headline, 0, 1, label="PERSON")]
    assert person_actors(headline, [], lexicons, people, {}, on) == {}
    alone = nlp("Donald criticised Brazil.")
    alone.ents = [Span(alone, 0, 1, label="PERSON")]
    assert person_actors(alone, [], lexicons, people, {}, on)[0].country == "SUR"


def test_a_surname_in_a_capitals_headline_is_the_same_person_in_the_story(extract):
    # "Reagan" alone is the person the article names in full, and "REAGAN" of the headline is Ronald Reagan, not
    # Nancy Reagan of the story's last sentence.
    when = datetime(1987, 3, 4, tzinfo=timezone.utc)
    body = "President Reagan will meet Italian leaders in Rome in June. Nancy Reagan will travel with him."
    rows = extract("REAGAN TO VISIT ROME", body, when).relations
    assert {(r["country_a"], r["country_b"], r["cue"]) for r in rows} == {("ITA", "USA", "VISIT"), ("ITA", "USA", "meet")}


def test_an_organisation_in_the_people_table_has_no_surname():
    people = PeopleTable([PersonPeriod("Federal Trade Commission", "USA", "GOV", None, None),
                          PersonPeriod("Soviet Union", "SUN", "GOV", None, None)],
                         {"Federal Trade Commission": set(), "Soviet Union": set()})
    assert people.resolve("Commission", date(1987, 6, 1)) is None
    assert people.resolve("Union", date(1987, 6, 1)) is None
    assert people.resolve("Federal Trade Commission", date(1987, 6, 1)).country == "USA"


def test_a_state_title_in_the_text_makes_the_person_a_state_actor(extract):
    # The people table has James Baker out of office in 1987 (ELI); the article calls him Treasury Secretary.
    when = datetime(1987, 6, 1, tzinfo=timezone.utc)
    result = extract("Debt", "Brazil held talks with Treasury Secretary James Baker on Monday.", when)
    assert ("BRA", "USA", "cooperation") in {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations}
    past = extract("Debt", "Brazil held talks with former Treasury Secretary James Baker on Monday.", when)
    assert past.relations == []
    # Not someone the dictionary has in office only later: Shevardnadze led Georgia from 1992.
    later = extract("Arms", "Brazil held talks with Foreign Minister Eduard Shevardnadze on Monday.", when)
    assert not any("GEO" in (r["country_a"], r["country_b"]) for r in later.relations)


def test_a_title_needs_a_role_word_or_a_possessive(extract):
    # a title-case headline run into its story is no title: Trump is not North Korea's
    body = ("Trump: Make China Take Care Of North Korea Donald Trump returned to his favorite whipping horse to "
            "answer how he would deal with North Korea: China. Trump said, \"We will win this.\"")
    assert [q["speaker_country"] for q in extract("News", body).quotes] == [None]
    for body in ("Iraq's Tariq Aziz criticised Iran.", "Iraqi Foreign Minister Tariq Aziz criticised Iran."):
        assert {(r["country_a"], r["country_b"]) for r in extract("Gulf", body).relations} == {("IRN", "IRQ")}
