import { App, applyDocumentTheme, applyHostStyleVariables } from "@modelcontextprotocol/ext-apps";
import { type Overview, type Page, type Row, Server } from "./data.js";
import { append, button, byId, day, el, num, replace } from "./dom.js";

// The contracts view. The first data is the result of the view_contracts call the host shows it for (an
// aggregate of bounded size whatever the report holds); every list is a page of 20 asked for when opened. So the
// page never holds more than one overview and one page of rows, at 100 contracts or 100,000.

const PAGE_SIZE = 20;
const SEARCH_LIMIT = 50;
/** "all live contracts of a subaccount, soonest expiry first": list_expiring_contracts' widest window */
const ALL_DAYS = 3650;

const app = new App({ name: "digicert-contracts-view", version: "1.0.0" }, {}, { autoResize: true });
const server = new Server(app);

interface ListSource {
  title: string;
  note?: string;
  load(offset: number): Promise<Page>;
}

let list: { source: ListSource; offset: number; page?: Page } | undefined;
let listRequest = 0;

function showError(message: string | undefined): void {
  const node = byId("error");
  node.hidden = !message;
  node.textContent = message ?? "";
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---- overview -------------------------------------------------------------------------------------------

function renderOverview(o: Overview): void {
  replace(
    byId("snapshot"),
    `Snapshot ${o.snapshot.id}, taken ${o.snapshot.taken_at.replace("T", " ").slice(0, 16)} UTC`,
    o.refresh_error ? ` (refresh failed: ${o.refresh_error})` : "",
  );
  const t = o.totals;
  replace(
    byId("totals"),
    ...[
      ["Contracts", t.contracts],
      ["Subaccounts", t.subaccounts],
      ["Active", t.active],
      ["Expired", t.expired],
      ["Canceled", t.canceled],
    ].map(([label, n]) => el("div", { class: "card" }, el("b", {}, num(n as number)), label as string)),
  );
  const windows = byId("windows");
  replace(
    windows,
    ...([30, 60, 90] as const).map((days) =>
      button(
        [el("b", {}, num(o.expiring[`within_${days}_days`])), `within ${days} days`],
        () => openExpiring(days),
        { data: { days: String(days) }, attrs: { "aria-pressed": "false" } },
      ),
    ),
  );
  renderTimeline(o);
  renderSubaccounts(o);
  renderProducts(o);
}

function renderTimeline(o: Overview): void {
  const max = Math.max(1, ...o.expiring.by_week.map((b) => b.contracts));
  replace(
    byId("timeline"),
    ...o.expiring.by_week.map((b) => {
      const bar = el("div", {
        class: `bar ${b.from_day < 30 ? "soon" : b.from_day < 60 ? "mid" : ""}`,
        title: `${num(b.contracts)} expiring in ${b.from_day}–${b.to_day} days`,
        data: { from: String(b.from_day), count: String(b.contracts) },
      });
      bar.style.height = `${Math.round((b.contracts / max) * 100)}%`;
      return bar;
    }),
  );
}

function groupTable(
  table: HTMLElement,
  head: string,
  rows: { key: string; contracts: number; active: number; onClick?: () => void }[],
  rest: string | undefined,
): void {
  // bars relative to the largest row: the table is a top list, its rows' share of the total is in the figures
  const largest = Math.max(1, ...rows.map((r) => r.contracts));
  const body = rows.map((r) => {
    const share = el("div", { class: "share" });
    share.style.width = `${Math.max(1, Math.round((r.contracts / largest) * 100))}%`;
    const tr = el(
      "tr",
      { class: r.onClick ? "click" : "", title: r.key },
      el("td", {}, r.key, share),
      el("td", { class: "n" }, num(r.contracts)),
      el("td", { class: "n" }, num(r.active)),
    );
    if (r.onClick) tr.addEventListener("click", r.onClick);
    return tr;
  });
  replace(
    table,
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {}, head),
        el("th", { class: "n" }, "contracts"),
        el("th", { class: "n" }, "active"),
      ),
    ),
    el("tbody", {}, ...body),
    rest ? el("tfoot", {}, el("tr", {}, el("td", { class: "muted", attrs: { colspan: "3" } }, rest))) : null,
  );
}

function renderSubaccounts(o: Overview): void {
  const other = o.subaccounts.other;
  groupTable(
    byId("subaccounts"),
    "subaccount",
    o.subaccounts.top.map((s) => ({
      ...s,
      key: String(s.account_id),
      onClick: () => openSubaccount(s.account_id),
    })),
    other.subaccounts > 0
      ? `${num(other.subaccounts)} more subaccounts with ${num(other.contracts)} contracts: open one by id`
      : undefined,
  );
}

function renderProducts(o: Overview): void {
  const other = o.products.other;
  groupTable(
    byId("products"),
    "product",
    o.products.top.map((p) => ({ ...p, key: p.product_name_id })),
    other.products > 0
      ? `${num(other.products)} more products with ${num(other.contracts)} contracts`
      : undefined,
  );
}

// ---- lists (expiring, a subaccount's contracts, domain matches), one page at a time ---------------------

function pressWindow(days: number | undefined): void {
  for (const b of byId("windows").querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.days === String(days)));
  }
}

function openExpiring(days: number): void {
  pressWindow(days);
  openList({
    title: `Expiring within ${days} days`,
    note: "Not canceled, soonest first.",
    load: (offset) => server.expiring(days, offset, PAGE_SIZE),
  });
}

async function openSubaccount(accountId: number): Promise<void> {
  pressWindow(undefined);
  openList({
    title: `Subaccount ${accountId}`,
    note: "Live contracts, soonest expiry first.",
    load: (offset) => server.expiring(ALL_DAYS, offset, PAGE_SIZE, accountId),
  });
  try {
    const s = await server.subaccount(accountId);
    if (list?.source.title !== `Subaccount ${accountId}`) return;
    const products = s.by_product.map((p) => `${p.product_name_id} ${num(p.contracts)}`).join(", ");
    byId("list-note").textContent =
      `${num(s.totals.contracts)} contracts (${num(s.totals.active)} active, ${num(s.totals.expired)} expired, ${num(
        s.totals.canceled,
      )} canceled); ${num(s.expiring.within_30_days)} expire within 30 days. ${products}. Live ones below, soonest first.`;
  } catch (err) {
    byId("list-note").textContent = reason(err);
  }
}

async function search(domain: string): Promise<void> {
  pressWindow(undefined);
  openList({
    title: `Contracts covering ${domain}`,
    note: "Exact SAN, or a wildcard one label up.",
    load: async () => {
      const found = await server.domain(domain, SEARCH_LIMIT);
      if (found.total > found.rows.length) {
        byId("list-note").textContent = `First ${found.rows.length} of ${num(found.total)} matches.`;
      }
      return found;
    },
  });
}

function openList(source: ListSource): void {
  list = { source, offset: 0 };
  const panel = byId("list");
  panel.hidden = false;
  byId("list-title").textContent = source.title;
  byId("list-note").textContent = source.note ?? "";
  void loadPage(0);
}

async function loadPage(offset: number): Promise<void> {
  if (!list) return;
  const current = list;
  const request = ++listRequest;
  current.offset = offset;
  const panel = byId("list");
  panel.dataset.state = "loading";
  try {
    const page = await current.source.load(offset);
    if (request !== listRequest) return;
    current.page = page;
    renderRows(page.rows, offset, page);
    panel.dataset.state = "ready";
  } catch (err) {
    if (request !== listRequest) return;
    replace(byId("rows"), el("li", { class: "error" }, reason(err)));
    byId("range").textContent = "";
    panel.dataset.state = "error";
  }
}

function rowButton(row: Row): HTMLElement {
  const when =
    row.days_left !== undefined
      ? `${row.days_left} d · ${day(row.valid_till)}`
      : `till ${day(row.valid_till)}`;
  const san = row.san ?? row.sans?.[0] ?? "";
  const more = row.san_count && row.sans && row.san_count > 1 ? ` +${row.san_count - 1}` : "";
  const badges = [
    row.match ? el("span", { class: `badge ${row.match}` }, row.match) : null,
    row.status && row.status !== "active" ? el("span", { class: `badge ${row.status}` }, row.status) : null,
  ];
  const b = button(
    [
      el("span", { class: "san" }, san || `contract ${row.acme_contract_id}`, more),
      el("span", {}, ...badges, " ", when),
      el(
        "span",
        { class: "meta" },
        `#${row.acme_contract_id} · subaccount ${row.account_id} · ${row.product_name_id}`,
      ),
    ],
    () => void openContract(row),
    { data: { contract: String(row.acme_contract_id) } },
  );
  return el("li", {}, b);
}

function renderRows(rows: Row[], offset: number, page: Page): void {
  replace(byId("rows"), ...(rows.length ? rows.map(rowButton) : [el("li", { class: "muted" }, "None.")]));
  byId("range").textContent = page.total
    ? `${num(offset + 1)}–${num(offset + rows.length)} of ${num(page.total)}`
    : "";
  byId<HTMLButtonElement>("prev").disabled = offset === 0;
  byId<HTMLButtonElement>("next").disabled = page.next === undefined;
}

// ---- drill-down -----------------------------------------------------------------------------------------

function facts(pairs: [string, unknown][]): HTMLElement {
  const dl = el("dl", { class: "facts" });
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === "") continue;
    append(dl, [el("dt", {}, k), el("dd", {}, typeof v === "object" ? JSON.stringify(v) : String(v))]);
  }
  return dl;
}

function organizationName(c: Record<string, unknown>): unknown {
  const org = c.organization;
  return org && typeof org === "object" ? (org as Record<string, unknown>).name : undefined;
}

async function openContract(row: Row): Promise<void> {
  const panel = byId("detail");
  panel.hidden = false;
  panel.dataset.state = "loading";
  byId("detail-title").textContent = `Contract ${row.acme_contract_id}`;
  const body = byId("detail-body");
  replace(body, el("p", { class: "muted" }, "Loading from DigiCert…"));
  const known = facts([
    ["subaccount", row.account_id],
    ["product", row.product_name_id],
    ["valid till", row.valid_till],
  ]);
  try {
    const c = await server.contract(row.acme_contract_id, row.account_id);
    const sans = Array.isArray(c.sans) ? (c.sans as unknown[]).map(String) : [];
    replace(
      body,
      facts([
        ["subaccount", row.account_id],
        ["product", c.product_name_id ?? row.product_name_id],
        ["valid till", c.valid_till ?? row.valid_till],
        ["auto renew", c.auto_renew],
        ["canceled", c.date_canceled],
        ["organization", organizationName(c)],
        ["created", c.date_created],
      ]),
      el("p", { class: "muted" }, `${num(sans.length)} SANs`),
      el("ul", { class: "sans" }, ...sans.slice(0, 200).map((s) => el("li", {}, s))),
    );
    panel.dataset.state = "ready";
  } catch (err) {
    replace(body, known, el("p", { class: "error" }, `Live details unavailable: ${reason(err)}`));
    panel.dataset.state = "error";
  }
  panel.scrollIntoView({ block: "nearest" });
}

// ---- wiring ---------------------------------------------------------------------------------------------

type HostContext = ReturnType<App["getHostContext"]>;

function applyContext(ctx: HostContext): void {
  if (ctx?.theme) applyDocumentTheme(ctx.theme);
  if (ctx?.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
}

async function refresh(): Promise<void> {
  try {
    renderOverview(await server.overview());
    showError(undefined);
    document.body.dataset.state = "ready";
  } catch (err) {
    showError(reason(err));
    document.body.dataset.state = "error";
  }
}

/**
 * A text field with its button: Enter or a click. Not a <form>: hosts sandbox the view without allow-forms, and
 * there a form's submission is blocked before any submit handler runs.
 */
function onSubmit(container: string, action: (value: string) => void): void {
  const box = byId(container);
  const input = box.querySelector("input") as HTMLInputElement;
  const go = () => {
    const value = input.value.trim();
    if (value) action(value);
  };
  box.querySelector("button")?.addEventListener("click", go);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") go();
  });
}

onSubmit("search", (domain) => void search(domain));
onSubmit("sub-form", (value) => {
  const id = Number(value);
  if (Number.isSafeInteger(id) && id > 0) void openSubaccount(id);
});
byId("prev").addEventListener("click", () => {
  if (list) void loadPage(Math.max(0, list.offset - PAGE_SIZE));
});
byId("next").addEventListener("click", () => {
  if (list?.page?.next !== undefined) void loadPage(list.page.next);
});
byId("list-close").addEventListener("click", () => {
  list = undefined;
  byId("list").hidden = true;
  pressWindow(undefined);
});
byId("detail-close").addEventListener("click", () => {
  byId("detail").hidden = true;
});

function textOf(content: { type: string; text?: string }[] | undefined): string {
  return (content ?? [])
    .map((c) => (c.type === "text" ? (c.text ?? "") : ""))
    .join(" ")
    .trim();
}

let shown = false;
app.ontoolresult = (result) => {
  if (result.isError || !result.structuredContent) {
    showError(textOf(result.content) || "view_contracts failed");
    document.body.dataset.state = "error";
    return;
  }
  shown = true;
  renderOverview(result.structuredContent as unknown as Overview);
  document.body.dataset.state = "ready";
};
app.onhostcontextchanged = (ctx) => applyContext({ ...app.getHostContext(), ...ctx });
app.onteardown = async () => ({});

app
  .connect()
  .then(() => {
    applyContext(app.getHostContext());
    byId("snapshot").textContent = "Loading…";
    // a host that shows the view without sending the tool's result (or sent it before we listened)
    setTimeout(() => {
      if (!shown) void refresh();
    }, 1500);
  })
  .catch((err: unknown) => {
    showError(`Could not connect to the host: ${reason(err)}`);
    document.body.dataset.state = "error";
  });
