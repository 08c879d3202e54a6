select relation_id, count(*) as copies
from staging.stg_relations
group by relation_id
having count(*) > 1
