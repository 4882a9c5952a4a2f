-- Per-app API limits (45009 daily, 45011 per minute), as SQLite's V4. Instants are epoch milliseconds (bigint).

-- the app's limits as kefu.protocol.limit.ApiLimitsCodec writes them; 'false' is off, the default
ALTER TABLE apps ADD COLUMN api_limits text NOT NULL DEFAULT 'false';

-- the calls counted against them: per app, API path and period (DAY, the Beijing day; MINUTE), the current period
-- only: started_at is its first instant, and a call in a later period starts the count again
CREATE TABLE api_calls (
  appid      text   NOT NULL,
  path       text   NOT NULL,
  period     text   NOT NULL,
  started_at bigint NOT NULL,
  calls      bigint NOT NULL,
  PRIMARY KEY (appid, path, period)
);

-- V2.1 (kefu.store.HashAppSecrets, in Java) then replaces each apps.secret by its salted hash
