// A status line that speaks the current language: it keeps what it shows as a function of
// the locale and renders it again after a language switch, so no status stays in English.
import { setStatus } from "./dom.js";
import { onLocaleChange } from "./i18n.js";

/**
 * `show(render, kind)`: `render()` returns the text (called now and after every language
 * switch); `clear()` hides the line.
 */
export function createStatusLine(node) {
  let current = null;
  const paint = () => setStatus(node, current ? current.render() : "", current?.kind ?? "info");
  onLocaleChange(paint);
  return {
    show(render, kind = "info") {
      current = { render, kind };
      paint();
    },
    clear() {
      current = null;
      paint();
    },
  };
}
