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
  // 4: one row per contract of each snapshot, written with it, so expiry and domain queries read only the rows
  // they need. `names` holds each SAN in comparable form (lower case, punycode, no trailing dot; see domain.ts).
  // With them, on the snapshot's row: its summary (summarizeReport without a previous; json keeps key order) and
  // its subaccount ids (sorted), for the summary's subaccount changes. Snapshots recorded before this (or by an
  // older replica) have contracts_indexed false: rows, summary and ids are written from the stored report the
  // first time a query needs them.
  `ALTER TABLE dcpm_snapshots ADD COLUMN contracts_indexed boolean NOT NULL DEFAULT false,
     ADD COLUMN summary json, ADD COLUMN accounts bigint[];
   CREATE TABLE dcpm_snapshot_contracts (
     scope text NOT NULL,
     snapshot_id text NOT NULL,
     ord integer NOT NULL,
     account_id bigint NOT NULL,
     contract_id bigint NOT NULL,
     product_name_id text NOT NULL,
     valid_till text NOT NULL,
     till_ms double precision,
     date_canceled text,
     canceled boolean NOT NULL,
     created_at text,
     sans text[] NOT NULL,
     names text[] NOT NULL,
     PRIMARY KEY (scope, snapshot_id, ord),
     FOREIGN KEY (scope, snapshot_id) REFERENCES dcpm_snapshots (scope, id) ON DELETE CASCADE
   );
   CREATE INDEX dcpm_snapshot_contracts_expiry ON dcpm_snapshot_contracts (scope, snapshot_id, till_ms)
     WHERE NOT canceled;
   CREATE INDEX dcpm_snapshot_contracts_account ON dcpm_snapshot_contracts (scope, snapshot_id, account_id);
   CREATE INDEX dcpm_snapshot_contracts_names ON dcpm_snapshot_contracts USING gin (names);`,
  // 5: cheaper contract rows (BENCHMARKS.md section 4). The foreign key checked every row written (about 1 s per
  // 300,000); a trigger now deletes a snapshot's rows with it, as ON DELETE CASCADE did, also for an older
  // replica's deletes, and rows are only ever written in the transaction that holds their snapshot's row. The
  // subaccount index cost as much again per take, for one query (one subaccount's contracts) that reads the
  // snapshot's rows in order instead. contract_ids_unique: whether no contract id repeats in the snapshot (the
  // diff is answered from rows only then); null until known.
  `ALTER TABLE dcpm_snapshot_contracts DROP CONSTRAINT dcpm_snapshot_contracts_scope_snapshot_id_fkey;
   CREATE FUNCTION dcpm_snapshot_contracts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM dcpm_snapshot_contracts WHERE scope = OLD.scope AND snapshot_id = OLD.id;
     RETURN OLD;
   END $$;
   CREATE TRIGGER dcpm_snapshots_delete_contracts AFTER DELETE ON dcpm_snapshots
     FOR EACH ROW EXECUTE FUNCTION dcpm_snapshot_contracts_delete();
   DROP INDEX dcpm_snapshot_contracts_account;
   ALTER TABLE dcpm_snapshots ADD COLUMN contract_ids_unique boolean;`,
  // 6: the diff from the previous snapshot, cut to a little over what a tool shows (PgSnapshotStore
  // KEPT_DIFF_ITEMS), kept on the later snapshot's row: written at record time when the recording process still
  // holds the previous report, else on the first diff asked; diff_from names the snapshot it was taken from.
  // Comparing the latest snapshot with its previous (compare_reporting_snapshots' default, take's change
  // counts) then reads one row instead of joining both snapshots' rows (0.6-1.6 s at 300,000 contracts).
  `ALTER TABLE dcpm_snapshots ADD COLUMN diff_from text, ADD COLUMN diff_kept json;`,
];
