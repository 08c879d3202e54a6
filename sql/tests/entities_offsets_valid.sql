-- Offsets point into title || '\n\n' || body and enclose a non-empty span.
select entities.entity_id
from staging.stg_entities as entities
inner join staging.stg_articles as articles on entities.article_id = articles.article_id
where entities.start is null
    or entities."end" <= entities.start
    or entities."end" > length(articles.title) + 2 + length(articles.body)
