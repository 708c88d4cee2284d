// "Check a draft": every figure marked green (supported), red (contradicted) or grey (unverifiable), with why.

import { api, ApiError } from "./api.js";
import { $, clear, el, fmtNumber } from "./dom.js";
import { lang, t } from "./i18n.js";
import { openCitation } from "./panel.js";

let lastDraft = "";
let lastReport = null;

function verdictPill(verdict) {
  return el("span", { class: `pill v-${verdict}` }, t(`verdict_${verdict}`));
}

function focusClaim(i) {
  const card = document.getElementById(`claim-${i}`);
  if (!card) return;
  for (const c of document.querySelectorAll(".claim.focus")) c.classList.remove("focus");
  card.classList.add("focus");
  card.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

/** After a written calculation's stated result: "✓", or "≠ 2,949,120" (the recomputed value). Text only. */
function calcBadge(a) {
  const computed = a.computed_text || fmtNumber(a.computed, lang());
  return el(
    "span",
    { class: `calc ${a.consistent ? "v-supported" : "v-contradicted"}`, title: a.explanation || "" },
    a.consistent ? " ✓" : ` ≠ ${computed}`,
  );
}

/** The draft with each claimed figure wrapped in a coloured mark, in text order, overlaps skipped, and each
 * written calculation followed by its recomputed value. */
function markedDraft(draft, claims, arithmetic) {
  const spans = claims
    .map((c, i) => ({ start: c.figure.start, end: c.figure.end, verdict: c.verdict, reason: c.reason, i }))
    .filter((s) => s.start >= 0 && s.end > s.start && s.end <= draft.length)
    .sort((a, b) => a.start - b.start);
  const badges = (arithmetic || [])
    .filter((a) => a.relation === "written" && a.end > 0 && a.end <= draft.length)
    .sort((a, b) => a.end - b.end);
  const parts = [];
  let at = 0;
  let b = 0;
  const text = (upto) => {
    // plain text up to `upto`; a badge whose place falls inside a mark goes right after the mark
    for (; b < badges.length && badges[b].end <= upto; b += 1) {
      const pos = Math.max(badges[b].end, at);
      parts.push(draft.slice(at, pos), calcBadge(badges[b]));
      at = pos;
    }
    parts.push(draft.slice(at, upto));
    at = upto;
  };
  for (const s of spans) {
    if (s.start < at) continue;
    text(s.start);
    parts.push(
      el(
        "mark",
        { class: `fig v-${s.verdict}`, tabindex: 0, title: `${t(`verdict_${s.verdict}`)}${s.reason ? ` — ${s.reason}` : ""}`,
          "data-claim": s.i, onclick: () => focusClaim(s.i), onkeydown: (e) => e.key === "Enter" && focusClaim(s.i) },
        draft.slice(s.start, s.end),
      ),
    );
    at = s.end;
  }
  text(draft.length);
  return el("div", { class: "draft-marked" }, parts);
}

function claimCard(claim, i) {
  const evidence = (claim.evidence || []).map((c) =>
    el("button", { class: "source-link", type: "button", onclick: () => openCitation(c) },
      el("span", { class: "num" }, `[${c.number}]`), " ", c.title, c.page ? ` · ${t("page")} ${c.page}` : ""),
  );
  return el(
    "li",
    { class: `claim v-${claim.verdict}`, id: `claim-${i}` },
    el("div", { class: "claim-head" }, verdictPill(claim.verdict), el("span", { class: "figure" }, claim.figure.text)),
    el("p", { class: "claim-text" }, claim.text),
    claim.reason ? el("p", { class: "claim-reason" }, claim.reason) : null,
    claim.source_figure ? el("p", { class: "claim-source" }, `${t("source_says")}: `, el("strong", {}, claim.source_figure.text)) : null,
    evidence.length ? el("div", { class: "claim-evidence" }, el("span", { class: "muted" }, `${t("evidence")}: `), evidence) : null,
  );
}

function arithmeticList(items) {
  return el(
    "div",
    { class: "arithmetic" },
    el("h3", {}, t("arithmetic")),
    el(
      "ul",
      {},
      items.map((a) =>
        el(
          "li",
          { class: a.consistent ? "ok" : "bad" },
          el("span", { class: `pill ${a.consistent ? "v-supported" : "v-contradicted"}` }, a.consistent ? t("consistent") : t("inconsistent")),
          " ",
          el("span", { class: "arith-text" }, a.text),
          el("span", { class: "muted" }, ` — ${t("stated")} ${a.stated_text || fmtNumber(a.stated, lang())}, ${t("computed")} ${a.computed_text || fmtNumber(a.computed, lang())}`),
          a.explanation ? el("p", { class: "claim-reason" }, a.explanation) : null,
        ),
      ),
    ),
  );
}

function render() {
  const out = $("#check-result");
  if (!lastReport) return;
  const claims = lastReport.claims || [];
  const count = (v) => claims.filter((c) => c.verdict === v).length;
  clear(
    out,
    el("p", { class: "check-summary" }, claims.length
      ? t("summary", { supported: count("supported"), contradicted: count("contradicted"), unverifiable: count("unverifiable") })
      : t("no_figures")),
    markedDraft(lastDraft, claims, lastReport.arithmetic),
    claims.length ? el("ol", { class: "claims" }, claims.map(claimCard)) : null,
    (lastReport.arithmetic || []).length ? arithmeticList(lastReport.arithmetic) : null,
    downloadButton(lastReport),
  );
}

/** "Download report (Markdown)": the server writes it (the same text as `assistant check --markdown`). */
function downloadButton(report) {
  const status = el("span", { class: "muted" });
  const button = el("button", { class: "link-button download-md", type: "button" }, t("download_md"));
  button.addEventListener("click", async () => {
    try {
      const markdown = await api.exportCheck(report);
      const link = el("a", { href: URL.createObjectURL(new Blob([markdown], { type: "text/markdown" })), download: "check-report.md" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      status.textContent = "";
    } catch (err) {
      status.textContent = `${t("error")}: ${err.message || t("network_error")}`;
    }
  });
  return el("p", { class: "answer-actions" }, button, " ", status);
}

async function runCheck() {
  const draft = $("#draft").value;
  if (!draft.trim()) return;
  const button = $("#check-button");
  button.disabled = true;
  clear($("#check-result"), el("p", { class: "muted" }, t("checking")));
  try {
    lastReport = await api.check(draft);
    lastDraft = draft;
    render();
  } catch (err) {
    const msg = err instanceof ApiError && err.status === 0 ? t("network_error") : `${t("error")}: ${err.message}`;
    clear($("#check-result"), el("p", { class: "error" }, msg));
  } finally {
    button.disabled = false;
  }
}

export function refreshCheck() {
  render();
}

export function initCheck() {
  $("#check-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runCheck();
  });
}
