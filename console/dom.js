// DOM building with text only: every value from the server or the user is
// set as textContent or an attribute, never parsed as HTML.

// el("td", {text: "x", class: "c", title: "t"}, child, "text", ...)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "disabled" || key === "hidden") node[key] = Boolean(value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function button(label, onClick, props = {}) {
  const node = el("button", {type: "button", ...props}, label);
  node.addEventListener("click", onClick);
  return node;
}

// A table from headings and rows of cells (strings or nodes).
export function fillTable(table, headings, rows, emptyText) {
  table.replaceChildren(el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", {scope: "col"}, h)))));
  const body = el("tbody");
  if (rows.length === 0) {
    body.append(el("tr", {}, el("td", {class: "empty", colspan: headings.length}, emptyText)));
  }
  for (const row of rows) body.append(row);
  table.append(body);
}

// The browser's local time, UTC on hover.
export function timeCell(iso) {
  if (!iso) return el("td", {text: "-"});
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return el("td", {text: iso});
  return el("td", {title: when.toISOString(), text: when.toLocaleString()});
}

export function durationText(seconds) {
  if (!(seconds >= 0)) return "-";
  const s = Math.floor(seconds);
  const parts = [[Math.floor(s / 86400), "d"], [Math.floor(s / 3600) % 24, "h"],
                 [Math.floor(s / 60) % 60, "m"], [s % 60, "s"]];
  const shown = parts.filter(([n], i) => n > 0 || i === 3);
  return shown.slice(0, 2).map(([n, unit]) => `${n}${unit}`).join(" ");
}

export function pager(container, pageNum, pageSize, total, onPage) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  container.replaceChildren(
    button("Previous", () => onPage(pageNum - 1), {class: "secondary", disabled: pageNum <= 1}),
    el("span", {class: "page-of", text: `Page ${pageNum} of ${pages} · ${total} total`}),
    button("Next", () => onPage(pageNum + 1), {class: "secondary", disabled: pageNum >= pages}));
}
