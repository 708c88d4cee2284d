// An answer as DOM: its text with [n] citation buttons, calculator results as tables (+ a chart), its sources.

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

function kvRows(obj, lang, prefix = "") {
  const rows = [];
  for (const [k, v] of Object.entries(obj)) {
    if (HIDDEN_KEYS.has(k) || v === null || v === undefined) continue;
    if (isScalar(v)) rows.push(el("tr", {}, el("th", {}, humanize(prefix + k)), el("td", {}, value(v, lang))));
    else if (v && typeof v === "object" && !Array.isArray(v) && !prefix) rows.push(...kvRows(v, lang, `${k}.`));
  }
  return rows;
}

/** A calculator's source: a string, or {figure, value, document, page} from a data table. */
function sourceTag(s) {
  if (!s || typeof s !== "object") return el("span", { class: "source-tag" }, String(s));
  const where = [s.document, s.page ? `${t("page")} ${s.page}` : ""].filter(Boolean).join(" · ");
  const label = [s.figure && s.value ? `${s.figure}: ${s.value}` : s.figure || s.value, where].filter(Boolean).join(" — ");
  return el("span", { class: "source-tag", title: s.quote || s.path || "" }, label);
}

/** One calculator result: its words, inputs, scalar results, row tables, formula, chart and sources. */
export function toolCard(call, citations, lang) {
  const result = call.result || {};
  const byNumber = new Map(citations.map((c) => [c.number, c]));
  const inputs = kvRows(call.arguments || {}, lang);
  const outputs = kvRows(result, lang);
  const tables = Object.entries(result)
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
    call.text ? el("p", { class: "tool-text" }, call.text) : null,
    inputs.length ? el("table", { class: "kv" }, el("caption", {}, t("inputs")), el("tbody", {}, inputs)) : null,
    outputs.length ? el("table", { class: "kv" }, el("caption", {}, t("result")), el("tbody", {}, outputs)) : null,
    result.formula ? el("p", { class: "formula" }, el("span", {}, t("formula")), el("code", {}, String(result.formula))) : null,
    chartFor(result, lang),
    tables,
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

/** The full answer element. */
export function renderAnswer(answer, lang) {
  const citations = answer.citations || [];
  const body = el("div", { class: "answer" });
  if (answer.status === "not_found") body.append(el("p", { class: "not-found" }, answer.text || t("not_found")));
  if (answer.text && answer.status !== "not_found") {
    for (const para of answer.text.split(/\n{2,}/)) body.append(el("p", { class: "answer-text" }, textWithCitations(para, citations)));
  }
  for (const call of answer.tool_calls || []) body.append(toolCard(call, citations, lang));
  if (citations.length) body.append(sourceList(citations, t("sources")));
  if (answer.status === "not_found" && (answer.related || []).length) body.append(sourceList(answer.related, t("related")));
  return body;
}
