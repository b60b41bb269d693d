import type { Readable, Writable } from "node:stream";
import { ConfigError } from "../config/index.js";
import { tokenHash } from "../transports/auth.js";

/**
 * Tokens in MCP_HTTP_TOKENS_FILE are stored as plain SHA-256 (no salt, no slow hash), which is safe only for
 * long random tokens: 32 characters of hex are 128 bits, beyond any brute force of a leaked file.
 */
export const MIN_HASHED_TOKEN_LENGTH = 32;
const MAX_INPUT = 4_096;

/**
 * `digicert-partner-mcp hash-token`: reads one token on stdin (never argv, which `ps` shows) and prints the hex
 * SHA-256 to put in MCP_HTTP_TOKENS_FILE. Returns the exit code.
 */
export async function hashToken(
  rest: readonly string[],
  io: { stdin: Readable & { isTTY?: boolean }; stdout: Writable; stderr: Writable },
): Promise<number> {
  if (rest.length > 0) {
    throw new ConfigError(
      'hash-token takes no arguments: pipe the token in, e.g. printf %s "$TOKEN" | digicert-partner-mcp hash-token',
    );
  }
  if (io.stdin.isTTY) io.stderr.write("Paste the token, then press Enter and Ctrl-D:\n");
  let text = "";
  for await (const chunk of io.stdin) {
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    if (text.length > MAX_INPUT) throw new ConfigError("hash-token: the input is too long to be one token");
  }
  const token = text.replace(/\r?\n$/, "");
  if (token === "") throw new ConfigError("hash-token: no token on stdin");
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError(
      "hash-token: the token holds spaces, line breaks, control or non-ASCII characters, which cannot be sent in an Authorization header (one token per run)",
    );
  }
  if (token.length < MIN_HASHED_TOKEN_LENGTH) {
    throw new ConfigError(
      `hash-token: use at least ${MIN_HASHED_TOKEN_LENGTH} random characters (the file keeps an unsalted SHA-256), e.g. $(openssl rand -hex 32)`,
    );
  }
  io.stdout.write(`${tokenHash(token)}\n`);
  return 0;
}
