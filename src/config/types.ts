import type { Timeouts } from "../client/client.js";
import type { Credentials } from "../client/credentials.js";
import type { Toolset } from "../operations/index.js";
import type { LogLevel } from "./settings.js";

/** What loadConfig returns. */

export interface HttpConfig {
  host: string;
  port: number;
  /** accepted bearer tokens (at least one) */
  tokens: string[];
  stateless: boolean;
  /** undefined: the loopback defaults for the bound port */
  allowedOrigins: string[] | undefined;
  /** undefined: the loopback defaults for the bound port */
  allowedHosts: string[] | undefined;
  maxBodyBytes: number;
  sessionIdleMs: number;
  maxSessions: number;
}

export interface ConfirmationConfig {
  mode: "required" | "disabled";
  secret: string;
  /** whether the secret came from MCP_CONFIRMATION_SECRET (else random for this process) */
  secretFromEnv: boolean;
  ttlMs: number | undefined;
}

export interface Config {
  /** keys from the environment (empty when the sandbox is used) */
  credentials: Credentials;
  /** DigiCert origin; undefined: production (or the sandbox's URL when `sandbox` is set) */
  baseUrl: string | undefined;
  /** why the in-process sandbox is used, or false */
  sandbox: false | "forced" | "no-keys";
  timeouts: Partial<Timeouts>;
  logLevel: LogLevel;
  readOnly: boolean;
  toolsets: Toolset[] | undefined;
  tools: string[] | undefined;
  excludeTools: string[] | undefined;
  confirmation: ConfirmationConfig;
  dataDir: string | undefined;
  transport: "stdio" | "http";
  /** HTTP settings; meaningful when transport is "http" (tokens is then non-empty) */
  http: HttpConfig;
  /** every secret value configured (keys, HTTP tokens, confirmation secret), for log scrubbing */
  secrets: string[];
  /** non-fatal remarks to log at start-up */
  warnings: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;
