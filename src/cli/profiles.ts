import { DigiCertClient, type Timeouts } from "../client/client.js";
import type { Credentials } from "../client/credentials.js";
import { DEFAULT_PROFILE } from "../config/index.js";
import type { Logger } from "../logging.js";
import { FileSnapshotStore, type SnapshotStore } from "../reporting/index.js";

/** One key profile at run time: its own DigiCert client (its keys only) and its own snapshot store. */
export interface ProfileRuntime {
  name: string;
  credentials: Credentials;
  client: DigiCertClient;
  /** the configured DigiCert timeouts (the client's), also for `check_setup`'s doctor run */
  timeouts: Partial<Timeouts>;
  store: SnapshotStore;
}

export interface ProfilesOptions {
  /** the profile "default" (DIGICERT_* keys, or the sandbox's demo keys) */
  defaultCredentials: Credentials;
  /** DIGICERT_PROFILES */
  profiles: Record<string, Credentials>;
  baseUrl: string | undefined;
  timeouts: Partial<Timeouts>;
  dataDir: string | undefined;
  logger: Logger;
  /** builds a profile's snapshot store (PostgreSQL with DATABASE_URL); default: the files store under dataDir */
  createStore?: (scope: { origin: string; accountKey: string | undefined }) => SnapshotStore;
}

/**
 * Builds a client per profile, so a token on profile A can only ever send A's keys: B's keys are not in its
 * client at all. Snapshot stores are scoped by the parent key (as before); a profile without one gets a scope
 * of its own name, so two teams' snapshots never share a folder.
 */
export function openProfiles(options: ProfilesOptions): Map<string, ProfileRuntime> {
  const stores = new Map<string, SnapshotStore>();
  const out = new Map<string, ProfileRuntime>();
  const entries: [string, Credentials][] = [
    [DEFAULT_PROFILE, options.defaultCredentials],
    ...Object.entries(options.profiles),
  ];
  for (const [name, credentials] of entries) {
    const client = new DigiCertClient({
      baseUrl: options.baseUrl,
      credentials,
      timeouts: options.timeouts,
      logger: options.logger,
    });
    const scope =
      credentials.parentKey ?? (name === DEFAULT_PROFILE ? undefined : `(profile ${name}, no parent key)`);
    const storeKey = scope ?? "";
    let store = stores.get(storeKey);
    if (!store) {
      store =
        options.createStore?.({ origin: client.baseUrl, accountKey: scope }) ??
        new FileSnapshotStore({
          origin: client.baseUrl,
          accountKey: scope,
          dataDir: options.dataDir,
          logger: options.logger,
        });
      stores.set(storeKey, store);
    }
    out.set(name, { name, credentials, client, store, timeouts: options.timeouts });
  }
  return out;
}
