import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { cliRunner, ensureBuilt } from "./child.js";

// `digicert-partner-mcp doctor` as users run it: the built bin, the configuration from the environment.
describe("digicert-partner-mcp doctor", () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const { cli, killAll } = cliRunner();
  beforeAll(async () => {
    await ensureBuilt();
    sandbox = await startSandbox();
    dir = await mkdtemp(join(tmpdir(), "dc-doctor-"));
    const k = sandbox.keys;
    env = {
      DIGICERT_BASE_URL: sandbox.url,
      DIGICERT_PARTNER_API_KEY: k.parent,
      DIGICERT_SUBACCOUNT_API_KEY: k.subaccounts[1001] as string,
      DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify({ "1002": k.subaccounts[1002] }),
      DIGICERT_DEVKEY: k.devkey,
    };
  }, 180_000);
  afterAll(async () => {
    await killAll();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const secrets = () => [
    sandbox.keys.parent,
    sandbox.keys.devkey,
    ...Object.values(sandbox.keys.subaccounts),
  ];

  it("exits 0 with a readable report when all is well, and prints no key", async () => {
    const child = cli(["doctor"], env);
    expect(await child.exited).toBe(0);
    expect(child.stdout()).toMatch(/doctor: GET requests only/);
    expect(child.stdout()).toMatch(/DIGICERT_PARTNER_API_KEY: parent-account key of account 1000/);
    expect(child.stdout()).toMatch(/All is well/);
    for (const key of secrets()) expect(child.stdout() + child.stderr()).not.toContain(key);
  });

  it("exits 1 when a key needs attention; --json and --shape-report give the same as data", async () => {
    const file = join(dir, "shapes.json");
    const bad = { ...env, DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify({ "1004": sandbox.keys.inactive }) };
    const child = cli(["doctor", "--json", "--shape-report", file], bad);
    expect(await child.exited).toBe(1);
    const report = JSON.parse(child.stdout());
    expect(report.status).toBe("attention");
    expect(report.attention.join("\n")).toMatch(
      /DIGICERT_SUBACCOUNT_API_KEYS \(subaccount 1004\): DigiCert does not accept/,
    );
    const shapes = await readFile(file, "utf8");
    expect(JSON.parse(shapes).reads.length).toBe(report.reads.length);
    for (const key of [...secrets(), sandbox.keys.inactive as string]) {
      expect(child.stdout() + child.stderr() + shapes).not.toContain(key);
    }
    expect(shapes).not.toContain(sandbox.url);
  });

  it("exits 2 on a configuration error: no key, an unknown option, --sandbox", async () => {
    const none = cli(["doctor"], {});
    expect(await none.exited).toBe(2);
    expect(none.stderr()).toMatch(/doctor: no DigiCert key is configured/);
    const unknown = cli(["doctor", "--frobnicate"], env);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toMatch(/unknown option --frobnicate/);
    const forced = cli(["doctor", "--sandbox"], {});
    expect(await forced.exited).toBe(2);
    expect(forced.stderr()).toMatch(/--sandbox has none/);
  });
});
