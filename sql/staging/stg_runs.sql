-- One row per pipeline run.
with runs as (
    select * from lake.runs
),

newest as (
    select *
    from runs
    qualify row_number() over (partition by run_id order by recorded_at desc) = 1
),

final as (
    select
        run_id,
        cast(started_at as timestamptz) as started_at,
        cast(finished_at as timestamptz) as finished_at,
        status,
        sources,
        articles_seen,
        articles_new,
        articles_duplicate,
        articles_rejected,
        articles_extracted,
        entities,
        relations,
        quotes,
        extractor_version,
        error,
        files_read,
        files_unchanged,
        files_pending,
        sources_failed
    from newest
)

select * from final
