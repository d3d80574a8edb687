-- Roles are shared by every database of the cluster, so they are left in place.
REVOKE USAGE ON SCHEMA public FROM krafto_app, krafto_control, krafto_worker;
REVOKE USAGE, CREATE ON SCHEMA public FROM krafto_owner;
