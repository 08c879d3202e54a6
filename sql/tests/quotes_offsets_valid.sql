-- Offsets point into title || '\n\n' || body and enclose a non-empty span.
select quotes.quote_id
from staging.stg_quotes as quotes
inner join staging.stg_articles as articles on quotes.article_id = articles.article_id
where quotes.start is null
    or quotes."end" <= quotes.start
    or quotes."end" > length(articles.title) + 2 + length(articles.body)
