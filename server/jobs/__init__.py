"""Background work: a PostgreSQL job table, claimed with SKIP LOCKED by `terrain-server worker`."""
