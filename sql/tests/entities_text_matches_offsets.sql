select entities.entity_id
from staging.stg_entities as entities
inner join staging.stg_articles as articles on entities.article_id = articles.article_id
where substring(articles.title || chr(10) || chr(10) || articles.body, entities.start + 1, entities."end" - entities.start) != entities.text
