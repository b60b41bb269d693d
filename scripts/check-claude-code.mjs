#!/usr/bin/env node
// Runs docs/clients.md's `claude mcp add` commands with the real Claude Code CLI (npm package
// @anthropic-ai/claude-code, installed apart into .tmp/claude: about 380 MB, so not part of CI), with a
// throw-away HOME, then `claude mcp get` for each: the server must be added under its name with the
// documented variables, and a stdio server must connect (the documented command is put on the PATH as a
// shim for the built dist/bin/cli.js). Usage: npm run build && node scripts/check-claude-code.mjs
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, cliPath, root } from "./lib/servers.mjs";

const VERSION = "2.1.332";
const prefix = join(root, ".tmp", "claude");
const wrapper = join(prefix, "node_modules", "@anthropic-ai", "claude-code", "cli-wrapper.cjs");
if (!existsSync(wrapper)) {
  mkdirSync(prefix, { recursive: true });
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--prefix",
      prefix,
      `@anthropic-ai/claude-code@${VERSION}`,
    ],
    { stdio: "inherit" },
  );
}
const home = mkdtempSync(join(tmpdir(), "claude-home-"));
const shims = join(home, "bin");
mkdirSync(shims);
writeFileSync(
  join(shims, "digicert-partner-mcp"),
  `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`,
);
chmodSync(join(shims, "digicert-partner-mcp"), 0o755);
const env = cleanEnv({
  HOME: home,
  PATH: `${shims}:${process.env.PATH}`,
  // what the shell would expand in the documented commands; never used against DigiCert here
  DIGICERT_PARTNER_API_KEY: "p".repeat(40),
  DIGICERT_SUBACCOUNT_API_KEY: "s".repeat(40),
  DIGICERT_MCP_TOKEN: "t".repeat(40),
});
const claude = (args) =>
  execFileSync(process.execPath, [wrapper, ...args], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

const doc = readFileSync(join(root, "docs", "clients.md"), "utf8");
const lines = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
  .map((m) => m[1].replace(/\s*\\\n\s*/g, " "))
  .flatMap((text) => text.split("\n"))
  .filter((l) => l.startsWith("claude mcp add "));
let failed = false;
try {
  console.log(`claude ${claude(["--version"]).trim()}; ${lines.length} documented commands`);
  for (const line of lines) {
    // the shell expands "$VAR" from env; no other shell syntax is used in these lines
    const out = execFileSync(
      "bash",
      ["-c", line.replace(/^claude /, `"${process.execPath}" "${wrapper}" `)],
      {
        env,
        encoding: "utf8",
      },
    );
    const name = line.split(/\s+/)[3];
    const got = claude(["mcp", "get", name]);
    const stdio = /--transport stdio/.test(line);
    const expected = [...line.matchAll(/--env ([A-Z_]+)=/g)].map((m) => m[1]);
    const missing = expected.filter((v) => !got.includes(`${v}=`));
    if (missing.length) throw new Error(`${line}\n→ lacks ${missing.join(", ")}:\n${got}`);
    if (stdio && !/Connected/.test(got)) throw new Error(`${line}\n→ did not connect:\n${got}`);
    console.log(
      `ok: ${line}\n    ${out.trim().split("\n")[0]}; ${stdio ? "connected" : "added (http, not contacted)"}`,
    );
    claude(["mcp", "remove", name, "-s", "user"]);
  }
  console.log("claude code check passed");
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? `${err.message}\n${err.stderr ?? ""}` : err);
} finally {
  rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
