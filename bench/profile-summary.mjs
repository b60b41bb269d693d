// Reads the .cpuprofile Node wrote in `dir` (--cpu-prof) and returns, as text, the functions with the most
// self time and the most inclusive time (self and callees; a sample counts once per distinct function on its
// stack), and the self time per script file. Per call when `calls` is given.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const label = (f) =>
  `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;

export function summariseProfile(dir, { top = 25, topInclusive = 40, files = 15, calls } = {}) {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = profile.timeDeltas;
  const total = profile.endTime - profile.startTime;
  const self = new Map();
  const inclusive = new Map();
  const perFile = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const us = dt[i] ?? 0;
    const f = byId.get(profile.samples[i]).callFrame;
    self.set(label(f), (self.get(label(f)) ?? 0) + us);
    const where = f.url
      ? f.url
          .replace(/^file:\/\//, "")
          .split("/")
          .slice(-2)
          .join("/")
      : f.functionName;
    perFile.set(where, (perFile.get(where) ?? 0) + us);
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id).callFrame;
      if (!frame.url) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const line = ([k, us]) =>
    `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(1).padStart(7)} ms${
      calls ? `  ${(us / 1000 / Math.max(1, calls)).toFixed(4)} ms/call` : ""
    }  ${k}`;
  const sorted = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(line);
  return [
    `profile ${(total / 1000).toFixed(1)} ms (${join(dir, file)})`,
    "self:",
    ...sorted(self, top),
    "inclusive (self and callees):",
    ...sorted(inclusive, topInclusive),
    "self time by script:",
    ...sorted(perFile, files),
  ].join("\n");
}

/**
 * Reads the .heapprofile Node wrote in `dir` (--heap-prof: sampled allocations still live when it was written,
 * at exit) and returns, as text, the functions that allocated the most of it (self), and per script file.
 */
export function summariseHeapProfile(dir, { top = 20, files = 10 } = {}) {
  const file = readdirSync(dir).find((f) => f.endsWith(".heapprofile"));
  if (!file) return `no heap profile in ${dir}`;
  const { head } = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const self = new Map();
  const perFile = new Map();
  let total = 0;
  const walk = (node) => {
    const f = node.callFrame;
    if (node.selfSize > 0) {
      total += node.selfSize;
      self.set(label(f), (self.get(label(f)) ?? 0) + node.selfSize);
      const where = f.url
        ? f.url
            .replace(/^file:\/\//, "")
            .split("/")
            .slice(-2)
            .join("/")
        : f.functionName;
      perFile.set(where, (perFile.get(where) ?? 0) + node.selfSize);
    }
    for (const c of node.children ?? []) walk(c);
  };
  walk(head);
  const line = ([k, bytes]) =>
    `${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${(bytes / 1024).toFixed(0).padStart(7)} KiB  ${k}`;
  const sorted = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(line);
  return [
    `heap profile: ${(total / 1024 / 1024).toFixed(1)} MiB sampled live at exit (${join(dir, file)})`,
    "allocated by (self):",
    ...sorted(self, top),
    "by script:",
    ...sorted(perFile, files),
  ].join("\n");
}
