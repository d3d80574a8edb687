-- Roles are cluster-wide, so creation is idempotent: several databases (tests, staging)
-- share one cluster.
--   krafto_owner   owns every table; migrations switch to it with SET LOCAL ROLE.
--   krafto_app     the platform: NOBYPASSRLS, owns nothing, sees one tenant per transaction.
--   krafto_control the control plane: reads and provisions tenants, also NOBYPASSRLS.
--   krafto_worker  the outbox worker: may claim outbox rows of every tenant, nothing else.
-- All are NOLOGIN: a deployment grants LOGIN (or membership to a login role) out of band.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'krafto_owner') THEN
        CREATE ROLE krafto_owner NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'krafto_app') THEN
        CREATE ROLE krafto_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'krafto_control') THEN
        CREATE ROLE krafto_control NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'krafto_worker') THEN
        CREATE ROLE krafto_worker NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
    END IF;
END
$$;

-- The migrating user must be able to SET ROLE krafto_owner.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT krafto_owner TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE, CREATE ON SCHEMA public TO krafto_owner;
GRANT USAGE ON SCHEMA public TO krafto_app, krafto_control, krafto_worker;
