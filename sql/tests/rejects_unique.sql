select origin, reason, detail, count(*) as copies
from staging.stg_rejects
group by origin, reason, detail
having count(*) > 1
