-- Input that did not become an article, with the reason.
with rejects as (
    select * from lake.rejects
),

final as (
    select
        origin,
        reason,
        detail,
        excerpt,
        cast(seen_at as timestamptz) as seen_at,
        run_id
    from rejects
)

select * from final
