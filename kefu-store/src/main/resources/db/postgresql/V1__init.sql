-- kefu's PostgreSQL schema: SQLite's V1 to V3 in one. Flyway runs it in the configured schema (creating it), so
-- names here are unqualified. Instants are epoch milliseconds (bigint), as on SQLite, so both stores hold the same
-- values; enums are stored by their Java name. Identity columns keep their sequences across reset() (TRUNCATE
-- without RESTART IDENTITY), so no MsgId, outbox id or journal id is handed out twice.

CREATE TABLE apps (
  appid                    text    NOT NULL PRIMARY KEY,
  secret                   text    NOT NULL,
  original_id              text    NOT NULL,
  rules_name               text    NOT NULL,
  enter_count              integer NOT NULL,
  enter_seconds            bigint  NOT NULL,
  message_count            integer NOT NULL,
  message_seconds          bigint  NOT NULL,
  customer_service_allowed boolean NOT NULL,
  push_url                 text    NOT NULL DEFAULT '',
  push_token               text    NOT NULL DEFAULT '',
  push_aes_key             text,
  push_format              text    NOT NULL DEFAULT 'JSON',
  push_mode                text    NOT NULL DEFAULT 'PLAIN',
  push_enabled             boolean NOT NULL DEFAULT false
);

-- seq keeps insertion order among users created in the same millisecond
CREATE TABLE users (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appid      text   NOT NULL,
  openid     text   NOT NULL,
  nickname   text   NOT NULL,
  created_at bigint NOT NULL,
  UNIQUE (appid, openid)
);

CREATE TABLE tokens (
  seq        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  value      text    NOT NULL UNIQUE,
  appid      text    NOT NULL,
  kind       text    NOT NULL,
  issued_at  bigint  NOT NULL,
  expires_at bigint  NOT NULL,
  revoked_at bigint,
  forced     boolean NOT NULL
);
CREATE INDEX tokens_by_app ON tokens (appid, kind, issued_at, seq);

CREATE TABLE windows (
  appid      text    NOT NULL,
  openid     text    NOT NULL,
  remaining  integer NOT NULL,
  closes_at  bigint  NOT NULL,
  granted_by text,
  PRIMARY KEY (appid, openid)
);

CREATE TABLE typing (
  appid            text NOT NULL,
  openid           text NOT NULL,
  last_exchange_at bigint,
  typing_until     bigint,
  PRIMARY KEY (appid, openid)
);

CREATE TABLE messages (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appid      text   NOT NULL,
  openid     text   NOT NULL,
  direction  text   NOT NULL,
  body       text   NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX messages_by_user ON messages (appid, openid, id);

CREATE TABLE media (
  media_id   text   NOT NULL PRIMARY KEY,
  appid      text   NOT NULL,
  format     text   NOT NULL,
  bytes      bytea  NOT NULL,
  created_at bigint NOT NULL
);

-- bounded: only the newest journalRetention ids count, older ones are trimmed
CREATE TABLE journal (
  id             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             bigint  NOT NULL,
  method         text    NOT NULL,
  path           text    NOT NULL,
  appid          text    NOT NULL,
  openid         text    NOT NULL,
  errcode        integer NOT NULL,
  latency_micros bigint  NOT NULL,
  rid            text    NOT NULL
);

-- lease_owner and lease_until (epoch milliseconds): the node that claimed the push and until when; NULL when free
CREATE TABLE outbox (
  id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appid           text    NOT NULL,
  openid          text    NOT NULL,
  event           text    NOT NULL,
  msg_id          bigint  NOT NULL,
  created_at      bigint  NOT NULL,
  attempts        integer NOT NULL,
  next_attempt_at bigint  NOT NULL,
  status          text    NOT NULL,
  lease_owner     text,
  lease_until     bigint
);
-- each user's oldest PENDING item is min(id) of one run of this partial index; finished rows are not in it
CREATE INDEX outbox_pending ON outbox (appid, openid, id) WHERE status = 'PENDING';

-- bounded like the journal, with its retention
CREATE TABLE push_attempts (
  id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id       bigint  NOT NULL,
  appid           text    NOT NULL,
  openid          text    NOT NULL,
  msg_id          bigint  NOT NULL,
  attempt         integer NOT NULL,
  at              bigint  NOT NULL,
  url             text    NOT NULL,
  query_string    text    NOT NULL,
  request_headers text    NOT NULL,
  request_body    text    NOT NULL,
  canonical       text    NOT NULL,
  signature       text    NOT NULL,
  msg_canonical   text    NOT NULL,
  msg_signature   text    NOT NULL,
  plaintext       text    NOT NULL,
  status          integer NOT NULL,
  response_body   text    NOT NULL,
  latency_micros  bigint  NOT NULL,
  outcome         text    NOT NULL,
  reason          text    NOT NULL
);
CREATE INDEX push_attempts_by_app ON push_attempts (appid, id);

CREATE TABLE agents (
  appid      text   NOT NULL,
  account    text   NOT NULL,
  nickname   text   NOT NULL,
  status     text   NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (appid, account)
);

-- seq keeps arrival order among users who started waiting in the same millisecond; replacing a session keeps it
CREATE TABLE agent_sessions (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appid            text   NOT NULL,
  openid           text   NOT NULL,
  state            text   NOT NULL,
  agent            text,
  waiting_since    bigint NOT NULL,
  accepted_at      bigint,
  last_activity_at bigint NOT NULL,
  UNIQUE (appid, openid)
);
CREATE INDEX agent_sessions_queue ON agent_sessions (appid, state, waiting_since, seq);
CREATE INDEX agent_sessions_idle ON agent_sessions (state, last_activity_at);

-- the deployment's clock (offset, or frozen instant): one row, or none while the clock was never set
CREATE TABLE clock (
  id               smallint NOT NULL PRIMARY KEY CHECK (id = 1),
  offset_millis    bigint   NOT NULL,
  frozen_at_millis bigint
);
