-- Message push (the outbox and its journal) and human agents. Same conventions as V1: instants are epoch
-- milliseconds (INTEGER), enums are stored by their Java name.

-- an app's push settings; the defaults are PushSettings.NONE, so apps stored before this read back as having none
ALTER TABLE apps ADD COLUMN push_url     TEXT    NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN push_token   TEXT    NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN push_aes_key TEXT;
ALTER TABLE apps ADD COLUMN push_format  TEXT    NOT NULL DEFAULT 'JSON';
ALTER TABLE apps ADD COLUMN push_mode    TEXT    NOT NULL DEFAULT 'PLAIN';
ALTER TABLE apps ADD COLUMN push_enabled INTEGER NOT NULL DEFAULT 0;

-- AUTOINCREMENT: an outbox id is never handed out twice, not even after reset() empties the table, so a delivery
-- still running across a reset cannot update someone else's push
CREATE TABLE outbox (
  id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  appid           TEXT    NOT NULL,
  openid          TEXT    NOT NULL,
  event           TEXT    NOT NULL,
  msg_id          INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  status          TEXT    NOT NULL
);
-- each user's oldest PENDING item is min(id) of one run of this index; DELIVERED and FAILED rows are never read
CREATE INDEX outbox_by_user ON outbox (status, appid, openid, id);

-- bounded like the journal: only the newest journalRetention rows count, older ones are trimmed
CREATE TABLE push_attempts (
  id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  outbox_id       INTEGER NOT NULL,
  appid           TEXT    NOT NULL,
  openid          TEXT    NOT NULL,
  msg_id          INTEGER NOT NULL,
  attempt         INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  url             TEXT    NOT NULL,
  query_string    TEXT    NOT NULL,
  request_headers TEXT    NOT NULL,
  request_body    TEXT    NOT NULL,
  canonical       TEXT    NOT NULL,
  signature       TEXT    NOT NULL,
  msg_canonical   TEXT    NOT NULL,
  msg_signature   TEXT    NOT NULL,
  plaintext       TEXT    NOT NULL,
  status          INTEGER NOT NULL,
  response_body   TEXT    NOT NULL,
  latency_micros  INTEGER NOT NULL,
  outcome         TEXT    NOT NULL,
  reason          TEXT    NOT NULL
);

CREATE TABLE agents (
  appid      TEXT    NOT NULL,
  account    TEXT    NOT NULL,
  nickname   TEXT    NOT NULL,
  status     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (appid, account)
) WITHOUT ROWID;

-- seq keeps arrival order among users who started waiting in the same millisecond; replacing a session keeps it
CREATE TABLE agent_sessions (
  seq              INTEGER NOT NULL PRIMARY KEY,
  appid            TEXT    NOT NULL,
  openid           TEXT    NOT NULL,
  state            TEXT    NOT NULL,
  agent            TEXT,
  waiting_since    INTEGER NOT NULL,
  accepted_at      INTEGER,
  last_activity_at INTEGER NOT NULL,
  UNIQUE (appid, openid)
);
CREATE INDEX agent_sessions_queue ON agent_sessions (appid, state, waiting_since, seq);
CREATE INDEX agent_sessions_idle ON agent_sessions (state, last_activity_at);
