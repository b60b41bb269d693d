// How to write a snapshot's per-contract rows (dcpm_snapshot_contracts) fastest: a synthetic report of N
// contracts (10 per subaccount, 1-3 SANs, one in ten canceled, as the sandbox generates), written in ONE process
// by each method in turn, interleaved, `--rounds` times, each in its own transaction with its snapshot row (as
// PgSnapshotStore.record does), then committed and deleted. Runs from the build output (npm run build first):
//
//   node bench/pg-rows.mjs [--contracts 300000] [--rounds 2] [--methods json,unnest,copy] [--before "SQL; SQL"]
//
// json: INSERT ... SELECT FROM json_to_recordset, 10,000 rows each (what PgSnapshotStore did first); unnest: one
// typed array per column, 50,000 rows per INSERT; copy: COPY ... FROM STDIN with pg-copy-streams (what it does
// now). --before runs statements first, to see what an index costs (e.g. "DROP INDEX dcpm_snapshot_contracts_names").
// PostgreSQL: initdb + pg_ctl on a loopback port, as bench/reporting-floor.mjs, removed at the end.
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startPostgres } from "./postgres.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => join(ROOT, "dist", p);
const run = promisify(execFile);

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const a = argv[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
}

function syntheticReport(contracts) {
  const accounts = [];
  let id = 1_000_000;
  const now = Date.now();
  for (let s = 0; s * 10 < contracts; s++) {
    const account_id = 100_001 + s;
    const domain = `customer${account_id}.example`;
    const acme = [];
    for (let c = 0; c < 10 && s * 10 + c < contracts; c++) {
      const created = now - ((s * 7 + c * 13) % 360) * 86_400_000;
      const canceled = (s + c) % 10 === 0;
      const sans = [`www${c}.${domain}`];
      if ((s + c) % 2 === 0) sans.push(`api${c}.${domain}`);
      if ((s + c) % 5 === 0) sans.push(`*.app${c}.${domain}`);
      acme.push({
        product_name_id: "ssl_dv_rapidssl",
        account_id,
        sans: canceled ? [] : sans.sort(),
        acme_contract_id: id++,
        valid_till: new Date(created + 365 * 86_400_000).toISOString().replace(".000", ""),
        created_at: new Date(created).toISOString().replace(".000", ""),
        date_canceled: canceled ? new Date(created + 86_400_000).toISOString().replace(".000", "") : null,
      });
    }
    accounts.push({ account_id, acme });
  }
  return { accounts };
}

const ms = (t) => Math.round(performance.now() - t);

const COLUMNS =
  "scope, snapshot_id, ord, account_id, contract_id, product_name_id, valid_till, till_ms, date_canceled, canceled, created_at, sans, names";

/** The rows as PgSnapshotStore writes them (insertContracts), one callback each. */
function forEachRow(report, comparableName, fn) {
  let ord = 0;
  for (const account of report.accounts) {
    for (const c of account.acme) {
      const till = Date.parse(c.valid_till);
      fn({
        ord: ord++,
        account_id: c.account_id ?? account.account_id,
        contract_id: c.acme_contract_id,
        product_name_id: c.product_name_id,
        valid_till: c.valid_till,
        till_ms: Number.isNaN(till) ? null : till,
        date_canceled: c.date_canceled ?? null,
        canceled: Boolean(c.date_canceled),
        created_at: typeof c.created_at === "string" ? c.created_at : null,
        sans: c.sans,
        names: c.sans.map(comparableName),
      });
    }
  }
}

/** The committed method, 10,000 rows per json_to_recordset INSERT. */
async function viaJson(client, scope, id, report, comparableName, batchSize = 10_000) {
  let batch = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const json = JSON.stringify(batch);
    batch = [];
    await client.query(
      `INSERT INTO dcpm_snapshot_contracts (${COLUMNS})
       SELECT $1, $2, r.ord, r.account_id, r.contract_id, r.product_name_id, r.valid_till, r.till_ms,
              r.date_canceled, r.canceled, r.created_at, r.sans, r.names
         FROM json_to_recordset($3::json) AS r(ord integer, account_id bigint, contract_id bigint,
              product_name_id text, valid_till text, till_ms double precision, date_canceled text,
              canceled boolean, created_at text, sans text[], names text[])`,
      [scope, id, json],
    );
  };
  const rows = [];
  forEachRow(report, comparableName, (r) => rows.push(r));
  for (const r of rows) {
    batch.push(r);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
}

/** A text[] literal ({"a","b"}) of strings. */
function arrayLiteral(list) {
  if (list.length === 0) return "{}";
  let out = "{";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += ",";
    out += `"${list[i].replace(/[\\"]/g, "\\$&")}"`;
  }
  return `${out}}`;
}

/** Column arrays, one INSERT ... SELECT FROM unnest(...) per batch; SANs as array literals cast per row. */
async function viaUnnest(client, scope, id, report, comparableName, batchSize = 50_000) {
  const cols = () => ({
    ord: [],
    acc: [],
    cid: [],
    prod: [],
    till: [],
    ms: [],
    dc: [],
    can: [],
    cr: [],
    sans: [],
    names: [],
  });
  let b = cols();
  let n = 0;
  const flush = async () => {
    if (n === 0) return;
    const v = b;
    b = cols();
    n = 0;
    await client.query(
      `INSERT INTO dcpm_snapshot_contracts (${COLUMNS})
       SELECT $1, $2, u.ord, u.acc, u.cid, u.prod, u.till, u.ms, u.dc, u.can, u.cr, u.sans::text[], u.names::text[]
         FROM unnest($3::int[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::float8[], $9::text[],
                     $10::bool[], $11::text[], $12::text[], $13::text[])
              AS u(ord, acc, cid, prod, till, ms, dc, can, cr, sans, names)`,
      [scope, id, v.ord, v.acc, v.cid, v.prod, v.till, v.ms, v.dc, v.can, v.cr, v.sans, v.names],
    );
  };
  const rows = [];
  forEachRow(report, comparableName, (r) => rows.push(r));
  for (const r of rows) {
    b.ord.push(r.ord);
    b.acc.push(r.account_id);
    b.cid.push(r.contract_id);
    b.prod.push(r.product_name_id);
    b.till.push(r.valid_till);
    b.ms.push(r.till_ms);
    b.dc.push(r.date_canceled);
    b.can.push(r.canceled);
    b.cr.push(r.created_at);
    b.sans.push(arrayLiteral(r.sans));
    b.names.push(arrayLiteral(r.names));
    n++;
    if (n >= batchSize) await flush();
  }
  await flush();
}

/** COPY text format: tab-separated, \\N for null, backslash escapes. */
function copyText(value) {
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r",
  );
}

async function viaCopy(client, scope, id, report, comparableName) {
  const { from } = (await import("pg-copy-streams")).default;
  const stream = client.query(from(`COPY dcpm_snapshot_contracts (${COLUMNS}) FROM STDIN`));
  const done = new Promise((ok, fail) => {
    stream.on("finish", ok);
    stream.on("error", fail);
  });
  const head = `${copyText(scope)}\t${copyText(id)}\t`;
  const nul = (v) => (v === null ? "\\N" : copyText(v));
  let chunk = "";
  const rows = [];
  forEachRow(report, comparableName, (r) => rows.push(r));
  for (const r of rows) {
    chunk += `${head}${r.ord}\t${r.account_id}\t${r.contract_id}\t${copyText(r.product_name_id)}\t${copyText(r.valid_till)}\t${r.till_ms === null ? "\\N" : r.till_ms}\t${nul(r.date_canceled)}\t${r.canceled ? "t" : "f"}\t${nul(r.created_at)}\t${copyText(arrayLiteral(r.sans))}\t${copyText(arrayLiteral(r.names))}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise((ok) => stream.once("drain", ok));
      chunk = "";
    }
  }
  stream.end(chunk);
  await done;
}

const METHODS = { json: viaJson, unnest: viaUnnest, copy: viaCopy };

async function main() {
  const contracts = Number(option("contracts", "300000"));
  const rounds = Number(option("rounds", "2"));
  const methods = String(option("methods", "json,unnest,copy")).split(",");
  const { Database } = await import(dist("src/state/database.js"));
  const domain = await import(dist("src/reporting/domain.js"));
  const pg = await startPostgres();
  const results = {};
  try {
    const db = await Database.open(pg.url);
    const report = syntheticReport(contracts);
    // experiments only: statements run first (e.g. dropping an index to see what it costs)
    for (const sql of String(option("before", ""))
      .split(";")
      .filter((x) => x.trim()))
      await db.query(sql);
    for (let r = 0; r < rounds; r++) {
      for (const method of methods) {
        const id = `bench-${method}-${r}`;
        const start = performance.now();
        await db.transaction(async (client) => {
          await client.query(
            `INSERT INTO dcpm_snapshots (scope, id, taken_at, checked_at, hash, counts, bytes, data, contracts_indexed)
             VALUES ('bench', $1, now(), now(), '', '{}', 0, '\\x', true)`,
            [id],
          );
          await METHODS[method](client, "bench", id, report, domain.comparableName);
        });
        const took = ms(start);
        const [{ n }] = await db.query(
          "SELECT count(*)::int AS n FROM dcpm_snapshot_contracts WHERE scope = 'bench' AND snapshot_id = $1",
          [id],
        );
        if (n !== contracts) throw new Error(`${method}: ${n} rows, not ${contracts}`);
        results[method] = [...(results[method] ?? []), took];
        process.stderr.write(`${method} round ${r + 1}: ${took} ms\n`);
        await db.query("DELETE FROM dcpm_snapshots WHERE scope = 'bench'");
        await db.query("VACUUM dcpm_snapshot_contracts");
      }
    }
    await db.close();
  } finally {
    await pg.stop();
  }
  const { stdout: load } = await run("uptime", []);
  process.stdout.write(`${JSON.stringify({ contracts, results, load: load.trim() })}\n`);
}

await main();
