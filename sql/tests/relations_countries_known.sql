select relations.relation_id, relations.country_a, relations.country_b
from staging.stg_relations as relations
left join seeds.countries as a on relations.country_a = a.country_code
left join seeds.countries as b on relations.country_b = b.country_code
where a.country_code is null or b.country_code is null
