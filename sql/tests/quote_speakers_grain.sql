-- One speaker per quote.
select quote_id, count(*) as copies
from marts.quote_speakers
group by quote_id
having count(*) > 1
