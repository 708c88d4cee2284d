// The documents view: what is indexed, a filter, and uploading a file.

import { api, ApiError } from "./api.js";
import { $, clear, el, fmtNumber } from "./dom.js";
import { lang, t } from "./i18n.js";
import { openDocument } from "./panel.js";

let docs = [];

function size(d) {
  return d.pages ? t("pages", { n: d.pages }) : t("chars", { n: fmtNumber(d.chars, lang()) });
}

function row(d) {
  return el(
    "tr",
    {},
    el("td", {}, el("button", { class: "doc-title", type: "button", onclick: () => openDocument(d) }, d.title),
      el("span", { class: "doc-source" }, d.uploaded_name ? `↑ ${d.uploaded_name}` : d.source)),
    el("td", {}, d.kind),
    el("td", {}, d.language),
    el("td", {}, d.date ?? ""),
    el("td", { class: "num" }, size(d)),
  );
}

function render() {
  const needle = ($("#doc-filter").value || "").trim().toLowerCase();
  const shown = needle ? docs.filter((d) => `${d.title} ${d.source} ${d.uploaded_name ?? ""}`.toLowerCase().includes(needle)) : docs;
  clear($("#doc-count"), docs.length ? t("n_docs", { n: shown.length }) : t("no_docs"));
  clear(
    $("#doc-rows"),
    shown.map(row),
  );
}

export async function loadDocuments() {
  try {
    docs = (await api.documents()).documents;
    render();
  } catch (err) {
    clear($("#doc-count"), el("span", { class: "error" }, err.status === 0 ? t("network_error") : `${t("error")}: ${err.message}`));
  }
}

async function upload(file) {
  const status = $("#upload-status");
  clear(status, el("span", { class: "muted" }, `${t("uploading")} ${file.name}`));
  try {
    const result = await api.upload(file);
    clear(status, el("span", { class: "ok" }, result.document ? t("uploaded", { title: result.document.title }) : t("upload_known")));
    await loadDocuments();
  } catch (err) {
    const msg = err instanceof ApiError && err.status === 0 ? t("network_error") : `${t("error")}: ${err.message}`;
    clear(status, el("span", { class: "error" }, msg));
  }
}

export function refreshDocs() {
  render();
}

export function initDocs() {
  const input = $("#upload-input");
  input.addEventListener("change", async () => {
    for (const file of input.files) await upload(file);
    input.value = "";
  });
  const zone = $("#drop-zone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    for (const file of e.dataTransfer.files) await upload(file);
  });
  $("#doc-filter").addEventListener("input", render);
}
