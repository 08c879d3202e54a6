-- One row per pair and month, pair ordered.
select country_a, country_b, month, count(*) as copies
from marts.country_pair_cooperation
group by country_a, country_b, month
having count(*) > 1 or country_a >= country_b
