/**
 * Schema migrations, applied in order at start-up (Database.open). Append only: an applied migration never
 * changes, so a replica running an older release still finds the tables it knows. Nothing here holds a secret:
 * keys and tokens never reach the database, only hashes of names and nonces.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: reporting snapshots, one row each, scoped like the snapshot folders (a hash of origin + parent key)
  `CREATE TABLE dcpm_snapshots (
     scope text NOT NULL,
     id text NOT NULL,
     taken_at timestamptz NOT NULL,
     checked_at timestamptz NOT NULL,
     hash text NOT NULL,
     counts jsonb NOT NULL,
     bytes integer NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (scope, id)
   );
   CREATE INDEX dcpm_snapshots_newest ON dcpm_snapshots (scope, taken_at DESC, id DESC);`,
  // 2: redeemed confirmation tokens (a hash of the nonce and of the caller), until the token's expiry
  `CREATE TABLE dcpm_confirmations (
     nonce_hash text PRIMARY KEY,
     owner_hash text NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX dcpm_confirmations_owner ON dcpm_confirmations (owner_hash, expires_at);
   CREATE INDEX dcpm_confirmations_expiry ON dcpm_confirmations (expires_at);`,
  // 3: per-token rate-limit buckets (a hash of the token's name), shared by every replica
  `CREATE TABLE dcpm_rate_limits (
     name_hash text PRIMARY KEY,
     level double precision NOT NULL,
     updated_at timestamptz NOT NULL,
     allowed boolean NOT NULL
   );`,
];
