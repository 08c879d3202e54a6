select quote_id, count(*) as copies
from staging.stg_quotes
group by quote_id
having count(*) > 1
