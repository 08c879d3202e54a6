-- One row per quote, pair and polarity; the speaker is one side of the pair.
select quote_id, country_a, country_b, polarity, count(*) as copies
from marts.pair_quotes
group by quote_id, country_a, country_b, polarity
having count(*) > 1 or any_value(speaker_country) not in (country_a, country_b)
