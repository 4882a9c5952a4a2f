-- Fault injection (the platform API's /kefu/v1/faults): the rules, and the mark each injected fault leaves in the
-- journals. Same conventions as V1: instants are epoch milliseconds (INTEGER). V4 belongs to another change.

-- use_limit NULL: no count; expires_at NULL (kefu's clock): no end; a rule has at least one of the two. effect is
-- the effect's JSON (FaultCodec.writeEffect). AUTOINCREMENT: a rule id is never handed out twice, not even after
-- reset() empties the table, so a DELETE of an old id cannot remove a newer rule.
CREATE TABLE fault_rules (
  id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  path       TEXT    NOT NULL,
  appid      TEXT    NOT NULL,
  openid     TEXT    NOT NULL,
  effect     TEXT    NOT NULL,
  use_limit  INTEGER,
  expires_at INTEGER,
  used       INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- the fault injected into a call or a push attempt: its rule (0: none) and its effect in words
ALTER TABLE journal ADD COLUMN fault_rule INTEGER NOT NULL DEFAULT 0;
ALTER TABLE journal ADD COLUMN fault      TEXT    NOT NULL DEFAULT '';
ALTER TABLE push_attempts ADD COLUMN fault_rule INTEGER NOT NULL DEFAULT 0;
ALTER TABLE push_attempts ADD COLUMN fault      TEXT    NOT NULL DEFAULT '';
