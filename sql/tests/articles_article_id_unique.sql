select article_id, count(*) as copies
from staging.stg_articles
group by article_id
having count(*) > 1
