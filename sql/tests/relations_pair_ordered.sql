-- Pairs are unordered: stored with country_a < country_b, never a country with itself.
select relation_id, country_a, country_b
from staging.stg_relations
where country_a is null or country_b is null or country_a >= country_b
