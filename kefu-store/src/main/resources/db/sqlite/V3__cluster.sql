-- What several kefu nodes on one PostgreSQL database need, kept on SQLite too so both stores answer alike.

-- a claimed push is leased to a node until lease_until (epoch milliseconds); NULL when nobody holds it
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;

-- the deployment's clock (offset, or frozen instant): one row, or none while the clock was never set
CREATE TABLE clock (
  id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  offset_millis    INTEGER NOT NULL,
  frozen_at_millis INTEGER
);
