import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANSWER_VARIANTS,
  type AnswerVariant,
  DEMO,
  type Sandbox,
  startSandbox,
} from "../../sandbox/index.js";
import { allSecrets, type Credentials } from "../../src/client/credentials.js";
import { type DoctorReport, renderReport, runDoctor, shapeReport } from "../../src/doctor/index.js";
import { recordingUpstream } from "../reliability/helpers/recording-upstream.js";
import { goodCredentials, leaks, recordingSandbox, valuesIn } from "./helpers.js";

interface Run {
  report: DoctorReport;
  text: string;
  shapes: string;
  methods: string[];
  answers: string[];
}

async function doctorThroughStandIn(sandbox: Sandbox, credentials: Credentials): Promise<Run> {
  const standIn = await recordingSandbox(sandbox);
  try {
    const report = await runDoctor({
      baseUrl: standIn.url,
      profiles: [{ name: "default", credentials }],
      version: "0.0.0-test",
      env: {},
    });
    return {
      report,
      text: renderReport(report),
      shapes: JSON.stringify(shapeReport(report), null, 2),
      methods: standIn.seen.map((r) => r.method),
      answers: standIn.answers,
    };
  } finally {
    await standIn.close();
  }
}

function expectNoSecret(run: Run, credentials: Credentials): void {
  const everything = `${run.text}\n${JSON.stringify(run.report)}\n${run.shapes}`;
  for (const key of allSecrets(credentials)) expect(everything).not.toContain(key);
}

describe("doctor against the sandbox, in every form of its answers", () => {
  const runs = new Map<AnswerVariant, Run>();
  let credentials: Credentials;
  beforeAll(async () => {
    for (const variant of ANSWER_VARIANTS) {
      const sandbox = await startSandbox({ answers: variant });
      credentials = goodCredentials(sandbox.keys);
      try {
        runs.set(variant, await doctorThroughStandIn(sandbox, credentials));
      } finally {
        await sandbox.close();
      }
    }
  });

  it("sends GET requests only, and the report says so", () => {
    for (const [variant, run] of runs) {
      expect(run.methods.length, variant).toBeGreaterThan(10);
      expect(new Set(run.methods), variant).toEqual(new Set(["GET"]));
      expect(run.report.methods).toEqual(["GET"]);
    }
  });

  it("finds a well-configured setup well when the answers have the expected form", () => {
    const run = runs.get("guess") as Run;
    expect(run.report.attention).toEqual([]);
    expect(run.report.status).toBe("ok");
    const parent = run.report.keys.find((k) => k.setting === "DIGICERT_PARTNER_API_KEY");
    expect(parent).toMatchObject({ kind: "parent", account_id: DEMO.parent, key_status: "active" });
    const sub = run.report.keys.find((k) => k.setting === "DIGICERT_SUBACCOUNT_API_KEYS (subaccount 1002)");
    expect(sub).toMatchObject({ kind: "subaccount", account_id: DEMO.subCanceled, accepted: true });
    expect(run.text).toMatch(/reads contract \d+, which reporting lists under account 1002/);
    expect(run.text).toMatch(/DIGICERT_DEVKEY: reads the cost report of subaccount \d+/);
    expect(run.report.origin).toMatchObject({ reached: true, status: 401, tls: "not used", proxy: null });
    expect(Math.abs(run.report.origin.clock_offset_s ?? 99)).toBeLessThanOrEqual(2);
  });

  it("names each drifting path of each answer in another form, and only then needs attention", () => {
    for (const [variant, run] of runs) {
      const drifted = run.report.reads.filter((r) => r.drift);
      if (variant === "guess" || variant === "extra") {
        expect(drifted, variant).toEqual([]);
        continue;
      }
      expect(run.report.status, variant).toBe("attention");
      expect(drifted.map((r) => r.operation).sort(), variant).toEqual(
        expect.arrayContaining(["get_account_settings", "get_emergency_emails"]),
      );
      for (const read of drifted) {
        for (const path of read.drift?.paths ?? []) {
          expect(run.text, `${variant} ${read.operation}`).toContain(path);
          expect(run.shapes, `${variant} ${read.operation}`).toContain(path);
        }
      }
    }
    const renamed = (runs.get("renamed") as Run).text;
    expect(renamed).toContain("get_emergency_emails is not in the form this server expects");
    expect(renamed).toMatch(/not expected: emails \(array\), emails\[\] \(string\)/);
    expect(renamed).toMatch(/absent \(optional\): emergency_contact_emails/);
    expect((runs.get("lists") as Run).text).toMatch(/\(answer\): not an object/);
    expect((runs.get("empty") as Run).text).toMatch(
      /get_account_settings with the parent key: 200, the answer is empty/,
    );
  });

  it("lists fields nobody expects without calling them a problem", () => {
    const run = runs.get("extra") as Run;
    expect(run.report.status).toBe("ok");
    expect(run.text).toMatch(
      /get_account_settings with the parent key: 200, \d+ field\(s\) as expected\n\s+not expected: .*request_id \(string\)/,
    );
  });

  it("prints no key, and the shape report carries no value from the answers or the configuration", () => {
    for (const [variant, run] of runs) {
      expectNoSecret(run, credentials);
      const values = valuesIn(run.answers);
      expect(values.strings.size, variant).toBeGreaterThan(20);
      for (const key of allSecrets(credentials)) values.strings.add(key);
      for (const id of [DEMO.parent, DEMO.subFull, DEMO.subCanceled, DEMO.subCerts]) values.numbers.add(id);
      expect(leaks(run.shapes, values), variant).toEqual([]);
      // the check itself finds a value that did get in
      const planted = [String(DEMO.subCerts), [...values.strings][0] as string];
      expect(leaks(`${run.shapes}"${planted.join('" "')}"`, values)).toEqual(expect.arrayContaining(planted));
      expect(run.shapes, variant).not.toContain("127.0.0.1");
      expect(run.shapes, variant).not.toContain("DIGICERT_");
    }
  });

  it("buckets list lengths and shows JSON types", () => {
    const shapes = JSON.parse((runs.get("guess") as Run).shapes) as ReturnType<typeof shapeReport>;
    const reads = shapes.reads as {
      operation: string;
      paths?: { path: string; types: string[]; items?: string[] }[];
    }[];
    const keys = reads.find((r) => r.operation === "list_api_keys")?.paths ?? [];
    expect(keys.find((p) => p.path === "api_keys")).toMatchObject({ types: ["array"], items: ["6-20"] });
    expect(keys.find((p) => p.path === "api_keys[].id")).toMatchObject({
      types: ["integer"],
      status: "match",
    });
  });
});

describe("doctor with keys in the wrong place", () => {
  let sandbox: Sandbox;
  let run: Run;
  let credentials: Credentials;
  beforeAll(async () => {
    sandbox = await startSandbox();
    const k = sandbox.keys;
    credentials = {
      parentKey: k.subaccounts[1001],
      subaccountKey: k.parent,
      subaccountKeys: { "1002": k.subaccounts[1003] as string, "1004": k.inactive as string },
      devkey: k.otherDevkey,
    };
    run = await doctorThroughStandIn(sandbox, credentials);
  });
  afterAll(() => sandbox.close());

  it("names each misplaced, inactive or wrong key by its setting, never by its value", () => {
    expect(run.report.status).toBe("attention");
    const text = run.report.attention.join("\n");
    expect(text).toMatch(/DIGICERT_PARTNER_API_KEY holds a subaccount key of account 1001/);
    expect(text).toMatch(/DIGICERT_SUBACCOUNT_API_KEY holds a parent-account key of account 1000/);
    expect(text).toMatch(
      /DIGICERT_SUBACCOUNT_API_KEYS \(subaccount 1002\) is the key of account 1003, not of subaccount 1002/,
    );
    expect(text).toMatch(
      /DIGICERT_SUBACCOUNT_API_KEYS \(subaccount 1004\): DigiCert does not accept this key \(401/,
    );
    expect(text).toMatch(/DIGICERT_DEVKEY: CertCentral knows no subaccount \d+/);
    expectNoSecret(run, credentials);
    expect(new Set(run.methods)).toEqual(new Set(["GET"]));
  });
});

describe("doctor against a bare stand-in", () => {
  it("reports the clock offset from the Date header and keeps to GET", async () => {
    const hourAhead = new Date(Date.now() + 3_600_000).toUTCString();
    const standIn = await recordingUpstream((req, res) => {
      const keyed = req.headers["x-partner-apikey"] || req.headers["x-dc-devkey"];
      res.writeHead(keyed ? 200 : 401, { date: hourAhead, "content-type": "application/json" });
      res.end(keyed ? "{}" : '{"errors":[{"code":"unauthorized"}]}');
    });
    try {
      const report = await runDoctor({
        baseUrl: standIn.url,
        profiles: [
          { name: "team-a", credentials: { parentKey: "team-a-parent-key-0001", devkey: "dev-key-0002" } },
        ],
        version: "0",
        env: { HTTPS_PROXY: "http://user:pw@proxy.example:3128", NO_PROXY: "127.0.0.1" },
      });
      expect(report.origin.clock_offset_s).toBeGreaterThan(3500);
      expect(report.attention.join("\n")).toMatch(/clock is \d+ s behind DigiCert's/);
      // an http origin uses HTTP_PROXY only; the proxy's user and password are never shown
      expect(report.origin.proxy).toBeNull();
      expect(report.attention.join("\n")).toMatch(
        /get_account_reporting is not in the form this server expects \(accounts: missing\)/,
      );
      expect(report.keys[0]?.setting).toBe('DIGICERT_PROFILES "team-a" parent_key_env');
      expect(new Set(standIn.seen.map((r) => r.method))).toEqual(new Set(["GET"]));
      expect(JSON.stringify(report)).not.toContain("team-a-parent-key-0001");
    } finally {
      await standIn.close();
    }
  });

  it("says it could not reach an origin nobody listens on, and checks no key", async () => {
    const standIn = await recordingUpstream();
    const url = standIn.url;
    await standIn.close();
    const report = await runDoctor({
      baseUrl: url,
      profiles: [{ name: "default", credentials: { parentKey: "parent-key-0001" } }],
      version: "0",
      env: {},
      timeouts: { totalMs: 3_000 },
    });
    expect(report.origin.reached).toBe(false);
    expect(report.attention[0]).toMatch(/could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(report.reads).toEqual([]);
  });
});

describe("proxyFor", () => {
  it("names the variable undici uses for the origin, and only the proxy's host and port", async () => {
    const { proxyFor } = await import("../../src/doctor/origin.js");
    const https = new URL("https://www.digicert.com");
    expect(proxyFor(https, { HTTPS_PROXY: "http://user:secret-pw@proxy.corp:3128", NO_PROXY: "x" })).toEqual({
      variable: "HTTPS_PROXY",
      host: "proxy.corp:3128",
      no_proxy: true,
    });
    expect(proxyFor(https, { HTTP_PROXY: "http://proxy.corp" })).toMatchObject({
      variable: "HTTP_PROXY",
      host: "proxy.corp",
    });
    expect(proxyFor(https, {})).toBeNull();
  });
});
