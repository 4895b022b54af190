// Tiny DOM helpers. Everything passed as content becomes a text node: server values are
// never parsed as HTML.

/**
 * Creates an element. `props`: `text` (textContent), `class`, `on<event>` handlers, other
 * keys as attributes (`true` = present, `false`/`null` = absent). Children: nodes or strings.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows a one-line status, `kind` one of "info", "ok", "error". */
export function setStatus(node, text, kind = "info") {
  node.textContent = text ?? "";
  node.dataset.kind = kind;
  node.hidden = !text;
}

/**
 * Runs `task` with `buttons` disabled and `region` marked busy; returns its result. Never
 * lets two runs of the same group overlap.
 */
export async function busy(region, buttons, task) {
  if (region.getAttribute("aria-busy") === "true") return undefined;
  region.setAttribute("aria-busy", "true");
  const was = buttons.map((b) => b.disabled);
  for (const b of buttons) b.disabled = true;
  try {
    return await task();
  } finally {
    region.setAttribute("aria-busy", "false");
    buttons.forEach((b, i) => { b.disabled = was[i]; });
  }
}
