-- Input that did not become an article, with the reason: one row per distinct problem, first seen.
-- A re-run meets the same bad record again; it is recorded once.
with rejects as (
    select * from lake.rejects
),

first_seen as (
    select *
    from rejects
    qualify row_number() over (partition by origin, reason, detail order by seen_at, run_id) = 1
),

final as (
    select
        origin,
        reason,
        detail,
        excerpt,
        cast(seen_at as timestamptz) as seen_at,
        run_id
    from first_seen
)

select * from final
