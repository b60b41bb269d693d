import type { AnswerShape, Drift } from "../client/answer.js";

/** What a configured key is meant to be (where it is configured), or what DigiCert showed it to be. */
export type KeyRole = "parent" | "subaccount" | "devkey";

/** One configured key. `key` is held to send it and is never printed: everything else names it by `setting`. */
export interface KeySource {
  /** key profile: "default" (DIGICERT_* variables) or a DIGICERT_PROFILES name */
  profile: string;
  /** where it is configured: an environment variable or a DIGICERT_PROFILES field */
  setting: string;
  role: KeyRole;
  /** the subaccount it is configured for (an entry of DIGICERT_SUBACCOUNT_API_KEYS) */
  account?: number;
  key: string;
}

export type Level = "ok" | "attention" | "info";

export interface Finding {
  level: Level;
  text: string;
}

export interface OriginReport {
  url: string;
  reached: boolean;
  /** the status of a GET without any key (401 or 403 is the expected answer) */
  status?: number;
  /** the proxy variable that applies and the proxy's host:port (never its user or password) */
  proxy: { variable: string; host: string; no_proxy: boolean } | null;
  tls: "verified" | "not verified" | "not used" | "failed";
  /** DigiCert's clock minus this machine's, from the Date header, in whole seconds */
  clock_offset_s?: number;
  findings: Finding[];
}

export interface KeyReport {
  profile: string;
  setting: string;
  configured_as: KeyRole;
  configured_account?: number;
  /** false: DigiCert refused it as unknown or inactive (401); undefined: not known */
  accepted?: boolean;
  /** what DigiCert showed it to be (parent: reporting answered; subaccount: reporting refused it with 403) */
  kind?: "parent" | "subaccount";
  account_id?: number;
  /** its status in the key list */
  key_status?: string;
  findings: Finding[];
}

/** One GET the doctor made and what came back: the status, and for a 2xx answer its redacted shape. */
export interface ReadReport {
  operation: string;
  /** the role of the key it was sent with, as configured */
  key: KeyRole | "none";
  /** HTTP status; undefined when no answer came */
  status?: number;
  /** how a 2xx answer differed from the form the code expects (the tolerant reader's drift): paths only */
  drift?: Drift;
  shape?: AnswerShape;
}

export interface DoctorReport {
  status: "ok" | "attention";
  version: string;
  origin: OriginReport;
  keys: KeyReport[];
  reads: ReadReport[];
  /** every finding that needs attention, in order */
  attention: string[];
  /** every request method sent (always only GET) */
  methods: string[];
}
