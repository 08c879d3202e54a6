select article_id
from staging.stg_articles
where article_id is null or title is null or title = '' or body is null or body = '' or ingested_at is null
