-- Per-app API limits (45009 daily, 45011 per minute). Same conventions as V1: instants are epoch milliseconds.

-- the app's limits as kefu.protocol.limit.ApiLimitsCodec writes them; 'false' is off, the default
ALTER TABLE apps ADD COLUMN api_limits TEXT NOT NULL DEFAULT 'false';

-- the calls counted against them: per app, API path and period (DAY, the Beijing day; MINUTE), the current period
-- only: started_at is its first instant, and a call in a later period starts the count again
CREATE TABLE api_calls (
  appid      TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  period     TEXT    NOT NULL,
  started_at INTEGER NOT NULL,
  calls      INTEGER NOT NULL,
  PRIMARY KEY (appid, path, period)
) WITHOUT ROWID;

-- V4.1 (kefu.store.HashAppSecrets, in Java) then replaces each apps.secret by its salted hash
