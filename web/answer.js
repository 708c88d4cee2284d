// An answer as DOM: its text with [n] citation buttons, calculator results as tables (+ a chart), its sources.

import { api } from "./api.js";
import { chartFor, toNum } from "./charts.js";
import { el, fmtNumber } from "./dom.js";
import { t } from "./i18n.js";
import { openCitation } from "./panel.js";

const MARKER = /\[(\d+(?:\s*[,，、]\s*\d+)*)\]/g;
const MAX_ROWS = 12;
const HIDDEN_KEYS = new Set(["tool", "formula", "sources", "text", "explanation"]);

const humanize = (key) => key.replace(/_/g, " ");
const isScalar = (v) => v === null || ["number", "string", "boolean"].includes(typeof v);

function value(v, lang) {
  if (Number.isFinite(toNum(v))) return fmtNumber(toNum(v), lang);
  if (typeof v === "boolean") return v ? "✓" : "✗";
  return v === null ? "—" : String(v);
}

function citeLabel(c) {
  const where = c.page ? ` · ${t("page")} ${c.page}` : c.row ? ` · ${t("row")} ${c.row}` : "";
  return `${c.title}${where}`;
}

function citeButton(n, byNumber) {
  const c = byNumber.get(n);
  if (!c) return `[${n}]`;
  return el("button", { class: "cite", type: "button", title: citeLabel(c), onclick: () => openCitation(c) }, String(n));
}

/** Text with every [n] (or [1, 2]) that names a known citation turned into a button. */
export function textWithCitations(text, citations) {
  const byNumber = new Map(citations.map((c) => [c.number, c]));
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const numbers = m[1].split(/\s*[,，、]\s*/).map(Number);
    if (!numbers.some((n) => byNumber.has(n))) continue;
    parts.push(text.slice(last, m.index));
    parts.push(el("span", { class: "cites" }, numbers.map((n) => citeButton(n, byNumber))));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function rowsTable(rows, lang) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => isScalar(r[k]))))];
  const head = el("tr", {}, keys.map((k) => el("th", {}, humanize(k))));
  const body = rows.slice(0, MAX_ROWS).map((r) => el("tr", {}, keys.map((k) => el("td", {}, value(r[k], lang)))));
  const more = rows.length > MAX_ROWS ? el("tr", {}, el("td", { colspan: keys.length }, `… ${rows.length - MAX_ROWS}`)) : null;
  return el("table", { class: "grid-table" }, el("thead", {}, head), el("tbody", {}, body, more));
}

const isNumberDict = (v) =>
  v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => Number.isFinite(toNum(x)));

function kvRows(obj, lang, skip = () => false) {
  const rows = [];
  for (const [k, v] of Object.entries(obj)) {
    if (HIDDEN_KEYS.has(k) || v === null || v === undefined || skip(k, v)) continue;
    // A short list of numbers (a range, a pair) reads fine in one cell; longer ones are charted or tabled.
    const shortList = Array.isArray(v) && v.length <= 4 && v.every((x) => isScalar(x) && x !== null);
    if (!isScalar(v) && !shortList) continue;
    const text = shortList ? v.map((x) => value(x, lang)).join(" … ") : value(v, lang);
    rows.push(el("tr", {}, el("th", {}, humanize(k)), el("td", {}, text)));
  }
  return rows;
}

/** Name -> number objects that share their names (GPU-hours and cost per stage) side by side in one table. */
function dictTables(sources, lang) {
  const groups = new Map();
  for (const obj of sources) {
    for (const [k, v] of Object.entries(obj)) {
      if (!isNumberDict(v)) continue;
      const keySet = Object.keys(v).join("\u0000");
      const group = groups.get(keySet) ?? new Map();
      if (!group.has(k)) group.set(k, v);
      groups.set(keySet, group);
    }
  }
  return [...groups.values()].map((group) => {
    const columns = [...group.keys()];
    const labels = Object.keys(group.get(columns[0]));
    return el(
      "table",
      { class: "grid-table" },
      el("thead", {}, el("tr", {}, el("th", {}, ""), columns.map((c) => el("th", {}, humanize(c))))),
      el("tbody", {}, labels.map((label) => el("tr", {}, el("td", {}, label), columns.map((c) => el("td", {}, value(group.get(c)[label], lang)))))),
    );
  });
}

/** A calculator's source: a string, or {figure, value, document, page} from a data table. */
function sourceTag(s) {
  if (!s || typeof s !== "object") return el("span", { class: "source-tag" }, String(s));
  const where = [s.document, s.page ? `${t("page")} ${s.page}` : ""].filter(Boolean).join(" · ");
  const label = [s.figure && s.value ? `${s.figure}: ${s.value}` : s.figure || s.value, where].filter(Boolean).join(" — ");
  return el("span", { class: "source-tag", title: s.quote || s.path || "" }, label);
}

/**
 * One calculator result: inputs and results as small tables (per-stage figures side by side), the formula, a
 * chart where a picture says more, and the sources. ``answerText`` avoids repeating the answer's own words.
 */
export function toolCard(call, citations, lang, answerText = "") {
  const result = call.result || {};
  const args = call.arguments || {};
  const byNumber = new Map(citations.map((c) => [c.number, c]));
  const headline = (call.text || "").split("\n")[0];
  const inputs = kvRows(args, lang);
  // A result field that only repeats an input adds nothing.
  const outputs = kvRows(result, lang, (k, v) => k in args && toNum(args[k]) === toNum(v));
  const rowTables = Object.entries(result)
    .filter(([, v]) => Array.isArray(v) && v.length && v.every((r) => r && typeof r === "object" && !Array.isArray(r)))
    .map(([k, rows]) => el("div", { class: "table-block" }, el("p", { class: "table-title" }, humanize(k)), rowsTable(rows, lang)));
  const sources = [
    ...(call.citations || []).map((n) => citeButton(n, byNumber)),
    ...(Array.isArray(result.sources) ? result.sources.map(sourceTag) : []),
  ];
  return el(
    "div",
    { class: "tool-card" },
    el("p", { class: "tool-head" }, `${t("tool_result")} · ${call.name}`),
    headline && !answerText.includes(headline) ? el("p", { class: "tool-text" }, headline) : null,
    el(
      "div",
      { class: "tool-tables" },
      inputs.length ? el("table", { class: "kv" }, el("caption", {}, t("inputs")), el("tbody", {}, inputs)) : null,
      outputs.length ? el("table", { class: "kv" }, el("caption", {}, t("result")), el("tbody", {}, outputs)) : null,
      dictTables([args, result], lang),
    ),
    result.formula ? el("p", { class: "formula" }, el("span", {}, t("formula")), el("code", {}, String(result.formula))) : null,
    chartFor(result, lang),
    rowTables,
    sources.length ? el("p", { class: "tool-sources" }, `${t("tool_sources")}: `, sources) : null,
  );
}

function sourceList(citations, title) {
  return el(
    "div",
    { class: "sources" },
    el("p", { class: "sources-title" }, title),
    el(
      "ol",
      {},
      citations.map((c) =>
        el(
          "li",
          {},
          el("button", { class: "source-link", type: "button", onclick: () => openCitation(c) },
            el("span", { class: "num" }, `[${c.number}]`), " ", citeLabel(c)),
          el("span", { class: "quote-preview" }, c.quote.length > 160 ? `${c.quote.slice(0, 160)}…` : c.quote),
        ),
      ),
    ),
  );
}

/** "Copy as Markdown": the server writes the Markdown (the same text as `assistant ask --markdown`). */
function copyButton(answer) {
  const out = el("div", { class: "copy-out" });
  const button = el("button", { class: "link-button copy-md", type: "button" }, t("copy_md"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    let markdown = "";
    try {
      markdown = await api.exportAnswer(answer);
      await navigator.clipboard.writeText(markdown);
      button.textContent = t("copied");
      out.replaceChildren();
    } catch (err) {
      // No clipboard (permissions, plain http): show the text to copy by hand.
      out.replaceChildren(
        el("p", { class: "muted" }, markdown ? t("copy_failed") : `${t("error")}: ${err.message || t("network_error")}`),
        markdown ? el("textarea", { class: "markdown-out", rows: 8, readonly: true }, markdown) : null,
      );
    } finally {
      button.disabled = false;
    }
  });
  return el("div", { class: "answer-actions" }, button, out);
}

/** The full answer element. */
export function renderAnswer(answer, lang) {
  const citations = answer.citations || [];
  const body = el("div", { class: "answer" });
  if (answer.read_as) body.append(el("p", { class: "read-as" }, `${t("read_as")}: `, el("span", {}, answer.read_as)));
  if (answer.indexing) body.append(el("p", { class: "indexing" }, `${t("indexing_answer")} (${answer.indexing})`));
  if (answer.status === "not_found") {
    // A not-found answer may point at its closest passages with [n]; those numbers refer to `related`.
    const text = answer.text ? textWithCitations(answer.text, answer.related || []) : t("not_found");
    body.append(el("p", { class: "not-found" }, text));
  }
  if (answer.text && answer.status !== "not_found") {
    for (const para of answer.text.split(/\n{2,}/)) body.append(el("p", { class: "answer-text" }, textWithCitations(para, citations)));
  }
  for (const call of answer.tool_calls || []) body.append(toolCard(call, citations, lang, answer.text || ""));
  if (citations.length) body.append(sourceList(citations, t("sources")));
  if (answer.status === "not_found" && (answer.related || []).length) body.append(sourceList(answer.related, t("related")));
  body.append(copyButton(answer));
  return body;
}
