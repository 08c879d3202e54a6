-- Offsets point into title || '\n\n' || body and enclose a non-empty span.
select relations.relation_id
from staging.stg_relations as relations
inner join staging.stg_articles as articles on relations.article_id = articles.article_id
where relations.start is null
    or relations."end" <= relations.start
    or relations."end" > length(articles.title) + 2 + length(articles.body)
