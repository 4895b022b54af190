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

/**
 * Marks a button unavailable without taking it out of the tab order (`aria-disabled`), so a
 * button that is busy or has nothing to do keeps the keyboard focus. Click handlers check
 * `isAvailable` first.
 */
export function setAvailable(button, available) {
  if (available) button.removeAttribute("aria-disabled");
  else button.setAttribute("aria-disabled", "true");
}

/** Whether a button may act now: not disabled, not `aria-disabled`, not inside a disabled fieldset. */
export function isAvailable(button) {
  return !button.disabled && button.getAttribute("aria-disabled") !== "true" && !button.closest("fieldset:disabled");
}

/**
 * Runs `task` with `region` marked busy (`aria-busy`); returns its result, or undefined when
 * the region is already busy: two runs of the same group never overlap. The buttons keep
 * their focus; the caller's availability rules read `isBusy`.
 */
export async function busy(region, task) {
  if (isBusy(region)) return undefined;
  region.setAttribute("aria-busy", "true");
  try {
    return await task();
  } finally {
    region.setAttribute("aria-busy", "false");
  }
}

export const isBusy = (region) => region.getAttribute("aria-busy") === "true";

/** Shows a one-line status, `kind` one of "info", "ok", "error" (hidden when `text` is empty). */
export function setStatus(node, text, kind = "info") {
  node.textContent = text ?? "";
  node.dataset.kind = kind;
  node.hidden = !text;
}
