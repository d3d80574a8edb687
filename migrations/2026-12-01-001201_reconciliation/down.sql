SET LOCAL ROLE krafto_owner;
DROP TABLE reconciliation_differences, reconciliation_runs;
RESET ROLE;
