from datetime import datetime, timezone

from transforms.relations import internal_arguments


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


def test_coordinated_recipients_are_not_a_pair(extract):
    result = extract("Grain", "Britain and Australia have offered 129,250 tonnes of wheat to Bangladesh as grants.")
    assert {(r["country_a"], r["country_b"]) for r in result.relations} == {("AUS", "BGD"), ("BGD", "GBR")}
    result = extract("Debt", "We look for rapid progress in bank discussions with Argentina, the Philippines and Brazil.")
    assert result.relations == []


def test_officials_act_for_their_country(extract):
    body = ("U.S. Treasury Secretary James Baker met West German Finance Minister Gerhard Stoltenberg today. "
            "Baker was scheduled to visit Belgium this week.")
    keys = {(r["country_a"], r["country_b"], r["sentence_idx"]) for r in extract("Trip", body).relations}
    assert keys == {("DEU", "USA", 1), ("BEL", "USA", 2)}


def test_things_named_by_demonym_are_not_actors(extract):
    result = extract("Tea", "Kenyan tea exports to Pakistan fell after the Pakistani decision on licences.")
    assert result.relations == []


def test_dateline_country_is_a_location(extract):
    result = extract("Offensive", "BAHRAIN, April 13 - Iran said it had achieved its objectives in heavy fighting against Iraq.")
    assert {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations} == {("IRN", "IRQ", "conflict")}


def test_wished_for_cooperation_is_not_cooperation(extract):
    result = extract("Tests", "Moscow began its moratorium in 1985, calling on the United States to agree to a total ban.",
                     published_at=datetime(1987, 3, 1, tzinfo=timezone.utc))
    assert {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations} == {("SUN", "USA", "conflict")}


def test_pairs_written_as_one_word(extract):
    result = extract("Summit", "Officials prepared a U.S.-Soviet summit meeting. Canada/U.S. trade negotiations are progressing well.")
    assert {(r["country_a"], r["country_b"]) for r in result.relations} == {("SUN", "USA"), ("CAN", "USA")}


def test_refusal_and_plans_that_are_not_there(extract):
    refused = extract("Talks", "France refused to cooperate with Spain on the project.")
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in refused.relations} == {("ESP", "FRA", "REJECT")}
    no_plans = extract("Talks", "Japan has no plans to hold talks with China this year.")
    assert no_plans.relations == []


def test_possessive_dispute_with(extract):
    result = extract("Chips", "Japan's trade dispute with the United States deepened on Monday.")
    assert {(r["country_a"], r["country_b"], r["polarity"]) for r in result.relations} == {("JPN", "USA", "conflict")}


def test_venues_and_named_rounds_are_not_parties(extract):
    result = extract("Accord", "The Paris pact between the U.S. and Japan held. Britain backed the Uruguay round talks.")
    assert {(r["country_a"], r["country_b"]) for r in result.relations} == {("JPN", "USA")}


def test_two_recipients_of_a_directed_act_are_not_a_pair(extract):
    result = extract("Oil", "The agency would offer vegetable oil to Turkey and to Algeria.")
    assert result.relations == []


def test_an_act_with_another_possessor_takes_no_outside_actor(extract):
    result = extract("Debt", "Volcker is unhappy with the banks' refusal to make concessions to Brazil.",
                     datetime(1987, 3, 1, tzinfo=timezone.utc))
    assert result.relations == []


def test_cancelled_visits_sports_and_trade_wars(extract):
    assert extract("Trip", "The U.S. president cancelled a visit to Australia.").relations == []
    assert extract("Rugby", "Ireland lost 17-5 to Tunisia in the shield final.").relations == []
    assert extract("Cup", "France beat Brazil in the World Cup quarter-final.").relations == []
    war = extract("Trade", "The United States and Japan are close to a trade war.").relations
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in war} == {("JPN", "USA", "SANCTION")}


def test_titled_leaders_coordinated_and_officials_to_visit(extract):
    deal = extract("Deal", "Argentine President Nestor Kirchner and Venezuelan President Hugo Chavez signed the deal.")
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in deal.relations} == {("ARG", "VEN", "AGREE")}
    visit = extract("SENIOR U.S. OFFICIAL TO VISIT JAPAN AS TRADE ROW GROWS", "No date was set.")
    assert ("JPN", "USA", "CONSULT") in {(r["country_a"], r["country_b"], r["relation_type"]) for r in visit.relations}


def test_its_forces_and_attacks_named_by_a_demonym(extract):
    result = extract("Front", "Iran said its troops repulsed heavy Iraqi counter-attacks in overnight fighting.")
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in result.relations} == {("IRN", "IRQ", "FIGHT")}
    # Killing is directed: two coordinated subjects did not kill each other.
    assert extract("Raid", "Chad and Niger killed ten rebels.").relations == []


def _typed(result) -> set[tuple[str, str, str]]:
    return {(r["country_a"], r["country_b"], r["relation_type"]) for r in result.relations}


def test_targets_named_through_their_people_places_and_origin(extract):
    raid = extract("Raid", "Afghan aircraft raided a number of Pakistani villages on Monday.")
    assert _typed(raid) == {("AFG", "PAK", "FIGHT")}
    tariffs = extract("Chips", "The U.S. imposed tariffs on computer microchips imported from Japan.")
    assert ("JPN", "USA", "SANCTION") in _typed(tariffs)


def test_it_and_he_for_the_country_that_acts(extract):
    it = extract("Chips", "Japan agreed last year to open its markets. It also signed a pact with Britain.")
    assert ("GBR", "JPN", "AGREE") in _typed(it)
    he = extract("Sanctions", "A British minister said he had warned Tokyo of sanctions.")
    assert ("GBR", "JPN", "conflict") in _keys(he)


def test_wire_capitals_after_us_are_read_as_function_words(extract):
    result = extract("Ties", "Baldrige said the U.S. And Japan have long had friendly ties.")
    assert ("JPN", "USA", "COOPERATE") in _typed(result)
    assert "U.S. And Japan" in result.relations[0]["sentence"]  # the text is kept as written


def test_a_related_pair_takes_the_types_of_its_other_sentences(extract):
    result = extract("Chips", "The United States and Japan held talks on chips. "
                              "Japan welcomed the agreement, the United States said.")
    rows = {(r["relation_type"], r["confidence"] < 0.7) for r in result.relations}
    assert ("CONSULT", False) in rows and ("AGREE", True) in rows  # the unconnected cue, at a lower confidence
    # Never a new pair: a sentence naming two countries and a cue adds nothing on its own.
    assert extract("Prices", "Prices of the agreement rose in Japan and Brazil.").relations == []


def test_object_control_passive_subjects_and_bare_troops(extract):
    asked = extract("Gulf", "Iran urged France to attack Iraq.")
    assert ("FRA", "IRQ", "FIGHT") in _typed(asked) and ("IRN", "IRQ", "FIGHT") not in _typed(asked)
    assert extract("Summit", "China and India were invited by the organisers.").relations == []
    assert ("CHN", "JPN", "CONSULT") in _typed(extract("Talks", "Japan and China are scheduled to meet in May."))
    troops = extract("CHAD SAYS TROOPS KILLED 1,200 LIBYANS IN BATTLE", "The fighting was in the north.")
    assert ("LBY", "TCD", "FIGHT") in _typed(troops)
    they = extract("Talks", "Japan and South Korea met in Tokyo on Monday. They agreed to resume the talks.")
    assert ("JPN", "KOR", "AGREE") in _typed(they)


def test_a_participle_takes_the_subject_of_its_clause(extract):
    body = "Canadian Foreign Secretary Joe Clark, winding up a two-day visit to Washington, said he was pleased."
    assert ("CAN", "USA", "cooperation") in _keys(extract("Visit", body))


def test_the_indirect_object_of_a_verb_governing_the_cue_is_a_party(extract):
    assert ("CUB", "ESP", "cooperation") in _keys(extract("Aid", "Spain gave Cuba a 25 mln dlr credit line."))


def test_wanting_to_do_something_demands_nothing_of_another(extract):
    result = extract("Trade", "The United States wanted to sell India a computer.")
    assert not any(r["relation_type"] == "DEMAND" for r in result.relations)


def test_a_wish_the_cue_is_only_an_adverbial_of_does_not_unrealise_it(extract):
    body = ("In a press conference after talks with South Korean leaders, U.S. Commerce Secretary Malcolm Baldrige "
            "called the move important.")
    assert ("KOR", "USA", "cooperation") in _keys(extract("Trade", body, datetime(1987, 6, 1, tzinfo=timezone.utc)))
    assert extract("Trade", "Japan urged talks with China.").relations == []
    # An agreement the cause of a demanded act speaks of is no wish: "sanctions ... for violating" it.
    body = "The industry urged Washington to impose sanctions against Japan for violating the U.S.-Japan pact."
    assert any(r["relation_type"] == "AGREE" for r in extract("Chips", body).relations)


def test_press_as_a_noun_is_no_demand(extract):
    result = extract("Trade", "Japanese officials held a press conference on U.S. tariffs.")
    assert not any(r["relation_type"] == "DEMAND" for r in result.relations)


def test_the_subject_of_the_verb_with_the_plans_acts(extract):
    body = "Washington announced plans to slap tariffs on Japanese imports."
    result = extract("Chips", body)
    assert ("JPN", "USA", "conflict") in _keys(result)
    assert {r["relation_type"] for r in result.relations} == {"SANCTION"}  # "slap tariffs" is no blow
    # Not when the plan is someone else's, or its clause has its own subject.
    assert extract("Debt", "Baker backed the decision by the Paris Club to reschedule loans to Brazil.").relations == []
    body = 'Britain still needs "clear evidence that the Syrians have renounced terrorism."'
    assert extract("Syria", body).relations == []


def test_a_pair_the_cue_topic_is_between(extract):
    body = "The accounts were blocked under a treaty on legal assistance between the United States and Switzerland."
    assert ("CHE", "USA", "cooperation") in _keys(extract("Banks", body))


def test_a_joint_thing_of_two_countries(extract):
    body = "A joint Japan-Poland economic committee will meet later this year."
    assert ("JPN", "POL", "cooperation") in _keys(extract("Trade", body))


def test_the_country_of_an_officials_title_inside_the_name(extract):
    body = "French Finance Minister Edouard Balladur held talks today with British Chancellor of the Exchequer Nigel Lawson."
    assert ("FRA", "GBR", "cooperation") in _keys(extract("Talks", body))


def test_a_relative_pronoun_stands_for_its_country(extract):
    assert ("CHN", "JPN", "cooperation") in _keys(extract("Pact", "Japan, which signed a pact with China, is pleased."))
    body = "Egypt is the only Arab country which has signed a peace treaty with Israel."
    assert ("EGY", "ISR", "cooperation") in _keys(extract("Peace", body))


def test_a_cancelled_act_is_no_relation(extract):
    assert extract("U.S. TREASURY SECRETARY CANCELS TRIP TO AUSTRALIA", "The visit is off.").relations == []
    assert extract("Trip", "The cancelled trip of the U.S. Treasury Secretary to Australia upset Canberra.").relations == []


def test_a_headline_word_the_body_writes_in_lower_case_is_no_name(lexicons):
    from transforms.extract import name_test

    is_name = name_test(lexicons)
    # "Walker" is a surname in the people dictionary: a name in a headline, unless the body says "walker".
    assert is_name("WALKER") and not is_name("WALKER", frozenset({"walker"}))
    assert is_name("CHILE", frozenset({"chile"}))  # a country form stays a name


def test_a_named_event_adds_no_type_to_a_pair(extract):
    body = "Brazil and Portugal signed a trade accord, sixty years after the end of World War II."
    assert _typed(extract("Accord", body)) == {("BRA", "PRT", "AGREE")}


def test_headline_commas_and_hyphens_join_countries(extract):
    assert _typed(extract("FRANCE, MALI AGREE DEBT RESCHEDULING", "Details were not given.")) == {("FRA", "MLI", "AGREE")}
    assert _typed(extract("DUTCH WARY OF U.S.-CANADIAN BANK PACT", "Details were not given.")) == {("CAN", "USA", "AGREE")}
    assert _typed(extract("Chile, Bolivia in gas deal", "Details were not given.")) == {("BOL", "CHL", "AGREE")}


def test_who_and_which_for_state_agents_and_pairs(extract):
    body = "The tariff angered many Canadian lawmakers who blame Mexico for lost jobs."
    assert ("CAN", "MEX", "conflict") in _keys(extract("Jobs", body))


def test_his_is_the_person_named_before(extract):
    body = ("U.S. Secretary of State James Baker arrived on Monday. He said his visit to Moscow would be short.")
    assert ("SUN", "USA", "cooperation") in _keys(extract("Baker", body, datetime(1989, 5, 8, tzinfo=timezone.utc)))


def test_working_together_and_state_weapons(extract):
    assert _typed(extract("Plan", "Spain and Italy are working together on the migration plan.")) == {("ESP", "ITA", "COOPERATE")}
    body = "An Iraqi missile strike on a Saudi tanker killed three sailors."
    assert ("IRQ", "SAU", "FIGHT") in _typed(extract("Gulf", body))
    assert extract("Army", "The army bought Italian attack helicopters to protect its Greek bases.").relations == []


def test_a_time_is_no_owner_of_a_cue(extract):
    body = "After Monday's talks, the Chilean and Argentine governments said the accord was still in effect."
    assert ("ARG", "CHL", "CONSULT") in _typed(extract("Talks", body))


def test_hostility_between_two_countries(extract):
    assert _typed(extract("Feud", "He took part in the long hostility between Sudan and Chad.")) == {("SDN", "TCD", "ACCUSE")}


def test_an_adjective_picks_out_other_countries_than_the_pair(extract):
    body = "India and Bangladesh signed a water accord. The industrial countries will hold talks in May."
    assert [r["relation_type"] for r in extract("Water", body).relations] == ["AGREE"]


def test_a_phrase_for_the_pair_writes_it_in_order(extract):
    body = "The United States and Japan met on Monday. They agreed to hold talks in May."
    rows = [r for r in extract("Talks", body).relations if r["actor_a_text"] == "They"]
    assert rows and all(r["country_a"] < r["country_b"] for r in rows)


def test_an_officials_his_country_is_their_state(extract):
    body = "Iranian Premier Mir-Hossein Mousavi reiterated his country would retaliate for U.S. Navy attacks."
    assert ("IRN", "USA", "conflict") in _keys(extract("Gulf", body))


def test_a_capital_after_a_name_particle_is_a_surname(extract):
    body = ("Peruvian President Alan Garcia and Mexican President Miguel de la Madrid issued a joint declaration "
            "yesterday.")
    keys = _keys(extract("Debt", body))
    assert ("MEX", "PER", "cooperation") in keys
    assert not any("ESP" in key for key in keys)


def test_the_allies_of_a_coordination_are_other_countries(extract):
    body = "Greece and Turkey's NATO allies called on both countries to avoid any action in the Aegean."
    assert ("GRC", "TUR", "cooperation") not in _keys(extract("Aegean", body))
    assert ("GRC", "TUR", "cooperation") in _keys(extract("Aegean", "Greece and Turkey are allies in NATO."))


def test_countries_listed_as_members_of_one_group_are_one_side(extract):
    body = ("The agreements were sealed after talks between Middle East producers and Asia's biggest energy "
            "consumers - China, India, Japan and South Korea.")
    assert not any(key[2] == "cooperation" for key in _keys(extract("Gas", body)))


def test_what_one_tells_another_to_do_is_no_act_yet(extract):
    body = "British minister Michael Howard told Japan to resolve the row or face retaliation."
    assert ("GBR", "JPN", "cooperation") not in _keys(extract("Row", body))
    body = "The minister told reporters that Britain and Japan had resolved the row."
    assert ("GBR", "JPN", "cooperation") in _keys(extract("Row", body))


def test_a_companys_home_country_is_no_state_actor(extract):
    body = "Goldstar Precision Co Ltd, part of South Korea's Lucky-Goldstar Group, agreed with Japan's Canon Inc to make cameras."
    assert _keys(extract("Cameras", body)) == set()
    assert ("JPN", "KOR", "cooperation") in _keys(extract("Cameras", "South Korea agreed with Japan to make cameras."))


def test_naming_with_a_predicate_is_criticism_not_a_demand(extract):
    body = "French president Jacques Chirac has called the UK's rebate from the European Union \"unjustified\"."
    rows = extract("Rebate", body).relations
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in rows} == {("FRA", "GBR", "ACCUSE")}


def test_according_to_is_no_accord(extract):
    body = "France sold around 250,000 tonnes of soft wheat to China in 1985/86, according to customs figures."
    assert _keys(extract("Wheat", body)) == set()


def test_it_is_no_person_and_not_the_country_before_when_a_thing_says_it(extract):
    body = "Both Brazil and its creditors have a strong incentive to work together, Volcker said."
    assert _keys(extract("Debt", body)) == set()
    body = ("Turkey agreed to the terms on Friday. The EU has also announced that it will start accession talks "
            "with Croatia in April.")
    assert ("HRV", "TUR", "cooperation") not in _keys(extract("Talks", body))
    body = "Turkey agreed to the terms on Friday. It will start talks with Croatia in April."
    assert ("HRV", "TUR", "cooperation") in _keys(extract("Talks", body))


def test_a_coordination_beside_a_with_party_is_one_side(extract):
    body = "Iraq and China have barter deals with Brazil, importing Brazilian goods in exchange for oil."
    assert _keys(extract("Barter", body)) == {("BRA", "IRQ", "cooperation"), ("BRA", "CHN", "cooperation")}


def test_backing_is_support_but_backing_down_is_not(extract):
    rows = extract("Coffee", "France firmly backed the Ivory Coast on Monday.").relations
    assert {(r["country_a"], r["country_b"], r["relation_type"]) for r in rows} == {("CIV", "FRA", "COOPERATE")}
    assert _keys(extract("Coffee", "France quickly backed down from the Ivory Coast on Monday.")) == set()


def test_a_former_office_holder_is_no_state_actor(extract):
    body = "Former South African president Nelson Mandela backed Britain's plan to write off African debt."
    assert _keys(extract("Debt", body)) == set()
    body = "South African president Thabo Mbeki backed Britain's plan to write off African debt."
    assert _keys(extract("Debt", body)) == {("GBR", "ZAF", "cooperation")}


def test_a_verb_coordinated_with_a_negated_one_is_negated_too(extract):
    body = "Cuba's call for a joint front is not being promoted by Brazil or even defended by Peru."
    assert _keys(extract("Debt", body)) == set()


def test_modifiers_of_one_sides_noun_are_no_pair(extract):
    body = "U.S. officials have long been talking with Chinese, Japanese and South Korean officials."
    assert _keys(extract("Talks", body)) == {("CHN", "USA", "cooperation"), ("JPN", "USA", "cooperation"),
                                              ("KOR", "USA", "cooperation")}
    assert ("JPN", "USA", "cooperation") in _keys(extract("Talks", "U.S. and Japanese officials met in Tokyo."))


def test_a_number_other_than_two_is_no_pair_phrase(extract):
    body = ("Japan and the United States signed an accord. The market expects the seven nations to try to agree "
            "on another way to stabilise currencies.")
    rows = extract("Currencies", body).relations
    assert rows and all(r["sentence"].startswith("Japan and the United States") for r in rows)


def test_a_capital_naming_a_market_is_no_actor(extract):
    body = "London oil and stock market rumors said the United States had launched a retaliatory strike on Iran."
    assert _keys(extract("Gulf", body)) == {("IRN", "USA", "conflict")}


def test_what_a_reciprocal_act_is_over_is_no_side(extract):
    body = "WASHINGTON, April 1 - Two agencies differ on the sales."
    assert _keys(extract("U.S. AGENCIES DISAGREE OVER IRAN COMPUTER SALES", body)) == set()
    assert ("IRN", "USA", "conflict") in _keys(extract("U.S. AND IRAN DISAGREE OVER COMPUTER SALES", body))


def test_the_makers_of_an_agreement_pair_among_themselves(extract):
    body = "The Paris stabilisation agreement by the U.S., Japan and West Germany held for a month."
    assert _keys(extract("Dollar", body)) == {("DEU", "JPN", "cooperation"), ("DEU", "USA", "cooperation"),
                                              ("JPN", "USA", "cooperation")}


def test_a_threat_others_talk_about_takes_no_side_from_them(extract):
    body = "U.S. officials have been talking with Japanese officials about the threat posed by North Korea."
    assert ("JPN", "USA", "conflict") not in _keys(extract("Threat", body))
    body = "ISLAMABAD, March 1 - Pakistan complained today."
    assert ("AFG", "PAK", "conflict") in _keys(extract("PAKISTAN COMPLAINS ABOUT AFGHAN AIR RAIDS", body))


def test_states_of_the_united_states_is_no_pair_phrase(extract):
    body = ("Israel and Turkey signed an accord. As it turned out, the United States had been in secret talks with "
            "Iran brokered by Oman.")
    assert ("ISR", "TUR", "cooperation") in _keys(extract("Talks", body))
    keys = _keys(extract("Talks", body))
    assert ("IRN", "USA", "cooperation") in keys
    assert not [key for key in keys if "IRN" in key and ("ISR" in key or "TUR" in key)]


def test_a_capital_opening_an_organisations_name_is_no_actor(extract):
    body = ("Indonesia, Sri Lanka and the Seychelles accepted the Paris Club offer, which was criticised by some "
            "aid groups as being too little.")
    assert _keys(extract("Debt", body)) == set()


def test_a_coordination_beside_any_counterpart_is_one_side(extract):
    body = "Venezuela, Chile and the Philippines have all reached agreement with commercial banks on debt."
    assert _keys(extract("Debt", body)) == set()
    assert ("CHL", "VEN", "cooperation") in _keys(extract("Debt", "Venezuela and Chile reached agreement with "
                                                                  "the aim of cutting debt."))


def test_cooperation_cut_is_conflict_and_sanctions_eased_are_cooperation(extract):
    # What is cut or eased was there before: the aid and its cut, the sanctions and their easing.
    rows = extract("Aid", "The United States slashed foreign aid to Panama because of drug trafficking.").relations
    assert {(r["polarity"], r["relation_type"], r["cameo_code"]) for r in rows} == {
        ("conflict", "SANCTION", "162"), ("cooperation", "AID", "070")}
    rows = extract("Sanctions", "The United States lifted sanctions against Japan on Friday.").relations
    types = {(r["polarity"], r["relation_type"], r["cameo_code"]) for r in rows}
    assert ("cooperation", "COOPERATE", "085") in types and ("conflict", "SANCTION", "163") in types
    # An easing only asked for is none; one's own intention to ease is an intention to cooperate.
    rows = extract("Sanctions", "Senators urged Reagan to lift sanctions against Japan soon.").relations
    types = {(r["polarity"], r["relation_type"], r["cameo_code"]) for r in rows}
    assert ("cooperation", "COOPERATE", "085") not in types
    rows = extract("Sanctions", "Reagan wants to lift sanctions against Japan soon.").relations
    types = {(r["polarity"], r["relation_type"], r["cameo_code"]) for r in rows}
    assert ("cooperation", "COOPERATE", "085") in types
    body = "He repeated the U.S. demand that Japan lift the quotas on beef and citrus."
    assert ("JPN", "USA", "cooperation") not in _keys(extract("Beef", body))


def test_a_clause_of_a_negated_verb_is_not_asserted(extract):
    body = "Weinberger said he did not think Iran and the United States were moving towards a conflict."
    assert _keys(extract("Gulf", body)) == set()


def test_a_fronted_subject_the_parse_hung_on_an_inner_clause_acts(extract):
    body = ("Brazilian Finance Minister Dilson Funaro, on the third leg of a trip to explain his country's stance on "
            "debt to European governments, met West German Finance Minister Gerhard Stoltenberg for talks this "
            "evening, Brazilian delegation sources said.")
    assert ("BRA", "DEU", "cooperation") in _keys(extract("Debt", body))


def test_they_in_what_officials_say_is_their_country(extract):
    body = "Peruvian officials said they would hold talks with Mexico next month."
    assert ("MEX", "PER", "cooperation") in _keys(extract("Silver", body))
    body = "The navy escorts tankers in the Gulf, where they could be hit by Iranian missiles, U.S. officials said."
    assert _keys(extract("Gulf", body)) == set()


def test_i_and_my_in_a_quote_of_an_office_holder_are_their_country(extract):
    body = ("\"My visit to the United States at this time will be the most important of all,\" Japanese Prime "
            "Minister Yasuhiro Nakasone said.")
    assert ("JPN", "USA", "cooperation") in _keys(extract("Visit", body))
    body = "\"My visit to the United States will be the most important of all,\" said Ken Smith, a Japanese tourist."
    assert _keys(extract("Visit", body)) == set()


def test_an_unowned_act_with_a_counterpart_in_what_an_official_says_is_their_countrys(extract):
    body = ("Canadian Prime Minister Brian Mulroney said significant progress was being made in trade talks with the "
            "United States.")
    assert ("CAN", "USA", "cooperation") in _keys(extract("Trade", body))
    body = "The United States said a new attack by Iran in the Gulf war against Iraq was no major offensive."
    assert ("IRQ", "USA", "conflict") not in _keys(extract("Gulf", body))
    body = "Canadian Prime Minister Brian Mulroney said bank talks with Brazil had made progress."
    assert ("BRA", "CAN", "cooperation") not in _keys(extract("Debt", body))


def test_she_is_never_a_man_named_last(extract):
    body = ("British Prime Minister Margaret Thatcher left Bonn yesterday after talks with West German Chancellor "
            "Helmut Kohl, ahead of her visit to Moscow next week.")
    keys = _keys(extract("Thatcher", body, datetime(1987, 3, 24, tzinfo=timezone.utc)))
    assert ("GBR", "SUN", "cooperation") in keys and ("DEU", "SUN", "cooperation") not in keys


def test_mutual_is_a_pair_only_on_an_act(extract):
    body = ("Japan and the Philippines signed an accord. U.S. Treasury official David Mulford urged broader mutual "
            "funds for conversion into equity.")
    assert {r["sentence"][:5] for r in extract("Debt", body).relations} == {"Japan"}


def test_countries_after_a_group_in_between_are_one_side(extract):
    body = ("In testimony before a Senate banking subcommittee, Mulford said he based this prediction on progress in "
            "talks between banks and Mexico, Chile, and Venezuela, as well as progress in negotiations with the "
            "Philippines.")
    assert not [key for key in _keys(extract("Debt", body)) if "USA" not in key]


def test_an_adverb_cue_is_the_manner_of_its_verbs_act(extract):
    assert _keys(extract("JAPAN AND THAILAND TO JOINTLY EXTRACT RARE METALS", "The project starts in May.")) \
        == {("JPN", "THA", "cooperation")}
    assert _keys(extract("Planes", "France jointly developed the plane with Britain.")) == {("FRA", "GBR", "cooperation")}
    body = "An official said that far from hurting Canadian corn producers, U.S. farm programs benefit them."
    assert _keys(extract("Corn", body)) == set()  # only the cue itself is a manner, not "far from"


def test_what_a_clause_concedes_is_asserted(extract):
    body = ("Despite intense pressure from the Reagan Administration, Ottawa was not considering any kind of "
            "formal limits on Canadian shipments to the U.S.")
    assert _keys(extract("Trade", body)) == {("CAN", "USA", "conflict")}
    body = "U.S. officials did not specify which computer they would sell but had offered India a choice."
    assert _keys(extract("Trade", body)) == {("IND", "USA", "cooperation")}
    body = "Brazil did not sign the pact with Argentina and will not meet its president."
    assert _keys(extract("Trade", body)) == set()


def test_relations_a_qualifier_calls_bad_are_tension(extract):
    result = extract("Oil", "Venezuela, which has a strained relationship with the US, is diversifying sales.")
    assert [(r["country_a"], r["country_b"], r["relation_type"]) for r in result.relations] \
        == [("USA", "VEN", "ACCUSE")]
    result = extract("Asia", "Relations between China and Japan remain tense.")
    assert [(r["relation_type"], r["polarity"]) for r in result.relations] == [("ACCUSE", "conflict")]
    assert _keys(extract("Allies", "Israel has had a strong military relationship with Turkey.")) \
        == {("ISR", "TUR", "cooperation")}


def test_ones_own_wish_to_cooperate_is_an_intention_but_wanting_another_to_is_not(extract):
    assert _keys(extract("Debt", "Bonn wishes to reach a reasonable agreement with Bolivia.")) \
        == {("BOL", "DEU", "cooperation")}
    assert _keys(extract("Rice", "Japan will seek new talks with Washington.")) == {("JPN", "USA", "cooperation")}
    # asked of another: a demand, and the talks are not held yet
    assert _keys(extract("Rice", "The United States wanted Japan to agree to talks.")) == {("JPN", "USA", "conflict")}


def test_a_noun_for_a_party_renames_it_by_apposition(extract):
    assert _keys(extract("War", "Officials said Iran, Iraq's enemy in the Gulf war, had fired the missiles.")) \
        == {("IRN", "IRQ", "conflict")}
    assert _keys(extract("Trade", "Friction grew with Seoul's major trading partners, particularly the United States.")) \
        >= {("KOR", "USA", "cooperation")}
    # an act's noun is no party: the French are one side of the pressure
    body = "Britain is giving in to French and German pressure, especially the French."
    assert ("DEU", "FRA", "conflict") not in _keys(extract("Arms", body))


def test_a_partner_or_target_the_parse_hangs_on_the_wrong_noun_is_a_party(extract):
    # on the noun a cue modifies
    assert _keys(extract("Aid", "The United States approved an aid package for Egypt.")) \
        == {("EGY", "USA", "cooperation")}
    assert _keys(extract("Chile", "It is the first economic cooperation project between China and Chile.")) \
        == {("CHL", "CHN", "cooperation")}
    # on the object of a reciprocal verb
    assert _keys(extract("Rice", "Japan discussed rice imports with the United States.")) \
        == {("JPN", "USA", "cooperation")}


def test_a_noun_that_cuts_what_modifies_it_reverses_it(extract):
    result = extract("SEOUL ANNOUNCES MORE TARIFF CUTS FOR U.S.", "The cuts take effect in July.")
    assert {(r["relation_type"], r["cameo_code"]) for r in result.relations} >= {("COOPERATE", "085")}
    result = extract("Aid", "Washington announced aid cuts to Panama.")
    assert {r["relation_type"] for r in result.relations} == {"AID", "SANCTION"}


def test_lowering_a_sanction_eases_it(extract):
    result = extract("Tariffs", "South Korea lowered tariffs on U.S. goods.")
    assert {(r["relation_type"], r["cameo_code"]) for r in result.relations} >= {("COOPERATE", "085")}


def test_officials_coordinated_by_their_titles_are_one_side_of_a_directed_act(extract):
    body = ("German Chancellor Gerhard Schroeder and French President Jacques Chirac have repeatedly called for the "
            "embargo to be lifted.")
    assert _keys(extract("Embargo", body)) == set()
    body = "Japanese Prime Minister Yasuhiro Nakasone and U.S. President Ronald Reagan met in Washington."
    assert _keys(extract("Summit", body)) == {("JPN", "USA", "cooperation")}


def test_a_deal_is_a_noun_and_dealing_with_is_handling(extract):
    assert _keys(extract("Trade", "The Reagan administration must deal with Japan on trade.")) == set()
    assert _keys(extract("Chips", "Japan and the U.S. signed a deal on chips.")) == {("JPN", "USA", "cooperation")}


def test_headline_misparses_of_objects(extract):
    # a name right after the verb, parsed as an adverbial, is its indirect object
    assert _keys(extract("U.S. LENDS SUDAN 57 MLN DLRS FOR WHEAT PURCHASES", "The loan was agreed on Monday.")) \
        >= {("SDN", "USA", "cooperation")}
    # a noun parsed as a clause is the object wished for
    assert _keys(extract("BRITAIN WANTS BANK REGULATION DEAL WITH JAPAN", "Officials said so on Monday.")) \
        == {("GBR", "JPN", "cooperation")}


def test_a_country_opening_a_state_bodys_name_acts_for_it(extract):
    result = extract("Iran", "The French Foreign Ministry condemned Iran.")
    assert _keys(result) == {("FRA", "IRN", "conflict")}
    # the organisation's own entity row is no country; the country words are the actor
    assert {(e["text"], e["country_code"]) for e in result.entities} >= {("The French Foreign Ministry", None)}
    assert _keys(extract("Yen", "The U.S. Treasury urged Japan to act.")) == {("JPN", "USA", "conflict")}
    # a name whose head is no state body gives no actor
    assert _keys(extract("Korea", "The Japan Foundation praised Korea.")) == set()


def test_rows_and_confrontations_are_quarrels(extract):
    body = "Turkey's latest row with Greece over oil rights showed the need for talks."
    assert _typed(extract("Aegean", body)) == {("GRC", "TUR", "ACCUSE")}
    assert _keys(extract("Gulf", "The confrontation between Tehran and the United States grew.")) \
        == {("IRN", "USA", "conflict")}
    # a bare row is another word
    assert _keys(extract("Yen", "Japan rose for the third day in a row against the United States.")) == set()


def test_a_name_hyphen_joined_to_a_participle_acts_on_its_noun(extract):
    assert _typed(extract("Kabul", "The Soviet-backed Afghan government has not commented.")) \
        == {("AFG", "SUN", "COOPERATE")}
    # rebels are no state
    assert _keys(extract("Kabul", "The U.S.-backed Afghan rebels attacked the Soviet army.")) == set()


def test_opening_fire_is_an_attack(extract):
    assert _typed(extract("Gulf", "Iraqi troops opened fire on Iranian troops.")) == {("IRN", "IRQ", "FIGHT")}


def test_partners_the_parse_hangs_on_agents_counterparts_and_fields(extract):
    # coordinated agents of a passive reciprocal act, the country inside a body's name among them
    body = "The accord was signed by Nigerian Finance Minister Chu Okongwu and senior French Treasury officials."
    assert _keys(extract("Debt", body)) == {("FRA", "NGA", "cooperation")}
    # counterparts are officials
    body = "Bank of England officials pressed their Japanese counterparts to change regulations."
    assert _keys(extract("Banks", body)) == {("GBR", "JPN", "conflict")}
    # the partner hung on the field of what is discussed
    body = "Peruvian officials will discuss cooperation in the silver market with Mexican officials."
    assert ("MEX", "PER", "CONSULT") in _typed(extract("Silver", body))


def test_an_act_inside_the_field_keeps_its_own_partner(nlp, lexicons):
    for text, has_japan in (("Howe will discuss the crisis in trade relations with Japan.", False),
                            ("Howe will discuss cooperation in the silver market with Japan.", True)):
        discuss = next(t for t in nlp(text) if t.lower_ == "discuss")
        parties = {t.text for t in internal_arguments(discuss, lexicons.cues["discuss"], lexicons)}
        assert ("Japan" in parties) is has_japan


def test_a_country_opening_the_name_of_an_act_acts(extract):
    # wire copy capitalises the word after "U.S.", and the model makes the pair one organisation
    body = "Oil prices rose after the U.S. Attack on Iranian oil platforms in the Gulf."
    assert _typed(extract("Oil", body)) == {("IRN", "USA", "FIGHT")}


def test_whoever_must_meet_a_threats_condition_is_threatened(extract):
    body = "Britain has threatened to impose restrictions on Japanese finance houses if Japan does not open its markets."
    # the threatened restrictions are the threat only, not sanctions
    assert _typed(extract("Banks", body)) == {("GBR", "JPN", "THREATEN")}
    body = "The United States warned that it would retaliate if Japan did not comply."
    assert _typed(extract("Chips", body)) == {("JPN", "USA", "THREATEN")}
    # what the warned are told to expect is no threat of the warner's
    body = "Saddam Hussein warned his frontline troops to expect further Iranian attacks."
    assert ("IRN", "IRQ", "FIGHT") in _typed(extract("Gulf", body))


def test_no_longer_is_a_negation(extract):
    body = "West Germany was no longer under any pressure from the U.S. Government to stimulate its economy."
    assert _keys(extract("Bonn", body)) == set()
    assert _keys(extract("Bonn", "Japan is under pressure from the U.S. Government.")) == {("JPN", "USA", "conflict")}


def test_coordinated_partners_are_one_side_and_the_other_is_outside(extract):
    body = "Israel is conducting free trade talks with India, South Korea and China."
    assert _keys(extract("Trade", body)) == {("CHN", "ISR", "cooperation"), ("IND", "ISR", "cooperation"),
                                             ("ISR", "KOR", "cooperation")}
    assert _keys(extract("Talks", "Talks between India and China resumed.")) == {("CHN", "IND", "cooperation")}
    # a reciprocal act handed to others is not done with them
    assert _keys(extract("ISIL", "Trump suggested the U.S. outsource the fight to Syria and Russia.")) == set()


def test_a_phone_call_is_a_consultation(extract):
    body = "In a phone call with Chinese President Xi Jinping, President Obama urged restraint."
    assert _typed(extract("Call", body)) == {("CHN", "USA", "CONSULT")}


def test_a_headlines_comma_for_and_whatever_the_parse_calls_the_first_name(extract):
    assert _keys(extract("Japan, U.S. to hold talks on chips", "The talks start on Monday.")) \
        == {("JPN", "USA", "cooperation")}


def test_telling_another_state_to_act_is_a_demand(extract):
    result = extract("U.S. TELLS JAPAN TO DO MORE TO CUT TRADE SURPLUS", "The report was issued on Monday.")
    assert _typed(result) == {("JPN", "USA", "DEMAND")}
    assert _keys(extract("Japan", "Reagan told reporters Japan would act.")) == set()


def test_a_headline_opening_with_two_names_and_a_comma_names_both_sides(extract):
    result = extract("U.S., SOVIETS TO RESUME TALKS ON MEDIUM-RANGE MISSILES", "The talks start on Monday.")
    assert _keys(result) == {("SUN", "USA", "cooperation")}
    result = extract("U.S., JAPAN TRADE TIES REMAIN HOSTILE", "Officials spoke on Monday.")
    assert _keys(result) == {("JPN", "USA", "conflict")}
    # the comma's names are one role: co-actors of a directed act, co-recipients of what they win
    assert _keys(extract("U.S., JAPAN WARN IRAN", "Officials spoke on Monday.")) \
        == {("IRN", "JPN", "conflict"), ("IRN", "USA", "conflict")}
    assert _keys(extract("UGANDA, MOZAMBIQUE WIN DEBT RESCHEDULING ACCORD", "The Paris Club met.")) == set()
    assert _keys(extract("Debt", "Uganda and Mozambique won a debt rescheduling accord.")) == set()
    # a firm is no state
    assert _keys(extract("CANADA, JAPAN TRADING FIRM AGREE TO BOOST TIES", "Officials spoke on Monday.")) == set()
    # not an act the headline's verb is not: moving towards talks is none yet
    assert _keys(extract("TURKEY, GREECE MOVING TOWARDS AEGEAN TALKS - OZAL", "Ozal spoke on Monday.")) == set()
    # a sentence of running text is no headline
    assert _keys(extract("News", "Japan, the report said, rejected the claims of Britain's Howard.")) == set()


def test_fewer_diplomats_is_fewer_relations(extract):
    result = extract("TEHRAN WITHDRAWS MORE DIPLOMATS FROM BRITAIN", "The report was issued on Monday.")
    assert {(r["country_a"], r["country_b"], r["relation_type"], r["cameo_code"]) for r in result.relations} \
        == {("GBR", "IRN", "REJECT", "161")}


def test_it_is_a_country_subject_before_it_in_its_own_sentence(extract):
    body = ("The United States sent warships to the Gulf. Iran announced after its forces attacked Iraq that it had "
            "new missiles.")
    assert _keys(extract("Missiles", body)) == {("IRN", "IRQ", "conflict")}


def test_a_quota_is_a_measure_only_with_what_it_falls_on(extract):
    assert _keys(extract("Oil", "Venezuela will produce Ecuador's entire OPEC quota.")) == set()
    assert _keys(extract("OPEC", "VENEZUELA BACKS INCREASE IN ECUADOR OPEC QUOTA")) == set()
    assert _typed(extract("Steel", "The United States imposed quotas on Japanese steel.")) == {("JPN", "USA", "SANCTION")}


def test_bilateral_is_the_pair_in_context_only_without_a_third_country(extract):
    body = ("Nigeria held talks with Britain on its debt. The Nigerians will go on to Paris for similar bilateral talks "
            "with Coface, the French export credit agency.")
    result = extract("Debt", body)
    assert _keys(result) == {("GBR", "NGA", "cooperation"), ("FRA", "NGA", "cooperation")}
    # the agency's name is no credit given
    assert _typed(result) == {("GBR", "NGA", "CONSULT"), ("FRA", "NGA", "CONSULT")}
    body = "Nigeria held talks with Britain on its debt. The bilateral talks will resume in May."
    assert _keys(extract("Debt", body)) == {("GBR", "NGA", "cooperation")}


def test_what_is_barred_or_vetoed_does_not_happen(extract):
    assert _keys(extract("Sanctions", "The United States and Britain barred sanctions against South Africa.")) == set()
    assert _keys(extract("U.S., BRITAIN BAR SANCTIONS AGAINST SOUTH AFRICA", "Officials spoke on Monday.")) == set()
    assert _keys(extract("Sanctions", "The United States and Britain imposed sanctions against South Africa.")) \
        == {("USA", "ZAF", "conflict"), ("GBR", "ZAF", "conflict")}


def test_countries_in_an_organisations_talks_each_talk_with_it(extract):
    assert _keys(extract("Iraq and Afghanistan in WTO talks", "The talks started on Monday.")) == set()
    assert _keys(extract("Iraq and Afghanistan in talks", "The talks started on Monday.")) \
        == {("AFG", "IRQ", "cooperation")}


def test_a_countrys_group_is_a_company(extract):
    assert _keys(extract("ALGERIA SIGNS LNG DEAL WITH U.S. GROUP", "The deal was signed on Monday.")) == set()
    assert _keys(extract("ALGERIA SIGNS LNG DEAL WITH U.S.", "The deal was signed on Monday.")) \
        == {("DZA", "USA", "cooperation")}


def test_an_act_said_to_be_unlikely_is_not_asserted(extract):
    assert _keys(extract("U.S./SOVIET GRAIN MEETING UNLIKELY THIS SUMMER", "Officials spoke on Monday.")) == set()
    assert _keys(extract("Talks", "Talks between Japan and the United States are unlikely this year.")) == set()
    assert _keys(extract("Talks", "Talks between Japan and the United States are likely this year.")) \
        == {("JPN", "USA", "cooperation")}


def test_who_opposes_an_act_is_no_party_to_it(extract):
    assert _keys(extract("Meat", "Ireland and France continued to oppose the deal on meat.")) == set()
    assert _keys(extract("Meat", "Ireland and France continued to support the deal on meat.")) \
        == {("FRA", "IRL", "cooperation")}
    assert _keys(extract("Tax", "Britain has decided to resist U.S. pressure on its tax rules.")) \
        == {("GBR", "USA", "conflict")}


def test_what_a_complaint_is_about_is_whose_it_blames(extract):
    assert _typed(extract("Rice", "The United States complained about Japan's rice policy.")) == {("JPN", "USA", "ACCUSE")}
    # Reuters capitalises the word after "U.S.", and the model reads the plural as a name
    body = "A ban on rice imports triggered recent U.S. Complaints about Japan's agricultural policy."
    assert ("JPN", "USA", "ACCUSE") in _typed(extract("Rice", body))
    # what talks are about is their topic
    assert _keys(extract("Rice", "U.S. talks about Japan's rice policy resumed.")) == set()


def test_charging_that_another_did_something_accuses_it(extract):
    assert _typed(extract("Chips", "Washington charged that Japan had violated the pact.")) == {("JPN", "USA", "ACCUSE")}
    assert _keys(extract("Fees", "Japan charged the U.S. firm a fee.")) == set()


def test_whom_a_verb_furnishes_with_aid_receives_it(extract):
    assert _typed(extract("Aid", "France will provide Togo with aid.")) == {("FRA", "TGO", "AID")}
    assert _typed(extract("Aid", "Japan supplied Iran with credits.")) == {("IRN", "JPN", "AID")}


def test_an_act_in_the_field_of_another_is_by_that_ones_actor(extract):
    assert _keys(extract("Gulf", "A new attack by Iran in the war against Iraq killed hundreds.")) \
        == {("IRN", "IRQ", "conflict")}


def test_what_a_reciprocal_act_is_on_is_its_topic(extract):
    assert _keys(extract("CHINA AND PORTUGAL SIGN MACAO DEAL", "Officials spoke on Monday.")) \
        == {("CHN", "PRT", "cooperation")}
    assert _keys(extract("Macao", "China and Portugal signed an agreement on Macao.")) == {("CHN", "PRT", "cooperation")}
    assert _keys(extract("Talks", "Britain held talks on Iran with the United States.")) \
        == {("GBR", "USA", "cooperation")}
    # but what a war is on is its other side
    assert _keys(extract("War", "The United States declared war on Iraq.")) == {("IRQ", "USA", "conflict")}
