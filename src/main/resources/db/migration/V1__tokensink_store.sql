-- tokensink PostgreSQL store, schema 1 (dev.tokensink.store.pg.PostgresStore).
-- One agent = one row in ts_agents; that row is the agent's lock (SELECT ... FOR NO KEY UPDATE).
-- Everything else of the agent lives in child rows that carry a fencing version: every write is
-- "UPDATE ... WHERE version = <version read under the lock>" and checks the row count.

CREATE TABLE ts_agents (
  agent       text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One profile entry of auth-profiles.json. "profile" is the entry as the file codec writes it,
-- with secret fields replaced by {"$enc": "v1", "kid": ..., "ct": ...} when a key is configured.
CREATE TABLE ts_profiles (
  agent       text NOT NULL REFERENCES ts_agents (agent) ON DELETE CASCADE,
  profile_id  text NOT NULL,
  position    integer NOT NULL,
  provider    text NOT NULL,
  type        text NOT NULL,
  profile     jsonb NOT NULL,
  version     bigint NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent, profile_id)
);

-- The agent's own order per provider (auth-profiles.json "order"), one row per provider.
CREATE TABLE ts_agent_order (
  agent       text NOT NULL REFERENCES ts_agents (agent) ON DELETE CASCADE,
  provider    text NOT NULL,
  position    integer NOT NULL,
  profile_ids text[] NOT NULL,
  version     bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (agent, provider)
);

-- Runtime state (auth-state.json: lastGood, usageStats, reauth, refreshInFlight) and the unknown
-- top-level fields of auth-profiles.json ("profiles_extra", secrets inside encrypted).
CREATE TABLE ts_agent_state (
  agent          text PRIMARY KEY REFERENCES ts_agents (agent) ON DELETE CASCADE,
  state          jsonb NOT NULL,
  profiles_extra jsonb NOT NULL,
  version        bigint NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
