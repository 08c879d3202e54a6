-- Goldstein values are on the scale and agree with the polarity (conflict codes never score above zero); sectors
-- are three-letter codes.
select relation_id, polarity, cameo_code, goldstein, actor_a_sector, actor_b_sector
from staging.stg_relations
where goldstein not between -10 and 10
    or (polarity = 'conflict' and goldstein > 0)
    or (actor_a_sector is not null and not regexp_matches(actor_a_sector, '^[A-Z]{3}$'))
    or (actor_b_sector is not null and not regexp_matches(actor_b_sector, '^[A-Z]{3}$'))
