// DOM helpers. Every value from the server goes in as text (textContent), never as markup: a SAN or a product
// name is data, and the page can call tools, so markup injected here would act as the user.

type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: {
    class?: string;
    title?: string;
    data?: Record<string, string>;
    attrs?: Record<string, string>;
  } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.title) node.title = props.title;
  for (const [k, v] of Object.entries(props.data ?? {})) node.dataset[k] = v;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  append(node, children);
  return node;
}

export function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from the page`);
  return node as T;
}

export function replace(node: Node, ...children: Child[]): void {
  node.textContent = "";
  append(node, children);
}

export function button(
  label: Child | Child[],
  onClick: () => void,
  props: Parameters<typeof el>[1] = {},
): HTMLButtonElement {
  const b = el(
    "button",
    { ...props, attrs: { type: "button", ...props.attrs } },
    ...(Array.isArray(label) ? label : [label]),
  );
  b.addEventListener("click", onClick);
  return b;
}

const NUMBER = new Intl.NumberFormat("en-US");
export const num = (n: number): string => NUMBER.format(n);

/** The date part of an ISO timestamp (valid_till etc.), or the value as sent when it is not one. */
export function day(value: string | null | undefined): string {
  if (!value) return "—";
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
}
