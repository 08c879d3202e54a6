select country_code, day, count(*) as copies
from marts.country_mentions
group by country_code, day
having count(*) > 1
