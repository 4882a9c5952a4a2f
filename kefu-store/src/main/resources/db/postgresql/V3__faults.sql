-- Fault injection (the platform API's /kefu/v1/faults), as SQLite's V5: the rules, and the mark each injected fault
-- leaves in the journals. V2 belongs to another change.

-- use_limit NULL: no count; expires_at NULL (kefu's clock): no end; a rule has at least one of the two. effect is
-- the effect's JSON (FaultCodec.writeEffect). The identity keeps its sequence across reset(): ids are never reused.
CREATE TABLE fault_rules (
  id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path       text    NOT NULL,
  appid      text    NOT NULL,
  openid     text    NOT NULL,
  effect     text    NOT NULL,
  use_limit  integer,
  expires_at bigint,
  used       integer NOT NULL,
  created_at bigint  NOT NULL
);

-- the fault injected into a call or a push attempt: its rule (0: none) and its effect in words
ALTER TABLE journal ADD COLUMN fault_rule bigint NOT NULL DEFAULT 0, ADD COLUMN fault text NOT NULL DEFAULT '';
ALTER TABLE push_attempts ADD COLUMN fault_rule bigint NOT NULL DEFAULT 0, ADD COLUMN fault text NOT NULL DEFAULT '';
