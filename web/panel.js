// The side panel: a cited passage highlighted inside its surrounding text, or the start of a document.

import { api } from "./api.js";
import { $, clear, el, safeLink } from "./dom.js";
import { t } from "./i18n.js";

const CONTEXT = 700; // characters shown on each side of a quote
const PAGE = 6000; // characters per "show more" when reading a whole document

let token = 0; // the latest request wins when citations are clicked quickly

function panel() {
  return $("#panel");
}

function meta(parts) {
  return el("p", { class: "panel-meta" }, parts.filter(Boolean).join(" · "));
}

function show(titleText, ...body) {
  const p = panel();
  clear($("#panel-title"), titleText);
  clear($("#panel-body"), ...body);
  p.hidden = false;
  p.classList.remove("wide");
  document.body.classList.add("panel-open");
}

export function closePanel() {
  panel().hidden = true;
  panel().classList.remove("wide");
  document.body.classList.remove("panel-open");
}

/** The PDF page as printed with the quote marked, loaded beside the extracted text. */
function pageFigure(c, mine) {
  const box = el("figure", { class: "page-image" }, el("figcaption", {}, t("page_image", { page: c.page })), el("p", { class: "muted" }, t("loading")));
  api.pageImage(c.doc_id, c.page, c.start, c.end).then(
    (src) => {
      if (mine !== token) return;
      box.replaceChildren(el("figcaption", {}, t("page_image", { page: c.page })), el("img", { src, alt: t("page_image", { page: c.page }) }));
    },
    (err) => {
      if (mine === token) box.replaceChildren(errorBox(err));
    },
  );
  return box;
}

function sourceLine(source) {
  return el("p", { class: "panel-source" }, `${t("source")}: `, safeLink(source, source));
}

function errorBox(err) {
  return el("p", { class: "error" }, `${t("error")}: ${err.message || t("network_error")}`);
}

/** Open a citation: {doc_id, title, source, page, row, start, end, quote, number}. */
export async function openCitation(c) {
  const mine = ++token;
  const where = [c.number ? `[${c.number}]` : "", c.page ? `${t("page")} ${c.page}` : "", c.row ? `${t("row")} ${c.row}` : ""];
  show(c.title, meta(where), sourceLine(c.source), el("p", { class: "muted" }, t("loading")));
  let slice;
  try {
    slice = await api.documentText(c.doc_id, Math.max(0, c.start - CONTEXT), c.end + CONTEXT);
  } catch (err) {
    if (mine === token) show(c.title, meta(where), sourceLine(c.source), errorBox(err));
    return;
  }
  if (mine !== token) return;
  let from = c.start - slice.start;
  let to = c.end - slice.start;
  const notes = [];
  if (slice.text.slice(from, to) !== c.quote) {
    // Offsets should match exactly; if the document changed since the answer was given, find the quote instead.
    const at = c.quote ? slice.text.indexOf(c.quote) : -1;
    if (at >= 0) [from, to] = [at, at + c.quote.length];
    else {
      notes.push(el("p", { class: "note" }, t("quote_missing")));
      from = to = -1;
    }
  }
  const mark = from >= 0 ? el("mark", { id: "panel-quote" }, slice.text.slice(from, to)) : null;
  const text = el(
    "div",
    { class: "passage" },
    slice.start > 0 ? "… " : "",
    from >= 0 ? slice.text.slice(0, from) : slice.text,
    mark,
    from >= 0 ? slice.text.slice(to) : "",
    slice.end < slice.total_chars ? " …" : "",
  );
  if (c.page) {
    // A PDF citation: the page as printed beside the extracted text.
    const extracted = el("div", { class: "extracted" }, el("p", { class: "side-label" }, t("extracted_text")), text);
    show(slice.title || c.title, meta(where), sourceLine(slice.source || c.source), ...notes,
      el("div", { class: "page-and-text" }, pageFigure(c, mine), extracted));
    panel().classList.add("wide");
  } else {
    show(slice.title || c.title, meta(where), sourceLine(slice.source || c.source), ...notes, text);
  }
  mark?.scrollIntoView({ block: "center" });
}

/** Open a document from its beginning, with a button to read further. */
export async function openDocument(doc) {
  const mine = ++token;
  show(doc.title, sourceLine(doc.source), el("p", { class: "muted" }, t("loading")));
  const passage = el("div", { class: "passage" });
  const more = el("button", { class: "link-button", type: "button" }, t("load_more"));
  let next = 0;
  async function load() {
    more.disabled = true;
    try {
      const slice = await api.documentText(doc.id, next, next + PAGE);
      if (mine !== token) return;
      passage.append(slice.text);
      next = slice.end;
      more.hidden = slice.end >= slice.total_chars;
    } catch (err) {
      passage.append(errorBox(err));
      more.hidden = true;
    }
    more.disabled = false;
  }
  more.addEventListener("click", load);
  await load();
  if (mine === token) show(doc.title, sourceLine(doc.source), passage, more);
}

export function initPanel() {
  $("#panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel().hidden) closePanel();
  });
}
