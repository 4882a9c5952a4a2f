-- kefu's embedded schema. Instants are epoch milliseconds (INTEGER); enums are stored by their Java name.

CREATE TABLE apps (
  appid                    TEXT    NOT NULL PRIMARY KEY,
  secret                   TEXT    NOT NULL,
  original_id              TEXT    NOT NULL,
  rules_name               TEXT    NOT NULL,
  enter_count              INTEGER NOT NULL,
  enter_seconds            INTEGER NOT NULL,
  message_count            INTEGER NOT NULL,
  message_seconds          INTEGER NOT NULL,
  customer_service_allowed INTEGER NOT NULL
);

-- seq keeps insertion order (an explicit INTEGER PRIMARY KEY survives VACUUM, an implicit rowid may not)
CREATE TABLE users (
  seq        INTEGER NOT NULL PRIMARY KEY,
  appid      TEXT    NOT NULL,
  openid     TEXT    NOT NULL,
  nickname   TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (appid, openid)
);

CREATE TABLE tokens (
  seq        INTEGER NOT NULL PRIMARY KEY,
  value      TEXT    NOT NULL UNIQUE,
  appid      TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  issued_at  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  forced     INTEGER NOT NULL
);
CREATE INDEX tokens_by_app ON tokens (appid, kind, issued_at, seq);

CREATE TABLE windows (
  appid      TEXT    NOT NULL,
  openid     TEXT    NOT NULL,
  remaining  INTEGER NOT NULL,
  closes_at  INTEGER NOT NULL,
  granted_by TEXT,
  PRIMARY KEY (appid, openid)
) WITHOUT ROWID;

CREATE TABLE typing (
  appid            TEXT NOT NULL,
  openid           TEXT NOT NULL,
  last_exchange_at INTEGER,
  typing_until     INTEGER,
  PRIMARY KEY (appid, openid)
) WITHOUT ROWID;

-- AUTOINCREMENT: a MsgId is never handed out twice, not even after reset() empties the table
CREATE TABLE messages (
  id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  appid      TEXT    NOT NULL,
  openid     TEXT    NOT NULL,
  direction  TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_by_user ON messages (appid, openid, id);

CREATE TABLE media (
  media_id   TEXT    NOT NULL PRIMARY KEY,
  appid      TEXT    NOT NULL,
  format     TEXT    NOT NULL,
  bytes      BLOB    NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE journal (
  id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  at             INTEGER NOT NULL,
  method         TEXT    NOT NULL,
  path           TEXT    NOT NULL,
  appid          TEXT    NOT NULL,
  openid         TEXT    NOT NULL,
  errcode        INTEGER NOT NULL,
  latency_micros INTEGER NOT NULL,
  rid            TEXT    NOT NULL
);
