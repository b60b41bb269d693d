import type { Paging } from "../operations/types.js";
import type { Page } from "./paging.js";

/** A single result stays well under the ~25,000-token limit clients apply (about 4 bytes per token). */
export const MAX_RESULT_BYTES = 80_000;
/** Lists directly in the answer (e.g. a contract's SANs, at most 250) are shown whole up to this. */
const TOP_LIST_CAP = 250;
/** Lists of names inside list items (e.g. each reported contract's SANs) are cut to this... */
const NESTED_LIST_CAP = 10;
/** ...and nested lists of records (e.g. a reported subaccount's contracts) to this many times it. */
const NESTED_RECORDS_FACTOR = 5;

export interface Compacted {
  data: unknown;
  notes: string[];
}

interface Cut {
  path: string;
  shown: number;
  total: number;
}

/** "sans[1]", "subaccounts[0].contracts": a cut's path, built only when a list is cut. */
function pathText(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key),
    "",
  );
}

/**
 * The value with its lists capped. What has nothing to cut is returned as is, not copied: this runs on every
 * result, and building every element's path and copying every record was most of its cost (fix 16.2).
 */
function capLists(
  value: unknown,
  path: (string | number)[],
  depth: number,
  nestedCap: number,
  cuts: Cut[],
): unknown {
  if (Array.isArray(value)) {
    const records = value.some((v) => v !== null && typeof v === "object");
    const cap = depth <= 1 ? TOP_LIST_CAP : records ? nestedCap * NESTED_RECORDS_FACTOR : nestedCap;
    const kept = value.length > cap ? value.slice(0, cap) : value;
    if (kept.length < value.length)
      cuts.push({ path: pathText(path), shown: kept.length, total: value.length });
    if (!records) return kept;
    let changed = kept !== value;
    const out = kept.map((v, i) => {
      path.push(i);
      const capped = capLists(v, path, depth + 1, nestedCap, cuts);
      path.pop();
      if (capped !== v) changed = true;
      return capped;
    });
    return changed ? out : value;
  }
  if (value && typeof value === "object") {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      if (v === null || typeof v !== "object") continue;
      path.push(k);
      const capped = capLists(v, path, depth + 1, nestedCap, cuts);
      path.pop();
      if (capped !== v) {
        out ??= { ...(value as Record<string, unknown>) };
        out[k] = capped;
      }
    }
    return out ?? value;
  }
  return value;
}

function cutNote(cuts: Cut[]): string | undefined {
  if (cuts.length === 0) return undefined;
  const first = cuts[0] as Cut;
  const more = cuts.length > 1 ? ` and ${cuts.length - 1} other list(s)` : "";
  return `Shortened: ${first.path} shows ${first.shown} of ${first.total}${more}; get_acme_contract, list_acme_credentials or list_acme_certificates show one contract's full lists.`;
}

/**
 * Cuts a DigiCert answer down to a size an agent can use: one page of the main list (paged tools), long nested
 * lists shortened, and a byte ceiling. Every cut is reported in a note that says how to get the rest.
 */
export function compactData(paged: Paging | undefined, data: unknown, page: Partial<Page>): Compacted {
  if (data === undefined || data === null || typeof data !== "object") return { data, notes: [] };
  let limit = page.limit ?? paged?.defaultLimit ?? 0;
  const offset = page.offset ?? 0;
  let nestedCap = NESTED_LIST_CAP;
  for (;;) {
    const notes: string[] = [];
    let working: unknown = data;
    if (paged) {
      const list = (data as Record<string, unknown>)[paged.field];
      if (Array.isArray(list)) {
        const slice = list.slice(offset, offset + limit);
        working = { ...(data as Record<string, unknown>), [paged.field]: slice };
        const end = offset + slice.length;
        if (offset > 0 || end < list.length) {
          notes.push(
            `Showing ${paged.field} ${slice.length === 0 ? "none" : `${offset + 1}-${end}`} of ${list.length}.` +
              (end < list.length ? ` Call again with offset=${end} for more.` : ""),
          );
        }
      }
    }
    const cuts: Cut[] = [];
    const capped = capLists(working, [], 0, nestedCap, cuts);
    const note = cutNote(cuts);
    if (note) notes.push(note);
    const size = JSON.stringify(capped).length;
    if (size <= MAX_RESULT_BYTES) return { data: capped, notes };
    // Too big: shrink the page first, then the nested lists; never return an oversized result.
    if (paged && limit > 1) limit = Math.max(1, Math.floor(limit / 2));
    else if (nestedCap > 1) nestedCap = Math.max(1, Math.floor(nestedCap / 2));
    else {
      return {
        data: undefined,
        notes: [`The answer (${size} bytes) is too large to show; narrow the request.`],
      };
    }
  }
}
