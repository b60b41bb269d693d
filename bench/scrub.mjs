// Secret scrubbing per tool result: every result (text and structuredContent) is scrubbed of every configured
// key before it leaves the server, including 12-character runs of a key (an echo cut short or lower-cased).
// Measures scrubDeep on a get_acme_contract result of the demo sandbox with its 7 keys and an HTTP token, beside
// the fragment search it replaced (a 12-character slice looked up at every position; fix 11 in BENCHMARKS.md),
// interleaved, and checks both give the same text.
import { DEMO, DEMO_KEYS, startSandbox } from "../dist/sandbox/index.js";
import { DigiCertClient } from "../dist/src/client/client.js";
import { SECRET_FRAGMENT, scrubDeep } from "../dist/src/client/redact.js";
import { args, fmt, report, stats, writeResults } from "./lib.mjs";
import { beforeDeep } from "./scrub-reference.mjs";

const opts = args();
const ROUNDS = Number(opts.rounds ?? (opts.quick ? 2_000 : 20_000));

const sandbox = await startSandbox();
const client = new DigiCertClient({
  baseUrl: sandbox.url,
  credentials: { subaccountKey: sandbox.keys.subaccounts[1001] },
});
const { data } = await client.call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov });
await client.close();
await sandbox.close();
const result = {
  content: [{ type: "text", text: `Contract ${DEMO.contracts.ov}\n${JSON.stringify(data, null, 1)}` }],
  structuredContent: { ok: true, summary: `Contract ${DEMO.contracts.ov}`, data },
};
const secrets = [...Object.values(DEMO_KEYS), "http-bearer-token-0123456789abcdef0123"];
if (
  JSON.stringify(scrubDeep(result, secrets)) !== JSON.stringify(beforeDeep(result, secrets, SECRET_FRAGMENT))
)
  throw new Error("the two scrubs disagree");

const variants = [
  {
    name: "before fix 11: slice + Set lookup at every position",
    run: () => beforeDeep(result, secrets, SECRET_FRAGMENT),
  },
  { name: "scrubDeep (rolling hash, window checked on a hit)", run: () => scrubDeep(result, secrets) },
];
const samples = variants.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (r + k) % variants.length;
    const t = performance.now();
    variants[i].run();
    if (r >= ROUNDS / 10) samples[i].push((performance.now() - t) * 1000);
  }
}
const base = stats(samples[0]);
const rows = variants.map((v, i) => {
  const s = stats(samples[i]);
  return { variant: v.name, n: s.n, p50_us: s.p50, p99_us: s.p99, ratio_p50: s.p50 / base.p50 };
});
const chars = JSON.stringify(result).length;
report(
  `Secret scrubbing of one get_acme_contract result (${chars} characters of JSON, ${secrets.length} secrets)`,
  ["variant", "n", "p50 µs", "p99 µs", "p50 ratio"],
  rows.map((r) => [r.variant, r.n, fmt(r.p50_us, 1), fmt(r.p99_us, 1), `${fmt(r.ratio_p50)}x`]),
);
console.log(
  `\nresults: ${writeResults("scrub", { rounds: ROUNDS, chars, secrets: secrets.length, results: rows })}`,
);
