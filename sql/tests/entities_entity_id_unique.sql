select entity_id, count(*) as copies
from staging.stg_entities
group by entity_id
having count(*) > 1
