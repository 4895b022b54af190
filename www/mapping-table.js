// The user-to-DN mapping editor: one table row per rule (match, substitution, ldapQuery),
// rows added and removed in place. Reports its rows and the validation targets of its cells.
import { el } from "./dom.js";
import { t, onLocaleChange } from "./i18n.js";

const COLUMNS = ["match", "substitution", "ldapQuery"];
let nextId = 0;

export function createMappingTable({ body, table, addButton, empty }, onChange) {
  /** Each row: { id, tr, inputs: {match, substitution, ldapQuery}, msgs: {...}, rowMsg, labels, remove } */
  const rows = [];

  function renumber() {
    rows.forEach((row, i) => {
      for (const col of COLUMNS) row.labels[col].textContent = `${t(`map.${col}`)} (${t("map.rule", { n: i + 1 })})`;
      row.remove.textContent = t("map.remove");
      row.remove.setAttribute("aria-label", t("map.removeRule", { n: i + 1 }));
    });
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
  }

  function addRow(values = {}, focus = false) {
    const id = `map-${nextId++}`;
    const row = { id, inputs: {}, msgs: {}, labels: {} };
    const cells = COLUMNS.map((col) => {
      const inputId = `${id}-${col}`;
      row.labels[col] = el("label", { for: inputId, class: "cell-label" });
      row.inputs[col] = el("input", {
        id: inputId, type: "text", autocomplete: "off", spellcheck: "false", "data-col": col,
        oninput: onChange,
      });
      row.inputs[col].value = values[col] ?? "";
      row.msgs[col] = el("p", { id: `${inputId}-msg`, class: "field-msg", hidden: true, "aria-live": "polite" });
      const cell = el("td", { "data-col": col }, row.labels[col], row.inputs[col], row.msgs[col]);
      if (col === "match") {
        row.rowMsg = el("p", { id: `${id}-msg`, class: "field-msg", hidden: true, "aria-live": "polite" });
        cell.append(row.rowMsg);
      }
      return cell;
    });
    row.remove = el("button", { type: "button", class: "secondary", onclick: () => removeRow(row) });
    row.tr = el("tr", {}, cells, el("td", { class: "row-actions" }, row.remove));
    rows.push(row);
    body.append(row.tr);
    renumber();
    if (focus) row.inputs.match.focus();
  }

  function removeRow(row) {
    const index = rows.indexOf(row);
    rows.splice(index, 1);
    row.tr.remove();
    renumber();
    const next = rows[index] ?? rows[index - 1];
    (next ? next.remove : addButton).focus();
    onChange();
  }

  addButton.addEventListener("click", () => { addRow({}, true); onChange(); });
  onLocaleChange(renumber);
  renumber();

  return {
    /** Replaces every row (after a Load or Save). */
    setRows(list) {
      for (const row of rows.splice(0)) row.tr.remove();
      for (const item of list ?? []) addRow(item);
      renumber();
    },
    /** The rules as the API takes them: `match` always, the other two when not empty. */
    getRows() {
      return rows.map((row) => {
        const rule = { match: row.inputs.match.value };
        if (row.inputs.substitution.value !== "") rule.substitution = row.inputs.substitution.value;
        if (row.inputs.ldapQuery.value !== "") rule.ldapQuery = row.inputs.ldapQuery.value;
        return rule;
      });
    },
    get length() { return rows.length; },
    /** Validation targets: each cell by its JSON path, and the whole rule on its match cell. */
    targets() {
      return rows.flatMap((row, i) => [
        ...COLUMNS.map((col) => ({ path: `ldap.userToDNMapping[${i}].${col}`, input: row.inputs[col], msg: row.msgs[col] })),
        { path: `ldap.userToDNMapping[${i}]`, input: row.inputs.match, msg: row.rowMsg },
      ]);
    },
  };
}
