/**
 * Configuration: one table (settings.ts) drives parsing (load.ts, argv.ts), `--help` and the README's
 * configuration table (help.ts). Secrets are read from the environment only, never from argv.
 */
export { type ParsedArgs, parseArgv } from "./argv.js";
export { ConfigError } from "./errors.js";
export { configurationMarkdown, helpText } from "./help.js";
export { loadConfig } from "./load.js";
export { parseGrantsFile } from "./oauth.js";
export { DEFAULT_PROFILE, isProfileName } from "./profiles.js";
export {
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SESSIONS_PER_TOKEN,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_SESSION_IDLE_MS,
  LOG_LEVELS,
  type LogLevel,
  SETTINGS,
  type Setting,
  type SettingGroup,
  type SettingId,
  TOOLSETS,
} from "./settings.js";
export { loadTokensFile, parseTokensFile } from "./tokens-file.js";
export type {
  AuditTarget,
  Config,
  ConfirmationConfig,
  Env,
  HashedToken,
  HttpConfig,
  OAuthConfig,
  OAuthGrantRule,
  RateLimitConfig,
  TokenGrant,
} from "./types.js";
export { isLoopback } from "./values.js";
