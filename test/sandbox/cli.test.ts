import { describe, expect, it } from "vitest";
import { CliUsageError, parseSandboxArgs, runSandboxCli } from "../../sandbox/cli.js";
import type { Sandbox } from "../../sandbox/index.js";

describe("sandbox CLI", () => {
  it("parses --port, --host, --seed and --generate in both flag forms", () => {
    expect(parseSandboxArgs([])).toEqual({ port: 8089 });
    expect(
      parseSandboxArgs(["sandbox", "--port", "0", "--host=::1", "--generate", "10000x10", "--seed=empty"]),
    ).toEqual({
      port: 0,
      host: "::1",
      seed: "empty",
      generate: { subaccounts: 10_000, contractsPerSubaccount: 10 },
    });
  });

  it.each([
    [["--port", "x"], /--port needs a whole number/],
    [["--port", "70000"], /between 0 and 65535/],
    [["--generate", "10x"], /SUBACCOUNTSxCONTRACTS/],
    [["--seed", "big"], /demo or empty/],
    [["--verbose"], /unknown argument --verbose/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseSandboxArgs(argv)).toThrow(CliUsageError);
    expect(() => parseSandboxArgs(argv)).toThrow(message);
  });

  it("prints the URL, keys and a curl line that works, then stops cleanly", async () => {
    let out = "";
    const stop = new AbortController();
    let sandbox: Sandbox | undefined;
    const running = runSandboxCli(["--port", "0"], {
      write: (t) => {
        out += t;
      },
      signal: stop.signal,
      onListening: (sb) => {
        sandbox = sb;
      },
    });
    await new Promise<void>((resolve) => {
      const wait = () => (sandbox ? resolve() : setTimeout(wait, 5));
      wait();
    });
    const sb = sandbox as Sandbox;
    expect(out).toMatch(new RegExp(`base URL: +${sb.url}\n`));
    expect(out).toMatch(/parent key: +sandbox-parent-key-1000\n/);
    expect(out).toMatch(/subaccount 1001 key: +sandbox-sub-key-1001\n/);
    expect(out).toContain(`DIGICERT_BASE_URL=${sb.url}\n`);
    expect(out).toContain("DIGICERT_SUBACCOUNT_API_KEY=sandbox-sub-key-1001\n");
    const curl = /curl -H 'X-PARTNER-APIKEY: ([^']+)' (\S+)/.exec(out);
    expect(curl?.[1]).toBe("sandbox-parent-key-1000");
    expect(curl?.[2]).toBe(`${sb.url}/partner-subscription/api/v1/account/reporting`);
    const res = await fetch(curl?.[2] as string, { headers: { "X-PARTNER-APIKEY": curl?.[1] as string } });
    expect(res.status).toBe(200);
    stop.abort();
    await running;
    expect(out).toContain("sandbox stopped");
    await expect(fetch(`${sb.url}/_sandbox/keys`)).rejects.toThrow();
  });

  it("--help prints usage without starting a server", async () => {
    let out = "";
    await runSandboxCli(["--help"], { write: (t) => (out += t) });
    expect(out).toMatch(/^Usage: digicert-partner-mcp sandbox/);
  });
});
