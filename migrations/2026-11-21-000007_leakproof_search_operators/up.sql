-- Row-level security lets the planner use an index for a condition only when the
-- condition's function is LEAKPROOF (it must not be able to reveal rows the policy hides).
-- The operators search filters with are not marked so, which turns every search of a large
-- marketplace into a scan. They cannot leak: they raise no data-dependent errors and have no
-- side effects. Marking them needs a superuser; without one (some managed services) search
-- still works, only slower, and the migration says so.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
        ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF;
        ALTER FUNCTION public.word_similarity_op(text, text) LEAKPROOF;
    ELSE
        RAISE NOTICE 'not a superuser: search operators stay non-leakproof; text search will not use its indexes under row-level security';
    END IF;
END
$$;
