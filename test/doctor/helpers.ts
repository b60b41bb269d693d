import type { Sandbox } from "../../sandbox/index.js";
import type { Credentials } from "../../src/client/credentials.js";
import { type Recorded, recordingUpstream } from "../reliability/helpers/recording-upstream.js";

/** The recording stand-in in front of the sandbox: every request and every answer body, as they passed. */
export async function recordingSandbox(sandbox: Sandbox) {
  const answers: string[] = [];
  const upstream = await recordingUpstream((req: Recorded, res) => {
    const headers: Record<string, string> = {};
    for (const name of ["accept", "x-partner-apikey", "x-dc-devkey", "content-type"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    void fetch(sandbox.url + req.url, {
      method: req.method,
      headers,
      body: req.body === "" ? undefined : req.body,
    }).then(async (answer) => {
      const text = await answer.text();
      answers.push(text);
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
      res.end(text);
    });
  });
  return { ...upstream, answers };
}

/** A setup as a partner would write it: parent, default subaccount, two more subaccounts, CertCentral key. */
export function goodCredentials(keys: Sandbox["keys"]): Credentials {
  return {
    parentKey: keys.parent,
    subaccountKey: keys.subaccounts[1001],
    subaccountKeys: {
      "1002": keys.subaccounts[1002] as string,
      "1004": keys.subaccounts[1004] as string,
    },
    devkey: keys.devkey,
  };
}

/** Every string and number of the answers (JSON or not), to prove none reaches the shape report. */
export function valuesIn(texts: readonly string[]): { strings: Set<string>; numbers: Set<number> } {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") strings.add(v);
    else if (typeof v === "number") numbers.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const text of texts) {
    try {
      walk(JSON.parse(text));
    } catch {
      if (text.trim()) strings.add(text.trim());
    }
  }
  return { strings, numbers };
}

/** Values that would be a leak if found: ids, keys, names, emails, dates (short words like "1" or "US" are not). */
export function leaks(
  text: string,
  values: { strings: Iterable<string>; numbers: Iterable<number> },
): string[] {
  const tokens = new Set(
    [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].flatMap((m) => [
      m[1] as string,
      ...(m[1] as string).split(/[.[\]\s:|]+/),
    ]),
  );
  const found: string[] = [];
  for (const s of values.strings) {
    if (s.length >= 3 && tokens.has(s)) found.push(s);
    else if (s.length >= 8 && text.includes(s)) found.push(s);
  }
  for (const n of values.numbers)
    if (Math.abs(n) >= 1000 && new RegExp(`\\b${n}\\b`).test(text)) found.push(String(n));
  return found;
}
