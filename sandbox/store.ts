import { BASE62, BASE64URL, Prng } from "./random.js";

export type AccountKind = "parent" | "sub";
export type ValidationType = "DV" | "OV" | "EV";
/** Highest validation DigiCert has completed for an organization; EV implies OV. */
export type OrganizationValidation = "none" | "OV" | "EV";

export interface Account {
  id: number;
  kind: AccountKind;
  parentId: number | null;
  name: string;
  emails: string[];
  /** account overrides only; a missing name means "system default" */
  settings: Map<string, string>;
  /** CertCentral account billed for this account's orders; null falls back to the parent's */
  billingLink: number | null;
  createdAt: number;
  /** subaccount ids in ascending order (parents only) */
  children: number[];
}

export interface ApiKeyRecord {
  id: number;
  accountId: number;
  name: string;
  secret: string;
  status: "active" | "inactive";
  createdAt: number;
  lastUsed: number | null;
}

export interface OrganizationDetails {
  name: string;
  assumed_name?: string | undefined;
  address: string;
  address2?: string | undefined;
  city: string;
  state: string;
  zip: string;
  country: string;
  telephone: string;
}

export interface Contact {
  first_name: string;
  last_name: string;
  email: string;
  telephone: string;
  job_title?: string | undefined;
}

/** Contacts do not take part in validation, so they live on the contract, not on the shared organization. */
export interface Contacts {
  organization_contact?: Contact | undefined;
  technical_contact?: Contact | undefined;
  verified_contacts?: Contact[] | undefined;
}

/** One record per (subaccount, normalised details); every contract with those details points at it. */
export interface OrganizationRecord {
  id: number;
  accountId: number;
  details: OrganizationDetails;
  key: string;
  validation: OrganizationValidation;
}

export interface CredentialRecord {
  id: number;
  kid: string;
  hmacKey: string;
  status: "active" | "revoked";
  createdAt: number;
}

export interface CertificateRecord {
  domain: string;
  status: string;
  expirationDate: number | null;
  serialNumber: string;
  sans: string[];
}

export interface ContractRecord {
  id: number;
  accountId: number;
  product: string;
  createdAt: number;
  validTill: number;
  sans: string[];
  orgId: number | null;
  contacts: Contacts | null;
  autoRenew: boolean;
  canceledAt: number | null;
  directoryToken: string;
  credentials: CredentialRecord[];
  certificates: CertificateRecord[];
}

export interface Price {
  cost: number;
  currency: string;
}

export interface CostEntry {
  subaccount_price?: Price;
  order_price?: Price;
  order_prices?: Price[];
}

/** A CertCentral account reachable with an X-DC-DEVKEY: the billing side of finance link and cost report. */
export interface CertCentralAccount {
  id: number;
  name: string;
  devkey: string;
  currency: string;
  /** subaccounts this CertCentral account can report on, keyed by subaccount id */
  costs: Map<number, CostEntry>;
}

/** Where new ids start; the demo seed uses numbers below these so its ids never move. */
export const ID_START = {
  account: 100_001,
  contract: 20_001,
  apiKey: 6_001,
  credential: 50_001,
  organization: 3_001,
} as const;

export const ACME_DIRECTORY_BASE = "https://acme.sandbox.invalid/v2/acme/directory/";

/**
 * The sandbox's whole state, in memory, with the indexes the handlers need so that no request does more than
 * linear work in what it returns.
 */
export class Store {
  readonly accounts = new Map<number, Account>();
  readonly apiKeys = new Map<number, ApiKeyRecord>();
  readonly keysBySecret = new Map<string, ApiKeyRecord>();
  readonly contracts = new Map<number, ContractRecord>();
  readonly contractsByAccount = new Map<number, ContractRecord[]>();
  readonly organizations = new Map<number, OrganizationRecord>();
  readonly organizationsByKey = new Map<string, OrganizationRecord>();
  readonly certCentral = new Map<number, CertCentralAccount>();
  readonly certCentralByDevkey = new Map<string, CertCentralAccount>();

  readonly next: Record<keyof typeof ID_START, number> = { ...ID_START };
  readonly rng: Prng;

  constructor(seed = 0x5eed) {
    this.rng = new Prng(seed);
  }

  // --- ids and secrets -------------------------------------------------------------------------------------

  nextId(kind: keyof typeof ID_START): number {
    const value = this.next[kind];
    this.next[kind] = value + 1;
    return value;
  }

  newSecret(): string {
    return `sbx_${this.rng.string(40, BASE62)}`;
  }

  newKid(): string {
    return this.rng.string(43, BASE64URL);
  }

  newHmac(): string {
    return this.rng.string(86, BASE64URL);
  }

  newDirectoryToken(): string {
    return this.rng.string(24, BASE62);
  }

  // --- inserts ---------------------------------------------------------------------------------------------

  addAccount(account: Omit<Account, "children">): Account {
    const full: Account = { ...account, children: [] };
    this.accounts.set(full.id, full);
    if (full.parentId !== null) {
      const parent = this.accounts.get(full.parentId);
      if (!parent) throw new Error(`parent ${full.parentId} of ${full.id} does not exist`);
      // Ids only grow, so pushing keeps children sorted; a seed inserting out of order gets sorted here.
      const last = parent.children[parent.children.length - 1];
      parent.children.push(full.id);
      if (last !== undefined && last > full.id) parent.children.sort((a, b) => a - b);
    }
    return full;
  }

  addApiKey(key: ApiKeyRecord): ApiKeyRecord {
    if (this.keysBySecret.has(key.secret)) throw new Error("duplicate API key secret");
    this.apiKeys.set(key.id, key);
    this.keysBySecret.set(key.secret, key);
    return key;
  }

  addContract(contract: ContractRecord): ContractRecord {
    this.contracts.set(contract.id, contract);
    let list = this.contractsByAccount.get(contract.accountId);
    if (!list) {
      list = [];
      this.contractsByAccount.set(contract.accountId, list);
    }
    const last = list[list.length - 1];
    list.push(contract);
    if (last !== undefined && last.id > contract.id) list.sort((a, b) => a.id - b.id);
    return contract;
  }

  addCertCentral(account: CertCentralAccount): CertCentralAccount {
    this.certCentral.set(account.id, account);
    this.certCentralByDevkey.set(account.devkey, account);
    return account;
  }

  /** The seed passes its fixed ids so the counter for API-created credentials starts untouched. */
  newCredential(now: number, id: number = this.nextId("credential")): CredentialRecord {
    return {
      id,
      kid: this.newKid(),
      hmacKey: this.newHmac(),
      status: "active",
      createdAt: now,
    };
  }

  // --- updates: every change a handler makes goes through one of these -------------------------------------

  setEmails(account: Account, emails: readonly string[]): void {
    account.emails = [...emails];
  }

  /** `value` undefined removes the override (the system default applies again). */
  setSetting(account: Account, name: string, value: string | undefined): void {
    if (value === undefined) account.settings.delete(name);
    else account.settings.set(name, value);
  }

  /** Links the account's billing to a CertCentral account, whose cost report then knows the account's subaccounts. */
  linkBilling(account: Account, certCentral: CertCentralAccount): void {
    account.billingLink = certCentral.id;
    const billed = account.kind === "parent" ? account.children : [account.id];
    for (const id of billed) if (!certCentral.costs.has(id)) certCentral.costs.set(id, {});
  }

  setKeyStatus(key: ApiKeyRecord, status: ApiKeyRecord["status"]): void {
    key.status = status;
  }

  updateContract(
    contract: ContractRecord,
    change: Partial<Pick<ContractRecord, "autoRenew" | "contacts" | "sans" | "canceledAt">>,
  ): void {
    if (change.autoRenew !== undefined) contract.autoRenew = change.autoRenew;
    if (change.contacts !== undefined) contract.contacts = change.contacts;
    if (change.sans !== undefined) contract.sans = [...change.sans];
    if (change.canceledAt !== undefined) contract.canceledAt = change.canceledAt;
  }

  /** Revokes the given credentials of a contract (all when `ids` is undefined); revoked ones stay revoked. */
  revokeCredentials(contract: ContractRecord, ids?: ReadonlySet<number>): void {
    for (const cred of contract.credentials) if (!ids || ids.has(cred.id)) cred.status = "revoked";
  }

  addCredential(contract: ContractRecord, credential: CredentialRecord): void {
    contract.credentials.push(credential);
  }

  // --- lookups ---------------------------------------------------------------------------------------------

  account(id: number): Account | undefined {
    return this.accounts.get(id);
  }

  contractsOf(accountId: number): readonly ContractRecord[] {
    return this.contractsByAccount.get(accountId) ?? [];
  }

  organization(id: number | null): OrganizationRecord | undefined {
    return id === null ? undefined : this.organizations.get(id);
  }

  /** Setting value in force for an account: its override, else the system default. */
  setting(account: Account, name: string, systemDefault: string): string {
    return account.settings.get(name) ?? systemDefault;
  }

  /** Counts for quick assertions and the CLI banner. */
  summary(): { accounts: number; apiKeys: number; contracts: number; organizations: number } {
    return {
      accounts: this.accounts.size,
      apiKeys: this.apiKeys.size,
      contracts: this.contracts.size,
      organizations: this.organizations.size,
    };
  }
}
