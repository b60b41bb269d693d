import pino, { type DestinationStream, type Logger } from "pino";
import { scrub, scrubDeep } from "./client/redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** configured keys and tokens: scrubbed from every message and field, whatever the level */
  secrets?: readonly string[];
  /** default: stderr. stdout belongs to the MCP stdio protocol and is never used. */
  destination?: DestinationStream;
}

/** Header and field names that carry secrets, removed before anything is written. */
export const REDACT_PATHS = [
  "headers['x-partner-apikey']",
  "headers['x-dc-devkey']",
  "headers.authorization",
  "*.headers['x-partner-apikey']",
  "*.headers['x-dc-devkey']",
  "*.headers.authorization",
  "api_key",
  "*.api_key",
  "hmac_key",
  "*.hmac_key",
  "token",
  "*.token",
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  return pino(
    {
      name: "digicert-partner-mcp",
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      hooks: {
        // Scrub known secret values wherever they appear, also inside free text such as upstream messages.
        logMethod(args, method) {
          if (secrets.length === 0) return method.apply(this, args);
          const clean = args.map((a) => (typeof a === "string" ? scrub(a, secrets) : scrubDeep(a, secrets)));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
