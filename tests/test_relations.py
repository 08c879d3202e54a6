def _keys(result):
    return {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations}


def test_subjects_of_a_cooperation_cue(extract):
    result = extract("Kazakhstan and Armenia to Strengthen Cooperation", "Officials met on Monday.")
    assert _keys(result) == {("ARM", "KAZ", "cooperation")}
    assert result.relations[0]["relation_type"] == "COOPERATE" and result.relations[0]["quad_class"] == 2


def test_capitals_stand_for_governments(extract):
    result = extract("Update", "Nur-Sultan and Yerevan are focusing on enhancing cooperation.")
    assert _keys(result) == {("ARM", "KAZ", "cooperation")}


def test_between_x_and_y_and_conflict_cue(extract):
    result = extract("Trade", "The United States accused Japan of dumping chips. Talks between Brazil and Argentina resumed.")
    assert _keys(result) == {("JPN", "USA", "conflict"), ("ARG", "BRA", "cooperation")}
    conflict = next(r for r in result.relations if r["polarity"] == "conflict")
    assert conflict["relation_type"] == "ACCUSE" and conflict["quad_class"] == 3


def test_co_mention_is_not_a_relation(extract):
    result = extract("Prices", "Prices rose in Japan and the United States. Exports to Brazil and Argentina grew.")
    assert result.relations == []


def test_location_is_not_a_party(extract):
    result = extract("Zone", "Armenia and Kazakhstan can use a free zone on the border of Iran to expand cooperation.")
    assert all("IRN" not in (r["country_a"], r["country_b"]) for r in result.relations)
    assert ("ARM", "KAZ", "cooperation") in _keys(result)


def test_negated_relation_is_dropped(extract):
    result = extract("No talks", "There are no talks planned between Russia and Ukraine. France did not agree with Spain.")
    assert result.relations == []


def test_two_countries_resolve_to_the_last_pair(extract):
    result = extract("Neighbours", "India and Bangladesh signed a water accord. The two countries will also hold talks in May.")
    consult = [r for r in result.relations if r["relation_type"] == "CONSULT"]
    assert [(r["country_a"], r["country_b"]) for r in consult] == [("BGD", "IND")]


def test_our_in_a_quote_takes_the_speakers_country(extract):
    body = "“Armenia is our closest partner in the region,” said Kazakh Ambassador to Armenia, Timur Urazayev."
    result = extract("Partners", body)
    assert ("ARM", "KAZ", "cooperation") in _keys(result)
    row = next(r for r in result.relations if r["cue"] == "partner")
    assert {row["actor_a_text"], row["actor_b_text"]} == {"Armenia", "our"}
    assert row["sentence"].startswith("“Armenia is our closest partner")
