select quote_id, kind
from staging.stg_quotes
where kind not in ('direct', 'indirect', 'mixed')
    or text is null
    or text = ''
    or confidence not between 0 and 1
